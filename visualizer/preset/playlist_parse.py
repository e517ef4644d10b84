"""Checks of a set file's tables, every problem one line: `file:line:col: key: problem; fix`.

`parse_set` turns a parsed TOML document into a `PlaylistSpec`; the file's own
reading (size, encoding, syntax) is `visualizer.preset.playlist`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from visualizer.errors import PresetError
from visualizer.naming import suggestion
from visualizer.preset.library import preset_name
from visualizer.preset.problems import Problems
from visualizer.preset.playlist_spec import (
    ADVANCES, DEFAULT_BARS, ORDERS, STARTS, AdvanceSpec, PlaylistEntry, PlaylistSpec, TransitionSpec,
)
from visualizer.printable import quoted

MAX_BARS = 4096
MAX_SECONDS = 3600.0
MAX_TRANSITION_BEATS = 64.0
MAX_TRANSITION_SECONDS = 60.0
_TOP_KEYS = ("set", "entry")
_SET_KEYS = ("name", "order", "seed", "advance", "bars", "seconds", "min_dwell_bars", "cut_on_drop", "transition")
_TRANSITION_KEYS = ("style", "beats", "seconds", "on", "drop_style", "drop_beats")
_ENTRY_KEYS = ("preset", "favourite", "transition")
_ENTRY_TRANSITION_KEYS = ("style", "beats", "seconds")

StyleResolver = Callable[[str], str]
"""A style name or .glsl path -> what a `TransitionSpec` holds; PresetError (no file named) if unknown."""
PresetResolver = Callable[[str], Path]
"""A preset name or path -> its TOML file; PresetError (no file named) if unknown."""


def describe(value: Any) -> str:
    """A value as an error line shows it."""
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return {dict: "a table", list: "a list"}.get(type(value), repr(value)[:60])


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Reader:
    """Typed look-ups in one table, each problem reported under `prefix` + key."""

    def __init__(self, table: dict, prefix: str, problems: Problems) -> None:
        self.table, self.prefix, self.problems = table, prefix, problems

    def text(self, key: str, default: str, choices: tuple[str, ...] = ()) -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str) or (choices and value not in choices):
            hint = suggestion(str(value), choices) if isinstance(value, str) else ""
            fix = f"choose one of {', '.join(choices)}" if choices else "give a string"
            fix = f"{hint} {fix}" if hint else fix
            self.problems.add(self.prefix + key, f"{describe(value)}: {fix}")
            return default
        return value

    def integer(self, key: str, default: int | None, low: int, high: int) -> int | None:
        value = self.table.get(key, default)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.problems.add(self.prefix + key, f"{describe(value)}: give a whole number from {low} to {high}")
            return default
        return value

    def number(self, key: str, default: float | None, low: float, high: float) -> float | None:
        value = self.table.get(key, default)
        if value is None:
            return None
        if not _is_number(value) or not low <= value <= high:
            self.problems.add(self.prefix + key, f"{describe(value)}: give a number from {low:g} to {high:g}")
            return default
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            self.problems.add(self.prefix + key, f"{describe(value)}: give true or false")
            return default
        return value

    def subtable(self, key: str) -> dict:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            self.problems.add(self.prefix + key, f"{describe(value)}: expected a table ([{self.prefix}{key}])")
            return {}
        return value


def parse_set(document: dict, path: Path, problems: Problems,
              style: StyleResolver, preset: PresetResolver) -> PlaylistSpec | None:
    """The `PlaylistSpec` of a set document; None when `problems` got any."""
    problems.unknown_keys(document, _TOP_KEYS, "")
    top = _Reader(document, "", problems)
    settings = top.subtable("set")
    problems.unknown_keys(settings, _SET_KEYS, "set.")
    reader = _Reader(settings, "set.", problems)
    transition, drop = _set_transitions(reader.subtable("transition"), problems, style)
    entries = _entries(document, problems, lambda value: style(value) if value else transition.style, preset)
    spec = PlaylistSpec(
        name=reader.text("name", path.stem), entries=entries, path=path,
        order=reader.text("order", "sequence", ORDERS), seed=reader.integer("seed", 0, -(2**63), 2**63 - 1) or 0,
        advance=_advance(reader), transition=transition, drop_transition=drop)
    return None if problems.lines else spec


def _advance(reader: _Reader) -> AdvanceSpec:
    mode = reader.text("advance", "sections", ADVANCES)
    bars = reader.integer("bars", DEFAULT_BARS if mode == "bars" else None, 1, MAX_BARS)
    return AdvanceSpec(mode=mode, bars=bars, seconds=_seconds_range(reader),
                       min_dwell_bars=reader.integer("min_dwell_bars", 4, 0, MAX_BARS) or 0,
                       cut_on_drop=reader.flag("cut_on_drop", False))


def _seconds_range(reader: _Reader) -> tuple[float, float]:
    """`seconds = 30` or `seconds = [20, 40]`: 0 < min <= max <= MAX_SECONDS."""
    value = reader.table.get("seconds", [20.0, 40.0])
    pair = [value, value] if _is_number(value) else value
    if (isinstance(pair, list) and len(pair) == 2 and all(_is_number(v) for v in pair)
            and 0.0 < pair[0] <= pair[1] <= MAX_SECONDS):
        return float(pair[0]), float(pair[1])
    reader.problems.add("set.seconds", f"{describe(value)}: give seconds or [min, max] with"
                                       f" 0 < min <= max <= {MAX_SECONDS:g}")
    return 20.0, 40.0


def _set_transitions(table: dict, problems: Problems,
                     style: StyleResolver) -> tuple[TransitionSpec, TransitionSpec]:
    """`[set.transition]`: the usual transition and the drop cut's."""
    problems.unknown_keys(table, _TRANSITION_KEYS, "set.transition.")
    reader = _Reader(table, "set.transition.", problems)
    beats, seconds = _length(reader, 4.0)
    on = reader.text("on", "bar", STARTS)
    usual = TransitionSpec(_style(reader, "style", "fade", style), beats, seconds, on)
    drop_beats = reader.number("drop_beats", 1.0, 0.0, MAX_TRANSITION_BEATS)
    return usual, TransitionSpec(_style(reader, "drop_style", "red_flash_cut", style), drop_beats, None, "drop")


