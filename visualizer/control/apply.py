"""Events applied between frames: the bus is drained before a frame is drawn,
and each event goes to the handlers in order until one takes it. Handlers
change the show only through public methods (a tempo tap on the live rhythm,
the `ParamState`), never tracker or engine internals."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from visualizer.control.bus import ControlBus
from visualizer.control.events import (
    BeatNow, ControlEvent, Quit, SetModulationAmount, SetParam, SetTempo, TapTempo,
)
from visualizer.params.state import ParamState

log = logging.getLogger(__name__)

Handler = Callable[[ControlEvent], bool]
"""Applies an event it knows (returns True) or passes it on (False)."""


def apply_events(bus: ControlBus, handlers: Sequence[Handler]) -> int:
    """Apply every queued event, oldest first; returns how many were taken."""
    taken = 0
    for event in bus.drain():
        if any(handler(event) for handler in handlers):
            taken += 1
        else:
            log.debug("no handler for %r", event)
    return taken


class TempoTapper(Protocol):
    def tap(self, time: float) -> None: ...

    def set_tempo(self, bpm: float | None) -> None: ...

    def beat_now(self, time: float) -> None: ...


class ShowControls:
    """What every show applies itself: tempo taps, a fixed tempo and an external
    clock's beats to `rhythm` at the current stream time (`stream_time()`, seconds), parameter values and modulation
    amounts to `params` (a `ParamState`, or a callable giving the current one),
    and `Quit` through `quit()`.

    A value that does not fit (an unknown name, a wrong type) is logged and
    dropped: a stray MIDI message must not stop the show."""

    def __init__(self, rhythm: TempoTapper, params: ParamState | Callable[[], ParamState],
                 stream_time: Callable[[], float], quit: Callable[[], None]):
        self.rhythm, self.stream_time, self.quit = rhythm, stream_time, quit
        self._params = params

    @property
    def params(self) -> ParamState:
        """The state edits go to (a callable's answer: the preset a performer steers now)."""
        return self._params if isinstance(self._params, ParamState) else self._params()

    def handle(self, event: ControlEvent) -> bool:
        match event:
            case TapTempo():
                self.rhythm.tap(self.stream_time())
            case SetTempo(bpm):
                self.rhythm.set_tempo(bpm)
            case BeatNow():
                self.rhythm.beat_now(self.stream_time())
            case Quit():
                self.quit()
            case SetParam(name, value):
                self._guard(event, lambda: self.params.set(name, value))
            case SetModulationAmount(index, amount):
                self._guard(event, lambda: self.params.set_amount(index, amount))
            case _:
                return False
        return True

    @staticmethod
    def _guard(event: ControlEvent, action: Callable[[], object]) -> None:
        try:
            action()
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            log.warning("ignored %r: %s", event, exc.args[0] if exc.args else exc)
