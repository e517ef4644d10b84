"""Named actions: the one vocabulary that keys, MIDI notes and OSC messages share.

A name is a word ("next", "blackout") or a word with an argument after a colon
("favourite:3", "load:darol", "transition:fade"). `action_event` turns a name
into its `ControlEvent`; `ACTION_NAMES` lists the words for messages and docs.
"""

from __future__ import annotations

from collections.abc import Callable

from visualizer.control.events import (
    Blackout, ControlEvent, Favourite, Freeze, LoadPreset, NextPreset, PreviousPreset, Quit, RandomPreset,
    ReloadPreset, SetTransitionLength, SetTransitionStyle, Snapshot, TapTempo, ToggleFullscreen, ToggleHud,
    ToggleLock, TogglePanel,
)

SIMPLE_ACTIONS: dict[str, ControlEvent] = {
    "next": NextPreset(),
    "previous": PreviousPreset(),
    "random": RandomPreset(),
    "tap": TapTempo(),
    "blackout": Blackout(),
    "freeze": Freeze(),
    "hud": ToggleHud(),
    "reload": ReloadPreset(),
    "lock": ToggleLock(),
    "longer": SetTransitionLength(step=1),
    "shorter": SetTransitionLength(step=-1),
    "panel": TogglePanel(),
    "fullscreen": ToggleFullscreen(),
    "snapshot": Snapshot(),
    "quit": Quit(),
}
"""Actions without an argument."""

ARGUMENT_ACTIONS: dict[str, Callable[[str], ControlEvent]] = {
    "favourite": lambda text: Favourite(_slot(text)),
    "load": LoadPreset,
    "transition": SetTransitionStyle,
}
"""Actions with an argument: `favourite:N` (0-9), `load:NAME`, `transition:STYLE`."""

ACTION_NAMES = (*SIMPLE_ACTIONS, *(f"{word}:" for word in ARGUMENT_ACTIONS))


def action_event(name: str) -> ControlEvent:
    """The event for an action name; ValueError naming the known actions otherwise."""
    word, colon, argument = name.strip().partition(":")
    word = word.lower()
    if not colon and word in SIMPLE_ACTIONS:
        return SIMPLE_ACTIONS[word]
    if colon and word in ARGUMENT_ACTIONS and argument.strip():
        return ARGUMENT_ACTIONS[word](argument.strip())
    raise ValueError(f'unknown action "{name}": choose one of {", ".join(ACTION_NAMES)}')


def _slot(text: str) -> int:
    if not text.strip().isdigit() or not 0 <= int(text) <= 9:
        raise ValueError(f'favourite "{text}": choose a slot from 0 to 9')
    return int(text)
