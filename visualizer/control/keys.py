"""Keys to events. The window host names keys ("t", "escape", "f1", "left")
and the modifiers held ("ctrl", "alt", "shift", "super"); a `KeyMap` turns such
a press into a `ControlEvent` for the bus. No GL or glfw here: the host does
the translation from its key codes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from visualizer.control.events import (
    Blackout, ControlEvent, Favourite, Freeze, NextPreset, PreviousPreset, Quit, RandomPreset, Redo, ReloadPreset,
    Save, SetTransitionLength, Snapshot, TapTempo, ToggleFullscreen, ToggleHud, ToggleLock, TogglePanel, Undo,
)

MODIFIERS = ("ctrl", "alt", "shift", "super")
"""Modifier names, in the order a chord spells them."""


def chord(text: str) -> str:
    """A chord in its one spelling: "Shift+Ctrl+Z" -> "ctrl+shift+z".

    ValueError for a missing key or two keys that are not modifiers.
    """
    parts = [part.strip().lower() for part in text.split("+")]
    key = [part for part in parts if part not in MODIFIERS]
    if len(key) != 1 or not key[0]:
        raise ValueError(f'"{text}" is not a chord: one key and any of {", ".join(MODIFIERS)}, e.g. "ctrl+z"')
    held = [name for name in MODIFIERS if name in parts]
    return "+".join([*held, key[0]])


@dataclass(frozen=True)
class KeyPress:
    """A key going down, or auto-repeating (`repeat`) while held."""

    key: str
    modifiers: frozenset[str] = frozenset()
    repeat: bool = False

    @property
    def chord(self) -> str:
        return "+".join([*(name for name in MODIFIERS if name in self.modifiers), self.key])


@dataclass(frozen=True)
class KeyBinding:
    """An event for a chord. `repeats`: also while the key is held down;
    `while_typing`: also while a text field has the keyboard."""

    event: ControlEvent
    repeats: bool = False
    while_typing: bool = False


class KeyMap:
    """Chords to bindings. A press matches its exact chord first, then its
    bare key (so Shift+T still taps the tempo)."""

    def __init__(self, bindings: Mapping[str, KeyBinding | ControlEvent] | None = None):
        self.bindings: dict[str, KeyBinding] = {
            chord(text): binding if isinstance(binding, KeyBinding) else KeyBinding(binding)
            for text, binding in (bindings or {}).items()
        }

    def __or__(self, other: KeyMap) -> KeyMap:
        """Both maps; `other` wins where both bind a chord."""
        return KeyMap({**self.bindings, **other.bindings})

    def event_for(self, press: KeyPress, typing: bool = False) -> ControlEvent | None:
        """The event `press` asks for, or None (unbound, a repeat, or typing)."""
        binding = self.bindings.get(press.chord) or self.bindings.get(press.key)
        if binding is None or (press.repeat and not binding.repeats) or (typing and not binding.while_typing):
            return None
        return binding.event


PLAY_KEYS = KeyMap({"escape": Quit(), "t": TapTempo()})
"""`visualizer play`: Esc quits, T taps the tempo."""

EDITOR_KEYS = KeyMap({
    "ctrl+z": KeyBinding(Undo(), repeats=True, while_typing=True),
    "ctrl+y": KeyBinding(Redo(), repeats=True, while_typing=True),
    "ctrl+shift+z": KeyBinding(Redo(), repeats=True, while_typing=True),
    "ctrl+s": KeyBinding(Save(), while_typing=True),
    "f1": KeyBinding(TogglePanel(), while_typing=True),
})
"""`visualizer edit` adds: Ctrl+Z undo, Ctrl+Y or Ctrl+Shift+Z redo, Ctrl+S save, F1 hides the panel."""

LIVE_KEYS = KeyMap({
    "right": NextPreset(), "n": NextPreset(),
    "left": PreviousPreset(), "p": PreviousPreset(),
    "r": RandomPreset(),
    **{str(slot): Favourite(slot) for slot in range(10)},
    "space": TapTempo(), "t": TapTempo(),
    "b": Blackout(),
    "x": Freeze(),
    "h": ToggleHud(),
    "ctrl+r": ReloadPreset(),
    "l": ToggleLock(),
    "left_bracket": KeyBinding(SetTransitionLength(step=-1), repeats=True),
    "right_bracket": KeyBinding(SetTransitionLength(step=1), repeats=True),
    "tab": TogglePanel(),
    "f": ToggleFullscreen(),
    "f12": Snapshot(),
    "escape": Quit(),
})
"""`visualizer live`, documented in docs/live.md: Right/N next, Left/P previous (the history),
R random, 1-9 and 0 favourites, Space or T taps the tempo, B blackout, X freeze, H the HUD,
Ctrl+R reloads the preset, L locks the playlist, [ and ] halve and double the transition
length, Tab the editor panel, F fullscreen, F12 a snapshot, Esc twice quits."""
