"""Live (causal) song structure: the eight structure fields from what has been heard.

`LiveStructure` taps the onset detector's spectra (`CurveTap`, a curve frame
every ~23 ms) and is called once per video frame with the rhythm state of
`LiveRhythm.at`. A curve frame is used at the first video frame at or after the
end of its window ((i + 0.5) * hop s), however far ahead the audio was fed, and
times a drop with that end: the fields never depend on the audio block size.
It sums the frames per beat and per bar, and applies the rules of
`structure_live_rules`. A beat ends at the tracker's own beat time (`TrackerBeats`:
the video frame's time less `beat_phase` periods), counted or not (through a quiet
passage the tracker keeps its phase without counting), with the curve frames that
end by then: the sums never depend on when `at` is called (the video frame rate).
A stub under half a beat joins the next; 0.5 s segments stand in while there is no
tempo, and a segment closes after 1.5 periods (at most 2 s) when the tracker holds
its phase. A bar ends on the tracker's bar lines: every `beats_per_bar` of its
beats from its first counted one (live has no downbeat cue: where that beat is
not a downbeat, the bars are off the music's by as much).

- drop: the bass over the last 150 ms is 4x the beat peaks of the two bars
  before, at least half the song's high so far, after a break (those bars below
  30% of the high) that was not silent; 4 bars apart at least. Flagged as the
  window fills: 20-150 ms after the hit (measured: 20-80 ms), so within one beat
  of its downbeat at any tempo up to 300 BPM. A drop also starts a new section
  (if the current one began 2 bars before, counting from a section change's
  estimated start, two beats before it was confirmed).
- section change: the last two beats' timbre (band levels, bass, flux; running
  z-scores) far from the four bars before them, 4 bars apart at least.
  Confirmed two beats after the change (at most three: within one bar).
- build: per beat, an intensity (level, the frames' median brightness and
  high-band level, flux: a riser, a filter sweep, a snare roll filling in) that
  rose over two beats running (or, in a breakdown, stepped 7 units up in one
  beat that the next holds: a riser coming in) and stands 7 units over the
  lowest of the 8 beats before (none within 8 beats of the start or of a drop).
  Flagged at the end of the second rising beat: two beats after the rise begins
  at the earliest. Measured on the generated songs: 0.5-1 bar after a build's
  start when it follows a breakdown; 1.5-3.5 after a verse (the build's first
  bars are quieter than the verse and barely rise); 1.25 bars on the demo, whose
  riser is faint for its first bar. `build` ramps
  from two beats before the flag over `BUILD_TYPICAL_BARS` bars, or faster as
  the intensity climbs (1 at 30 units over the floor), rising at most 1 per
  `BUILD_EASE_S` (a build flagged partway up eases in over a fraction of a beat).
  It holds while the intensity makes new highs at least every 6 beats and does
  not fall 4 units below its high for two beats running (one such beat, a gap
  before the drop, is held); back to 0 at a drop, or when the rise stalls.
- breakdown: bass below 40% and level below 70% (-3 dB) of the running 80th
  percentile of bars (the loud part may be yet to come), outside a flagged
  build, for two bars; flagged at the end of the second low bar (measured: 2
  bars into the breakdown song's break, whose bars the tracker's share; 2.25-3.5
  on the EDM songs, whose tracker bars are 2-3 beats off), eased in over 0.5 s;
  out at the end of the first bar that is not low, or at a drop.

`events()` lists what was flagged, at the times it was flagged (the delays above
included), like live onsets' `detected_at`: a drop at its curve frame's end, the
rest at the beat that closed them (shown at the first video frame at or after
it). Memory is bounded: the curve frames fed ahead of the latest video frame,
rolling per-beat and per-bar summaries, and the most recent `MAX_EVENTS` events
of each kind.
"""

from __future__ import annotations

import math
import time as clock
from collections import deque
from collections.abc import Callable, Mapping

import numpy as np

from visualizer.features.onset import OnsetDetector
from visualizer.features.smoothing import smoothstep
from visualizer.features.structure import SongStructure
from visualizer.features.structure_events import DROP_MIN_GAP_BARS, Interval
from visualizer.features.structure_fields import BREAKDOWN_FADE_S, NO_DROP_S, structure_pulse
from visualizer.features.structure_frames import FIXED_SEGMENT_S, CurveTap
from visualizer.features.structure_live_clock import (
    DUE_TOLERANCE_S, SHORTEST_BEAT, DueFrames, TrackerBeats,
)
from visualizer.features.structure_live_rules import (
    BUILD_RISING_BEATS, CURRENT_BEATS, DROP_WINDOW_S, BarSummary, BeatAccumulator, BeatSummary,
    BreakdownRule, BuildRule, DropRule, NoveltyRule, bar_summary, frame_bands_db,
)

