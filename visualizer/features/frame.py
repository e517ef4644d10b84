"""The per-frame audio features: one immutable value handed to the renderer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TEXTURE_WIDTH = 512
"""Bins in each row of the Shadertoy audio texture."""


@dataclass(frozen=True)
class FrameFeatures:
    """What the music is doing at one video frame.

    Levels are 0..1 after adaptive gain and attack/release smoothing.
    `spectrum` is (512,) float32 in 0..1 (dB-scaled, -100..-30 dBFS like
    WebAudio's AnalyserNode, as Shadertoy presents it); `waveform` is (512,)
    float32 in 0..1 with 0.5 for silence.
    """

    time: float
    level: float
    bass: float
    mid: float
    high: float
    spectrum: np.ndarray
    waveform: np.ndarray

    @classmethod
    def silent(cls, time: float = 0.0) -> FrameFeatures:
        zeros = np.zeros(TEXTURE_WIDTH, np.float32)
        return cls(time, 0.0, 0.0, 0.0, 0.0, zeros, np.full(TEXTURE_WIDTH, 0.5, np.float32))

    def audio_texture(self) -> np.ndarray:
        """The Shadertoy audio texture, (2, 512) float32: row 0 spectrum, row 1 waveform."""
        return np.stack([self.spectrum, self.waveform]).astype(np.float32, copy=False)