def _length(reader: _Reader, default_beats: float | None) -> tuple[float | None, float | None]:
    """(beats, seconds) of a transition table: one of them, not both."""
    if "beats" in reader.table and "seconds" in reader.table:
        reader.problems.add(reader.prefix + "seconds", "give the length in beats or in seconds, not both")
    seconds = reader.number("seconds", None, 0.0, MAX_TRANSITION_SECONDS)
    beats = reader.number("beats", None if seconds is not None else default_beats, 0.0, MAX_TRANSITION_BEATS)
    return beats, seconds


def _style(reader: _Reader, key: str, default: str, style: StyleResolver) -> str:
    if key not in reader.table:
        return default
    value = reader.text(key, "")
    try:
        return style(value) if value else default
    except PresetError as exc:
        reader.problems.add(reader.prefix + key, str(exc))
        return default


def _entries(document: dict, problems: Problems, style: StyleResolver,
             preset: PresetResolver) -> tuple[PlaylistEntry, ...]:
    raw = document.get("entry")
    if raw is None and set(document) - set(_TOP_KEYS):
        return ()  # a misspelt [[entry]]: its unknown-key line says what to fix
    if not isinstance(raw, list) or not raw:
        problems.add("entry", "the set has no entries; add [[entry]] tables with preset = \"NAME\"")
        return ()
    entries = tuple(entry for index, table in enumerate(raw)
                    if (entry := _entry(table, f"entry[{index + 1}].", problems, style, preset)))
    seen: dict[int, int] = {}
    for index, entry in enumerate(entries):
        if entry.favourite is not None and seen.setdefault(entry.favourite, index) != index:
            problems.add(f"entry[{index + 1}].favourite", f"{entry.favourite}: entry {seen[entry.favourite] + 1}"
                         " has this number key already; give each favourite its own key 0-9")
    return entries


def _entry(table: Any, prefix: str, problems: Problems, style: StyleResolver,
           preset: PresetResolver) -> PlaylistEntry | None:
    if not isinstance(table, dict):
        problems.add(prefix.rstrip("."), "expected a table; write [[entry]] with preset = \"NAME\"")
        return None
    problems.unknown_keys(table, _ENTRY_KEYS, prefix)
    reader = _Reader(table, prefix, problems)
    name = reader.text("preset", "")
    favourite = reader.integer("favourite", None, 0, 9)
    transition = _entry_transition(reader, style)
    if not name:
        if "preset" not in table:
            problems.add(prefix + "preset", 'missing; give a preset name or a path relative to the set file')
        return None
    try:
        path = preset(name)
    except PresetError as exc:
        problems.add(prefix + "preset", str(exc))
        return None
    return PlaylistEntry(path, preset_name(path), favourite, transition)


def _entry_transition(reader: _Reader, style: StyleResolver) -> TransitionSpec | None:
    """`transition = "NAME"` or `transition = {style = "NAME", beats = 8}`."""
    value = reader.table.get("transition")
    if value is None:
        return None
    if isinstance(value, str):
        return TransitionSpec(_style(reader, "transition", style(""), style), None, None)
    if not isinstance(value, dict):
        reader.problems.add(reader.prefix + "transition", f"{describe(value)}: give a style name or"
                            ' {style = "NAME", beats = N}')
        return None
    prefix = reader.prefix + "transition."
    reader.problems.unknown_keys(value, _ENTRY_TRANSITION_KEYS, prefix)
    inner = _Reader(value, prefix, reader.problems)
    beats, seconds = _length(inner, None)
    return TransitionSpec(_style(inner, "style", style(""), style), beats, seconds)