MIN_SECTION_BARS = 4
"""No live section change within this many bars of the last (offline allows 2: it
sees both sides of a boundary; live, a short section is more often a fill)."""
DROP_SECTION_BARS = 2
"""A drop starts a new section when the current one is at least this many bars old,
counted from the change's estimated start (`CURRENT_BEATS` before it was confirmed)."""
BUILD_TYPICAL_BARS = 8
"""`build` reaches 1 this many bars into a build (sooner if the music rises steeply)."""
BUILD_EASE_S = 0.5
"""`build` rises by at most 1 per this many seconds, so a build flagged partway up
eases in instead of jumping; it falls at once (to 0 at the drop)."""
TYPICAL_SECTION_BARS = 8
"""`section_phase` scale before any section has ended."""
MAX_SEGMENT_S = 2.0
BEAT_STALL = 1.5
"""A beat longer than this many periods, or `MAX_SEGMENT_S` (the tracker stalled in
a quiet passage), is closed anyway."""
MAX_EVENTS = 4096
"""Events of each kind kept for `events()` (the most recent)."""
BLOCK = 256
"""Samples per block in `live_structure`."""


class LiveStructure:
    """Causal sections, builds, drops and breakdowns from one detector's spectra."""

    def __init__(self, detector: OnsetDetector):
        self._tap = CurveTap(detector)
        self.hop = self._tap.hop
        self._due = DueFrames(self.hop)
        self._short: deque[float] = deque(maxlen=max(1, round(DROP_WINDOW_S / self.hop)))
        self._last_bands: np.ndarray | None = None
        self._beat = BeatAccumulator()
        self._beats = TrackerBeats()
        self._bar_line: int | None = None  # position // beats_per_bar of the last tracker beat closed
        self._bar_beats: list[BeatSummary] = []
        self._drop_rule, self._novelty, self._low = DropRule(), NoveltyRule(), BreakdownRule()
        self._now = 0.0
        self._drops: deque[float] = deque(maxlen=MAX_EVENTS)
        self._drop_count = 0
        self._section_starts: deque[float] = deque([0.0], maxlen=MAX_EVENTS)
        self._section_lag = 0.0  # s from the latest section's estimated start to when it was flagged
        self._section_count = 0
        self._section_bars: deque[float] = deque(maxlen=64)
        self._build_rule = BuildRule()
        self._build_start, self._build_flagged = 0.0, None
        self._builds: deque[Interval] = deque(maxlen=MAX_EVENTS)
        self._low_bars, self._breakdown_since = 0, None
        self._breakdowns: deque[Interval] = deque(maxlen=MAX_EVENTS)
        self._ease = self._build_shown = 0.0

    def at(self, time: float, rhythm: Mapping[str, float | int]) -> dict[str, float | int]:
        """The eight structure fields at stream time `time` (s), given `LiveRhythm.at(time)`."""
        bar_s = _bar_seconds(rhythm)
        self._due.add(self._tap.drain())
        self._advance_beats(time, rhythm, bar_s)
        self._add_frames(time, bar_s)
        dt, self._now = max(0.0, time - self._now), time
        return self._fields(time, bar_s, dt)

    def _advance_beats(self, time: float, rhythm: Mapping[str, float | int], bar_s: float) -> None:
        """Close the beat segments that ended by `time` (s), each at its own time: the
        tracker's beats, and a segment's start + the longest segment where none came
        (`BEAT_STALL`, `MAX_SEGMENT_S`; `FIXED_SEGMENT_S` without a tempo). Curve frames
        ending at or before a close go to the segment it ends, so the segments never
        depend on when `at` is called."""
        tempo = float(rhythm.get("tempo_bpm", 0.0))
        beats_per_bar = int(rhythm.get("beats_per_bar", 4))
        longest = min(BEAT_STALL * 60.0 / tempo if tempo > 0.0 else FIXED_SEGMENT_S, MAX_SEGMENT_S)
        beats: list[tuple[float, int | None]] = [*self._beats.new(time, rhythm), (time, None)]
        for close, position in beats:
            while self._beat.start + longest < close + (DUE_TOLERANCE_S if position is None else 0.0):
                stall = self._beat.start + longest
                self._add_frames(stall, bar_s)
                self._end_beat(stall, beats_per_bar, bar_s, None)
            if position is None:
                return
            self._add_frames(close, bar_s)
            if self._beat.count and close - self._beat.start >= SHORTEST_BEAT * 60.0 / tempo:
                line = position // beats_per_bar
                self._end_beat(close, beats_per_bar, bar_s, line != self._bar_line)
                self._bar_line = line

    def _add_frames(self, until: float, bar_s: float) -> None:
        """Add the curve frames whose windows end by `until` (s)."""
        for end, power, bass, band_power, centroid in self._due.until(until):
            self._add_frame(power, bass, band_power, centroid, end, bar_s)

    def _add_frame(self, power: float, bass: float, band_power: np.ndarray, centroid: float,
                   time: float, bar_s: float) -> None:
        bands_db = frame_bands_db(band_power)
        flux = 0.0 if self._last_bands is None else float(np.maximum(bands_db - self._last_bands, 0.0).mean())
        self._last_bands = bands_db
        self._short.append(bass)
        short_bass = sum(self._short) / len(self._short)
        self._beat.add(power, bass, bands_db, flux, centroid, short_bass)
        since = time - self._drops[-1] if self._drops else math.inf
        if since >= DROP_MIN_GAP_BARS * bar_s - 1e-6 and len(self._short) == self._short.maxlen \
                and self._drop_rule.fires(short_bass):
            self._flag_drop(time, bar_s)

    def _flag_drop(self, time: float, bar_s: float) -> None:
        self._drops.append(time)
        self._drop_count += 1
        if time - (self._section_starts[-1] - self._section_lag) >= DROP_SECTION_BARS * bar_s - 1e-6:
            self._new_section(time, bar_s)
            self._section_lag = 0.0
        self._end_build(time)
        self._build_rule.reset()
        self._end_breakdown(time)

    def _end_beat(self, time: float, beats_per_bar: int, bar_s: float, bar_line: bool | None) -> None:
        """Close the beat segment at `time` (s); close the bar too on a tracker bar line
        (`bar_line`), or, where the tracker gave none (None), after `beats_per_bar` segments."""
        beat, self._beat = self._beat.summary(), BeatAccumulator(time)
        self._drop_rule.add_beat(beat, beats_per_bar)
        novelty = self._novelty.add_beat(beat, beats_per_bar)
        bars_in = (time - self._section_starts[-1]) / bar_s
        if novelty >= 1.0 and bars_in >= MIN_SECTION_BARS - 1e-6:
            self._new_section(time, bar_s)
            self._section_lag = CURRENT_BEATS * bar_s / beats_per_bar
        self._update_build(beat, time, bar_s / beats_per_bar)
        self._bar_beats.append(beat)
        if bar_line or (bar_line is None and len(self._bar_beats) >= beats_per_bar):
            self._update_breakdown(bar_summary(self._bar_beats), time)
            self._bar_beats = []

    def _new_section(self, time: float, bar_s: float) -> None:
        self._section_bars.append((time - self._section_starts[-1]) / bar_s)
        self._section_starts.append(time)
        self._section_count += 1

    def _update_build(self, beat: BeatSummary, time: float, beat_s: float) -> None:
        """Feed the build rule the beat that ended at `time` (s); flag or end a build."""
        change = self._build_rule.add_beat(beat.intensity, self._breakdown_since is not None)
        if change == "start":
            self._build_flagged = time
            self._build_start = time - BUILD_RISING_BEATS * beat_s  # the rise began two beats back
        elif change == "end":
            self._end_build(time)

    def _update_breakdown(self, bar: BarSummary, time: float) -> None:
        low = self._low.is_low(bar) and not self._build_rule.active
        self._low_bars = self._low_bars + 1 if low else 0
        if low and self._low_bars >= 2 and self._breakdown_since is None:
            self._breakdown_since = time
        elif not low:
            self._end_breakdown(time)

    def _end_build(self, time: float) -> None:
        if self._build_flagged is not None:
            self._builds.append((self._build_flagged, time))
        self._build_flagged = None

    def _end_breakdown(self, time: float) -> None:
        if self._breakdown_since is not None:
            self._breakdowns.append((self._breakdown_since, time))
        self._breakdown_since, self._low_bars = None, 0

    def _fields(self, time: float, bar_s: float, dt: float) -> dict[str, float | int]:
        build = 0.0
        if self._build_flagged is not None:
            ramp = (time - self._build_start) / (BUILD_TYPICAL_BARS * bar_s)
            build = min(1.0, max(ramp, self._build_rule.progress()))
        self._build_shown = min(max(0.0, build), self._build_shown + dt / BUILD_EASE_S)
        target = 1.0 if self._breakdown_since is not None else 0.0
        step = dt / BREAKDOWN_FADE_S
        self._ease = min(target, self._ease + step) if target > self._ease else max(target, self._ease - step)
        last_drop = self._drops[-1] if self._drops else None
        start = self._section_starts[-1]
        typical = float(np.median(self._section_bars)) if self._section_bars else TYPICAL_SECTION_BARS
        return {
            "build": self._build_shown,
            "drop": structure_pulse(time - last_drop) if last_drop is not None else 0.0,
            "since_drop": max(0.0, time - last_drop) if last_drop is not None else NO_DROP_S,
            "drop_count": self._drop_count,
            "breakdown": smoothstep(0.0, 1.0, self._ease),
            "section": self._section_count,
            "section_change": structure_pulse(time - start) if self._section_count else 0.0,
            "section_phase": min(1.0, max(0.0, (time - start) / bar_s / max(typical, 1.0))),
        }

    def events(self) -> SongStructure:
        """What was flagged over [0, the last `at` time], at the times it was flagged."""
        end = self._now
        starts = [s for s in self._section_starts if s < end] or [0.0]
        sections = list(zip(starts, [*starts[1:], end]))
        builds = list(self._builds) + ([(self._build_flagged, end)] if self._build_flagged is not None else [])
        breakdowns = list(self._breakdowns) + (
            [(self._breakdown_since, end)] if self._breakdown_since is not None else [])
        empty = np.zeros(0, np.float32)
        return SongStructure(end, sections, builds, list(self._drops), breakdowns, self.hop, empty)


