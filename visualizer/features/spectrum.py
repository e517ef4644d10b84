"""Spectra of one analysis window: the Shadertoy row and the `bands` levels
(bands themselves are defined in `features.bands`)."""

from __future__ import annotations

import math

import numpy as np

from visualizer.features.bands import LogBands
from visualizer.features.frame import BAND_COUNT, TEXTURE_WIDTH


def fft_size_for(sample_rate: float) -> int:
    """2048 at 44.1/48 kHz, scaled up so 512 bins always span about 0-11 kHz."""
    return 2048 * 2 ** max(0, math.ceil(math.log2(sample_rate / 48000.0)))


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


class BandLevels:
    """The `bands` row: `BAND_COUNT` log-spaced band levels, 0..1, dB below a slowly
    decaying overall peak.

    A band at the recent loudest band's level reads 1; `range_db` below it, 0.
    So quiet and loud tracks fill the bands alike.
    """

    def __init__(self, sample_rate: float, fft_size: int, dt: float, release: float = 6.0,
                 range_db: float = 60.0, floor_db: float = -100.0):
        self.bands = LogBands(sample_rate, fft_size, count=BAND_COUNT)
        self.decay_db = 20.0 * math.log10(math.e) * dt / release  # dB per frame
        self.range_db, self.floor_db = range_db, floor_db
        self.peak_db = floor_db + range_db

    def powers(self, power: np.ndarray) -> np.ndarray:
        """Band powers (frames, BAND_COUNT) from bin powers (frames, bins)."""
        return self.bands.sums(power * 4.0)

    def step(self, band_power: np.ndarray) -> np.ndarray:
        """This frame's band levels from its band powers (BAND_COUNT,)."""
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
