"""Parameter modulation: curves, audio sources, LFOs, attack/release, triggers."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from visualizer.features.frame import FrameFeatures
from visualizer.params.engine import ModulationEngine
from visualizer.params.sources import apply_curve, bar_index, beat_index, beat_position
from visualizer.preset.modulation_check import check_modulation
from visualizer.preset.modulation_spec import CURVES, Modulation, ParamSpec, Trigger, modulation_sources

FPS = 30.0
LEVEL = ParamSpec("level", "float", 2.0, min=0.0, max=10.0)


def features(**values) -> FrameFeatures:
    return replace(FrameFeatures.silent(), **values)


def on_beat(count: int, phase: float = 0.0, per_bar: int = 4, **values) -> FrameFeatures:
    """Features as the live tracker reports them: bars start on beats 1, 1 + per_bar, ..."""
    bar_phase = ((count - 1) % per_bar + phase) / per_bar if count > 0 else 0.0
    return features(beat_count=count, beat_phase=phase, bar_phase=bar_phase,
                    beats_per_bar=per_bar, **values)


def engine(params, modulations=(), triggers=(), seed=1, fps=FPS) -> ModulationEngine:
    return ModulationEngine(params, modulations, triggers, seed, fps)


def value_at(params, modulations, frame: FrameFeatures, name: str, **kwargs):
    return engine(params, modulations, **kwargs).step(frame)[name]


@pytest.mark.parametrize(("curve", "half"), [
    ("linear", 0.5), ("smooth", 0.5), ("exp", 1.0 / (math.e**2 + 1.0)),
    ("log", math.log1p((math.e**4 - 1.0) / 2.0) / 4.0), ("square", 0.25), ("sqrt", math.sqrt(0.5)),
])
def test_curves_map_0_and_1_onto_themselves(curve, half):
    assert apply_curve(curve, 0.0) == pytest.approx(0.0, abs=1e-12)
    assert apply_curve(curve, 0.5) == pytest.approx(half)
    assert apply_curve(curve, 1.0) == pytest.approx(1.0)
    assert apply_curve(curve, -3.0) == pytest.approx(0.0, abs=1e-12)  # clamped
    assert apply_curve(curve, 7.0) == pytest.approx(1.0)


def test_every_curve_is_tested_and_sources_cover_the_scalar_features():
    assert set(CURVES) == {"linear", "smooth", "exp", "log", "square", "sqrt"}
    sources = modulation_sources()
    assert "lfo" in sources and "bass" in sources and "high_presence" in sources
    values = [getattr(FrameFeatures.silent(), s) for s in sources if s != "lfo"]
    assert all(isinstance(v, (float, int)) and not isinstance(v, bool) for v in values)
    assert "section" in sources and "drop_count" in sources  # counts are sources too


def test_float_follows_bass_with_amount():
    params = [ParamSpec("zoom", "float", 0.0, min=0.0, max=10.0)]
    mods = [Modulation("zoom", "bass", amount=0.5)]
    assert value_at(params, mods, features(bass=1.0), "zoom") == pytest.approx(5.0)
    assert value_at(params, mods, features(bass=0.0), "zoom") == 0.0
    assert value_at(params, mods, features(bass=0.5), "zoom") == pytest.approx(2.5)


def test_clamped_to_range_and_negative_amounts():
    mods = [Modulation("level", "bass", amount=2.0)]
    assert value_at([LEVEL], mods, features(bass=1.0), "level") == 10.0
    down = [Modulation("level", "bass", amount=-1.0)]
    assert value_at([LEVEL], down, features(bass=1.0), "level") == 0.0


def test_int_rounds_and_choice_moves_through_options():
    params = [ParamSpec("count", "int", 1, min=0, max=8),
              ParamSpec("mode", "choice", 0, choices=("a", "b", "c"))]
    mods = [Modulation("count", "mid", amount=0.5), Modulation("mode", "mid")]
    out = engine(params, mods).step(features(mid=0.7))  # count 1 + 0.35 * 8 = 3.8
    assert out == {"count": 4, "mode": 1}  # mode 0 + 0.7 * 2 = 1.4
    assert isinstance(out["count"], int)


def test_bool_is_on_above_half():
    params = [ParamSpec("strobe", "bool", False)]
    mods = [Modulation("strobe", "beat_pulse", amount=0.1)]  # amount ignored
    assert value_at(params, mods, features(beat_pulse=0.6), "strobe") is True
    assert value_at(params, mods, features(beat_pulse=0.4), "strobe") is False
    curved = [Modulation("strobe", "beat_pulse", curve="square")]  # 0.6^2 = 0.36
    assert value_at(params, curved, features(beat_pulse=0.6), "strobe") is False


def test_color_mixes_toward_target():
    params = [ParamSpec("tint", "color", (1.0, 0.0, 0.0))]
    mods = [Modulation("tint", "high", amount=0.5, to=(0.0, 0.0, 1.0))]
    assert value_at(params, mods, features(high=1.0), "tint") == pytest.approx((0.5, 0.0, 0.5))
    assert value_at(params, mods, features(high=0.0), "tint") == (1.0, 0.0, 0.0)


def test_vec2_takes_a_per_component_amount():
    params = [ParamSpec("offset", "vec2", (0.0, 0.0), min=-1.0, max=1.0)]
    mods = [Modulation("offset", "level", amount=(0.25, -2.0))]
    assert value_at(params, mods, features(level=1.0), "offset") == pytest.approx((0.5, -1.0))


def test_milkdrop_sources_map_their_average_to_half_and_ranges_can_invert():
    mods = [Modulation("level", "bass_rel")]
    assert value_at([LEVEL], mods, features(bass_rel=1.0), "level") == pytest.approx(2.0 + 5.0)
    inverted = [Modulation("level", "bass", source_range=(1.0, 0.0))]
    assert value_at([LEVEL], inverted, features(bass=1.0), "level") == pytest.approx(2.0)
    assert value_at([LEVEL], inverted, features(bass=0.0), "level") == pytest.approx(10.0)


def test_lfo_sine_one_beat_peaks_at_a_quarter_beat():
    params = [ParamSpec("x", "float", 0.0, min=0.0, max=1.0)]
    mods = [Modulation("x", "lfo", shape="sine", period=1.0)]
    assert value_at(params, mods, on_beat(3, 0.25), "x") == pytest.approx(1.0)
    assert value_at(params, mods, on_beat(3, 0.75), "x") == pytest.approx(0.0, abs=1e-12)
    assert value_at(params, mods, on_beat(3, 0.0), "x") == pytest.approx(0.5)


def test_lfo_of_four_beats_follows_the_beat_count_from_the_downbeat():
    params = [ParamSpec("x", "float", 0.0, min=0.0, max=1.0)]
    mods = [Modulation("x", "lfo", shape="sine", period=4.0)]
    at = [value_at(params, mods, on_beat(count), "x") for count in (5, 6, 7, 8, 9)]
    assert at == pytest.approx([0.5, 1.0, 0.5, 0.0, 0.5], abs=1e-12)
    shifted = [Modulation("x", "lfo", shape="sine", period=4.0, phase=0.25)]
    assert value_at(params, shifted, on_beat(5), "x") == pytest.approx(1.0)


@pytest.mark.parametrize(("shape", "expected"), [
    ("triangle", [0.5, 1.0, 0.5, 0.0]),
    ("saw", [0.0, 0.25, 0.5, 0.75]),
    ("square", [1.0, 1.0, 0.0, 0.0]),
])
def test_lfo_shapes(shape, expected):
    params = [ParamSpec("x", "float", 0.0, min=0.0, max=1.0)]
    mods = [Modulation("x", "lfo", shape=shape, period=1.0)]
    at = [value_at(params, mods, on_beat(2, p), "x") for p in (0.0, 0.25, 0.5, 0.75)]
    assert at == pytest.approx(expected)


def test_bars_step_on_the_downbeat_and_respect_an_offset_grid():
    assert [bar_index(on_beat(c)) for c in (0, 1, 2, 4, 5, 8, 9)] == [-1, 0, 0, 0, 1, 1, 2]
    assert [beat_index(on_beat(c)) for c in (1, 2, 5)] == [0, 1, 4]
    offset = [_offset_grid(c) for c in (1, 2, 3, 6, 7)]
    assert [bar_index(f) for f in offset] == [-1, -1, 0, 0, 1]
    assert [beat_index(f) for f in offset] == [-2, -1, 0, 3, 4]
    assert beat_position(on_beat(5, 0.5)) == pytest.approx(4.5)


def test_bars_follow_the_meter_the_features_carry():
    waltz = [on_beat(c, per_bar=3) for c in (1, 3, 4, 6, 7, 10)]
    assert [bar_index(f) for f in waltz] == [0, 0, 1, 1, 2, 3]
    assert [beat_index(f) for f in waltz] == [0, 2, 3, 5, 6, 9]
    assert beat_position(on_beat(4, 0.5, per_bar=3)) == pytest.approx(3.5)
    seven = [on_beat(c, per_bar=7) for c in (7, 8, 15)]
    assert [bar_index(f) for f in seven] == [0, 1, 2]


def test_bar_triggers_fire_on_each_downbeat_of_the_meter():
    flag = ParamSpec("flag", "bool", False)
    run = engine([flag], triggers=[Trigger("flag", "toggle", on="bar")])
    flips = [run.step(on_beat(c, 0.5, per_bar=3))["flag"] for c in range(1, 8)]
    assert flips == [True, True, True, False, False, False, True]


def _offset_grid(count: int, phase: float = 0.0) -> FrameFeatures:
    """An offline grid whose first downbeat is the third beat (two pickup beats)."""
    return features(beat_count=count, beat_phase=phase, bar_phase=(((count - 3) % 4) + phase) / 4)


def test_beat_triggers_count_from_the_first_downbeat():
    flag = ParamSpec("flag", "bool", False)
    run = engine([flag], triggers=[Trigger("flag", "toggle", every=4)])
    assert [run.step(_offset_grid(c, 0.5))["flag"] for c in range(1, 12)] == (
        [False, False] + [True] * 4 + [False] * 4 + [True])


def test_attack_reaches_1_minus_1_over_e_after_attack_seconds():
    params = [ParamSpec("x", "float", 0.0, min=0.0, max=1.0)]
    run = engine(params, [Modulation("x", "bass", attack=0.2, release=0.5)])
    rise = [run.step(features(bass=1.0))["x"] for _ in range(round(0.2 * FPS))]
    assert rise[-1] == pytest.approx(1.0 - 1.0 / math.e)
    for _ in range(200):
        run.step(features(bass=1.0))
    fall = [run.step(features(bass=0.0))["x"] for _ in range(round(0.5 * FPS))]
    assert fall[-1] == pytest.approx(1.0 / math.e, rel=1e-6)
    run.reset()
    assert run.step(features(bass=0.0))["x"] == 0.0


def test_smoothing_is_applied_to_the_curved_level():
    params = [ParamSpec("x", "float", 0.0, min=0.0, max=1.0)]
    run = engine(params, [Modulation("x", "bass", curve="square", attack=1.0)], fps=10.0)
    first = run.step(features(bass=0.5))["x"]
    assert first == pytest.approx(0.25 * (1.0 - math.exp(-0.1)))


def _random_run(trigger: Trigger, counts, seed=1, param=LEVEL):
    run = engine([param], triggers=[trigger], seed=seed)
    return [run.step(on_beat(c, 0.3))[param.name] for c in counts]


def test_random_on_beat_is_deterministic_in_range_and_changes_per_beat():
    trigger = Trigger("level", "random", min=3.0, max=7.0)
    values = _random_run(trigger, range(1, 40))
    assert all(3.0 <= v <= 7.0 for v in values)
    assert len(set(values)) == len(values)
    assert _random_run(trigger, [17]) == [values[16]]  # started mid-track: same value
    assert _random_run(trigger, [17], seed=2) != [values[16]]
    between = engine([LEVEL], triggers=[trigger])
    assert len({between.step(on_beat(5, p))["level"] for p in (0.0, 0.3, 0.6, 0.99)}) == 1
    assert _random_run(trigger, [0]) == [2.0]  # before the first beat: the base


def test_random_defaults_to_the_param_range_and_int_choices_never_repeat():
    assert all(0.0 <= v <= 10.0 for v in _random_run(Trigger("level", "random"), range(1, 30)))
    pick = ParamSpec("pick", "choice", 0, choices=("a", "b", "c", "d"))
    values = _random_run(Trigger("pick", "random"), range(0, 60), param=pick)
    assert set(values) == {0, 1, 2, 3}
    assert all(a != b for a, b in zip(values, values[1:]))
    assert _random_run(Trigger("pick", "random"), [9], param=pick) == [values[9]]


def test_random_colors_stay_in_range():
    tint = ParamSpec("tint", "color", (0.0, 0.0, 0.0))
    colors = _random_run(Trigger("tint", "random", min=0.5), range(1, 10), param=tint)
    assert all(len(c) == 3 and all(0.5 <= x <= 1.0 for x in c) for c in colors)


def test_every_two_bars():
    trigger = Trigger("level", "random", on="bar", every=2)
    values = _random_run(trigger, range(0, 26))  # bars 0..6 start on beats 1, 5, ..., 25
    changes = [count for count in range(1, 26) if values[count] != values[count - 1]]
    assert changes == [1, 9, 17, 25]  # bars 0, 2, 4, 6


def test_toggle_flips_per_beat():
    flag = ParamSpec("flag", "bool", False)
    every1 = _random_run(Trigger("flag", "toggle"), range(0, 5), param=flag)
    assert every1 == [False, True, False, True, False]
    every3 = _random_run(Trigger("flag", "toggle", every=3), range(0, 7), param=flag)
    assert every3 == [False, True, True, True, False, False, False]


def test_step_cycles_choices_modulo_their_count():
    mode = ParamSpec("mode", "choice", 1, choices=("a", "b", "c"))
    assert _random_run(Trigger("mode", "step"), range(0, 6), param=mode) == [1, 2, 0, 1, 2, 0]
    shape = ParamSpec("sides", "int", 4, min=3, max=9, step=2)  # 3, 5, 7, 9
    assert _random_run(Trigger("sides", "step"), range(0, 5), param=shape) == [4, 5, 7, 9, 3]


def test_set_base_changes_the_base():
    run = engine([LEVEL, ParamSpec("mode", "choice", 0, choices=("a", "b"))],
                 [Modulation("level", "bass", amount=0.1)])
    run.set_base("level", 4.0)
    run.set_base("mode", "b")
    assert run.step(features(bass=1.0)) == {"level": pytest.approx(5.0), "mode": 1}
    assert run.base("level") == 4.0
    with pytest.raises(KeyError):
        run.set_base("nope", 1.0)
    with pytest.raises(ValueError):
        run.set_base("level", (1.0, 2.0))


def test_set_base_moves_the_toggle_pattern():
    run = engine([ParamSpec("flag", "bool", False)], triggers=[Trigger("flag", "toggle")])
    run.set_base("flag", True)
    assert [run.step(on_beat(c))["flag"] for c in range(3)] == [True, False, True]


def test_unmodulated_params_pass_through():
    params = [LEVEL, ParamSpec("pal", "palette", "rainbow"),
              ParamSpec("c", "color", (0.1, 0.2, 0.3)), ParamSpec("on", "bool", True),
              ParamSpec("v", "vec2", (1.0, -1.0))]
    assert engine(params).step(features(bass=1.0, beat_count=9)) == {
        "level": 2.0, "pal": "rainbow", "c": (0.1, 0.2, 0.3), "on": True, "v": (1.0, -1.0)}


def test_same_features_and_seed_give_identical_outputs():
    params = [LEVEL, ParamSpec("flag", "bool", False),
              ParamSpec("mode", "choice", 0, choices=("a", "b", "c"))]
    mods = [Modulation("level", "onset", amount=0.3, attack=0.05, release=0.3),
            Modulation("level", "lfo", amount=0.3, period=2.0)]
    triggers = [Trigger("mode", "random", on="bar"), Trigger("flag", "toggle", every=2)]
    frames = [on_beat(1 + n // 15, (n % 15) / 15, onset=(n % 7) / 7) for n in range(300)]
    runs = [engine(params, mods, triggers, seed=5) for _ in range(2)]
    first, second = ([run.step(f) for f in frames] for run in runs)
    assert first == second
    assert len({out["mode"] for out in first}) == 3 and len({out["level"] for out in first}) > 100


def test_problems_are_reported_with_did_you_mean():
    params = [LEVEL, ParamSpec("pal", "palette", "x"), ParamSpec("c", "color", (0.0, 0.0, 0.0))]
    problems = check_modulation(
        params,
        [Modulation("levle", "bass"), Modulation("level", "bas"),
         Modulation("level", "lfo", period=0), Modulation("c", "bass"),
         Modulation("pal", "bass")],
        [Trigger("level", "toggle"), Trigger("level", "random", every=0)],
    )
    text = "\n".join(problems)
    assert 'modulations[1].param: unknown parameter "levle"; did you mean "level"?' in text
    assert 'modulations[2].source: unknown source "bas"; did you mean "bass"?' in text
    assert "modulations[3].period" in text and "modulations[4].to" in text
    assert "modulations[5].param" in text and "palette" in text
    assert "triggers[1].action" in text and "triggers[2].every" in text
    with pytest.raises(ValueError, match="levle"):
        engine(params, [Modulation("levle", "bass")])


def test_a_range_of_one_value_names_the_key_the_preset_writes():
    problems = check_modulation([LEVEL], [Modulation("level", "since_drop", source_range=(2.0, 2.0))], [])
    assert problems == ["modulations[1].range: expected two different numbers, got (2.0, 2.0)"]
