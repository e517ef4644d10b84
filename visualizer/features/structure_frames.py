"""Frame curves and the time grid the structure passes work on.

The curves come from the onset detector's own spectra (`CurveTap`, one FFT
pass for rhythm and structure): every fourth 23 ms frame, so a frame every
frame length (~23 ms), centred at i * hop. Per frame, what structure needs:
total and bass power, log band levels, spectral flux and brightness. The bass
is weighted in Hz (`bass_weights`), not by bin, and the brightness stops at
`CENTROID_TOP_HZ`, so that they read the same at any sample rate.
`time_grid` turns beats / downbeats (or nothing: fixed 0.5 s frames) into
segments and bars; `interval_means` averages a curve over them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from visualizer.features.bands import BANDS_HZ, LogBands
from visualizer.features.onset import OnsetDetector

STRUCTURE_BANDS = 16
"""Log-spaced bands (30 Hz .. 16 kHz) in the per-frame timbre vector."""
POWER_FLOOR = 1e-10
"""Power (full-scale sine ~ 0.5) below which a frame counts as silent: -100 dB."""
BAND_RANGE_DB = 70.0
"""Band levels further than this below the track's loudest band are clipped to it."""
FLUX_FLOOR = 0.3
"""Flux (dB per frame) added before taking its log: a stationary passage's single
onset does not read as a sudden jump in onset density."""
FEED_BLOCK = 65536
"""Samples per detector call in `frame_curves` (bounds memory on long tracks)."""
BASS_FULL_HZ = 100.0
"""Bass power counts in full up to this frequency (Hz), then fades linearly to 0 at the
bass band's top (200 Hz): a chord tone near 200 Hz (a pad's G3 at 196 Hz, its A3 at
220 Hz) reads the same whether the frame's bins are 43 Hz apart (22.05 and 44.1 kHz)
or 47 Hz (48 kHz). With a hard 200 Hz edge a 48 kHz frame read a pad's A3 5 dB
louder in the bass, which split the generated songs' breakdowns (bass near 40% of
the running bass) at 48 kHz only."""
CENTROID_TOP_HZ = 11025.0
"""The spectral centroid weighs the bins up to this frequency (Hz), the Nyquist of
22.05 kHz audio: hats reaching 24 kHz at 48 kHz would otherwise pull the
centroid of a quiet intro up and down with each chord of its pad (a false build)."""
FIXED_SEGMENT_S = 0.5
"""Segment length (s) when no beats are given; four of them make a nominal 2 s bar."""


@dataclass(frozen=True)
class FrameCurves:
    """Per-frame measurements, frame i centred at i * hop seconds."""

    hop: float
    """Seconds between frames."""
    power: np.ndarray
    """(frames,) mean-square level of the frame (all bins)."""
    bass: np.ndarray
    """(frames,) power in the bass band (20-200 Hz, weighted by `bass_weights`)."""
    bands_db: np.ndarray
    """(frames, STRUCTURE_BANDS) log band powers in dB, at most `BAND_RANGE_DB` below the loudest."""
    flux: np.ndarray
    """(frames,) mean positive change of `bands_db` from the previous frame, dB."""
    centroid: np.ndarray
    """(frames,) spectral centroid in Hz of the bins up to `CENTROID_TOP_HZ` (0 for a silent frame)."""


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


@dataclass(frozen=True)
class CurveRows:
    """New frames' raw measurements, as `CurveTap.drain` hands them out: (frames,)
    power, bass and centroid (Hz), and (frames, STRUCTURE_BANDS) band powers."""

    power: np.ndarray
    bass: np.ndarray
    band_power: np.ndarray
    centroid: np.ndarray

    @staticmethod
    def join(parts: Iterable[CurveRows]) -> CurveRows:
        parts = list(parts)
        if not parts:
            return CurveRows(np.zeros(0), np.zeros(0), np.zeros((0, STRUCTURE_BANDS)), np.zeros(0))
        return CurveRows(*(np.concatenate([getattr(p, name) for p in parts])
                           for name in ("power", "bass", "band_power", "centroid")))


