"""Preset parameters must match the uniforms their shaders declare, both ways."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.errors import PresetError
from visualizer.preset.loader import load_preset
from visualizer.render.graph import RenderGraph

SHADER = """// scene
uniform float speed;
uniform vec3 tint;
void main() { fragColor = vec4(tint * speed, 1.0); }
"""


def preset_with(tmp_path, params: str, shader: str = SHADER):
    (tmp_path / "scene.glsl").write_text(shader)
    path = tmp_path / "p.toml"
    path.write_text(f'[params]\n{params}\n\n[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n')
    return load_preset(path)


def test_matching_params_build_and_reach_the_shader(ctx, tmp_path):
    from conftest import frame_inputs

    graph = RenderGraph(ctx, preset_with(tmp_path, "speed = 0.5\ntint = [1.0, 0.5, 0.0]"), (2, 2))
    try:
        graph.render(frame_inputs(0))
        assert graph.read_rgb()[0, 0].tolist() == [128, 64, 0]
    finally:
        graph.release()


def test_every_mismatch_is_reported_naming_both_files(ctx, tmp_path):
    spec = preset_with(tmp_path, "speed = [1.0, 2.0]\nglow = 1.0")
    with pytest.raises(PresetError) as error:
        RenderGraph(ctx, spec, (2, 2))
    toml = tmp_path / "p.toml"
    assert str(error.value).splitlines() == [
        f"{toml}:2:1: params.speed: gives a vec2 but {tmp_path / 'scene.glsl'}:2 declares float; make the two agree",
        f'{toml}:3:1: params.glow: no shader declares it; add "uniform float glow;" to a shader or remove the parameter',
        f"{tmp_path / 'scene.glsl'}:3: uniform vec3 tint has no value: add tint to [params] in {toml}",
    ]


MODULATED = """
[params.glow]
type = "float"
default = 0.0
min = 0.0
max = 1.0

[params.mode]
type = "choice"
default = 0
choices = ["a", "b", "c"]

[params.on]
type = "bool"
default = false

[[modulations]]
param = "glow"
source = "bass"

[[modulations]]
param = "on"
source = "beat_pulse"

[[triggers]]
param = "mode"
action = "step"
on = "beat"

[[passes]]
shader = "scene.glsl"
target = "output"
"""

MODULATED_SHADER = """// scene
uniform float glow;
uniform int mode;
uniform bool on;
void main() { fragColor = vec4(glow, float(mode) / 4.0, on ? 1.0 : 0.0, 1.0); }
"""


def test_modulated_and_triggered_params_reach_the_pixels(ctx, tmp_path):
    from dataclasses import replace

    from visualizer.features.frame import FrameFeatures
    from visualizer.params.engine import modulation_engine
    from visualizer.render.uniforms import FrameInputs

    (tmp_path / "scene.glsl").write_text(MODULATED_SHADER)
    (tmp_path / "p.toml").write_text(MODULATED)
    spec = load_preset(tmp_path / "p.toml")
    engine = modulation_engine(spec, 30.0)
    graph = RenderGraph(ctx, spec, (2, 2))
    pixels = []
    try:
        for beat, bass, pulse in ((0, 0.0, 0.0), (1, 1.0, 1.0), (2, 0.5, 0.0)):
            features = replace(FrameFeatures.silent(beat * 0.5), bass=bass, beat_pulse=pulse, beat_count=beat,
                               beat_phase=0.0, bar_phase=((beat - 1) % 4) / 4 if beat else 0.0)
            graph.render(FrameInputs(beat * 0.5, 1 / 30, beat * 15, 30.0, features, 44100.0),
                         engine.step(features))
            pixels.append(graph.read_rgb()[0, 0].tolist())
    finally:
        graph.release()
    assert [p[0] for p in pixels] == [0, 255, 128]  # glow follows the bass
    assert [p[2] for p in pixels] == [0, 255, 0]  # on while the beat pulse is high
    assert pixels[1][1] != pixels[2][1]  # the choice steps on each beat


@pytest.mark.parametrize(("value", "expected"), [('"blood"', [255, 26, 26]),
                                                 ("[[0.5, 0, 0], [0, 0.5, 0], [0, 0, 0], [0, 0, 0]]", [128, 128, 0])])
def test_palette_params_feed_cosine_coefficients(ctx, tmp_path, value, expected):
    (tmp_path / "scene.glsl").write_text('#include "lib/palette.glsl"\nuniform vec3 colors[4];\n'
                                         "void main() { fragColor = vec4(paletteColor(colors, 0.0), 1.0); }\n")
    (tmp_path / "p.toml").write_text(f'[params.colors]\ntype = "palette"\ndefault = {value}\n\n'
                                     '[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n')
    from conftest import frame_inputs

    graph = RenderGraph(ctx, load_preset(tmp_path / "p.toml"), (2, 2))
    try:
        graph.render(frame_inputs(0))
        assert np.abs(np.array(graph.read_rgb()[0, 0], int) - expected).max() <= 1
    finally:
        graph.release()


def test_unknown_palette_name_suggests_one(tmp_path):
    (tmp_path / "scene.glsl").write_text("void main() { fragColor = vec4(1); }\n")
    (tmp_path / "p.toml").write_text('[params.colors]\ntype = "palette"\ndefault = "rainbw"\n\n'
                                     '[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n')
    with pytest.raises(PresetError, match=r'p\.toml:3:1: params\.colors\.default: unknown palette "rainbw"; did you mean "rainbow"\?'):
        load_preset(tmp_path / "p.toml")
