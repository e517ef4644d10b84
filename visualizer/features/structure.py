"""Offline song structure: sections, build-ups, drops and breakdowns of a whole track.

`analyse_structure` is pure numpy. With beats (and downbeats) it works on
beat-synchronous features and snaps boundaries and drops to downbeats; without,
on fixed 0.5 s frames with nominal 2 s bars and no snapping. The method:
`structure_novelty` (sections) and `structure_events` (drops, builds, breakdowns).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.features.structure_events import Interval, find_breakdowns, find_builds, find_drops
from visualizer.features.structure_frames import POWER_FLOOR, FrameCurves, frame_curves, time_grid
from visualizer.features.structure_novelty import fit_to_events, section_boundaries

MIN_BARS = 3
"""Shorter tracks (in bars) get one section and no events: too little to compare."""
MIN_DURATION_S = 1.0
"""Shorter tracks (s) get one section and no events, whatever their bars."""
ENERGY_RANGE_DB = 40.0
"""The `energy` curve spans this many dB below the track's loud level (its 95th percentile)."""
ENERGY_SMOOTHING_S = 0.5
"""Width (s) of the moving average that smooths the frame power into `energy`."""


@dataclass(frozen=True)
class SongStructure:
    """The shape of one track; every time in seconds within [0, duration], ordered."""

    duration: float
    sections: list[Interval]
    """Consecutive (start, end) covering [0, duration]."""
    builds: list[Interval]
    drops: list[float]
    breakdowns: list[Interval]
    hop: float
    """Seconds between values of the per-frame curves (value i at i * hop)."""
    energy: np.ndarray
    """(frames,) float32 smoothed level, 0..1: 1 at the track's loud level, 0 at 40 dB below."""


def analyse_structure(samples: np.ndarray, sample_rate: int, beats: np.ndarray | None = None,
                      downbeats: np.ndarray | None = None) -> SongStructure:
    """Structure of mono `samples` (n,) float32 at `sample_rate` Hz; `beats` and
    `downbeats` (s) when known (see `structure_from_curves`)."""
    samples = np.asarray(samples, np.float32).reshape(-1)
    return structure_from_curves(frame_curves(samples, sample_rate), len(samples) / float(sample_rate),
                                 beats, downbeats)


def structure_from_curves(curves: FrameCurves, duration: float, beats: np.ndarray | None = None,
                          downbeats: np.ndarray | None = None) -> SongStructure:
    """Structure of a track of `duration` s from its frame curves (the rhythm pre-pass
    taps them). Silence and tracks under 1 s or `MIN_BARS` bars give one section and
    no builds, drops or breakdowns."""
    grid = time_grid(duration, beats, downbeats)
    energy = energy_curve(curves)
    silent = not np.any(curves.power > POWER_FLOOR)
    if silent or duration < max(MIN_DURATION_S, MIN_BARS * grid.bar_s - 1e-6):
        return SongStructure(duration, [(0.0, duration)], [], [], [], curves.hop, energy)
    drops = find_drops(curves, grid)
    inner, builds = fit_to_events(section_boundaries(curves, grid), find_builds(curves, grid, drops), drops, grid)
    boundaries = [0.0, *inner, duration]
    breakdowns = find_breakdowns(curves, grid, builds)
    return SongStructure(duration, list(zip(boundaries[:-1], boundaries[1:])), builds, drops,
                         breakdowns, curves.hop, energy)


def energy_curve(curves: FrameCurves) -> np.ndarray:
    """(frames,) float32 0..1: frame power smoothed over `ENERGY_SMOOTHING_S`, in dB
    relative to its 95th percentile over `ENERGY_RANGE_DB`; all 0 for silence."""
    if not len(curves.power):
        return np.zeros(0, np.float32)
    width = max(1, int(round(ENERGY_SMOOTHING_S / curves.hop)))
    smooth = np.convolve(curves.power, np.ones(width) / width, mode="same")
    if not np.any(smooth > POWER_FLOOR):
        return np.zeros(len(smooth), np.float32)
    db = 10.0 * np.log10(np.maximum(smooth, POWER_FLOOR))
    top = float(np.percentile(db, 95))
    return np.clip((db - top) / ENERGY_RANGE_DB + 1.0, 0.0, 1.0).astype(np.float32)
