"""Preset TOML parsing: every problem at once, each naming file and key."""

from __future__ import annotations

import contextlib
import os
import signal

import pytest

from visualizer.errors import PresetError, ShaderIncludeError
from visualizer.paths import shaders_dir
from visualizer.render.shader_source import assemble
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
    assert {(p.name, p.type, p.default) for p in spec.params} == {
        ("uSpeed", "float", 2.0), ("uTint", "color", (1.0, 0.5, 0.25))}
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
        f'{tmp_path / "p.toml"}:8:1: params.uSpeed: expected a number, [x, y], [r, g, b] or a table with type and default, got "fast"',
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


MUSIC = """
[params.open]
type = "float"
default = 0.2
min = 0.0
max = 1.0
group = "Flower"

[params.mode]
type = "choice"
default = "petals"
choices = ["petals", "rings", "spores"]

[params.flash]
type = "bool"
default = false

[[modulations]]
param = "open"
source = "bass"
amount = 0.5
curve = "smooth"
attack = 0.01
release = 0.3

[[modulations]]
param = "open"
source = "lfo"
shape = "sine"
period = 4
amount = 0.1

[[triggers]]
param = "mode"
action = "step"
on = "bar"
every = 2

[[triggers]]
param = "flash"
action = "toggle"

[[passes]]
shader = "a.glsl"
target = "output"
"""


def test_typed_params_modulations_and_triggers_load(tmp_path):
    spec = load_preset(write_preset(tmp_path, MUSIC))
    params = {p.name: p for p in spec.params}
    assert params["open"].min == 0.0 and params["open"].group == "Flower"
    assert params["mode"].default == 0 and params["mode"].choices == ("petals", "rings", "spores")
    assert params["flash"].default is False
    assert [(m.source, m.amount, m.curve) for m in spec.modulations] == [("bass", 0.5, "smooth"), ("lfo", 0.1, "linear")]
    assert [(t.param, t.action, t.on, t.every) for t in spec.triggers] == [("mode", "step", "bar", 2), ("flash", "toggle", "beat", 1)]


def test_modulation_and_trigger_errors_point_at_their_lines(tmp_path):
    text = (MUSIC.replace('source = "bass"', 'source = "bas"').replace('curve = "smooth"', 'curve = "smoth"')
            .replace('action = "toggle"', 'action = "flip"').replace("default = 0.2", "default = 2.0"))
    with pytest.raises(PresetError) as error:
        load_preset(write_preset(tmp_path, text))
    toml = tmp_path / "p.toml"
    assert str(error.value).splitlines() == [
        f"{toml}:4:1: params.open.default: 2.0 is outside min..max (0.0..1.0)",
        f'{toml}:20:1: modulations[1].source: unknown source "bas"; did you mean "bass"?',
        f'{toml}:22:1: modulations[1].curve: unknown curve "smoth"; did you mean "smooth"?',
        f'{toml}:41:1: triggers[2].action: unknown action "flip"; expected one of random, toggle, step',
    ]


def test_history_defaults_by_feedback_and_is_checked(tmp_path):
    spec = load_preset(write_preset(tmp_path, GOOD))
    assert spec.history is None and spec.history_seconds == 2.0  # feedback, nothing declared
    declared = load_preset(write_preset(tmp_path, GOOD.replace("seed = 3", "seed = 3\nhistory = 4")))
    assert declared.history_seconds == 4.0
    no_feedback = GOOD.replace("feedback = true\ninputs = { iChannel1 = \"trail\" }\n", "")
    assert load_preset(write_preset(tmp_path, no_feedback)).history_seconds == 0.0
    for bad, message in (("-1.0", "expected seconds from 0 to 600, got -1"), ("nan", "expected seconds from 0 to 600, got nan"),
                         ('"long"', "expected a number")):
        with pytest.raises(PresetError) as error:
            load_preset(write_preset(tmp_path, GOOD.replace("seed = 3", f"seed = 3\nhistory = {bad}")))
        assert f'{tmp_path / "p.toml"}:6:1: meta.history: {message}' in str(error.value)


# --- files that exist but are no preset or shader file: said what they are, never opened -------


@contextlib.contextmanager
def no_hang(seconds: int = 10):
    """Fail instead of blocking forever (opening a FIFO for reading waits for a writer)."""
    def stop(*_):
        raise AssertionError(f"blocked for {seconds} s: a FIFO was opened")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_fifo_or_a_device_given_as_the_preset_is_named_not_called_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkfifo("fifo.toml")
    with no_hang(), pytest.raises(PresetError, match=r'^fifo.toml: is a named pipe \(FIFO\), not a preset file'):
        load_preset("fifo.toml")
    with no_hang(), pytest.raises(PresetError, match=r"^/dev/zero: is a device, not a preset file"):
        load_preset("/dev/zero")
    os.mkdir("bundle")
    os.mkfifo("bundle/preset.toml")
    with no_hang(), pytest.raises(PresetError, match=r"bundle/preset.toml: is a named pipe \(FIFO\), not a regular"):
        load_preset("./bundle")


def test_a_fifo_as_a_shader_is_named_not_called_missing(tmp_path):
    path = write_preset(tmp_path, GOOD, shader=False)
    os.mkfifo(tmp_path / "a.glsl")
    with no_hang(), pytest.raises(PresetError, match=r'shader: "a.glsl": is a named pipe \(FIFO\), not a regular'):
        load_preset(path)


def test_a_shader_linked_outside_the_preset_folder_says_so(tmp_path):
    (tmp_path / "elsewhere.glsl").write_text("void main() { fragColor = vec4(1); }\n")
    (tmp_path / "p").mkdir()
    path = write_preset(tmp_path / "p", GOOD, shader=False)
    (tmp_path / "p" / "a.glsl").symlink_to(tmp_path / "elsewhere.glsl")
    with pytest.raises(PresetError, match=r'shader: "a.glsl": is a link to .*elsewhere.glsl, outside the preset'):
        load_preset(path)


def test_an_include_linked_outside_or_a_fifo_says_what_it_is(tmp_path):
    preset = tmp_path / "p"
    preset.mkdir()
    (tmp_path / "secret.glsl").write_text("float x;\n")
    (preset / "linked.glsl").symlink_to(tmp_path / "secret.glsl")
    os.mkfifo(preset / "pipe.glsl")
    search = (preset, shaders_dir())
    for name, problem in (("linked", r"is a link to .*secret.glsl, outside"), ("pipe", r"is a named pipe \(FIFO\)")):
        (preset / "scene.glsl").write_text(f'#include "{name}.glsl"\nvoid main() {{}}\n')
        with no_hang(), pytest.raises(ShaderIncludeError, match=rf'scene.glsl:1: include "{name}.glsl" {problem}'):
            assemble(preset / "scene.glsl", "", search, shaders_dir())
