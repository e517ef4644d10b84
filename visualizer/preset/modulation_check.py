"""Checks for parameter values, modulations and triggers: one message per problem.

Messages read `modulations[2].source: unknown source "bas"; did you mean "bass"?`
(indices from 1, as the preset loader numbers tables) for the loader to prefix.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from visualizer.naming import did_you_mean, suggestion
from visualizer.preset.palettes import palette_coefficients
from visualizer.preset.modulation_spec import (
    modulation_sources,
    CURVES,
    LFO_SHAPES,
    LFO_SOURCE,
    PARAM_TYPES,
    TRIGGER_ACTIONS,
    TRIGGER_UNITS,
    Modulation,
    ParamSpec,
    Trigger,
    Value,
)

_LENGTHS = {"color": 3, "vec2": 2}
INT_LIMITS = (-(2**31), 2**31 - 1)
"""A GLSL int is 32 bits: an int parameter's values, bounds and reach stay inside."""


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _numbers(value: object, length: int) -> bool:
    """A tuple or list of `length` finite numbers."""
    return isinstance(value, (tuple, list)) and len(value) == length and all(map(_number, value))


def _one_of(value: str, options: Sequence[str], what: str) -> str | None:
    """None if `value` is an option, else a message with a "did you mean"."""
    if value in options:
        return None
    return f'unknown {what} "{value}"; {did_you_mean(value, options, listing="expected one of ")}'


def _unknown_unit(value: str) -> str:
    """`unknown on "x"`, a "did you mean" if one is close, and every unit (they are few)."""
    listing = f"expected one of {', '.join(TRIGGER_UNITS)}"
    close = suggestion(value, TRIGGER_UNITS)
    return f'unknown on "{value}"; ' + (f"{close} ({listing})" if close else listing)


