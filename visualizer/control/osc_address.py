"""The OSC address space: an address and its arguments -> the `ControlEvent`
they ask for. Pure functions, no sockets; `OscServer` calls `event_for` once
per message, so each parser is a few type checks. docs/osc.md is the table.

Buttons on OSC surfaces (TouchOSC, Open Stage Control) send 1 on press and 0
on release: a trigger address takes no argument or one number, and 0 does
nothing, so one press is one event.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from visualizer.control.actions import ACTION_NAMES, action_event
from visualizer.control.events import (
    Blackout, ControlEvent, Favourite, Freeze, LearnMidi, LoadPreset, NextPreset, PreviousPreset, RandomPreset,
    SetParam, SetTempo, SetTransitionLength, SetTransitionStyle, TapTempo, ToggleHud, ToggleLock,
)

PREFIX = "/visualizer"
"""Every address starts with this."""
PARAM_PREFIX = f"{PREFIX}/param/"
"""`/visualizer/param/<name>`: set parameter <name>."""

Parser = Callable[[Sequence[Any]], ControlEvent | None]
"""A message's arguments -> its event (None: nothing to do, e.g. a button's
release); MalformedMessage when they do not fit."""


class MalformedMessage(ValueError):
    """Arguments that do not fit their address; the text says what it expects
    and never quotes the values, so one kind of mistake is one log line."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def _trigger(event: ControlEvent) -> Parser:
    def parse(args: Sequence[Any]) -> ControlEvent | None:
        if not args:
            return event
        if len(args) == 1 and _is_number(args[0]):
            return event if args[0] else None
        raise MalformedMessage("expects no argument, or one number (0, a button's release, does nothing)")
    return parse


def _switch(make: Callable[[bool | None], ControlEvent]) -> Parser:
    def parse(args: Sequence[Any]) -> ControlEvent:
        if not args:
            return make(None)
        if len(args) == 1 and _is_number(args[0]):
            return make(bool(args[0]))
        raise MalformedMessage("expects no argument (toggle) or one number (0 off, else on)")
    return parse


def _text(make: Callable[[str], ControlEvent]) -> Parser:
    def parse(args: Sequence[Any]) -> ControlEvent:
        if len(args) == 1 and isinstance(args[0], str) and args[0].strip():
            return make(args[0].strip())
        raise MalformedMessage("expects one non-empty string")
    return parse


def _favourite(args: Sequence[Any]) -> ControlEvent:
    if len(args) == 1 and _is_number(args[0]) and args[0] == int(args[0]) and 0 <= args[0] <= 9:
        return Favourite(int(args[0]))
    raise MalformedMessage("expects one whole number from 0 to 9")


def _bpm(args: Sequence[Any]) -> ControlEvent:
    if not args or (len(args) == 1 and _is_number(args[0]) and args[0] == 0):
        return SetTempo(None)
    if len(args) == 1 and _is_number(args[0]) and args[0] > 0:
        return SetTempo(float(args[0]))
    raise MalformedMessage("expects one number of beats per minute above 0 (0 or none: automatic)")


def _transition_length(args: Sequence[Any]) -> ControlEvent:
    if len(args) == 1 and _is_number(args[0]) and args[0] >= 0:
        return SetTransitionLength(beats=float(args[0]))
    raise MalformedMessage("expects one number of beats, 0 or more")


def _action(args: Sequence[Any]) -> ControlEvent:
    if len(args) == 1 and isinstance(args[0], str):
        try:
            return action_event(args[0])
        except ValueError:
            pass
    raise MalformedMessage(f"expects one action name: {', '.join(ACTION_NAMES)}")


ROUTES: dict[str, Parser] = {
    f"{PREFIX}/next": _trigger(NextPreset()),
    f"{PREFIX}/previous": _trigger(PreviousPreset()),
    f"{PREFIX}/random": _trigger(RandomPreset()),
    f"{PREFIX}/preset": _text(LoadPreset),
    f"{PREFIX}/favourite": _favourite,
    f"{PREFIX}/tap": _trigger(TapTempo()),
    f"{PREFIX}/bpm": _bpm,
    f"{PREFIX}/blackout": _switch(Blackout),
    f"{PREFIX}/freeze": _switch(Freeze),
    f"{PREFIX}/lock": _trigger(ToggleLock()),
    f"{PREFIX}/hud": _trigger(ToggleHud()),
    f"{PREFIX}/transition/length": _transition_length,
    f"{PREFIX}/transition/style": _text(SetTransitionStyle),
    f"{PREFIX}/midi/learn": _text(LearnMidi),
    f"{PREFIX}/action": _action,
}
"""Exact addresses (OSC wildcards are not expanded) -> their parsers;
`/visualizer/param/<name>` is matched by its prefix."""


def param_event(name: str, args: Sequence[Any]) -> SetParam:
    """`/visualizer/param/<name>`: one number, bool or string, or 2-4 numbers
    (as arguments or one OSC array) for a vector; MalformedMessage otherwise."""
    if not name or "/" in name:
        raise MalformedMessage("names no parameter: /visualizer/param/<name>")
    values = args[0] if len(args) == 1 and isinstance(args[0], list) else args
    if len(values) == 1 and not isinstance(args[0], list):
        value = values[0]
        if isinstance(value, str) or _is_number(value):  # bool is an int
            return SetParam(name, value)
    elif 2 <= len(values) <= 4 and all(_is_number(value) and not isinstance(value, bool) for value in values):
        return SetParam(name, tuple(float(value) for value in values))
    raise MalformedMessage("expects one number, bool or string, or 2-4 numbers for a vector")


def event_for(address: str, args: Sequence[Any]) -> ControlEvent | None:
    """The event a message asks for (None: nothing to do). KeyError for an
    unknown address, MalformedMessage for arguments that do not fit."""
    parse = ROUTES.get(address)
    if parse is not None:
        return parse(args)
    if address.startswith(PARAM_PREFIX):
        return param_event(address[len(PARAM_PREFIX):], args)
    raise KeyError(address)
