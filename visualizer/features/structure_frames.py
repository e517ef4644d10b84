"""Frame curves and the time grid the offline structure pass works on.

`frame_curves` runs one STFT over the whole track (hop ~23-46 ms) and keeps what
structure needs per frame: total and bass power, log band levels, spectral flux
and brightness. `time_grid` turns beats / downbeats (or nothing: fixed 0.5 s
frames) into segments and bars; `interval_means` averages a curve over them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.features.bands import LogBands, band_bins
from visualizer.features.spectrum import fft_size_for

STRUCTURE_BANDS = 16
"""Log-spaced bands (30 Hz .. 16 kHz) in the per-frame timbre vector."""
POWER_FLOOR = 1e-10
"""Power (full-scale sine ~ 0.5) below which a frame counts as silent: -100 dB."""
BAND_RANGE_DB = 70.0
"""Band levels further than this below the track's loudest band are clipped to it."""
FLUX_FLOOR = 0.3
"""Flux (dB per frame) added before taking its log: a stationary passage's single
onset does not read as a sudden jump in onset density."""
FIXED_SEGMENT_S = 0.5
"""Segment length (s) when no beats are given; four of them make a nominal 2 s bar."""
BLOCK_FRAMES = 2048
"""Frames transformed per numpy call (bounds memory on long tracks)."""


@dataclass(frozen=True)
class FrameCurves:
    """Per-frame measurements, frame i centred at i * hop seconds."""

    hop: float
    """Seconds between frames."""
    power: np.ndarray
    """(frames,) mean-square level of the frame (all bins)."""
    bass: np.ndarray
    """(frames,) power in the bass band (20-200 Hz)."""
    bands_db: np.ndarray
    """(frames, STRUCTURE_BANDS) log band powers in dB, at most `BAND_RANGE_DB` below the loudest."""
    flux: np.ndarray
    """(frames,) mean positive change of `bands_db` from the previous frame, dB."""
    centroid: np.ndarray
    """(frames,) spectral centroid in Hz (0 for a silent frame)."""


@dataclass(frozen=True)
class TimeGrid:
    """Segments (beats or fixed frames) and bars over [0, duration] seconds."""

    edges: np.ndarray
    """(segments + 1,) segment edges in s, from 0 to the duration."""
    bar_starts: np.ndarray
    """(bars,) bar start times in s (downbeats, or every fourth fixed segment)."""
    bar_s: float
    """Typical bar length in s."""
    segments_per_bar: int
    snap: bool
    """True when bar starts are real downbeats: boundaries and drops snap to them."""

    @property
    def bar_edges(self) -> np.ndarray:
        """(bars + 1,) bar starts followed by the end of the last bar (<= duration)."""
        duration = float(self.edges[-1])
        end = min(duration, float(self.bar_starts[-1]) + self.bar_s) if len(self.bar_starts) else duration
        return np.r_[self.bar_starts, end]


def frame_curves(samples: np.ndarray, sample_rate: int) -> FrameCurves:
    """STFT of mono `samples` (n,) with a Hann window, hop = fft_size / 2, frames centred."""
    fft_size = fft_size_for(sample_rate)
    hop = fft_size // 2
    x = np.pad(np.asarray(samples, np.float32), (fft_size // 2, fft_size // 2))
    count = 1 + (len(x) - fft_size) // hop
    window = np.hanning(fft_size).astype(np.float32)
    scale = 2.0 / float(window.sum()) ** 2
    bands = LogBands(sample_rate, fft_size, count=STRUCTURE_BANDS)
    bass_bins = band_bins(sample_rate, fft_size)["bass"]
    freqs = np.fft.rfftfreq(fft_size, 1.0 / sample_rate)
    power, bass, band_power, centroid = [], [], [], []
    for first in range(0, count, BLOCK_FRAMES):
        index = np.arange(first, min(count, first + BLOCK_FRAMES))[:, None] * hop + np.arange(fft_size)
        spectrum = np.abs(np.fft.rfft(x[index] * window, axis=1)).astype(np.float64) ** 2 * scale
        total = spectrum.sum(axis=1)
        power.append(total)
        bass.append(spectrum[:, bass_bins].sum(axis=1))
        band_power.append(bands.sums(spectrum))
        centroid.append(np.where(total > POWER_FLOOR, spectrum @ freqs / np.maximum(total, POWER_FLOOR), 0.0))
    bands_db = 10.0 * np.log10(np.concatenate(band_power) + POWER_FLOOR)
    bands_db = np.maximum(bands_db, bands_db.max() - BAND_RANGE_DB)  # rounding noise makes no flux
    flux = np.r_[0.0, np.maximum(np.diff(bands_db, axis=0), 0.0).mean(axis=1)]
    return FrameCurves(hop / sample_rate, np.concatenate(power), np.concatenate(bass),
                       bands_db, flux, np.concatenate(centroid))


def time_grid(duration: float, beats: np.ndarray | None, downbeats: np.ndarray | None) -> TimeGrid:
    """Beat segments and downbeat bars when `beats` are given (bars of 4 beats when
    `downbeats` are not); otherwise fixed 0.5 s segments and nominal 2 s bars, no snapping."""
    inside = _inside(beats, duration)
    if len(inside) < 2:
        edges = np.r_[np.arange(0.0, duration, FIXED_SEGMENT_S), duration]
        edges = edges[np.r_[np.diff(edges) > 1e-9, True]] if len(edges) > 1 else np.array([0.0, duration])
        return TimeGrid(edges, edges[:-1][::4].copy(), 4 * FIXED_SEGMENT_S, 4, False)
    bars = _inside(downbeats, duration)
    if len(bars) < 1:
        bars = inside[::4]
    per_bar = _beats_per_bar(inside, bars)
    bar_s = float(np.median(np.diff(bars))) if len(bars) > 1 else per_bar * float(np.median(np.diff(inside)))
    edges = np.unique(np.r_[0.0, inside, duration])
    return TimeGrid(edges, bars, bar_s, per_bar, True)


def _inside(times: np.ndarray | None, duration: float) -> np.ndarray:
    """Sorted unique times within [0, duration), float64."""
    if times is None:
        return np.zeros(0)
    times = np.unique(np.asarray(times, np.float64))
    return times[(times >= 0.0) & (times < duration)]


def _beats_per_bar(beats: np.ndarray, bars: np.ndarray) -> int:
    """Median count of beats between consecutive downbeats (4 if it cannot tell)."""
    if len(bars) < 2:
        return 4
    counts = np.diff(np.searchsorted(beats, bars - 1e-3))
    return int(max(1, round(float(np.median(counts)))))


def interval_means(curve: np.ndarray, hop: float, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Mean of a frame curve (frames,) or (frames, d) over each [start, stop) in seconds:
    the frames centred inside, or the nearest frame when none is. (len(starts),) or (len, d)."""
    frames = len(curve)
    first = np.clip(np.ceil(np.asarray(starts) / hop - 1e-9).astype(np.int64), 0, frames - 1)
    last = np.clip(np.ceil(np.asarray(stops) / hop - 1e-9).astype(np.int64), 0, frames)
    last = np.maximum(last, first + 1)
    total = np.concatenate([np.zeros((1, *curve.shape[1:])), np.cumsum(curve, axis=0)])
    count = (last - first).reshape((-1,) + (1,) * (curve.ndim - 1))
    return (total[last] - total[first]) / count
