"""The per-frame audio features: one immutable value handed to the renderer.

docs/audio.md documents every field with its range and its uniform name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from visualizer.features.structure_fields import NO_DROP_S

TEXTURE_WIDTH = 512
"""Bins in each row of the Shadertoy audio texture."""
BAND_COUNT = 64
"""Log-spaced bands in `bands` and each spectrogram row."""
HISTORY_FRAMES = 128
"""Rows (frames, newest first) in the spectrogram history."""
DEFAULT_BEATS_PER_BAR = 4
"""The meter when nothing says otherwise: beats from one downbeat to the next."""


def _zeros(*shape: int) -> np.ndarray:
    return np.zeros(shape, np.float32)


@dataclass(frozen=True)
class FrameFeatures:
    """What the music is doing at one video frame (`time`, seconds).

    Levels, pulses, phases, presence and intensity are 0..1; `bar_phase` runs
    over a bar of `beats_per_bar` beats (the meter the rhythm carries); the
    MilkDrop-style `bass_rel`..`treb_att` are about 1.0 on average. Arrays are float32:
    `spectrum` (512,) and `waveform` (512,) are the Shadertoy texture rows
    (waveform 0.5 = silence), `bands` (64,) log-spaced 30 Hz-16 kHz, and
    `spectrogram` (128, 64) the recent `bands`, newest row first. The song's
    structure: `build`, `breakdown` and `section_phase` 0..1, the `drop` and
    `section_change` pulses, `since_drop` seconds (NO_DROP_S before the first
    drop) and the counts `drop_count` and `section` (from 0).
    """

    time: float
    level: float = 0.0
    bass: float = 0.0
    mid: float = 0.0
    high: float = 0.0
    bass_rel: float = 0.0
    mid_rel: float = 0.0
    treb_rel: float = 0.0
    bass_att: float = 0.0
    mid_att: float = 0.0
    treb_att: float = 0.0
    onset_strength: float = 0.0
    onset: float = 0.0
    bass_hit: float = 0.0
    mid_hit: float = 0.0
    high_hit: float = 0.0
    tempo_bpm: float = 0.0
    tempo_confidence: float = 0.0
    beat_phase: float = 0.0
    beat_count: int = 0
    bar_phase: float = 0.0
    beats_per_bar: int = DEFAULT_BEATS_PER_BAR
    beat_pulse: float = 0.0
    intensity: float = 0.0
    bass_presence: float = 0.0
    mid_presence: float = 0.0
    high_presence: float = 0.0
    build: float = 0.0
    drop: float = 0.0
    since_drop: float = NO_DROP_S
    drop_count: int = 0
    breakdown: float = 0.0
    section: int = 0
    section_change: float = 0.0
    section_phase: float = 0.0
    spectrum: np.ndarray = field(default_factory=lambda: _zeros(TEXTURE_WIDTH))
    waveform: np.ndarray = field(default_factory=lambda: np.full(TEXTURE_WIDTH, 0.5, np.float32))
    bands: np.ndarray = field(default_factory=lambda: _zeros(BAND_COUNT))
    spectrogram: np.ndarray = field(default_factory=lambda: _zeros(HISTORY_FRAMES, BAND_COUNT))

    @classmethod
    def silent(cls, time: float = 0.0) -> FrameFeatures:
        return cls(time)

    def audio_texture(self) -> np.ndarray:
        """The Shadertoy audio texture, (2, 512) float32: row 0 spectrum, row 1 waveform."""
        return np.stack([self.spectrum, self.waveform]).astype(np.float32, copy=False)


_UNIT = (0.0, 1.0)
_MILKDROP = (0.0, 2.0)  # ~1.0 on average: the average lands at 0.5
FEATURE_RANGES: dict[str, tuple[float, float]] = {
    "level": _UNIT, "bass": _UNIT, "mid": _UNIT, "high": _UNIT,
    "bass_rel": _MILKDROP, "mid_rel": _MILKDROP, "treb_rel": _MILKDROP,
    "bass_att": _MILKDROP, "mid_att": _MILKDROP, "treb_att": _MILKDROP,
    "onset_strength": _UNIT, "onset": _UNIT,
    "bass_hit": _UNIT, "mid_hit": _UNIT, "high_hit": _UNIT,
    "beat_pulse": _UNIT, "beat_phase": _UNIT, "bar_phase": _UNIT,
    "tempo_bpm": (60.0, 180.0), "tempo_confidence": _UNIT, "intensity": _UNIT,
    "bass_presence": _UNIT, "mid_presence": _UNIT, "high_presence": _UNIT,
    "build": _UNIT, "drop": _UNIT, "since_drop": (0.0, 8.0), "drop_count": (0.0, 8.0),
    "breakdown": _UNIT, "section": (0.0, 16.0), "section_change": _UNIT, "section_phase": _UNIT,
}
"""Each scalar feature (a modulation source) and the span of it that maps onto 0..1 by default."""
