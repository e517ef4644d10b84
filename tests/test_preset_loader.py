"""Preset TOML parsing: every problem at once, each naming file and key."""

from __future__ import annotations

import pytest

from visualizer.errors import PresetError
from visualizer.preset.loader import available_presets, load_preset, resolve_preset

GOOD = """
[meta]
name = "Test"
tags = ["t"]
seed = 3

[params]
uSpeed = 2
uTint = [1.0, 0.5, 0.25]

[[passes]]
shader = "a.glsl"
target = "trail"
format = "rgba16f"
feedback = true
inputs = { iChannel1 = "trail" }

[[passes]]
shader = "a.glsl"
target = "output"
scale = 1.0
"""


def write_preset(tmp_path, text, shader=True):
    if shader:
        (tmp_path / "a.glsl").write_text("void main() { fragColor = vec4(1); }\n")
    path = tmp_path / "p.toml"
    path.write_text(text)
    return path


def test_a_good_preset_loads_into_specs(tmp_path):
    spec = load_preset(write_preset(tmp_path, GOOD))
    assert spec.name == "Test" and spec.seed == 3 and spec.tags == ("t",)
    assert dict(spec.params) == {"uSpeed": 2.0, "uTint": (1.0, 0.5, 0.25)}
    first, last = spec.passes
    assert first.target.feedback and first.target.format == "rgba16f"
    assert first.inputs == (("iChannel1", "trail"),)
    assert last.target.name == "output" and last.shader == tmp_path / "a.glsl"


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.replace('format = "rgba16f"', 'format = "rgb"').replace("seed = 3", 'sede = 3')
    text = text.replace("uSpeed = 2", 'uSpeed = "fast"')
    with pytest.raises(PresetError) as error:
        load_preset(write_preset(tmp_path, text))
    assert str(error.value).splitlines() == [
        f'{tmp_path / "p.toml"}:5:1: meta.sede: unknown key; did you mean "seed"?',
        f'{tmp_path / "p.toml"}:14:1: passes[1].format: expected one of rgba8, rgba16f, rgba32f, got "rgb"',
        f'{tmp_path / "p.toml"}:8:1: params.uSpeed: expected a number or 2-4 numbers, got "fast"',
    ]


def test_toml_syntax_error_names_the_line(tmp_path):
    with pytest.raises(PresetError) as error:
        load_preset(write_preset(tmp_path, "[meta]\nname = 'x'\nseed = = 3\n"))
    assert str(error.value) == f"{tmp_path / 'p.toml'}:3:8: TOML syntax error: Invalid value; fix the TOML syntax"


def test_shader_paths_cannot_escape(tmp_path):
    text = GOOD.replace('shader = "a.glsl"\ntarget = "output"', 'shader = "../../etc/passwd"\ntarget = "output"')
    with pytest.raises(PresetError, match=r'passes\[2\]\.shader: "\.\./\.\./etc/passwd": must stay inside'):
        load_preset(write_preset(tmp_path, text))


def test_the_last_pass_must_draw_output(tmp_path):
    text = GOOD.replace('target = "output"', 'target = "final"')
    with pytest.raises(PresetError, match=r'passes\[2\]\.target: the last pass must draw "output"'):
        load_preset(write_preset(tmp_path, text))


def test_unknown_preset_name_suggests_a_close_one():
    names = available_presets()
    assert "mimic_bloom" in names
    with pytest.raises(PresetError, match='unknown preset "mimic_blom"; did you mean "mimic_bloom"?'):
        resolve_preset("mimic_blom")


def test_shipped_presets_load():
    for name in available_presets():
        assert load_preset(name).passes