def _bar_seconds(rhythm: Mapping[str, float | int]) -> float:
    """Bar length (s) from the rhythm state; 4 fixed segments without a tempo."""
    tempo = float(rhythm.get("tempo_bpm", 0.0))
    if tempo <= 0.0:
        return 4 * FIXED_SEGMENT_S
    return int(rhythm.get("beats_per_bar", 4)) * 60.0 / tempo


class _TimedSink:
    """A detector spectrum sink that adds the CPU seconds the wrapped sink spends."""

    def __init__(self, sink: Callable[[np.ndarray], None]):
        self.sink, self.seconds = sink, 0.0

    def __call__(self, magnitude: np.ndarray) -> None:
        started = clock.process_time()
        self.sink(magnitude)
        self.seconds += clock.process_time() - started


def live_structure(samples: np.ndarray, sample_rate: int,
                   frame_rate: float = 60.0) -> tuple[SongStructure, float]:
    """Run `LiveRhythm` and its `LiveStructure` over mono `samples` (n,) in 256-sample
    blocks, calling `at` at every video frame time (1 / frame_rate s) fed so far.
    Returns the flagged structure and the structure's CPU seconds per video frame
    (the spectrum tap's measurements included)."""
    from visualizer.features.rhythm import LiveRhythm  # rhythm imports this module

    rhythm = LiveRhythm(sample_rate)
    structure = rhythm.structure
    sink = rhythm.detector.spectrum_sink
    assert sink is not None  # the structure's CurveTap
    tap = rhythm.detector.spectrum_sink = _TimedSink(sink)
    x = np.asarray(samples, np.float32).reshape(-1)
    frame, spent = 0, 0.0
    for first in range(0, len(x), BLOCK):
        rhythm.process(x[first:first + BLOCK])
        fed = min(first + BLOCK, len(x)) / sample_rate
        while frame / frame_rate <= fed:
            now = frame / frame_rate
            state = rhythm.beat_state(now)
            started = clock.process_time()
            structure.at(now, state)
            spent += clock.process_time() - started
            frame += 1
    return structure.events(), (spent + tap.seconds) / max(frame, 1)
