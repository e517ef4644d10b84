"""Frame clocks: offline, frame n is drawn at n / fps exactly; live, the time
is measured, and `iTime` and `iTimeDelta` come from the same measurement."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FrameTick:
    """One frame on a clock: `index` (iFrame), `time` and `delta` in seconds
    (iTime, iTimeDelta), `frame_rate` the nominal frames per second (iFrameRate)."""

    index: int
    time: float
    delta: float
    frame_rate: float


class Clock(Protocol):
    """Hands out the ticks of successive frames."""

    frame_rate: float

    def tick(self) -> FrameTick: ...


class FixedClock:
    """Frame n at n / fps exactly, from `first_frame` on: the offline clock."""

    def __init__(self, frame_rate: float, first_frame: int = 0):
        self.frame_rate = float(frame_rate)
        self.next_frame = first_frame

    def tick(self) -> FrameTick:
        index = self.next_frame
        self.next_frame += 1
        return FrameTick(index, index / self.frame_rate, 1.0 / self.frame_rate, self.frame_rate)


class MeasuredClock:
    """The live clock: `time` is read from `now` (seconds, monotonic) when the
    frame starts, `delta` is the time since the previous frame's start (1 / fps
    for the first frame). `now` is injectable so tests can drive a fake clock."""

    def __init__(self, frame_rate: float, now: Callable[[], float] = time.perf_counter):
        self.frame_rate = float(frame_rate)
        self._now = now
        self._origin: float | None = None
        self._last = 0.0
        self._index = 0

    def tick(self) -> FrameTick:
        reading = self._now()
        if self._origin is None:
            self._origin, self._last = reading, reading - 1.0 / self.frame_rate
        tick = FrameTick(self._index, reading - self._origin, max(0.0, reading - self._last), self.frame_rate)
        self._last = reading
        self._index += 1
        return tick
