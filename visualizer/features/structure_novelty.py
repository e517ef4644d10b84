"""Section boundaries by novelty (Foote 2000) on beat-synchronous features.

Segment features are z-normalised, compared by cosine in a self-similarity
matrix, and a Gaussian-tapered checkerboard kernel slid along its diagonal
scores how much the music before each segment differs from the music after
it. Peaks above an adaptive threshold, at least a minimum section apart, are
the boundaries, snapped to the nearest downbeat when there are downbeats.
"""

from __future__ import annotations

import numpy as np

from visualizer.features.structure_frames import FLUX_FLOOR, FrameCurves, TimeGrid, interval_means

KERNEL_BARS = 8
"""Full width of the checkerboard kernel in bars (half before the boundary, half after)."""
MIN_SECTION_BARS = 4
"""No section shorter than this (bars), the first and last included."""
STD_FLOOR_DB = 2.0
"""Feature spread (dB) below which a feature's variation is treated as noise, not structure."""
NORM_FLOOR = 0.5
"""Per-dimension z-score below which a segment's vector is too faint to point anywhere."""
NOVELTY_FLOOR = 0.25
"""Novelty (mean within-block minus cross-block cosine, 0..2) a boundary needs at least."""
NOVELTY_DELTA = 0.1
"""How far a boundary's novelty must rise above the local median."""


def segment_features(curves: FrameCurves, grid: TimeGrid) -> np.ndarray:
    """(segments, STRUCTURE_BANDS + 2) per-segment means of the band levels, the bass
    level and the flux, all in dB, z-normalised with a `STD_FLOOR_DB` spread floor."""
    bass_db = 10.0 * np.log10(curves.bass + 1e-10)
    flux_db = 10.0 * np.log10(curves.flux + FLUX_FLOOR)
    frame = np.column_stack([curves.bands_db, bass_db, flux_db])
    seg = interval_means(frame, curves.hop, grid.edges[:-1], grid.edges[1:])
    spread = np.maximum(seg.std(axis=0), STD_FLOOR_DB)
    return (seg - seg.mean(axis=0)) / spread


def self_similarity(features: np.ndarray) -> np.ndarray:
    """(n, n) cosine similarity of the rows of `features` (n, d); a row fainter than
    `NORM_FLOOR` per dimension is not stretched to unit length, so it matches little."""
    floor = NORM_FLOOR * np.sqrt(features.shape[1])
    unit = features / np.maximum(np.linalg.norm(features, axis=1), floor)[:, None]
    return unit @ unit.T


def checkerboard_novelty(ssm: np.ndarray, half: int) -> np.ndarray:
    """(n,) novelty of a boundary just before each segment, 0 at segment 0.

    Inside a window of `half` segments each side, tapered by a Gaussian (sigma =
    half / 2): the weighted mean similarity within the past and within the future,
    minus that across them. Each quadrant is averaged on its own, so a kernel cut
    short at the track's ends stays balanced.
    """
    n = len(ssm)
    offsets = np.arange(-half, half) + 0.5
    taper = np.exp(-0.5 * (offsets / (0.5 * half)) ** 2)
    novelty = np.zeros(n)
    for i in range(1, n):
        lo, hi = max(0, i - half), min(n, i + half)
        w = taper[lo - (i - half):hi - (i - half)]
        past, future = slice(0, i - lo), slice(i - lo, hi - lo)
        block, weights = ssm[lo:hi, lo:hi], np.outer(w, w)
        within = 0.5 * (_weighted(block[past, past], weights[past, past])
                        + _weighted(block[future, future], weights[future, future]))
        novelty[i] = within - _weighted(block[past, future], weights[past, future])
    return novelty


def _weighted(values: np.ndarray, weights: np.ndarray) -> float:
    return float((values * weights).sum() / weights.sum())


def section_boundaries(curves: FrameCurves, grid: TimeGrid) -> list[float]:
    """Inner section boundaries in seconds, sorted (the track's start and end excluded)."""
    segments = len(grid.edges) - 1
    per_bar = grid.segments_per_bar
    if segments < 2 * MIN_SECTION_BARS * per_bar:
        return []
    half = max(2, min(KERNEL_BARS * per_bar // 2, segments // 4))
    novelty = checkerboard_novelty(self_similarity(segment_features(curves, grid)), half)
    candidates = _peaks(novelty, per_bar)
    return _spaced_times(candidates, novelty, grid)


def _peaks(novelty: np.ndarray, per_bar: int) -> np.ndarray:
    """Segments whose novelty is the largest within one bar each side and above
    max(NOVELTY_FLOOR, local median over 8 bars each side + NOVELTY_DELTA)."""
    n = len(novelty)
    keep = []
    for i in range(1, n):
        near = novelty[max(0, i - per_bar):i + per_bar + 1]
        region = novelty[max(0, i - 8 * per_bar):i + 8 * per_bar + 1]
        threshold = max(NOVELTY_FLOOR, float(np.median(region)) + NOVELTY_DELTA)
        if novelty[i] >= near.max() and novelty[i] > threshold:
            keep.append(i)
    return np.array(keep, np.int64)


def _spaced_times(candidates: np.ndarray, novelty: np.ndarray, grid: TimeGrid) -> list[float]:
    """Strongest first: each candidate's time (snapped to the nearest bar start when
    the grid snaps), kept if at least a minimum section from the ends and the others."""
    duration = float(grid.edges[-1])
    gap = MIN_SECTION_BARS * grid.bar_s - 1e-6
    chosen: list[float] = []
    for i in sorted(candidates, key=lambda c: -novelty[c]):
        t = float(grid.edges[i])
        if grid.snap:
            t = float(grid.bar_starts[np.argmin(np.abs(grid.bar_starts - t))])
        if t >= gap and duration - t >= gap and all(abs(t - c) >= gap for c in chosen):
            chosen.append(t)
    return sorted(chosen)
