"""Drops, build-ups and breakdowns from the whole track's level curves (offline).

- A drop is a bar start where the bass over the next bar jumps clearly above the
  two bars before (`DROP_BASS_RATIO`) and what follows is near the song's high
  level and bass: a steady loop never qualifies. The overall level need not rise
  (a riser can be as loud as the drop); the two bars before must not be silent.
- A build is a run of bars that each rise over the bar before, from the bar the
  first rises over (reaching back over bars that rise by half as much): level, brightness and onset flux changes, each in units of
  its `BUILD_STEP`, sum to `BUILD_SCORE` or more (so a riser whose brightness
  has saturated still rises by its level). It needs `BUILD_MIN_RISES` rises, or
  one of `BUILD_JUMP_SCORE` that resolves into a drop; one that runs into a drop ends at it; at least
  `BUILD_MIN_BARS` long.
  Builds at most `BUILD_MERGE_GAP_BARS` apart are one.
- A breakdown is a run of at least two bars, outside builds, whose bass is below
  `BREAKDOWN_FRACTION` and level below `BREAKDOWN_LEVEL_FRACTION` of the song's
  running level (silence excluded): of the loudest bar before it and of the
  loudest after it, each capped at the song's 80th percentile. A dip, then: an intro (nothing louder
  before it) and an outro (nothing louder after it) are not breakdowns.
"""

from __future__ import annotations

import numpy as np

from visualizer.features.structure_frames import FLUX_FLOOR, POWER_FLOOR, FrameCurves, TimeGrid, interval_means

DROP_BASS_RATIO = 4.0
"""Bass power over the next bar / over the two bars before (6 dB)."""
DROP_HIGH_FRACTION = 0.5
"""The bar after a drop reaches at least this share of the song's 90th-percentile bar power and bass."""
DROP_BEFORE_BARS = 2
"""A drop's bass is compared with the mean over this many bars before it."""
DROP_MIN_GAP_BARS = 4
"""Drops at least this many bars apart (a phrase): of closer candidates the larger bass jump is kept."""
DROP_SNAP_FRAMES = 2.0
"""A drop's bass onset within this many curve frames of a grid beat takes the beat's time."""
BUILD_STEP = (1.0, 3.0, 1.0)
"""Unit of bar-over-bar change: level dB, brightness (centroid) semitones, flux dB."""
BUILD_SCORE = 2.0
"""Summed change (in `BUILD_STEP` units) that makes a bar rise over the one before."""
BUILD_EXTEND_SCORE = 1.0
"""A build reaches back over the bars before it that rise by at least this much (a
riser's first bars rise slowly); they are no rises (`BUILD_MIN_RISES`): a pad's
chord changes before a verse's entry are not a build."""
BUILD_MIN_RISES = 2
"""Consecutive rising bars a build needs (the build spans them)."""
BUILD_JUMP_SCORE = 2.0 * BUILD_SCORE
"""A single rise into a drop is a build only when it rises this much (a riser over
one bar); an ordinary one is bar-to-bar variation (a quiet pad's chord change)."""
BUILD_MIN_BARS = 1.75
"""A build spans at least this many bars (two, less a quarter: a drop found a little
before its bar start still ends a two-bar build)."""
BUILD_MERGE_GAP_BARS = 1
"""Builds this many bars apart or less are one build with a dip in its rise (a riser
whose level steps down as its snare roll doubles)."""
BREAKDOWN_FRACTION = 0.4
"""A breakdown's bass amplitude is below this share of the running bass (-8 dB)."""
BREAKDOWN_LEVEL_FRACTION = 0.7
"""... and its level (amplitude) below this share of the running level (-3 dB), as
live (`structure_live_rules.LIVE_BREAKDOWN_LEVEL`): a break that drops the bass and
the drums but keeps its pads is a few dB quieter, not 8."""
BREAKDOWN_MIN_BARS = 2
"""A breakdown is at least this many consecutive low bars (one low bar is a fill)."""
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
    before = times - DROP_BEFORE_BARS * bar
    before_bass = interval_means(curves.bass, curves.hop, before, times)
    after_power = interval_means(curves.power, curves.hop, times, times + bar)
    before_power = interval_means(curves.power, curves.hop, before, times)
    fits = (before >= -0.05 * bar) & (times + bar <= duration + 0.05 * bar)  # a 5% short bar still fits
    contrast = ((after_bass > DROP_BASS_RATIO * np.maximum(before_bass, 1e-6 * high_bass))
                & (before_power > SILENT_FRACTION ** 2 * high_power))
    full = (after_bass >= DROP_HIGH_FRACTION * high_bass) & (after_power >= DROP_HIGH_FRACTION * high_power)
    score = (after_bass - before_bass) / high_bass
    chosen: list[float] = []
    for i in sorted(np.flatnonzero(fits & contrast & full), key=lambda i: -score[i]):
        if all(abs(times[i] - t) >= DROP_MIN_GAP_BARS * bar - 1e-6 for t in chosen):
            chosen.append(float(times[i]))
    return sorted(bass_onset(curves, grid, t) for t in chosen)