def coerce_value(param: ParamSpec, value: object) -> Value:
    """`value` as `param`'s type (a choice also by option name); ValueError if unusable."""
    kind = param.type
    if kind in _LENGTHS:
        if not _numbers(value, _LENGTHS[kind]):
            raise ValueError(f"expected {_LENGTHS[kind]} numbers, got {value!r}")
        return tuple(float(v) for v in value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind == "palette":
        palette_coefficients(value)  # raises ValueError with a "did you mean"
        return value if isinstance(value, str) else tuple(tuple(float(v) for v in row) for row in value)
    if kind == "choice" and isinstance(value, str) and value in param.choices:
        return param.choices.index(value)
    if not _number(value):
        raise ValueError(f"expected a number, got {value!r}")
    if kind == "float":
        return float(value)
    if value != round(value):
        raise ValueError(f"expected a whole number, got {value!r}")
    if kind == "choice" and not 0 <= value < len(param.choices):
        raise ValueError(f"choice index {value!r} out of range 0..{len(param.choices) - 1}")
    if not INT_LIMITS[0] <= value <= INT_LIMITS[1]:
        raise ValueError(f"{value!r} is past the 32-bit range of a GLSL int ({INT_LIMITS[0]}..{INT_LIMITS[1]})")
    return int(value)


def param_problems(params: Sequence[ParamSpec]) -> list[str]:
    """Duplicate names, unknown types, min above max and defaults that do not fit."""
    problems, seen = [], set()
    for index, param in enumerate(params, 1):
        if param.name in seen:
            problems.append(f'params[{index}].name: "{param.name}" is defined twice')
        seen.add(param.name)
        if message := _one_of(param.type, PARAM_TYPES, "type"):
            problems.append(f"params[{index}].type: {message}")
            continue
        if _number(param.min) and _number(param.max) and param.min > param.max:
            problems.append(f"params[{index}].min: {param.min} is above max {param.max}")
        try:
            coerce_value(param, param.default)
        except ValueError as exc:
            problems.append(f"params[{index}].default: {exc}")
    return problems


def _target(
    name: str, params: dict[str, ParamSpec], where: str
) -> tuple[ParamSpec | None, list[str]]:
    if name not in params:
        return None, [f"{where}.param: {_one_of(name, list(params), 'parameter')}"]
    if params[name].type == "palette":
        return None, [f'{where}.param: "{name}" is a palette; palettes cannot be modulated']
    return params[name], []


def _amount_problems(mod: Modulation, param: ParamSpec, where: str) -> list[str]:
    amount, problems = mod.amount, []
    if not (_number(amount) or (param.type == "vec2" and _numbers(amount, 2))):
        wanted = "a number or an (x, y) pair" if param.type == "vec2" else "a number"
        problems.append(f"{where}.amount: expected {wanted}, got {amount!r}")
    if param.type == "color":
        if not _numbers(mod.to, 3):
            problems.append(f"{where}.to: expected a color (r, g, b) to mix toward, got {mod.to!r}")
    elif mod.to is not None:
        problems.append(f'{where}.to: only colors take "to" ("{param.name}" is {param.type})')
    return problems


def _source_problems(mod: Modulation, where: str) -> list[str]:
    lfo = mod.source == LFO_SOURCE
    problems = [f"{where}.{key}: {message}" for key, message in (
        ("source", _one_of(mod.source, modulation_sources(), "source")),
        ("curve", _one_of(mod.curve, CURVES, "curve")),
        ("shape", _one_of(mod.shape, LFO_SHAPES, "LFO shape") if lfo else None),
    ) if message]
    for key in ("attack", "release"):
        if not (_number(getattr(mod, key)) and getattr(mod, key) >= 0):
            problems.append(f"{where}.{key}: expected seconds >= 0, got {getattr(mod, key)!r}")
    if not (_number(mod.period) and mod.period > 0):
        problems.append(f"{where}.period: expected beats > 0, got {mod.period!r}")
    if not _number(mod.phase):
        problems.append(f"{where}.phase: expected a fraction of a cycle, got {mod.phase!r}")
    span = mod.source_range
    if span is not None and not (_numbers(span, 2) and span[0] != span[1]):
        problems.append(f"{where}.range: expected two different numbers, got {span!r}")
    return problems


def modulation_problems(
    params: Sequence[ParamSpec], modulations: Sequence[Modulation]
) -> list[str]:
    """Every problem in `modulations` (unknown params, sources, curves, bad numbers)."""
    by_name = {param.name: param for param in params}
    problems: list[str] = []
    for index, mod in enumerate(modulations, 1):
        where = f"modulations[{index}]"
        param, found = _target(mod.param, by_name, where)
        problems += found + _source_problems(mod, where)
        if param is not None:
            problems += _amount_problems(mod, param, where)
    return problems + _int_reach_problems(params, modulations)


def _int_reach_problems(params: Sequence[ParamSpec], modulations: Sequence[Modulation]) -> list[str]:
    """An int parameter without min and max must not be modulated past a GLSL int:
    its default plus every amount that moves it stays inside INT_LIMITS."""
    problems = []
    for param in params:
        if param.type != "int" or (param.min is not None and param.max is not None) or not _number(param.default):
            continue
        amounts = [abs(mod.amount) for mod in modulations if mod.param == param.name and _number(mod.amount)]
        reach = abs(param.default) + sum(amounts)
        if amounts and reach > INT_LIMITS[1]:
            problems.append(f"params.{param.name}: modulations can move it to {reach:g}, past the 32-bit range"
                            " of a GLSL int; give it min and max")
    return problems


_ACTION_TYPES = {"random": ("float", "int", "bool", "color", "vec2", "choice"),
                 "toggle": ("bool",), "step": ("int", "choice")}


def _trigger_problem(trigger: Trigger, param: ParamSpec) -> str | None:
    """A message if the action does not fit the param or its range is unknown."""
    allowed = _ACTION_TYPES.get(trigger.action, ())
    if param.type not in allowed:
        kinds = " or ".join(allowed)
        return f'"{trigger.action}" needs a {kinds} parameter; "{param.name}" is {param.type}'
    low, high = param.bounds()
    low = trigger.min if trigger.min is not None else low
    high = trigger.max if trigger.max is not None else high
    if param.type in ("float", "int", "vec2") and (low is None or high is None):
        return f'"{param.name}" has no min/max: give the trigger min and max'
    if _number(low) and _number(high) and low > high:
        return f"min {low} is above max {high}"
    if param.type == "int" and not all(INT_LIMITS[0] <= v <= INT_LIMITS[1] for v in (low, high) if _number(v)):
        return f"min and max must stay in the 32-bit range of a GLSL int ({INT_LIMITS[0]}..{INT_LIMITS[1]})"
    return None


def trigger_problems(params: Sequence[ParamSpec], triggers: Sequence[Trigger]) -> list[str]:
    """Every problem in `triggers` (unknown params, actions, units, ranges)."""
    by_name = {param.name: param for param in params}
    problems: list[str] = []
    for index, trigger in enumerate(triggers, 1):
        where = f"triggers[{index}]"
        param, found = _target(trigger.param, by_name, where)
        problems += found
        if message := _one_of(trigger.action, TRIGGER_ACTIONS, "action"):
            problems.append(f"{where}.action: {message}")
        if trigger.on not in TRIGGER_UNITS:
            problems.append(f"{where}.on: {_unknown_unit(trigger.on)}")
        every = trigger.every
        if not (isinstance(every, int) and not isinstance(every, bool) and every >= 1):
            problems.append(f"{where}.every: expected a whole number >= 1, got {trigger.every!r}")
        for key in ("min", "max"):
            if getattr(trigger, key) is not None and not _number(getattr(trigger, key)):
                problems.append(f"{where}.{key}: expected a number, got {getattr(trigger, key)!r}")
        if param is not None and trigger.action in TRIGGER_ACTIONS:
            if message := _trigger_problem(trigger, param):
                problems.append(f"{where}.action: {message}")
    return problems


def check_modulation(params: Sequence[ParamSpec], modulations: Sequence[Modulation],
                     triggers: Sequence[Trigger]) -> list[str]:
    """Every problem as `key: message` lines (`params[1].default: ...`, indices from 1)."""
    return (param_problems(params) + modulation_problems(params, modulations)
            + trigger_problems(params, triggers))
