"""The musical moments a frame brings: a beat, a bar line, a section change, a drop.

Found from the features' counters (`beat_count`, `section`, `drop_count`) changing
between one frame and the next, so nothing is missed or doubled whatever the frame
rate. Bar lines follow `bar_index` (params/sources.py), which agrees with the
shaders' `uBarPhase` even when an offline grid starts with pickup beats (there
`(beat_count - 1) % beats_per_bar == 0` would be wrong).
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.features.frame import FrameFeatures
from visualizer.params.sources import bar_index


@dataclass(frozen=True)
class Moment:
    """What the frame at `time` (s) starts, against the frame before it."""

    time: float
    tempo_bpm: float
    """0 when the music has no tempo (silence)."""
    beat: bool = False
    bar: bool = False
    """A beat that begins a bar."""
    section: bool = False
    drop: bool = False


class MusicClock:
    """Turns a stream of frames into `Moment`s (the first frame starts nothing)."""

    def __init__(self) -> None:
        self._beat_count: int | None = None
        self._bar = 0
        self._section = 0
        self._drop_count = 0

    def update(self, features: FrameFeatures) -> Moment:
        bar = bar_index(features)
        beat_count, section, drops = int(features.beat_count), int(features.section), int(features.drop_count)
        first = self._beat_count is None
        moment = Moment(features.time, float(features.tempo_bpm))
        if not first:
            beat = beat_count > (self._beat_count or 0)
            moment = Moment(features.time, float(features.tempo_bpm), beat=beat, bar=beat and bar > self._bar,
                            section=section != self._section, drop=drops > self._drop_count)
        self._beat_count, self._bar, self._section, self._drop_count = beat_count, bar, section, drops
        return moment
