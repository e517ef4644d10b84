"""When the live structure hears things: the tracker's beats at their own times
(`TrackerBeats`) and the tapped curve frames once their windows have ended
(`DueFrames`), so `LiveStructure` does not depend on the video frame rate or the
audio block size. Public classes: checkpoints pickle them, and their loader takes
only public classes of `visualizer.features`."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Mapping

import numpy as np

from visualizer.features.structure_frames import CurveRows

SHORTEST_BEAT = 0.5
"""A beat segment shorter than this many periods (the tracker just locked or
re-phased) is not closed on its own: it joins the next beat, which it would
otherwise outweigh in its bar's means."""
UNCOUNTED_BEAT = 0.8
"""A phase wrap the tracker did not count (a quiet passage) is a beat when it comes this
many periods after the last beat (a phase nudge moves the beat by at most 0.75)."""
HELD_PHASE = 0.9999
"""A beat phase at or over this is held (the tracker lost the beat): no beat from it."""
DUE_TOLERANCE_S = 1e-9
"""A curve frame whose window ends this close after a video frame's time is due at it."""


class TrackerBeats:
    """The beat tracker's beats, read from the rhythm state at each video frame: each
    at its own time (the video frame's time less `beat_phase` periods), counted or
    not (through a quiet passage the tracker keeps its phase without counting), with
    its position in beats from the tracker's first (0, `beats_per_bar`, ... are its
    downbeats). Public: checkpoints pickle it."""

    def __init__(self) -> None:
        self.last: float | None = None
        """Time (s) of the latest beat."""
        self.position = 0
        """Its position (beats)."""
        self._count, self._phase, self._time = 0, 0.0, 0.0

    def new(self, time: float, rhythm: Mapping[str, float | int]) -> list[tuple[float, int]]:
        """(time s, position) of each beat since the last call, given the rhythm state at
        `time` (s); beats the call rate skipped are put a period apart before the latest
        (those before the last call, which the tracker never showed, are left out, but
        counted in the positions)."""
        count, phase = int(rhythm.get("beat_count", 0)), float(rhythm.get("beat_phase", 0.0))
        tempo = float(rhythm.get("tempo_bpm", 0.0))
        counted = count > self._count
        wrapped = phase < self._phase or tempo > 0.0 and time - self._time >= 60.0 / tempo
        before, (self._count, self._phase, self._time) = self._time, (count, phase, time)
        if tempo <= 0.0 or phase >= HELD_PHASE:
            return []
        period = 60.0 / tempo
        beat = time - phase * period
        gap = beat - self.last if self.last is not None else math.inf
        if gap < SHORTEST_BEAT * period or not (counted or wrapped and gap >= UNCOUNTED_BEAT * period):
            return []
        self.last = beat
        if gap == math.inf:  # the first beat: the tracker's count places it
            self.position = max(count - 1, 0)
            return [(beat, self.position)]
        skipped = max(1, round(gap / period))  # the bar lines run on through a lost stretch
        first = self.position + 1
        self.position += skipped
        if beat - (skipped - 1) * period <= before:  # beats the tracker never showed: it had lost the beat
            return [(beat, self.position)]
        return [(beat - (skipped - 1 - k) * period, first + k) for k in range(skipped)]


class DueFrames:
    """Curve frames drained from the tap, handed out once their window has ended:
    frame i (centred at i * hop s) ends at (i + 0.5) * hop s. Holds at most what
    was fed ahead of the latest video frame (one audio block). Public: checkpoints
    pickle it, and their loader takes only public classes of `visualizer.features`."""

    def __init__(self, hop: float):
        self.hop = hop
        self._chunks: deque[CurveRows] = deque()
        self._row = 0  # next row of the first chunk
        self._index = 0  # curve frame number of that row

    def add(self, rows: CurveRows) -> None:
        if len(rows.power):
            self._chunks.append(rows)

    def until(self, time: float) -> Iterator[tuple[float, float, float, np.ndarray, float]]:
        """(end s, power, bass, band powers (STRUCTURE_BANDS,), centroid Hz) of each
        frame whose window ends at or before `time` (s), in order, once."""
        while self._chunks:
            rows = self._chunks[0]
            end = (self._index + 0.5) * self.hop
            if end > time + DUE_TOLERANCE_S:
                return
            i = self._row
            self._row, self._index = i + 1, self._index + 1
            if self._row == len(rows.power):
                self._chunks.popleft()
                self._row = 0
            yield end, float(rows.power[i]), float(rows.bass[i]), rows.band_power[i], float(rows.centroid[i])
