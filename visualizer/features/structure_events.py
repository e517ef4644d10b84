"""Drops, build-ups and breakdowns from the whole track's level curves (offline).

- A drop is a bar start where the bass over the next bar jumps clearly above the
  two bars before (`DROP_BASS_RATIO`) and what follows is near the song's high
  level and bass: a steady loop never qualifies. The overall level need not rise
  (a riser can be as loud as the drop); the two bars before must not be silent.
- A build is a run of bars that each rise over the bar before, from the bar the
  first rises over (reaching back over bars that rise by half as much): level, brightness and onset flux changes, each in units of
  its `BUILD_STEP`, sum to `BUILD_SCORE` or more (so a riser whose brightness
  has saturated still rises by its level). It needs `BUILD_MIN_RISES` rises, or
  one that resolves into a drop; one that runs into a drop ends at it; at least
  two bars long (1.75: a drop found a little before its bar start still counts).
- A breakdown is a run of at least two bars, outside builds, whose level and bass
  are both below `BREAKDOWN_FRACTION` of the song's 80th percentile (silence excluded).
"""

from __future__ import annotations

import numpy as np

from visualizer.features.structure_frames import FLUX_FLOOR, FrameCurves, TimeGrid, interval_means

DROP_BASS_RATIO = 4.0
"""Bass power over the next bar / over the two bars before (6 dB)."""
DROP_HIGH_FRACTION = 0.5
"""The bar after a drop reaches at least this share of the song's 90th-percentile bar power and bass."""
DROP_MIN_GAP_BARS = 4
BUILD_STEP = (1.0, 3.0, 1.0)
"""Unit of bar-over-bar change: level dB, brightness (centroid) semitones, flux dB."""
BUILD_SCORE = 2.0
"""Summed change (in `BUILD_STEP` units) that makes a bar rise over the one before."""
BUILD_EXTEND_SCORE = 1.0
"""A build reaches back over the bars before it that rise by at least this much (a
riser's first bars rise slowly)."""
BUILD_MIN_RISES = 2
"""Consecutive rising bars a build needs (the build spans them)."""
BREAKDOWN_FRACTION = 0.4
"""Level and bass amplitude below this share of their 80th percentile over bars."""
BREAKDOWN_MIN_BARS = 2
SILENT_FRACTION = 1e-3
"""Amplitude below this share of the 80th percentile (-60 dB) is silence, not a breakdown."""

Interval = tuple[float, float]


def find_drops(curves: FrameCurves, grid: TimeGrid) -> list[float]:
    """Drop times in seconds, sorted: bar starts (any segment start without downbeats)."""
    duration, bar = float(grid.edges[-1]), grid.bar_s
    times = grid.bar_starts if grid.snap else grid.edges[:-1]
    edges = grid.bar_edges
    high_power = float(np.percentile(interval_means(curves.power, curves.hop, edges[:-1], edges[1:]), 90))
    high_bass = float(np.percentile(interval_means(curves.bass, curves.hop, edges[:-1], edges[1:]), 90))
    if high_bass <= 0.0 or high_power <= 0.0:
        return []
    after_bass = interval_means(curves.bass, curves.hop, times, times + bar)
    before_bass = interval_means(curves.bass, curves.hop, times - 2 * bar, times)
    after_power = interval_means(curves.power, curves.hop, times, times + bar)
    before_power = interval_means(curves.power, curves.hop, times - 2 * bar, times)
    fits = (times - 2 * bar >= -0.05 * bar) & (times + bar <= duration + 0.05 * bar)
    contrast = ((after_bass > DROP_BASS_RATIO * np.maximum(before_bass, 1e-6 * high_bass))
                & (before_power > SILENT_FRACTION ** 2 * high_power))
    full = (after_bass >= DROP_HIGH_FRACTION * high_bass) & (after_power >= DROP_HIGH_FRACTION * high_power)
    score = (after_bass - before_bass) / high_bass
    chosen: list[float] = []
    for i in sorted(np.flatnonzero(fits & contrast & full), key=lambda i: -score[i]):
        if all(abs(times[i] - t) >= DROP_MIN_GAP_BARS * bar - 1e-6 for t in chosen):
            chosen.append(float(times[i]))
    return sorted(chosen)


def find_builds(curves: FrameCurves, grid: TimeGrid, drops: list[float]) -> list[Interval]:
    """Build-up intervals in seconds, sorted; one running into (or ending a bar before) a drop ends at it."""
    edges = grid.bar_edges
    if len(edges) < BUILD_MIN_RISES + 2:
        return []
    starts, stops = edges[:-1], edges[1:]
    power = interval_means(curves.power, curves.hop, starts, stops)
    level = 10.0 * np.log10(power + 1e-10)
    weighted = interval_means(curves.centroid * curves.power, curves.hop, starts, stops)
    bright = 12.0 * np.log2(weighted / np.maximum(power, 1e-10) + 1.0)  # silent frames: no darkening
    flux = 10.0 * np.log10(interval_means(curves.flux, curves.hop, starts, stops) + FLUX_FLOOR)
    score = sum(np.diff(v) / step for v, step in zip((level, bright, flux), BUILD_STEP))
    builds = []
    rising = score >= BUILD_SCORE  # rise k: bar k + 1 over bar k
    for first, last in _runs(rising):  # bars first + 1 .. last + 1 rise; bar `first` is their base
        while first > 0 and score[first - 1] >= BUILD_EXTEND_SCORE:  # a riser's slow first bars
            first -= 1
        interval = _end_at_drop(float(edges[first]), float(edges[last + 2]), drops, grid.bar_s)
        into_drop = interval[1] in drops
        long_enough = interval[1] - interval[0] >= 2 * grid.bar_s - 0.25 * grid.bar_s
        if long_enough and (last - first + 1 >= BUILD_MIN_RISES or into_drop):
            if builds and interval[0] <= builds[-1][1] + 1e-6:  # reached back to the one before: one build
                interval = (builds.pop()[0], interval[1])
            builds.append(interval)
    return builds


def _end_at_drop(start: float, end: float, drops: list[float], bar: float) -> Interval:
    """Cut the build at the first drop inside it, or stretch it to a drop within a bar after it."""
    for drop in drops:
        if start < drop <= end + bar + 1e-6:
            return start, drop
    return start, end


def find_breakdowns(curves: FrameCurves, grid: TimeGrid, builds: list[Interval]) -> list[Interval]:
    """Breakdown intervals in seconds, sorted (bar-aligned)."""
    edges = grid.bar_edges
    starts, stops = edges[:-1], edges[1:]
    level = np.sqrt(interval_means(curves.power, curves.hop, starts, stops))
    bass = np.sqrt(interval_means(curves.bass, curves.hop, starts, stops))
    if len(level) < BREAKDOWN_MIN_BARS:
        return []
    level_high, bass_high = np.percentile(level, 80), np.percentile(bass, 80)
    middles = 0.5 * (starts + stops)
    in_build = np.array([any(a <= m < b for a, b in builds) for m in middles], bool)
    low = ((level < BREAKDOWN_FRACTION * level_high) & (bass < BREAKDOWN_FRACTION * bass_high)
           & (level > SILENT_FRACTION * level_high) & ~in_build)
    return [(float(starts[a]), float(stops[b])) for a, b in _runs(low) if b - a + 1 >= BREAKDOWN_MIN_BARS]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) indices of each run of True in a 1-D mask."""
    padded = np.r_[False, mask, False].astype(np.int8)
    change = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1) for a, b in zip(change[::2], change[1::2])]
