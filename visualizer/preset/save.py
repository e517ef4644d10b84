"""Write parameter values back into a preset TOML, keeping everything else.

Only the values change: `[params]` shorthand entries (`exposure = 1.0`,
`tint = [1.0, 0.0, 0.0]`) get the new value in place, full tables
(`[params.spread]`, or an inline `{ type = ..., default = ... }`) get a new
`default` (a choice by its option name); a post-chain setting
(`bloom_strength`) goes to its `[post.bloom]` table. Comments, key order, blank lines
and every other table stay byte for byte; a value equal to what the file
already says is not rewritten at all (so `1` stays `1`, not `1.0`).

The file is written atomically (visualizer/atomic.py: a temporary file in
the same folder, then `os.replace`), so a reader (the hot-reload watcher)
never sees half a file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import InlineTable, Item, Table

from visualizer.atomic import write_atomic
from visualizer.errors import PresetError
from visualizer.preset.modulation_check import coerce_value
from visualizer.preset.modulation_spec import ParamSpec, Value
from visualizer.preset.post import POST_EFFECTS


def save_params(path: Path, values: Mapping[str, Value], specs: Sequence[ParamSpec],
                target: Path | None = None, *,
                modulation_amounts: Mapping[int, float | Sequence[float]] | None = None) -> None:
    """Write `values` (by param name, typed as `specs` says) into the preset at
    `path`, saving to `target` ("Save as") or back to `path`.

    `modulation_amounts` (optional) sets the `amount` of `[[modulations]]`
    tables by their index from 0 (a number, or [x, y] for a vec2).

    Raises `PresetError` for a file that cannot be read, parsed or written, a
    name with no spec, a param the file's `[params]` does not define, or a value
    that does not fit its param's type.
    """
    path = Path(path)
    target = Path(target) if target is not None else path
    try:
        with open(path, encoding="utf-8", newline="") as file:  # keep \r\n if the file has them
            text = file.read()
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError, TOMLKitError) as exc:
        raise PresetError(f"{path}: cannot read the preset to save it ({exc})") from exc
    by_name = {spec.name: spec for spec in specs}
    params = document.get("params")
    settings = _post_settings(document)
    for name, value in values.items():
        if name not in by_name:
            raise PresetError(f'{path}: unknown parameter "{name}"')
        if name in settings and not (isinstance(params, Mapping) and name in params):
            _set_post(document["post"], *settings[name], by_name[name], value)
            continue
        if not isinstance(params, Mapping):
            raise PresetError(f"{path}: no [params] table to save values into")
        if name not in params:
            raise PresetError(f'{path}: [params] has no "{name}" to save into')
        _set(params, name, by_name[name], value, path)
    _set_amounts(document, modulation_amounts or {}, path)
    _write_atomic(target, tomlkit.dumps(document), mode_from=path)


def toml_value(spec: ParamSpec, value: object) -> object:
    """`value` checked against `spec` and shaped for TOML: floats, ints, bools,
    lists for color/vec2, a choice as its option name."""
    try:
        typed = coerce_value(spec, value)
    except ValueError as exc:
        raise PresetError(f"params.{spec.name}: {exc}") from exc
    if spec.type == "choice":
        return spec.choices[typed]
    if spec.type == "palette" and isinstance(typed, tuple):
        return [[float(v) for v in row] for row in typed]
    if isinstance(typed, tuple):
        return [float(v) for v in typed]
    return typed


def _set(params, name: str, spec: ParamSpec, value: object, path: Path) -> None:
    new = toml_value(spec, value)
    current = params[name]
    if isinstance(current, (Table, InlineTable)) or isinstance(current, dict):
        if "default" not in current:
            raise PresetError(f"{path}: params.{name} has no default to save into")
        if not _same(spec, current["default"], new):
            current["default"] = _like(current["default"], new)
        return
    if not _same(spec, current, new):
        params[name] = _like(current, new)


def _post_settings(document) -> dict[str, tuple[str, str]]:
    """Parameter name -> (effect, setting) for the effects in `[post] chain`."""
    post = document.get("post")
    chain = post.get("chain", []) if isinstance(post, Mapping) else []
    return {f"{effect}_{setting}": (effect, setting)
            for effect in chain if effect in POST_EFFECTS for setting in POST_EFFECTS[effect]}


def _set_post(post, effect: str, setting: str, spec: ParamSpec, value: object) -> None:
    """A post-chain setting into `[post.<effect>]`, added only when it changes."""
    new = toml_value(spec, value)
    table = post.get(effect)
    current = table.get(setting) if isinstance(table, Mapping) else None
    if _same(spec, current if current is not None else POST_EFFECTS[effect][setting][0], new):
        return
    if not isinstance(table, Mapping):
        post[effect] = table = tomlkit.table()
    table[setting] = _like(current, new) if current is not None else new


def _set_amounts(document, amounts: Mapping[int, float | Sequence[float]], path: Path) -> None:
    if not amounts:
        return
    tables = document.get("modulations")
    if not isinstance(tables, list):
        raise PresetError(f"{path}: no [[modulations]] to save amounts into")
    for index, amount in amounts.items():
        if not 0 <= index < len(tables):
            raise PresetError(f"{path}: no modulation {index + 1} to save its amount into")
        if isinstance(amount, (tuple, list)):
            new: object = [float(v) for v in amount]
        elif isinstance(amount, (int, float)) and not isinstance(amount, bool):
            new = float(amount)
        else:
            raise PresetError(f"modulations[{index + 1}].amount: expected a number or [x, y], got {amount!r}")
        table = tables[index]
        old = table.get("amount")
        plain = old.unwrap() if isinstance(old, Item) else old
        if old is None:
            table["amount"] = new
        elif plain != new:
            table["amount"] = _like(old, new)


def _same(spec: ParamSpec, old: object, new: object) -> bool:
    """Whether the file's value already means `new` (then it is left alone)."""
    old = old.unwrap() if isinstance(old, Item) else old
    try:
        return coerce_value(spec, old) == coerce_value(spec, new)
    except ValueError:
        return False


def _like(old: object, new: object) -> Item:
    """`new` as a tomlkit item keeping `old`'s trailing comment and spacing."""
    item = tomlkit.item(new)
    if isinstance(old, Item):
        item.trivia.indent = old.trivia.indent
        item.trivia.comment_ws = old.trivia.comment_ws
        item.trivia.comment = old.trivia.comment
        item.trivia.trail = old.trivia.trail
    return item


def _write_atomic(target: Path, text: str, mode_from: Path) -> None:
    """`text` to `target` atomically, keeping its mode (or `mode_from`'s for a new file)."""
    try:
        write_atomic(target, text, mode_from=mode_from)
    except OSError as exc:
        raise PresetError(f"{target}: cannot save the preset ({exc})") from exc
