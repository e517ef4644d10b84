"""The [params], [[modulations]] and [[triggers]] of a preset TOML document.

    [params]
    exposure = 1.0                      # shorthand: a float, no range
    tint = [1.0, 0.4, 0.8]              # shorthand: a color ([x, y]: a vec2)
    [params.openness]                   # full form
    type = "float"                      # float|int|bool|color|vec2|choice|palette
    default = 0.6
    min = 0.0
    max = 1.0

Structural problems (a value of the wrong kind) are reported here; the
semantic checks (unknown sources, ranges, actions) come from
`modulation_check`, keyed like the TOML (`modulations[2].source`).
"""

from __future__ import annotations

import math
import re
from typing import Any

from visualizer.preset.modulation_spec import Modulation, ParamSpec, Trigger
from visualizer.preset.modulation_check import INT_LIMITS, coerce_value, modulation_problems, trigger_problems
from visualizer.printable import quoted

PARAM_KEYS = ("type", "default", "min", "max", "step", "label", "group", "choices", "description")
MODULATION_KEYS = ("param", "source", "amount", "curve", "attack", "release", "to", "shape", "period",
                   "phase", "range")
TRIGGER_KEYS = ("param", "action", "on", "every", "min", "max")
SUPPORTED_TYPES = ("float", "int", "bool", "color", "vec2", "choice", "palette")
_SHORTHAND_VECTORS = {2: "vec2", 3: "color"}
_NUMBER_KEYS = ("min", "max", "step", "attack", "release", "period", "phase")
_TEXT_KEYS = ("label", "group", "description")
_GLSL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""A parameter is a uniform of the same name, so its name is a GLSL identifier."""


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numbers(value: Any) -> bool:
    return isinstance(value, list) and all(_number(v) for v in value)


def parse_params(table: dict, problems) -> tuple[ParamSpec, ...]:
    """ParamSpecs from the [params] table (shorthand numbers or sub-tables)."""
    params = []
    for name, raw in table.items():
        key = f"params.{name}"
        if not _GLSL_NAME.fullmatch(name):
            problems.add(key, "a parameter's name is the name of its uniform: letters, digits and _,"
                              " not starting with a digit")
        elif _number(raw):
            params.append(_coerced(ParamSpec(name, "float", raw), key, problems))
        elif _numbers(raw) and len(raw) in _SHORTHAND_VECTORS:
            params.append(_coerced(ParamSpec(name, _SHORTHAND_VECTORS[len(raw)], tuple(raw)), key, problems))
        elif isinstance(raw, dict):
            spec = _param_table(name, raw, key, problems)
            if spec is not None:
                params.append(spec)
        else:
            problems.add(key, f"expected a number, [x, y], [r, g, b] or a table with type and default,"
                              f" got {_describe(raw)}")
    return tuple(params)


def _param_table(name: str, raw: dict, key: str, problems) -> ParamSpec | None:
    problems.unknown_keys(raw, PARAM_KEYS, f"{key}.")
    kind = raw.get("type", "float")
    if kind not in SUPPORTED_TYPES:
        problems.add(f"{key}.type", f'expected one of {", ".join(SUPPORTED_TYPES)}, got {_describe(kind)}')
        return None
    for bound in ("min", "max", "step"):
        if bound in raw and not (_number(raw[bound]) and math.isfinite(raw[bound])):
            problems.add(f"{key}.{bound}", f"expected a finite number, got {_describe(raw[bound])}")
            return None
        if bound in raw and kind == "int" and not INT_LIMITS[0] <= raw[bound] <= INT_LIMITS[1]:
            problems.add(f"{key}.{bound}", f"{raw[bound]:g} is past the 32-bit range of a GLSL int"
                                           f" ({INT_LIMITS[0]}..{INT_LIMITS[1]})")
            return None
    for text in _TEXT_KEYS:
        if text in raw and not isinstance(raw[text], str):
            problems.add(f"{key}.{text}", f"expected a string, got {_describe(raw[text])}")
            return None
    choices = raw.get("choices", [])
    if not (isinstance(choices, list) and all(isinstance(c, str) for c in choices)):
        problems.add(f"{key}.choices", "expected a list of names")
        return None
    if kind == "choice" and not choices:
        problems.add(f"{key}.choices", "a choice parameter needs its list of choices")
        return None
    spec = ParamSpec(name, kind, raw.get("default", 0.0), raw.get("min"), raw.get("max"), raw.get("step"),
                     str(raw.get("label", "")), str(raw.get("group", "")), tuple(choices))
    if "default" not in raw:
        problems.add(f"{key}.default", "expected a default value")
        return None
    return _coerced(spec, key, problems)


def _coerced(spec: ParamSpec, key: str, problems) -> ParamSpec:
    """`spec` with its default in its type; a bad default is reported and replaced
    by a neutral one, so later checks do not also trip over a missing parameter."""
    low, high = spec.min, spec.max
    if low is not None and high is not None and low > high:
        problems.add(f"{key}.min", f"{low} is above max {high}")
        low = high = None
    try:
        default = coerce_value(spec, spec.default)
        if spec.type in ("float", "int") and not _inside(default, low, high):
            problems.add(f"{key}.default", f"{default} is outside min..max ({low}..{high})")
            default = min(max(default, low if low is not None else default), high if high is not None else default)
    except ValueError as exc:
        problems.add(f"{key}.default", str(exc))
        default = _NEUTRAL[spec.type]
    return ParamSpec(spec.name, spec.type, default, low, high, spec.step, spec.label, spec.group, spec.choices)


_NEUTRAL = {"float": 0.0, "int": 0, "bool": False, "color": (0.0, 0.0, 0.0), "vec2": (0.0, 0.0), "choice": 0,
            "palette": "rainbow"}


def _inside(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def parse_modulations(raw: Any, problems) -> tuple[Modulation, ...]:
    """Modulations from the [[modulations]] array."""
    mods = []
    for index, table in enumerate(_tables(raw, "modulations", problems), 1):
        key = f"modulations[{index}]"
        problems.unknown_keys(table, MODULATION_KEYS, f"{key}.")
        if not _fields_ok(table, key, problems, text=("param", "source", "curve", "shape")):
            continue
        amount = table.get("amount", 1.0)
        mods.append(Modulation(
            table.get("param", ""), table.get("source", ""),
            tuple(float(v) for v in amount) if isinstance(amount, list) else float(amount),
            table.get("curve", "linear"), float(table.get("attack", 0.0)), float(table.get("release", 0.0)),
            tuple(float(v) for v in table["to"]) if "to" in table else None,
            table.get("shape", "sine"), float(table.get("period", 1.0)), float(table.get("phase", 0.0)),
            tuple(float(v) for v in table["range"]) if "range" in table else None,
        ))
    return tuple(mods)


def parse_triggers(raw: Any, problems) -> tuple[Trigger, ...]:
    """Triggers from the [[triggers]] array."""
    triggers = []
    for index, table in enumerate(_tables(raw, "triggers", problems), 1):
        key = f"triggers[{index}]"
        problems.unknown_keys(table, TRIGGER_KEYS, f"{key}.")
        if not _fields_ok(table, key, problems, text=("param", "action", "on")):
            continue
        every = table.get("every", 1)
        if not (isinstance(every, int) and not isinstance(every, bool) and every >= 1):
            problems.add(f"{key}.every", f"expected a whole number of 1 or more, got {_describe(every)}")
            continue
        triggers.append(Trigger(table.get("param", ""), table.get("action", ""), table.get("on", "beat"),
                                every, table.get("min"), table.get("max")))
    return tuple(triggers)


def semantic_problems(params, modulations, triggers, problems) -> None:
    """Unknown params, sources, curves, actions and ranges, keyed like the TOML."""
    for line in modulation_problems(params, modulations) + trigger_problems(params, triggers):
        key, _, message = line.partition(": ")
        problems.add(key, message)


def _tables(raw: Any, name: str, problems) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        problems.add(name, f"expected [[{name}]] tables")
        return []
    return raw


def _fields_ok(table: dict, key: str, problems, text: tuple[str, ...]) -> bool:
    ok = True
    for field in text:
        if field in table and not isinstance(table[field], str):
            problems.add(f"{key}.{field}", f"expected a name, got {_describe(table[field])}")
            ok = False
    for field in _NUMBER_KEYS:
        if field in table and table[field] is not None and not _number(table[field]):
            problems.add(f"{key}.{field}", f"expected a number, got {_describe(table[field])}")
            ok = False
    amount = table.get("amount")
    if amount is not None and not (_number(amount) or _numbers(amount)):
        problems.add(f"{key}.amount", f"expected a number or [x, y], got {_describe(amount)}")
        ok = False
    for field, size in (("to", 3), ("range", 2)):
        value = table.get(field)
        if value is not None and not (_numbers(value) and len(value) == size):
            problems.add(f"{key}.{field}", f"expected {size} numbers, got {_describe(value)}")
            ok = False
    return ok


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "a table" if isinstance(value, dict) else "a list" if isinstance(value, list) else repr(value)
