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


def test_bloom_draws_its_glow_in_small_passes_sized_by_its_radius(tmp_path):
    spec = load_preset(write(tmp_path, '"bloom"', "[post.bloom]\nradius = 12.0\n"))
    small = [p for p in spec.passes if p.target.name.startswith("output_")]
    assert [(p.shader.name, p.target.name, p.target.scale) for p in small] == [
        ("bloom_bright.glsl", "output_bright", pytest.approx(0.2)), ("bloom_blur_h.glsl", "output_blur_h", pytest.approx(0.2)),
        ("bloom_blur_v.glsl", "output_glow", pytest.approx(0.2))]  # sigma 2.4 texels = 12 pixels
    assert spec.passes[-1].inputs == (("iChannel1", "post_0"), ("iChannel2", "output_glow"))


DOT = """
[[passes]]
shader = "dot.glsl"
target = "output"

[post]
chain = ["bloom"]

[post.bloom]
threshold = 0.2
strength = 1.0
radius = 3.0
"""


def test_bloom_glows_around_a_bright_spot_and_leaves_the_dark_alone(ctx, tmp_path):
    (tmp_path / "dot.glsl").write_text(
        "void main() { vec2 d = gl_FragCoord.xy - iResolution.xy * 0.5;"
        " fragColor = vec4(vec3(dot(d, d) < 9.0 ? 1.0 : 0.02), 1.0); }\n")
    (tmp_path / "p.toml").write_text(DOT)
    graph = RenderGraph(ctx, load_preset(tmp_path / "p.toml"), (64, 36))
    try:
        graph.render(frame_inputs(0), {})
        row = graph.read_rgb()[18, :, 0].astype(int)
    finally:
        graph.release()
    dim = round(0.02 * 255)
    assert row[32] == 255 and row[35] > row[38] > dim + 10 and row[38] > row[41]  # a glow falling off
    assert abs(int(row[28]) - int(row[35])) <= 2  # on both sides alike (the dot spans 29..34)
    assert abs(row[2] - dim) <= 1  # far away: the dark, untouched


SMALL = """
[[passes]]
shader = "trail.glsl"
target = "output"
scale = 0.5
feedback = true
inputs = { iChannel0 = "output" }

[post]
chain = ["vignette", "grain"]
"""


def test_a_chain_after_a_smaller_picture_runs_at_its_size_then_stretches_it(ctx, tmp_path):
    (tmp_path / "trail.glsl").write_text(
        "void main() { vec3 last = texelFetch(iChannel0, ivec2(gl_FragCoord.xy), 0).rgb;"
        " fragColor = vec4(min(last + 0.25, 1.0), 1.0); }\n")
    (tmp_path / "p.toml").write_text(SMALL)
    spec = load_preset(tmp_path / "p.toml")
    assert [(p.target.name, p.target.scale, p.inputs) for p in spec.passes] == [
        ("post_0", 0.5, (("iChannel0", "post_0"),)),  # its feedback follows the new name
        ("post_1", 0.5, (("iChannel1", "post_0"),)),
        ("post_2", 0.5, (("iChannel1", "post_1"),)),
        ("output", 1.0, (("iChannel1", "post_2"),))]
    assert spec.passes[-1].shader.name == "present.glsl"
    graph = RenderGraph(ctx, spec, (32, 18))
    try:
        for frame in range(3):
            graph.render(frame_inputs(frame), modulation_engine(spec, 30.0).step(frame_inputs(frame).features))
        centre = graph.read_rgb()[9, 16].astype(int)
    finally:
        graph.release()
    assert abs(centre[0] - 191) <= 3  # three frames of feedback: 0.75, through the chain and the stretch


def test_post_settings_save_into_their_post_table(tmp_path):
    from visualizer.preset.save import save_params

    path = write(tmp_path, '"vignette", "grain"', "[post.vignette]\namount = 1.2\n")
    spec = load_preset(path)
    values = {p.name: p.default for p in spec.params}
    save_params(path, {**values, "vignette_amount": 0.5, "grain_amount": 0.1}, spec.params)
    text = path.read_text()
    assert "[post.vignette]\namount = 0.5\n" in text and "[post.grain]\namount = 0.1\n" in text
    assert {p.name: p.default for p in load_preset(path).params}["grain_amount"] == 0.1
