"""Spectra of one analysis window: the Shadertoy row, log-spaced bands, band sums."""

from __future__ import annotations

import math

import numpy as np

from visualizer.features.frame import TEXTURE_WIDTH

BANDS_HZ: dict[str, tuple[float, float]] = {
    "bass": (20.0, 250.0),
    "mid": (250.0, 4000.0),
    "high": (4000.0, 16000.0),
}
LOG_BANDS = 64
LOG_BANDS_HZ = (30.0, 16000.0)


def fft_size_for(sample_rate: float) -> int:
    """2048 at 44.1/48 kHz, scaled up so 512 bins always span about 0-11 kHz."""
    return 2048 * 2 ** max(0, math.ceil(math.log2(sample_rate / 48000.0)))


def band_bins(sample_rate: float, fft_size: int) -> dict[str, slice]:
    """FFT bin ranges of the bass / mid / high bands."""
    hz_per_bin = sample_rate / fft_size
    nyquist_bin = fft_size // 2
    bins = {}
    for name, (low, high) in BANDS_HZ.items():
        start = min(nyquist_bin, max(1, math.ceil(low / hz_per_bin)))
        stop = min(nyquist_bin + 1, max(start + 1, math.floor(high / hz_per_bin) + 1))
        bins[name] = slice(start, stop)
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


def log_band_weights(sample_rate: float, fft_size: int, count: int = LOG_BANDS) -> np.ndarray:
    """(count, fft_size // 2 + 1) weights summing power into log-spaced bands.

    Edges run geometrically over LOG_BANDS_HZ (capped below Nyquist); a band
    narrower than one bin takes the bin under its centre.
    """
    low, high = LOG_BANDS_HZ
    high = min(high, 0.45 * sample_rate)
    edges = np.geomspace(low, high, count + 1) * fft_size / sample_rate  # in bins
    weights = np.zeros((count, fft_size // 2 + 1), np.float32)
    for band in range(count):
        start, stop = edges[band], edges[band + 1]
        first, last = math.floor(start + 0.5), math.floor(stop + 0.5)
        if last <= first:
            weights[band, min(round((start + stop) / 2), fft_size // 2)] = 1.0
        else:
            weights[band, first:last] = 1.0
    return weights


class ShadertoySpectrum:
    """WebAudio-style spectrum row: smoothed magnitude in dB scaled to 0..1, (512,)."""

    def __init__(self, bins: int, smoothing: float = 0.8, min_db: float = -100.0, max_db: float = -30.0):
        self.smoothing, self.min_db, self.max_db = smoothing, min_db, max_db
        self._smoothed = np.zeros(bins, np.float32)

    def step(self, magnitude: np.ndarray) -> np.ndarray:
        self._smoothed = self.smoothing * self._smoothed + (1.0 - self.smoothing) * magnitude
        db = 20.0 * np.log10(np.maximum(self._smoothed[:TEXTURE_WIDTH], 1e-12))
        scaled = (db - self.min_db) / (self.max_db - self.min_db)
        return np.clip(scaled, 0.0, 1.0).astype(np.float32)


class LogBands:
    """Log-spaced band levels, 0..1: dB below a slowly decaying overall peak.

    A band at the recent loudest band's level reads 1; `range_db` below it, 0.
    So quiet and loud tracks fill the bands alike.
    """

    def __init__(self, sample_rate: float, fft_size: int, dt: float, release: float = 6.0,
                 range_db: float = 60.0, floor_db: float = -100.0):
        self.weights = log_band_weights(sample_rate, fft_size)
        self.decay_db = 20.0 * math.log10(math.e) * dt / release  # dB per frame
        self.range_db, self.floor_db = range_db, floor_db
        self.peak_db = floor_db + range_db

    def powers(self, power: np.ndarray) -> np.ndarray:
        """Band powers (frames, bands) from bin powers (frames, bins)."""
        return (power * 4.0) @ self.weights.T

    def step(self, band_power: np.ndarray) -> np.ndarray:
        """This frame's band levels from its band powers (bands,)."""
        db = 10.0 * np.log10(np.maximum(band_power, 1e-20))
        self.peak_db = max(float(db.max()), self.peak_db - self.decay_db, self.floor_db + self.range_db)
        return np.clip((db - (self.peak_db - self.range_db)) / self.range_db, 0.0, 1.0).astype(np.float32)


class History:
    """The last `length` band vectors, newest first: (length, bands) float32."""

    def __init__(self, length: int, bands: int):
        self._rows = np.zeros((length, bands), np.float32)

    def push(self, row: np.ndarray) -> np.ndarray:
        self._rows = np.concatenate([row[None, :], self._rows[:-1]])
        return self._rows
