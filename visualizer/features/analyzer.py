"""The streaming analyzer: audio blocks in, one `FrameFeatures` per video frame.

Live input and offline files feed the same object; offline simply feeds the
file at the video's pace. Frame k describes stream time k / frame_rate. With
`lookahead` (offline) the analysis window is centred on that time; without
it (live) the window ends there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from visualizer.features.frame import TEXTURE_WIDTH, FrameFeatures
from visualizer.features.smoothing import AdaptiveGain, AttackRelease

BANDS_HZ: dict[str, tuple[float, float]] = {
    "bass": (20.0, 250.0),
    "mid": (250.0, 4000.0),
    "high": (4000.0, 16000.0),
}


@dataclass(frozen=True)
class AnalyzerConfig:
    """Tuning of the analyzer; times in seconds, levels in dBFS."""

    spectrum_smoothing: float = 0.8  # WebAudio AnalyserNode's smoothingTimeConstant
    min_db: float = -100.0
    max_db: float = -30.0
    attack: float = 0.008
    release: float = 0.15
    gain_release: float = 6.0
    silence_db: float = -60.0
    lookahead: bool = True


def fft_size_for(sample_rate: float) -> int:
    """2048 at 44.1/48 kHz, scaled up so 512 bins always span about 0-11 kHz."""
    return 2048 * 2 ** max(0, math.ceil(math.log2(sample_rate / 48000.0)))


class StreamingAnalyzer:
    """Feeds on mono or multichannel float blocks; emits frames as time allows."""

    def __init__(self, sample_rate: float, frame_rate: float, config: AnalyzerConfig | None = None):
        self.sample_rate = float(sample_rate)
        self.frame_rate = float(frame_rate)
        self.config = config or AnalyzerConfig()
        self.fft_size = fft_size_for(sample_rate)
        self.lookahead = self.fft_size // 2 if self.config.lookahead else 0
        self._window = np.blackman(self.fft_size).astype(np.float32)
        self._band_bins = _band_bins(self.sample_rate, self.fft_size)
        self._buffer = np.zeros(self.fft_size, np.float32)  # samples ending at _buffer_end
        self._buffer_end = 0  # absolute index one past the last sample fed
        self._frame = 0
        self._spectrum = np.zeros(self.fft_size // 2 + 1, np.float32)
        dt = 1.0 / self.frame_rate
        floor = 10.0 ** (self.config.silence_db / 20.0)
        self._gains = {name: AdaptiveGain(self.config.gain_release, dt, floor) for name in _LEVELS}
        self._smooth = {name: AttackRelease(self.config.attack, self.config.release, dt) for name in _LEVELS}

    @property
    def frames_emitted(self) -> int:
        return self._frame

    def frame_end_sample(self, frame: int) -> int:
        """Absolute sample index at which frame `frame` can be computed."""
        return round(frame * self.sample_rate / self.frame_rate) + self.lookahead

    def feed(self, block: np.ndarray) -> list[FrameFeatures]:
        """Add samples, shape (n,) or (n, channels); return the frames now complete."""
        mono = _mono(block)
        self._buffer = np.concatenate([self._buffer, mono])
        self._buffer_end += len(mono)
        frames = []
        while self.frame_end_sample(self._frame) <= self._buffer_end:
            frames.append(self._analyse(self._frame))
            self._frame += 1
        keep = self._buffer_end - self.frame_end_sample(self._frame) + self.fft_size
        self._buffer = self._buffer[-max(keep, self.fft_size):]
        return frames

    def _window_at(self, end: int) -> np.ndarray:
        """The `fft_size` samples ending at absolute index `end`."""
        offset = len(self._buffer) - (self._buffer_end - end)
        return self._buffer[offset - self.fft_size: offset]

    def _analyse(self, frame: int) -> FrameFeatures:
        end = self.frame_end_sample(frame)
        samples = self._window_at(end)
        hop = max(1, round(self.sample_rate / self.frame_rate))
        centre = self.fft_size - self.lookahead
        recent = samples[max(0, centre - hop): centre]
        magnitude = np.abs(np.fft.rfft(samples * self._window)) / self.fft_size
        raw = {
            "level": float(np.sqrt(np.mean((recent - recent.mean()) ** 2))),
            **{name: _band_amplitude(magnitude, bins) for name, bins in self._band_bins.items()},
        }
        levels = {name: self._smooth[name].step(self._gains[name].step(raw[name])) for name in _LEVELS}
        return FrameFeatures(
            time=frame / self.frame_rate,
            spectrum=self._shadertoy_spectrum(magnitude),
            waveform=np.clip(0.5 + 0.5 * samples[centre - TEXTURE_WIDTH: centre], 0.0, 1.0),
            **levels,
        )

    def _shadertoy_spectrum(self, magnitude: np.ndarray) -> np.ndarray:
        """Smoothed magnitudes in dB, scaled to 0..1 over [min_db, max_db]; (512,)."""
        tau = self.config.spectrum_smoothing
        self._spectrum = tau * self._spectrum + (1.0 - tau) * magnitude
        db = 20.0 * np.log10(np.maximum(self._spectrum[:TEXTURE_WIDTH], 1e-12))
        scaled = (db - self.config.min_db) / (self.config.max_db - self.config.min_db)
        return np.clip(scaled, 0.0, 1.0).astype(np.float32)


_LEVELS = ("level", *BANDS_HZ)


def _mono(block: np.ndarray) -> np.ndarray:
    """Mix down to mono float32; non-finite samples become 0, the rest clip to +-4."""
    samples = np.asarray(block, dtype=np.float32)
    if samples.ndim == 2:
        samples = samples.mean(axis=1) if samples.shape[1] else np.zeros(len(samples), np.float32)
    samples = np.nan_to_num(samples.reshape(-1), nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(samples, -4.0, 4.0)


def _band_bins(sample_rate: float, fft_size: int) -> dict[str, slice]:
    hz_per_bin = sample_rate / fft_size
    nyquist_bin = fft_size // 2
    bins = {}
    for name, (low, high) in BANDS_HZ.items():
        start = min(nyquist_bin, max(1, math.ceil(low / hz_per_bin)))
        stop = min(nyquist_bin + 1, max(start + 1, math.floor(high / hz_per_bin) + 1))
        bins[name] = slice(start, stop)
    return bins


def _band_amplitude(magnitude: np.ndarray, bins: slice) -> float:
    """Root of the band's summed power, in the same units as the level."""
    return float(np.sqrt(np.sum(magnitude[bins] ** 2)) * 2.0)
