"""The MIDI mapping file: which knob sets which parameter, which pad fires which action.

    # channels are 1-16, controls and notes 0-127
    [[cc]]
    channel = 1
    control = 21
    target = "param:zoom"
    min = 0.5            # optional: the parameter's own range by default
    max = 2.0
    takeover = "pickup"  # or "jump"

    [[note]]
    channel = 10
    note = 36
    action = "next"      # any name from visualizer.control.actions

Read with `load_mapping` (one-line `MidiError`s naming the file, the key and
the fix), written whole with `save_mapping` (atomically: a crash never leaves
half a file). Learned bindings go back to the file they came from, or to
`default_mapping_path()`.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from visualizer.atomic import write_atomic
from visualizer.control.actions import action_event
from visualizer.errors import ControlError
from visualizer.paths import shown_path, user_presets_dir

TAKEOVERS = ("pickup", "jump")
PARAM_PREFIX = "param:"
_CC_KEYS = {"channel", "control", "target", "min", "max", "takeover"}
_NOTE_KEYS = {"channel", "note", "action"}


class MidiError(ControlError):
    """A MIDI mapping file or port the user named is unusable."""


@dataclass(frozen=True)
class CcBinding:
    """Control change `control` on `channel` (1-16) sets parameter `param`,
    scaled from 0..127 into [`low`, `high`] (None: the parameter's own bound)."""

    channel: int
    control: int
    param: str
    low: float | None = None
    high: float | None = None
    takeover: str = "pickup"

    @property
    def target(self) -> str:
        return PARAM_PREFIX + self.param


@dataclass(frozen=True)
class NoteBinding:
    """Note `note` on `channel` (1-16), pressed (note_on, velocity > 0), fires `action`."""

    channel: int
    note: int
    action: str


@dataclass(frozen=True)
class MidiMapping:
    """Every binding, in file order, and the file they are saved to."""

    ccs: tuple[CcBinding, ...] = ()
    notes: tuple[NoteBinding, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def with_cc(self, binding: CcBinding) -> MidiMapping:
        """This mapping with `binding` replacing every other binding of its control."""
        kept = tuple(b for b in self.ccs if (b.channel, b.control) != (binding.channel, binding.control))
        return replace(self, ccs=(*kept, binding))

    def with_note(self, binding: NoteBinding) -> MidiMapping:
        """This mapping with `binding` replacing every other binding of its note."""
        kept = tuple(b for b in self.notes if (b.channel, b.note) != (binding.channel, binding.note))
        return replace(self, notes=(*kept, binding))


def default_mapping_path() -> Path:
    """$XDG_DATA_HOME/visualizer/midi.toml (default ~/.local/share/visualizer/midi.toml)."""
    return user_presets_dir().parent / "midi.toml"


def load_mapping(path: Path, *, missing_ok: bool = False) -> MidiMapping:
    """The mapping in `path`. A missing file is an empty mapping with `missing_ok`
    (learning will create it), else a `MidiError`, as is any bad key or value."""
    path = Path(path)
    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return MidiMapping(path=path)
        raise MidiError(f"{shown}: MIDI map not found; fix the path, or create it empty to learn into it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MidiError(f"{shown}: cannot read the MIDI map ({exc}); give a readable UTF-8 TOML file") from exc
    try:
        document = tomlkit.parse(text).unwrap()
    except TOMLKitError as exc:
        raise MidiError(f"{shown}: not valid TOML ({exc}); fix the syntax at that line") from exc
    try:
        return _mapping(document, path)
    except ValueError as exc:
        raise MidiError(f"{shown}: {exc}") from None


def _mapping(document: dict[str, Any], path: Path) -> MidiMapping:
    unknown = sorted(set(document) - {"cc", "note"})
    if unknown:
        raise ValueError(f'unknown key "{unknown[0]}"; use [[cc]] and [[note]] tables only')
    ccs = tuple(_cc(entry, f"cc[{index}]") for index, entry in enumerate(_tables(document, "cc")))
    notes = tuple(_note(entry, f"note[{index}]") for index, entry in enumerate(_tables(document, "note")))
    return MidiMapping(ccs, notes, path)


def _tables(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    entries = document.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ValueError(f"{key}: expected [[{key}]] tables; write each binding as a [[{key}]] table")
    return entries


def _cc(entry: dict[str, Any], where: str) -> CcBinding:
    _check_keys(entry, _CC_KEYS, where)
    target = _required(entry, "target", where)
    if not isinstance(target, str) or not target.startswith(PARAM_PREFIX) or not target[len(PARAM_PREFIX):].strip():
        raise ValueError(f'{where}.target = {target!r}: write "param:NAME" with a parameter name')
    takeover = entry.get("takeover", "pickup")
    if takeover not in TAKEOVERS:
        raise ValueError(f'{where}.takeover = {takeover!r}: choose "pickup" or "jump"')
    low, high = _bound(entry, "min", where), _bound(entry, "max", where)
    if low is not None and low == high:
        raise ValueError(f"{where}.max = {high!r}: equals min; give the knob a range")
    return CcBinding(_channel(entry, where), _number_0_127(entry, "control", where),
                     target[len(PARAM_PREFIX):].strip(), low, high, takeover)


def _note(entry: dict[str, Any], where: str) -> NoteBinding:
    _check_keys(entry, _NOTE_KEYS, where)
    action = _required(entry, "action", where)
    if not isinstance(action, str):
        raise ValueError(f'{where}.action = {action!r}: write an action name in quotes, e.g. "next"')
    try:
        action_event(action)
    except ValueError as exc:
        raise ValueError(f"{where}.action: {exc}") from None
    return NoteBinding(_channel(entry, where), _number_0_127(entry, "note", where), action.strip())


def _check_keys(entry: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ValueError(f'{where}: unknown key "{unknown[0]}"; use {", ".join(sorted(allowed))}')


def _required(entry: dict[str, Any], key: str, where: str) -> Any:
    if key not in entry:
        raise ValueError(f"{where}.{key}: missing; add {key} = ...")
    return entry[key]


def _whole(entry: dict[str, Any], key: str, where: str, low: int, high: int) -> int:
    value = _required(entry, key, where)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{where}.{key} = {value!r}: use a whole number from {low} to {high}")
    return value


def _channel(entry: dict[str, Any], where: str) -> int:
    return _whole(entry, "channel", where, 1, 16)


def _number_0_127(entry: dict[str, Any], key: str, where: str) -> int:
    return _whole(entry, key, where, 0, 127)


def _bound(entry: dict[str, Any], key: str, where: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}.{key} = {value!r}: use a number (or leave it out for the parameter's own {key})")
    return float(value)


def mapping_text(mapping: MidiMapping) -> str:
    """`mapping` as the TOML that `load_mapping` reads back equal."""
    document = tomlkit.document()
    document.add(tomlkit.comment("visualizer MIDI map: channels 1-16, controls and notes 0-127 (docs/midi.md)"))
    ccs = tomlkit.aot()
    for cc in mapping.ccs:
        table = {"channel": cc.channel, "control": cc.control, "target": cc.target}
        table |= {key: value for key, value in (("min", cc.low), ("max", cc.high)) if value is not None}
        ccs.append(tomlkit.item({**table, "takeover": cc.takeover}))
    notes = tomlkit.aot()
    for note in mapping.notes:
        notes.append(tomlkit.item({"channel": note.channel, "note": note.note, "action": note.action}))
    if mapping.ccs:
        document.add("cc", ccs)
    if mapping.notes:
        document.add("note", notes)
    return tomlkit.dumps(document)


def save_mapping(mapping: MidiMapping, path: Path | None = None) -> Path:
    """Write `mapping` to `path` (default: its own file, else `default_mapping_path()`),
    atomically, making the folder if needed; returns the path. `MidiError` if it cannot."""
    target = Path(path or mapping.path or default_mapping_path())
    try:
        os.makedirs(target.parent if str(target.parent) else ".", exist_ok=True)
        write_atomic(target, mapping_text(mapping))
    except OSError as exc:
        raise MidiError(f"{shown_path(target)}: cannot save the MIDI map ({exc.strerror or exc}); "
                        "make its folder writable or pass --midi-map FILE") from exc
    return target
