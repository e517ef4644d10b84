"""Modulation sources: audio features, the beat clock, LFOs and curves (pure math)."""

from __future__ import annotations

import math
from collections.abc import Callable

from visualizer.features.frame import FEATURE_RANGES, FrameFeatures
from visualizer.preset.modulation_spec import LFO_SOURCE, Modulation


_EXP_K = 4.0
_EXP_SCALE = math.expm1(_EXP_K)
_CURVE_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "linear": lambda x: x,
    "smooth": lambda x: x * x * (3.0 - 2.0 * x),
    "exp": lambda x: math.expm1(_EXP_K * x) / _EXP_SCALE,
    "log": lambda x: math.log1p(_EXP_SCALE * x) / _EXP_K,
    "square": lambda x: x * x,
    "sqrt": math.sqrt,
}


def apply_curve(curve: str, x: float) -> float:
    """Shape x (clamped to 0..1) by a curve from `CURVES`; 0 -> 0, 1 -> 1.

    smooth: smoothstep; exp: slow then steep ((e^4x - 1) / (e^4 - 1));
    log: its inverse, steep then slow; square: x^2; sqrt: x^0.5.
    """
    return _CURVE_FUNCTIONS[curve](min(1.0, max(0.0, x)))


def beats_per_bar(features: FrameFeatures) -> int:
    """The meter the rhythm reports (beats from one downbeat to the next), at least 1."""
    return max(1, int(features.beats_per_bar))


def beat_in_bar(features: FrameFeatures) -> int:
    """Which beat of the bar (0 .. beats_per_bar - 1) the frame is in, from bar_phase
    and beat_phase."""
    per_bar = beats_per_bar(features)
    beats = float(features.bar_phase) * per_bar - float(features.beat_phase)
    return round(beats) % per_bar


def bar_index(features: FrameFeatures) -> int:
    """The bar number: 0 from the first downbeat, +1 on each; -1 before it.

    Stateless, from `beat_count` and the bar position, so that it steps on the
    downbeat the shaders' `uBarPhase` shows (an offline grid may start with
    pickup beats). Needs consistent beat_count, beat_phase and bar_phase, as
    the analyzer always gives.
    """
    per_bar = beats_per_bar(features)
    first_beat_of_bar = int(features.beat_count) - beat_in_bar(features)
    return (first_beat_of_bar + per_bar - 1) // per_bar - 1


def beat_index(features: FrameFeatures) -> int:
    """The beat number on the bar grid: 0 on the first downbeat, beats_per_bar on the
    next, ...

    Negative before the first downbeat (pickup beats, or no beat yet).
    """
    return beats_per_bar(features) * bar_index(features) + beat_in_bar(features)


def beat_position(features: FrameFeatures) -> float:
    """A continuous beat clock (beats): `beat_index` + beat_phase, 0 on the first downbeat."""
    return beat_index(features) + float(features.beat_phase)


def lfo_value(shape: str, cycle: float) -> float:
    """A unipolar LFO, 0..1, at `cycle` (any real: only its fractional part counts)."""
    p = cycle % 1.0
    if shape == "sine":
        return 0.5 + 0.5 * math.sin(2.0 * math.pi * p)
    if shape == "triangle":
        return 0.5 + 2.0 * p if p < 0.25 else (1.5 - 2.0 * p if p < 0.75 else 2.0 * p - 1.5)
    if shape == "saw":
        return p
    if shape == "square":
        return 1.0 if p < 0.5 else 0.0
    raise ValueError(f"unknown LFO shape {shape!r}")


def source_range(mod: Modulation) -> tuple[float, float]:
    """The source span mapped onto 0..1: the modulation's own, or the source's default."""
    if mod.source_range is not None:
        return mod.source_range
    return FEATURE_RANGES.get(mod.source, (0.0, 1.0))


def spans_table() -> str:
    """A markdown table of the sources whose default span is not 0..1 (docs/audio.md)."""
    rows = ["| source | span mapped onto 0..1 |", "|---|---|"]
    rows += [f"| `{name}` | {low:g}..{high:g} |" for name, (low, high) in FEATURE_RANGES.items()
             if (low, high) != (0.0, 1.0)]
    return "\n".join(rows) + "\n"


def raw_source(mod: Modulation, features: FrameFeatures) -> float:
    """The source value this frame, in the source's own units (an LFO: 0..1)."""
    if mod.source == LFO_SOURCE:
        return lfo_value(mod.shape, beat_position(features) / mod.period + mod.phase)
    return float(getattr(features, mod.source))


def source_level(mod: Modulation, features: FrameFeatures) -> float:
    """The curved source level, 0..1, before attack/release smoothing."""
    low, high = source_range(mod)
    value = raw_source(mod, features)
    if not math.isfinite(value):
        value = low
    return apply_curve(mod.curve, (value - low) / (high - low))
