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
MIN_SECTION_BARS = 2
"""No section shorter than this (bars), the first and last included."""
STD_FLOOR_DB = 2.0
"""Feature spread (dB) below which a feature's variation is treated as noise, not structure."""
NORM_FLOOR = 0.5
"""Per-dimension z-score below which a segment's vector is too faint to point anywhere."""
NOVELTY_FLOOR = 0.25
"""Novelty (mean within-block minus cross-block cosine, 0..2) a boundary needs at least."""
NOVELTY_DELTA = 0.1
"""How far a boundary's novelty must rise above the local median."""
CHUNK = 256
"""Boundaries whose kernels are evaluated in one numpy call (bounds memory on long tracks)."""


def segment_features(curves: FrameCurves, grid: TimeGrid) -> np.ndarray:
    """(segments, STRUCTURE_BANDS + 2) per-segment means of the band levels, the bass
    level and the flux, all in dB, z-normalised with a `STD_FLOOR_DB` spread floor."""
    bass_db = 10.0 * np.log10(curves.bass + 1e-10)
    flux_db = 10.0 * np.log10(curves.flux + FLUX_FLOOR)
    frame = np.column_stack([curves.bands_db, bass_db, flux_db])
    seg = interval_means(frame, curves.hop, grid.edges[:-1], grid.edges[1:])
    spread = np.maximum(seg.std(axis=0), STD_FLOOR_DB)
    return (seg - seg.mean(axis=0)) / spread


def unit_rows(features: np.ndarray) -> np.ndarray:
    """`features` (n, d) scaled to unit length, so their dot products are cosine
    similarities; a row fainter than `NORM_FLOOR` per dimension is not stretched to
    unit length, so it matches little."""
    floor = NORM_FLOOR * np.sqrt(features.shape[1])
    return features / np.maximum(np.linalg.norm(features, axis=1), floor)[:, None]


def checkerboard_novelty(unit: np.ndarray, half: int) -> np.ndarray:
    """(n,) novelty of a boundary just before each segment, 0 at segment 0, from the
    segments' `unit_rows` (n, d).

    Inside a window of `half` segments each side, tapered by a Gaussian (sigma =
    half / 2): the weighted mean cosine similarity within the past and within the
    future, minus that across them. Each quadrant is averaged on its own, so a
    kernel cut short at the track's ends stays balanced. Only the similarities
    inside each window are computed (never the n x n matrix), `CHUNK` boundaries
    per numpy call.
    """
    n = len(unit)
    offsets = np.arange(-half, half)
    taper = np.exp(-0.5 * ((offsets + 0.5) / (0.5 * half)) ** 2)
    past = offsets < 0
    novelty = np.zeros(n)
    for first in range(1, n, CHUNK):
        at = np.arange(first, min(n, first + CHUNK))
        index = at[:, None] + offsets  # (chunk, 2 half) segments around each boundary
        weight = np.where((index >= 0) & (index < n), taper, 0.0)
        rows = unit[np.clip(index, 0, n - 1)]  # (chunk, 2 half, d)
        block = rows @ rows.transpose(0, 2, 1)  # (chunk, 2 half, 2 half) similarities
        wp, wf = weight * past, weight * ~past
        within = 0.5 * (_quadrant(block, wp, wp) + _quadrant(block, wf, wf))
        novelty[at] = within - _quadrant(block, wp, wf)
    return novelty


def _quadrant(block: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(chunk,) weighted mean of each block over the weights rows x cols (each (chunk, m))."""
    total = np.einsum("cj,cjk,ck->c", rows, block, cols)
    return total / np.maximum(rows.sum(axis=1) * cols.sum(axis=1), 1e-12)


def section_boundaries(curves: FrameCurves, grid: TimeGrid) -> list[float]:
    """Inner section boundaries in seconds, sorted (the track's start and end excluded)."""
    segments = len(grid.edges) - 1
    per_bar = grid.segments_per_bar
    if segments < 2 * MIN_SECTION_BARS * per_bar:
        return []
    half = max(2, min(KERNEL_BARS * per_bar // 2, segments // 4))
    novelty = checkerboard_novelty(unit_rows(segment_features(curves, grid)), half)
    candidates = _peaks(novelty, per_bar)
    return _spaced_times(candidates, novelty, grid)


def _peaks(novelty: np.ndarray, per_bar: int) -> np.ndarray:
    """Segments (from 1) whose novelty is the largest within one bar each side and above
    max(NOVELTY_FLOOR, local median over 8 bars each side + NOVELTY_DELTA)."""
    near = np.nanmax(_sliding(novelty, per_bar), axis=1)
    maxima = np.flatnonzero((novelty >= near) & (novelty > NOVELTY_FLOOR))
    reach, n = 8 * per_bar, len(novelty)
    keep = [i for i in maxima if i > 0  # the median only where it matters: a few maxima
            and novelty[i] > np.median(novelty[max(0, i - reach):min(n, i + reach + 1)]) + NOVELTY_DELTA]
    return np.array(keep, np.int64)


def _sliding(values: np.ndarray, reach: int) -> np.ndarray:
    """(n, 2 reach + 1) windows of `values` centred on each element, NaN outside the
    track (reduce with nanmax: windows at the ends are cut short)."""
    n = len(values)
    padded = np.r_[np.full(reach, np.nan), values, np.full(reach, np.nan)]
    return np.lib.stride_tricks.sliding_window_view(padded, 2 * reach + 1)[:n]


def _spaced_times(candidates: np.ndarray, novelty: np.ndarray, grid: TimeGrid) -> list[float]:
    """Strongest first: each candidate's time (snapped to the nearest bar start when
    the grid snaps), kept if at least a minimum section from the ends and the others."""
    duration = float(grid.edges[-1])
    gap = (MIN_SECTION_BARS - 0.25) * grid.bar_s  # a bar start a little early still counts
    chosen: list[float] = []
    for i in sorted(candidates, key=lambda c: -novelty[c]):
        t = float(grid.edges[i])
        if grid.snap:
            t = float(grid.bar_starts[np.argmin(np.abs(grid.bar_starts - t))])
        if t >= gap and duration - t >= gap and all(abs(t - c) >= gap for c in chosen):
            chosen.append(t)
    return sorted(chosen)
