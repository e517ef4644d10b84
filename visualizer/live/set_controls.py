"""The set's controls, applied between frames: playlist moves and lock go to the
director, blackout and freeze to the deck, the HUD and fullscreen to the window,
transition length and style to the director (which checks them: a typo from
OSC or MIDI shows in the HUD instead of failing at the next switch).

Quit asks for confirmation in a live show: the first Esc says "press Esc again
to quit" for `QUIT_WINDOW_S` seconds of the frame clock; a second one within
that time quits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from visualizer.control.events import (
    Blackout, ControlEvent, Favourite, Freeze, LoadPreset, NextPreset, PreviousPreset, Quit, RandomPreset,
    ReloadPreset, SetTransitionLength, SetTransitionStyle, Snapshot, ToggleFullscreen, ToggleHud, ToggleLock,
)
from visualizer.errors import VisualizerError
from visualizer.preset.playlist import resolve_style

if TYPE_CHECKING:
    from visualizer.live.show import Show

log = logging.getLogger(__name__)

QUIT_WINDOW_S = 3.0
"""Seconds within which a second quit confirms the first."""
SHORTEST_BEATS, LONGEST_BEATS = 0.25, 64.0
"""Transition lengths [ and ] step between, in beats."""


class SetControls:
    """Applies the set's events to `show`; `message` is a line for the HUD (what just
    happened, or what went wrong), `toggle_hud` shows or hides it."""

    def __init__(self, show: Show, confirm_quit: bool = True, toggle_hud: Callable[[], None] = lambda: None):
        self.show, self.confirm_quit, self.toggle_hud = show, confirm_quit, toggle_hud
        self.message = ""
        self._quit_asked_at: float | None = None

    def handle(self, event: ControlEvent) -> bool:
        director = self.show.director
        match event:
            case NextPreset():
                director.request("next")
            case PreviousPreset():
                director.request("previous")
            case RandomPreset():
                director.request("random")
            case Favourite(slot):
                self._guard(lambda: director.request("favourite", slot))
            case LoadPreset(name):
                self._guard(lambda: director.request("load", name))
            case ToggleLock():
                self.message = "playlist locked" if director.toggle_lock() else "playlist unlocked"
            case SetTransitionLength(beats, step):
                self._set_length(beats, step)
            case SetTransitionStyle(name):
                self._guard(lambda: self._set_style(name))
            case Blackout(on):
                deck = self.show.deck
                deck.blackout = (not deck.blackout) if on is None else on
            case Freeze(on):
                deck = self.show.deck
                deck.freeze((not deck.frozen) if on is None else on)
            case ToggleHud():
                self.toggle_hud()
            case ToggleFullscreen():
                host = self.show.host
                self._guard(lambda: host.set_fullscreen(not host.fullscreen))
            case ReloadPreset():
                self.show.live.request_reload()
            case Snapshot():
                self._guard(self._snapshot)
            case Quit() if self.confirm_quit:
                self._quit()
            case _:
                return False
        if isinstance(event, (NextPreset, PreviousPreset, RandomPreset, Favourite, LoadPreset)):
            self.show.cue_waiting()
        return True

    def _quit(self) -> None:
        now = self.show.features.time if self.show.tick is None else self.show.tick.time
        asked = self._quit_asked_at
        if asked is not None and 0.0 <= now - asked <= QUIT_WINDOW_S:
            self.show.host.request_close()
            return
        self._quit_asked_at = now
        self.message = "press Esc again to quit"

    def _snapshot(self) -> None:
        self.message = f"snapshot {self.show.snapshot()}"

    def _set_length(self, beats: float | None, step: int) -> None:
        current = self.show.director.transition_beats or SHORTEST_BEATS
        wanted = beats if beats is not None else current * (2.0 ** step)
        wanted = min(LONGEST_BEATS, max(0.0 if beats is not None else SHORTEST_BEATS, wanted))
        self._guard(lambda: self.show.director.set_transition(beats=wanted))
        self.message = f"transitions {wanted:g} beats"

    def _set_style(self, name: str) -> None:
        """Compile the style first: one that does not compile is refused (the HUD says why)."""
        set_file = self.show.playlist.path
        base = set_file.parent if set_file is not None and set_file.is_file() else None
        self.show.deck.mixer.prepare(resolve_style(name, base))
        self.show.director.set_transition(style=name)
        self.message = f"transition {name}"

    def _guard(self, action: Callable[[], object]) -> None:
        try:
            action()
        except (VisualizerError, KeyError, ValueError) as exc:
            self.message = str(exc).splitlines()[0]
            log.warning("%s", self.message)

    def expire(self, time: float) -> None:
        """Forget an unconfirmed quit after its window (`time`: the frame clock, s)."""
        asked = self._quit_asked_at
        if asked is not None and time - asked > QUIT_WINDOW_S:
            self._quit_asked_at = None
            if self.message == "press Esc again to quit":
                self.message = ""
