"""Frequency bands, defined once: the bass / mid / high edges and the log-spaced filterbank.

The levels (`bass`, `mid`, `high`, presence, MilkDrop's relative levels), the
`bands` texture and the onset detector's per-band hits all read their bands
from here, so `uBass` and `uBassHit` measure the same part of the spectrum.
docs/audio.md explains the choice of edges.
"""

from __future__ import annotations

import math

import numpy as np

BANDS_HZ: dict[str, tuple[float, float]] = {
    "bass": (20.0, 200.0),
    "mid": (200.0, 4000.0),
    "high": (4000.0, 16000.0),
}
"""The three bands, [low, high) in Hz: kick and bass line; snare body, voice and
chords; hats, cymbals and air. Above 16 kHz lossy codecs leave little but noise."""
LOG_RANGE_HZ = (30.0, 16000.0)
"""Span of the `bands` texture's log-spaced bands, capped at 0.45 x the sample rate.
The onset detector's bands instead cover exactly the bins of `band_bins`."""


def band_bins(sample_rate: float, fft_size: int) -> dict[str, slice]:
    """FFT bin ranges of the bass / mid / high bands: the bins whose centre lies in the
    band, up to the Nyquist bin (empty for a band above it)."""
    hz_per_bin = sample_rate / fft_size
    last = fft_size // 2 + 1
    bins = {}
    for name, (low, high) in BANDS_HZ.items():
        stop = min(last, math.ceil(high / hz_per_bin))
        bins[name] = slice(min(stop, max(1, math.ceil(low / hz_per_bin))), stop)
    return bins


def band_matrix(sample_rate: float, fft_size: int) -> np.ndarray:
    """(3, fft_size // 2 + 1) 0/1 weights selecting the bass, mid and high bins."""
    matrix = np.zeros((len(BANDS_HZ), fft_size // 2 + 1), np.float32)
    for row, bins in enumerate(band_bins(sample_rate, fft_size).values()):
        matrix[row, bins] = 1.0
    return matrix


def band_amplitudes(power: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Root of each band's summed power, (frames, 3) from power (frames, bins):
    a full-scale sine in a band reads about 1."""
    return np.sqrt(power @ matrix.T) * 2.0


class LogBands:
    """Log-spaced bands over the bins of one `fft_size`-point FFT at `sample_rate` Hz.

    A bin belongs to the band holding its centre frequency. With `count` (the
    `bands` texture), exactly `count` bands run geometrically over `LOG_RANGE_HZ`
    and one narrower than a bin takes the bin nearest its centre. With
    `per_octave` instead (the onset detector's flux), the bins of each of
    `band_bins` (bass, mid, high) are grouped by 1/per_octave octave above that
    band's low edge, so no log band straddles a band edge and the hits hear
    exactly the bins the levels do. Band b sums bins `starts[b]:stops[b]`.
    """

    def __init__(self, sample_rate: float, fft_size: int, *, count: int | None = None,
                 per_octave: int = 12) -> None:
        hz_per_bin = sample_rate / fft_size
        if count is None:
            self.starts, self.stops = _octave_ranges(sample_rate, fft_size, per_octave)
        else:
            low, high = LOG_RANGE_HZ[0], min(LOG_RANGE_HZ[1], 0.45 * sample_rate)
            edges = np.geomspace(low, high, count + 1) / hz_per_bin  # in bins
            self.starts, self.stops = _fixed_ranges(edges, fft_size // 2)
        self.counts = self.stops - self.starts
        self.count = len(self.starts)
        self.centres_hz = (self.starts + (self.counts - 1) / 2.0) * hz_per_bin
        """Mean frequency (Hz) of each band's bins, (count,)."""
        bounds = np.ravel(np.column_stack([self.starts, self.stops]))
        self._bounds = bounds[:-1] if bounds[-1] > fft_size // 2 else bounds  # last: to the end

    def sums(self, values: np.ndarray) -> np.ndarray:
        """(frames, fft_size // 2 + 1) -> (frames, count): each band's bins summed
        (row by row, so a frame's result never depends on the other frames)."""
        return np.add.reduceat(values, self._bounds, axis=1)[:, ::2]

    def membership(self) -> np.ndarray:
        """(count, 3) 0/1: which of `BANDS_HZ` (bass, mid, high) holds each band's centre."""
        return np.stack([(self.centres_hz >= lo) & (self.centres_hz < hi)
                         for lo, hi in BANDS_HZ.values()], axis=1).astype(np.float64)


def _octave_ranges(sample_rate: float, fft_size: int,
                   per_octave: int) -> tuple[np.ndarray, np.ndarray]:
    """The bins of each of `band_bins`, grouped by 1/per_octave octave above the
    band's low edge (`BANDS_HZ`); bands without a bin dropped."""
    hz_per_bin = sample_rate / fft_size
    starts, stops = [], []
    for (low, _high), bins in zip(BANDS_HZ.values(), band_bins(sample_rate, fft_size).values()):
        inside = np.arange(bins.start, bins.stop)
        index = np.floor(per_octave * np.log2(inside * hz_per_bin / low))
        first = inside[np.r_[True, index[1:] != index[:-1]]] if len(inside) else inside
        starts.append(first)
        stops.append(np.r_[first[1:], bins.stop] if len(inside) else first)
    if not any(len(first) for first in starts):  # a rate too low for any band: one bin
        return np.array([fft_size // 4]), np.array([fft_size // 4 + 1])
    return np.concatenate(starts).astype(np.int64), np.concatenate(stops).astype(np.int64)


def _fixed_ranges(edges: np.ndarray, nyquist_bin: int) -> tuple[np.ndarray, np.ndarray]:
    """Bins whose centre lies in [edges[b], edges[b + 1]) (in bins); a band with
    none takes the bin nearest its geometric centre."""
    first = np.minimum(np.ceil(edges[:-1]), nyquist_bin).astype(np.int64)
    last = np.minimum(np.ceil(edges[1:]), nyquist_bin + 1).astype(np.int64)
    empty = last <= first
    nearest = np.minimum(np.rint(np.sqrt(edges[:-1] * edges[1:])), nyquist_bin).astype(np.int64)
    starts = np.where(empty, nearest, first)
    return starts, np.where(empty, nearest + 1, last)
