"""Preset parameters must match the uniforms their shaders declare, both ways."""

from __future__ import annotations

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
