"""Preset parameters that follow the music: audio features, beat-synced LFOs
and beat, bar, section and drop triggers turned into uniform values, one `step`
per video frame.

Presets hold data only (`ParamSpec`, `Modulation`, `Trigger`); no expression
is ever evaluated. Given the same features sequence and seed the outputs are
identical; triggers depend on the beat, bar, section and drop counts in the
features, and only attack/release smoothing carries state (warmed up by earlier
frames).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from visualizer.features.frame import FrameFeatures
from visualizer.features.smoothing import AttackRelease
from visualizer.params.sources import source_level
from visualizer.params.triggers import apply_trigger
from visualizer.preset.modulation_check import check_modulation, coerce_value, modulation_problems
from visualizer.preset.modulation_spec import Modulation, ParamSpec, Trigger, Value
from visualizer.preset.spec import PresetSpec


def _clamp(value: float, low: float | None, high: float | None) -> float:
    if low is not None:
        value = max(low, value)
    return min(high, value) if high is not None else value


def _amounts(mod: Modulation) -> tuple[float, float]:
    amount = mod.amount
    if isinstance(amount, (tuple, list)):
        return float(amount[0]), float(amount[1])
    return amount, amount


def _modulated(param: ParamSpec, value: Value, lanes: list[tuple[Modulation, float]]) -> Value:
    """Apply the smoothed levels (0..1) of the param's modulations to `value`."""
    if param.type == "bool":
        return any(level > 0.5 for _, level in lanes)
    if param.type == "color":
        for mod, level in lanes:
            t = min(1.0, max(0.0, mod.amount * level))
            value = tuple(a + (b - a) * t for a, b in zip(value, mod.to))
        return value
    span = param.span()
    if param.type == "vec2":
        offsets = [sum(_amounts(mod)[i] * level for mod, level in lanes) * span for i in (0, 1)]
        return tuple(v + o for v, o in zip(value, offsets))
    return value + sum(mod.amount * level for mod, level in lanes) * span


def _finished(param: ParamSpec, value: Value) -> Value:
    """Clamp to the param's range; int and choice rounded to a whole number."""
    low, high = param.bounds()
    if param.type in ("color", "vec2"):
        return tuple(_clamp(float(v), low, high) for v in value)
    if param.type in ("int", "choice"):
        whole = math.floor(value + 0.5)
        return int(_clamp(whole, None if low is None else math.ceil(low),
                          None if high is None else math.floor(high)))
    if param.type == "float":
        return _clamp(float(value), low, high)
    return value


class ModulationEngine:
    """Turns parameter specs, modulations and triggers into uniform values per frame.

    `frame_rate` (frames per second) sets the attack/release step; `seed`
    drives the random triggers. Raises ValueError listing every problem if the
    specs do not fit together (the preset loader normally reports them first).
    """

    def __init__(self, params: Sequence[ParamSpec], modulations: Sequence[Modulation],
                 triggers: Sequence[Trigger], seed: int, frame_rate: float) -> None:
        problems = check_modulation(params, modulations, triggers)
        if not (math.isfinite(frame_rate) and frame_rate > 0):
            problems.append(f"frame_rate: expected frames per second > 0, got {frame_rate!r}")
        if problems:
            raise ValueError("\n".join(problems))
        self.params = tuple(params)
        self.modulations = tuple(modulations)
        self.triggers = tuple(triggers)
        self.seed = int(seed)
        self.frame_rate = float(frame_rate)
        self._specs = {param.name: param for param in self.params}
        self._base = {param.name: coerce_value(param, param.default) for param in self.params}
        self._triggers_of = {
            param.name: tuple(t for t in self.triggers if t.param == param.name)
            for param in self.params
        }
        self._smoothers: list[AttackRelease] = []
        self.reset()

    def reset(self) -> None:
        """Forget the attack/release state (as a new engine would)."""
        dt = 1.0 / self.frame_rate
        self._smoothers = [AttackRelease(mod.attack, mod.release, dt) for mod in self.modulations]

    def smoothing_state(self) -> list[AttackRelease]:
        """The attack/release followers, one per modulation (live objects): with
        `restore_smoothing`, the only state `step` carries from frame to frame."""
        return self._smoothers

    def restore_smoothing(self, smoothers: list[AttackRelease]) -> None:
        """Continue from another engine's `smoothing_state` (same modulations);
        ValueError, nothing changed, for a list that does not fit."""
        if len(smoothers) != len(self.modulations) or not all(isinstance(s, AttackRelease) for s in smoothers):
            raise ValueError("the smoothing state is of other modulations")
        self._smoothers = list(smoothers)

    def base(self, name: str) -> Value:
        """The param's current base: its default, or what `set_base` gave it."""
        return self._base[name]

    def set_base(self, name: str, value: object) -> None:
        """Replace the param's default as its base (an editor or MIDI value).

        A choice takes an index or an option name. KeyError for an unknown
        param, ValueError for a value that does not fit its type.
        """
        if name not in self._specs:
            raise KeyError(f'unknown parameter "{name}"')
        self._base[name] = coerce_value(self._specs[name], value)

    def set_amount(self, index: int, amount: object) -> None:
        """Replace the amount of modulation `index` (0-based, file order): an
        editor, MIDI or OSC value. Its smoothing state carries on.

        IndexError for no such modulation, ValueError for an amount that does
        not fit its param (a number; for a vec2 also an (x, y) pair).
        """
        if not 0 <= index < len(self.modulations):
            raise IndexError(f"no modulation {index}: the preset has {len(self.modulations)}")
        amount = tuple(amount) if isinstance(amount, list) else amount
        changed = replace(self.modulations[index], amount=amount)
        problems = modulation_problems(self.params, [changed])
        if problems:
            raise ValueError("\n".join(p.replace("modulations[1]", f"modulations[{index + 1}]", 1) for p in problems))
        self.modulations = (*self.modulations[:index], changed, *self.modulations[index + 1:])

    def step(self, features: FrameFeatures, dt: float | None = None) -> dict[str, Value]:
        """Every param's value for this frame, in spec order (unmodulated ones at base).

        Call once per frame, in frame order: smoothing advances by `dt` seconds
        (default 1 / frame_rate; the live clock passes what it measured).
        """
        lanes: dict[str, list[tuple[Modulation, float]]] = {}
        for mod, smoother in zip(self.modulations, self._smoothers):
            level = smoother.step(source_level(mod, features), dt)
            lanes.setdefault(mod.param, []).append((mod, level))
        values: dict[str, Value] = {}
        for param in self.params:
            value = self._base[param.name]
            triggers = self._triggers_of[param.name]
            if not triggers and param.name not in lanes:
                values[param.name] = value
                continue
            for trigger in triggers:
                value = apply_trigger(trigger, param, value, self.seed, features)
            if param.name in lanes:
                value = _modulated(param, value, lanes[param.name])
            values[param.name] = _finished(param, value)
        return values


def modulation_engine(preset: PresetSpec, frame_rate: float) -> ModulationEngine:
    """The engine turning features into this preset's parameter values per frame."""
    return ModulationEngine(preset.params, preset.modulations, preset.triggers, preset.seed, frame_rate)
