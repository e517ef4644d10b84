"""Section boundaries by novelty (Foote 2000) on beat-synchronous features.

Segment features are z-normalised, compared by cosine in a self-similarity
matrix, and a Gaussian-tapered checkerboard kernel slid along its diagonal
scores how much the music before each segment differs from the music after
it. Peaks above an adaptive threshold, at least a minimum section apart, are
the boundaries, snapped to the nearest downbeat when there are downbeats.
`fit_to_events` then reconciles them with the builds and drops: a drop starts a
section, and a build that runs into a drop is one section (its own rise is not
a boundary), starting on a phrase (a multiple of `PHRASE_BARS`) before the drop.
"""

from __future__ import annotations

import numpy as np

from visualizer.features.structure_events import Interval
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
"""Novelty (the steadier side's within-block minus cross-block cosine, 0..2) a boundary needs at least."""
NOVELTY_DELTA = 0.1
"""How far a boundary's novelty must rise above the local median."""
MEDIAN_REACH_BARS = 8
"""The local median of the novelty is taken over this many bars each side."""
EARLY_BARS = 0.25
"""A boundary or build start up to this many bars off a bar start still counts as on it."""
PHRASE_BARS = 4
"""Sections in dance music span multiples of this many bars: among a build's possible
starts, the one a whole number of phrases before its drop is taken."""
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
    half / 2): the weighted mean cosine similarity within the more homogeneous of
    the past and the future, minus that across them. A boundary is where a steady
    part starts or ends: the side next to it may change all along (a build-up, a
    riser), which the mean of both sides (Foote's kernel) scores as no boundary
    (the demo's groove into its full section, a verse into a build). Each quadrant is averaged on its own, so a
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
        within = np.maximum(_quadrant(block, wp, wp), _quadrant(block, wf, wf))
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
    max(NOVELTY_FLOOR, local median over MEDIAN_REACH_BARS each side + NOVELTY_DELTA)."""
    near = np.nanmax(_sliding(novelty, per_bar), axis=1)
    maxima = np.flatnonzero((novelty >= near) & (novelty > NOVELTY_FLOOR))
    reach, n = MEDIAN_REACH_BARS * per_bar, len(novelty)
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
    gap = (MIN_SECTION_BARS - EARLY_BARS) * grid.bar_s
    chosen: list[float] = []
    for i in sorted(candidates, key=lambda c: -novelty[c]):
        t = float(grid.edges[i])
        if grid.snap:
            t = float(grid.bar_starts[np.argmin(np.abs(grid.bar_starts - t))])
        if t >= gap and duration - t >= gap and all(abs(t - c) >= gap for c in chosen):
            chosen.append(t)
    return sorted(chosen)


def fit_to_events(boundaries: list[float], builds: list[Interval], drops: list[float],
                  grid: TimeGrid) -> tuple[list[float], list[Interval]]:
    """Inner boundaries and builds (s, sorted) made consistent with the drops: each
    drop is a boundary; a build that ends at a drop is one section, starting at its
    own start or at a boundary from `MIN_SECTION_BARS` before it to inside it,
    whichever lies closest to a whole number of `PHRASE_BARS` before the drop (the
    build's first bars rise slowly, and a build entering after a break rises
    over the break's last bar: its measured start can be a bar or two off). Phrases
    are counted only where the drop is a grid beat: off the grid (a grid at the
    wrong tempo) bars mean nothing, and the build keeps its own start."""
    bar, duration = grid.bar_s, float(grid.edges[-1])
    gap = (MIN_SECTION_BARS - EARLY_BARS) * bar
    fitted, events, result = list(boundaries), list(drops), []
    for start, end in builds:
        if end not in drops:
            result.append((start, end))
            continue
        counted = _on_grid(end, grid)  # off the grid (at a wrong tempo) bars cannot be counted
        near = [b for b in fitted if start - (MIN_SECTION_BARS + EARLY_BARS) * bar <= b <= end - gap]
        begin = min([start, *near], key=lambda b: (round(_phrase_error((end - b) / bar) * 4) if counted else 0,
                                                   abs(b - start)))
        fitted = [b for b in fitted if not begin < b < end]
        events.append(begin)
        result.append((begin, end))
    kept: list[float] = []
    for b in sorted(set(events)) + sorted(fitted):  # a drop or a build's start outranks a novelty peak
        if gap <= b <= duration - gap and all(abs(b - k) >= gap for k in kept):
            kept.append(b)
    return sorted(kept), result


def _on_grid(time: float, grid: TimeGrid) -> bool:
    """Whether `time` (s) is one of the grid's beats (and the grid has real downbeats)."""
    return grid.snap and bool(np.any(np.abs(grid.edges - time) < 1e-9))


def _phrase_error(bars: float) -> float:
    """Bars from `bars` to the nearest whole number of `PHRASE_BARS` (0..PHRASE_BARS / 2)."""
    rest = bars % PHRASE_BARS
    return min(rest, PHRASE_BARS - rest)
