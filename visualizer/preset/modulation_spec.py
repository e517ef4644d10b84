"""Frozen specs for preset parameters, their modulations and beat triggers.

CPU-side data only (no GL, no TOML): the preset loader fills these in and
`visualizer.params.engine.ModulationEngine` turns them into uniform values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from visualizer.features.frame import FEATURE_RANGES

ParamType = Literal["float", "int", "bool", "color", "vec2", "choice", "palette"]
Curve = Literal["linear", "smooth", "exp", "log", "square", "sqrt"]
LfoShape = Literal["sine", "triangle", "saw", "square"]
TriggerUnit = Literal["beat", "bar", "section", "drop"]
TriggerAction = Literal["random", "toggle", "step"]

PARAM_TYPES: tuple[str, ...] = get_args(ParamType)
CURVES: tuple[str, ...] = get_args(Curve)
"""Curve names; each maps 0..1 onto 0..1 with 0 -> 0 and 1 -> 1."""
LFO_SHAPES: tuple[str, ...] = get_args(LfoShape)
TRIGGER_UNITS: tuple[str, ...] = get_args(TriggerUnit)
TRIGGER_ACTIONS: tuple[str, ...] = get_args(TriggerAction)
LFO_SOURCE = "lfo"
"""The `source` of a beat-synced low-frequency oscillator."""

Value = float | int | bool | str | tuple[float, ...]
"""A parameter value: float, int, bool, choice index (int), palette name (str),
color (r, g, b) 0..1 or vec2 (x, y)."""


@dataclass(frozen=True)
class ParamSpec:
    """One preset parameter, sent to shaders as a uniform named `name`.

    `default` by type: float -> float, int -> int, bool -> bool, color -> (r, g, b)
    0..1, vec2 -> (x, y), choice -> index into `choices`, palette -> a name.
    `min`/`max` bound float, int and (per component) vec2 values; `step` is the
    editor's increment (an int param steps through its range by it).
    """

    name: str
    type: ParamType
    default: Value
    min: float | None = None
    max: float | None = None
    step: float | None = None
    label: str = ""
    group: str = ""
    choices: tuple[str, ...] = ()

    def bounds(self) -> tuple[float | None, float | None]:
        """The value range: choice (0, options - 1), color (0, 1), else (min, max)."""
        if self.type == "choice":
            return 0.0, float(max(0, len(self.choices) - 1))
        if self.type == "color":
            return 0.0, 1.0
        return self.min, self.max

    def span(self) -> float:
        """max - min, the size of a full-amount modulation; 1 if a bound is missing."""
        low, high = self.bounds()
        return high - low if low is not None and high is not None else 1.0


@dataclass(frozen=True)
class Modulation:
    """A parameter following an audio feature or a beat-synced LFO.

    Each frame the source is mapped from `source_range` (None: the feature's
    usual range, 0..1 for most; a reversed range inverts) onto 0..1, clamped,
    shaped by `curve`, then smoothed: rises take `attack` seconds and falls
    `release` seconds to cover 1 - 1/e of the way (0 = instant). With that
    level L in 0..1:

    - float, int, choice: base + amount * L * (max - min), clamped to the range;
      int and choice rounded. Several modulations of one param add up.
    - vec2: the same per component; `amount` is a number or an (x, y) pair.
    - bool: on while L > 0.5 (amount ignored); several: on if any is.
    - color: mix(base, `to`, clamp(amount * L, 0, 1)); several apply in order.

    LFO (`source` = "lfo"): `shape` sine|triangle|saw|square, one cycle per
    `period` beats, shifted by `phase` (0..1 of a cycle), locked to the beat
    grid so that periods of 4, 8, ... beats start on a downbeat. Unipolar 0..1:
    sine and triangle start at 0.5 rising (peak at 1/4 cycle), saw rises 0 -> 1,
    square is 1 for the first half of the cycle.
    """

    param: str
    source: str
    amount: float | tuple[float, float] = 1.0
    curve: Curve = "linear"
    attack: float = 0.0
    release: float = 0.0
    to: tuple[float, float, float] | None = None
    shape: LfoShape = "sine"
    period: float = 1.0
    phase: float = 0.0
    source_range: tuple[float, float] | None = None


@dataclass(frozen=True)
class Trigger:
    """A change on the music: every `every` beats, bars, new sections or drops (`on`).

    Beats and bars are counted on the bar grid from the first downbeat (index
    0; bars follow the features' `bar_phase`, `beats_per_bar` beats each). The
    trigger fires on that downbeat and whenever the index becomes a multiple of
    `every` (every=4 beats in 4/4: each downbeat; every=2 bars: bars 0, 2, 4, ...).
    Section changes and drops count the same way from the first one (the
    features' `section` 1, `drop_count` 1): every=2 sections fires as sections
    1, 3, 5, ... begin. Before its first firing (no beat yet, pickup beats, the
    first section, no drop yet) the param sits at its base.

    - random: a new value per firing, from (seed, param, firing index) alone,
      uniform in [min, max] (None: the param's range; colors 0..1 per
      channel; bool a coin flip). int and choice never repeat the previous
      value (with two options they alternate).
    - toggle (bool): flips at each firing.
    - step (choice, int): advances one option (an int by its `step`, default 1)
      per firing, wrapping within [min, max].
    Triggers apply to the base in order; modulations then add on top.
    """

    param: str
    action: TriggerAction
    on: TriggerUnit = "beat"
    every: int = 1
    min: float | None = None
    max: float | None = None


def modulation_sources() -> tuple[str, ...]:
    """Every valid `Modulation.source`: the scalar audio features, then "lfo"."""
    return (*FEATURE_RANGES, LFO_SOURCE)
