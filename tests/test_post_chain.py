"""The post chain: effects appended after a preset's passes, settings as parameters."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import frame_inputs
from visualizer.errors import PresetError
from visualizer.preset.loader import load_preset
from visualizer.params.engine import modulation_engine
from visualizer.render.graph import RenderGraph

PRESET = """
[params]
level = 0.5

[[passes]]
shader = "flat.glsl"
target = "output"

[post]
chain = [{chain}]
{settings}
"""


def write(tmp_path, chain: str, settings: str = "") -> object:
    (tmp_path / "flat.glsl").write_text("uniform float level;\nvoid main() { fragColor = vec4(vec3(level), 1.0); }\n")
    path = tmp_path / "p.toml"
    path.write_text(PRESET.format(chain=chain, settings=settings))
    return path


def centre_and_corner(ctx, spec) -> tuple[np.ndarray, np.ndarray]:
    graph = RenderGraph(ctx, spec, (32, 18))
    try:
        inputs = frame_inputs(0)
        graph.render(inputs, modulation_engine(spec, 30.0).step(inputs.features))
        image = graph.read_rgb().astype(int)
        return image[9, 16], image[0, 0]
    finally:
        graph.release()


def test_chain_appends_passes_and_settings_become_parameters(tmp_path):
    spec = load_preset(write(tmp_path, '"tonemap", "vignette", "grain"', "[post.vignette]\namount = 1.2\n"))
    assert [p.target.name for p in spec.passes] == ["post_0", "post_1", "post_2", "output"]
    assert [p.shader.name for p in spec.passes[1:]] == ["tonemap.glsl", "vignette.glsl", "grain.glsl"]
    params = {p.name: p for p in spec.params}
    assert params["vignette_amount"].default == 1.2 and params["vignette_amount"].group == "Post"
    assert params["grain_amount"].default == 0.03


def test_vignette_darkens_the_corners_only(ctx, tmp_path):
    centre, corner = centre_and_corner(ctx, load_preset(write(tmp_path, '"vignette"', "[post.vignette]\namount = 1.0\n")))
    assert abs(centre[0] - 128) <= 2 and corner[0] < 100


def test_unknown_effects_and_settings_suggest_fixes(tmp_path):
    with pytest.raises(PresetError) as error:
        load_preset(write(tmp_path, '"blom"', "[post.grain]\namout = 0.1\n"))
    lines = str(error.value).splitlines()
    assert any('post.chain: unknown effect "blom"; did you mean "bloom"?' in line for line in lines)
    assert any('post.grain.amout: unknown key; did you mean "amount"?' in line for line in lines)
