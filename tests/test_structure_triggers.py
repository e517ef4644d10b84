"""Triggers `on = "section"` and `on = "drop"`: stateless, from the features' counts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from visualizer.errors import PresetError
from visualizer.features.frame import FrameFeatures
from visualizer.params.engine import ModulationEngine
from visualizer.params.triggers import firing_index
from visualizer.preset.loader import load_preset
from visualizer.preset.modulation_spec import ParamSpec, Trigger

FLAG = ParamSpec("flag", "bool", False)
LEVEL = ParamSpec("level", "float", 2.0, min=0.0, max=10.0)


def features(**values) -> FrameFeatures:
    return replace(FrameFeatures.silent(), **values)


def run(trigger: Trigger, frames: list[FrameFeatures], param: ParamSpec = FLAG) -> list:
    engine = ModulationEngine([param], (), [trigger], 1, 30.0)
    return [engine.step(frame)[param.name] for frame in frames]


@pytest.mark.parametrize(("on", "field"), [("section", "section"), ("drop", "drop_count")])
def test_firing_counts_from_the_first_event_and_then_every(on, field):
    every1 = [firing_index(Trigger("flag", "toggle", on=on), features(**{field: n})) for n in range(6)]
    assert every1 == [0, 1, 2, 3, 4, 5]
    every2 = [firing_index(Trigger("flag", "toggle", on=on, every=2), features(**{field: n}))
              for n in range(6)]
    assert every2 == [0, 1, 1, 2, 2, 3]  # fires at the 1st, 3rd, 5th event


def test_section_toggle_flips_at_each_new_section_whatever_the_beat():
    frames = [features(section=s, beat_count=b, bar_phase=0.25 * (b % 4))
              for s, b in [(0, 0), (0, 5), (1, 6), (1, 30), (2, 31), (3, 40), (3, 41)]]
    assert run(Trigger("flag", "toggle", on="section"), frames) == [
        False, False, True, True, False, True, True]


def test_drop_random_changes_on_each_drop_only_and_is_stateless():
    trigger = Trigger("level", "random", on="drop", min=3.0, max=7.0)
    counts = [0, 0, 1, 1, 1, 2, 3, 3]
    values = run(trigger, [features(drop_count=c, drop=0.5, section=c) for c in counts], LEVEL)
    assert values[:2] == [2.0, 2.0]  # the base before the first drop
    changes = [i for i in range(1, len(values)) if values[i] != values[i - 1]]
    assert changes == [2, 5, 6]
    assert all(3.0 <= v <= 7.0 for v in values[2:])
    assert run(trigger, [features(drop_count=2)], LEVEL) == [values[5]]  # started mid-track


def test_beat_and_bar_ignore_the_structure_counts():
    frame = features(section=4, drop_count=3)
    assert firing_index(Trigger("flag", "toggle", on="bar"), frame) == 0
    assert firing_index(Trigger("flag", "toggle", on="beat"), frame) == 0


TRIGGER_PRESET = """
[params.flash]
type = "bool"
default = false

[[triggers]]
param = "flash"
action = "toggle"
on = "{on}"

[[passes]]
shader = "a.glsl"
target = "output"
"""


def write_preset(tmp_path, on: str):
    (tmp_path / "a.glsl").write_text("void main() { fragColor = vec4(1); }\n")
    path = tmp_path / "p.toml"
    path.write_text(TRIGGER_PRESET.format(on=on))
    return path


@pytest.mark.parametrize("on", ["section", "drop"])
def test_presets_accept_section_and_drop(tmp_path, on):
    assert load_preset(write_preset(tmp_path, on)).triggers[0].on == on


def test_an_unknown_on_names_the_line_and_every_allowed_value(tmp_path):
    with pytest.raises(PresetError) as error:
        load_preset(write_preset(tmp_path, "sektion"))
    assert str(error.value).splitlines() == [
        f'{tmp_path / "p.toml"}:9:1: triggers[1].on: unknown on "sektion"; did you mean "section"? '
        "(expected one of beat, bar, section, drop)"]