def bass_onset(curves: FrameCurves, grid: TimeGrid, near: float) -> float:
    """Seconds of the bass onset within half a bar of `near` (s): the frame where the
    mean bass over the next beat most exceeds that over the beat before, then the
    steepest one-frame bass rise (in dB) within `DROP_SNAP_FRAMES` + 1 frames of it (the
    attack: a side-chained bass swells after it), as the time its frame starts; a
    grid beat within `DROP_SNAP_FRAMES` frames of that instead."""
    hop, bass = curves.hop, curves.bass
    width = max(1, int(round(grid.bar_s / grid.segments_per_bar / hop)))
    first = max(width, int(np.ceil((near - 0.5 * grid.bar_s) / hop)))
    last = min(len(bass) - width, int(np.floor((near + 0.5 * grid.bar_s) / hop)))
    if last < first:
        return near
    total = np.r_[0.0, np.cumsum(bass)]
    frames = np.arange(first, last + 1)
    jump = (total[frames + width] - 2.0 * total[frames] + total[frames - width]) / width
    coarse = int(frames[int(np.argmax(jump))])
    reach = int(DROP_SNAP_FRAMES) + 1
    attack = np.arange(max(1, coarse - reach), min(len(bass), coarse + reach + 1))
    level = np.log(bass[max(0, attack[0] - 1):attack[-1] + 1] + POWER_FLOOR)
    frame = int(attack[int(np.argmax(np.diff(level)))])
    onset = max(0.0, (frame - 0.5) * hop)
    beats = grid.edges[:-1]
    nearest = float(beats[np.argmin(np.abs(beats - onset))])
    return nearest if abs(nearest - onset) <= DROP_SNAP_FRAMES * hop else float(onset)


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
        jump = float(score[first:last + 1].max()) >= BUILD_JUMP_SCORE
        rises = last - first + 1  # the slow bars reached back over are no rises
        while first > 0 and score[first - 1] >= BUILD_EXTEND_SCORE:  # a riser's slow first bars
            first -= 1
        interval = _end_at_drop(float(edges[first]), float(edges[last + 2]), drops, grid.bar_s)
        into_drop = interval[1] in drops
        long_enough = interval[1] - interval[0] >= BUILD_MIN_BARS * grid.bar_s
        if long_enough and (rises >= BUILD_MIN_RISES or (into_drop and jump)):
            if builds and interval[0] <= builds[-1][1] + BUILD_MERGE_GAP_BARS * grid.bar_s + 1e-6:  # one build
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
    level_high, bass_high = _valley_reference(level), _valley_reference(bass)
    middles = 0.5 * (starts + stops)
    in_build = np.array([any(a <= m < b for a, b in builds) for m in middles], bool)
    low = ((level < BREAKDOWN_LEVEL_FRACTION * level_high) & (bass < BREAKDOWN_FRACTION * bass_high)
           & (level > SILENT_FRACTION * np.percentile(level, 80)) & ~in_build)
    return [(float(starts[a]), float(stops[b])) for a, b in _runs(low) if b - a + 1 >= BREAKDOWN_MIN_BARS]


def _valley_reference(values: np.ndarray) -> np.ndarray:
    """(bars,) per bar: the smaller of the largest value before it and after it (0 at
    the ends), capped at the 80th percentile of all."""
    before = np.r_[0.0, np.maximum.accumulate(values)[:-1]]
    after = np.r_[np.maximum.accumulate(values[::-1])[::-1][1:], 0.0]
    return np.minimum(np.minimum(before, after), np.percentile(values, 80))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) indices of each run of True in a 1-D mask."""
    padded = np.r_[False, mask, False].astype(np.int8)
    change = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1) for a, b in zip(change[::2], change[1::2])]
