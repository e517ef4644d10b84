"""The control bus: a queue of events from any thread (the window's key
callback now, MIDI and OSC listener threads later), drained by the frame loop
between frames so nothing changes while a frame renders."""

from __future__ import annotations

import logging
from collections import deque

from visualizer.control.events import ControlEvent

log = logging.getLogger(__name__)


class ControlBus:
    """First in, first out; `push` never blocks or raises, so it is safe in a
    device callback. Holds at most `capacity` events: when nobody drains it,
    the oldest are dropped (and counted in `dropped`)."""

    def __init__(self, capacity: int = 1024):
        self._events: deque[ControlEvent] = deque(maxlen=capacity)
        self.capacity = capacity
        self.dropped = 0

    def push(self, event: ControlEvent) -> None:
        """Queue `event` (any thread)."""
        if len(self._events) == self.capacity:
            self.dropped += 1
        self._events.append(event)  # deque.append and popleft are atomic

    def drain(self) -> list[ControlEvent]:
        """Every queued event, oldest first, removed from the queue."""
        events = []
        while True:
            try:
                events.append(self._events.popleft())
            except IndexError:
                return events

    def __len__(self) -> int:
        return len(self._events)
