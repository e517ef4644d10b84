"""Frames the per-preset tests read: moments and windows of the demo track, and a
steady groove to hold while one feature changes. Images are (height, width, 3)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from visualizer.api import Renderer
from visualizer.audio.demo import demo_track_path
from visualizer.features.frame import FrameFeatures


def demo_moments(renderer: Renderer, moments: dict[str, float]) -> dict[str, np.ndarray]:
    """One float64 frame at each named time (seconds) of the demo, each an exact start."""
    found = {}
    for name, time in moments.items():
        (_, image), = list(renderer.frames(demo_track_path(), start=time, seconds=1.0 / renderer.fps))
        found[name] = image.astype(np.float64)
    return found


def demo_window(renderer: Renderer, start: float, seconds: float) -> list[tuple[int, np.ndarray]]:
    """(frame number, int16 image) for each frame of the demo from `start` for `seconds`."""
    return [(round(time * renderer.fps), image.astype(np.int16))
            for time, image in renderer.frames(demo_track_path(), start=start, seconds=seconds)]


GROOVE = dict(level=0.5, bass=0.5, tempo_bpm=120.0, tempo_confidence=1.0, intensity=0.8,
              beat_count=12, beat_phase=0.4, bar_phase=0.6)
"""A steady groove at 120 BPM, mid-beat, as FrameFeatures fields."""


def groove(time: float, base: dict[str, float] = GROOVE, **values: float) -> FrameFeatures:
    """The features `base` (field -> value; the steady groove unless given) at `time`,
    with `values` changed."""
    return replace(FrameFeatures.silent(time), **{**base, **values})