class CurveTap:
    """An `OnsetDetector` spectrum sink keeping every fourth frame's measurements.

    The detector's frame k ends at sample (k + 1) * detector hop; frames k = 4i + 1
    are centred at i * frame_size samples, so curve frame i sits at i * `hop` s.
    Its magnitudes are scaled so that a full-scale sine peaks near 1: half their
    squares summed is the frame's mean-square power.
    """

    STRIDE = 4

    def __init__(self, detector: OnsetDetector):
        size, rate = detector.frame_size, detector.sample_rate
        self.hop = size / rate
        self._bands = LogBands(rate, size, count=STRUCTURE_BANDS)
        weights = bass_weights(rate, size)
        self._bass = weights[:int(np.flatnonzero(weights)[-1]) + 1]  # bins 0 .. the last bass bin
        freqs = np.fft.rfftfreq(size, 1.0 / rate)
        self._freqs = freqs[freqs <= CENTROID_TOP_HZ]  # the bins the centroid weighs
        self._seen = 0  # detector frames received
        self._pending: list[CurveRows] = []
        detector.spectrum_sink = self

    def __call__(self, magnitude: np.ndarray) -> None:
        """Take the detector's next (frames, bins) magnitudes."""
        first = (1 - self._seen) % self.STRIDE
        self._seen += len(magnitude)
        squares = np.square(magnitude[first::self.STRIDE])
        if not len(squares):
            return
        total = 0.5 * squares.sum(axis=1)
        heard = squares[:, :len(self._freqs)]
        power = total if heard.shape[1] == squares.shape[1] else 0.5 * heard.sum(axis=1)
        centroid = np.where(power > POWER_FLOOR, 0.5 * (heard @ self._freqs) / np.maximum(power, POWER_FLOOR), 0.0)
        bass = 0.5 * (squares[:, :len(self._bass)] @ self._bass)
        self._pending.append(CurveRows(total, bass,
                                       0.5 * self._bands.sums(squares), centroid))

    def drain(self) -> CurveRows:
        """The frames measured since the last call."""
        rows, self._pending = CurveRows.join(self._pending), []
        return rows


def bass_weights(sample_rate: float, fft_size: int) -> np.ndarray:
    """(fft_size // 2 + 1,) weight of each bin's power in the bass: 1 from 20 Hz to
    `BASS_FULL_HZ`, falling linearly to 0 at 200 Hz (a function of the bin's centre
    in Hz, whatever the bin spacing); 0 for the DC bin."""
    low, top = BANDS_HZ["bass"]
    freqs = np.fft.rfftfreq(fft_size, 1.0 / sample_rate)
    return np.clip((top - freqs) / (top - BASS_FULL_HZ), 0.0, 1.0) * (freqs >= low)


def curves_from_rows(rows: CurveRows, hop: float) -> FrameCurves:
    """Whole-track curves: band levels clipped `BAND_RANGE_DB` below the loudest, and flux."""
    bands_db = 10.0 * np.log10(rows.band_power + POWER_FLOOR)
    if len(bands_db):
        bands_db = np.maximum(bands_db, bands_db.max() - BAND_RANGE_DB)  # rounding noise makes no flux
    flux = np.r_[0.0, np.maximum(np.diff(bands_db, axis=0), 0.0).mean(axis=1)] if len(bands_db) else np.zeros(0)
    return FrameCurves(hop, rows.power, rows.bass, bands_db, flux, rows.centroid)


def frame_curves(samples: np.ndarray, sample_rate: int) -> FrameCurves:
    """Curves of mono `samples` (n,), exactly as the rhythm pre-pass taps them."""
    detector = OnsetDetector(sample_rate)
    tap = CurveTap(detector)
    x = np.asarray(samples, np.float32).reshape(-1)
    for first in range(0, len(x), FEED_BLOCK):
        detector.process(x[first:first + FEED_BLOCK])
    return curves_from_rows(tap.drain(), tap.hop)


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


def timbre_change(curves: FrameCurves) -> Callable[[np.ndarray], np.ndarray]:
    """`beats` (s) -> (beats,) mean absolute change (dB) of the band levels from the
    beat before into each beat (0 for the first): chords and sections change on
    downbeats, so it marks them where a four-on-the-floor kick cannot."""
    def change(beats: np.ndarray) -> np.ndarray:
        if len(beats) < 2 or not len(curves.power):
            return np.zeros(len(beats))
        ends = np.r_[beats[1:], beats[-1] + (beats[-1] - beats[-2])]
        levels = interval_means(curves.bands_db, curves.hop, beats, ends)
        return np.r_[0.0, np.abs(np.diff(levels, axis=0)).mean(axis=1)]
    return change
