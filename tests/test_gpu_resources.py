"""One owner per context: programs, pooled surfaces and audio textures shared by
graphs; two graphs in one frame; every owner releases to zero live GL objects."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.api import Renderer
from visualizer.errors import ShaderCompileError
from visualizer.output.readback import ReadbackRing
from visualizer.preset.spec import PassSpec, PresetSpec, TargetSpec
from visualizer.render.graph import RenderGraph
from visualizer.render.resources import GpuResources

from conftest import frame_inputs

SOLID = "uniform float unused; void main() {{ fragColor = vec4({rgb}, 1.0); }}"
ECHO = "void main() { fragColor = texture(iChannel1, vec2(0.5)) * 0.5 + vec4(uBass, 0.0, 0.0, 1.0); }"
SHOW = "void main() { fragColor = texture(iChannel1, vec2(0.5)); }"


def solid(root, name: str, rgb: str) -> PresetSpec:
    (root / f"{name}.glsl").write_text(
        f"void main() {{ vec4 a = texture(uAudio, vec2(0.0)); fragColor = vec4({rgb}, 1.0) + 0.0 * a; }}")
    return PresetSpec(name, (PassSpec(root / f"{name}.glsl", TargetSpec("output")),))


def echo(root) -> PresetSpec:
    (root / "echo.glsl").write_text(ECHO)
    (root / "show.glsl").write_text(SHOW)
    return PresetSpec("echo", (
        PassSpec(root / "echo.glsl", TargetSpec("acc", "rgba16f", feedback=True), (("iChannel1", "acc"),)),
        PassSpec(root / "show.glsl", TargetSpec("output"), (("iChannel1", "acc"),)),
    ))


def test_two_graphs_draw_one_frame_with_one_audio_upload(counting_ctx, tmp_path):
    resources = GpuResources(counting_ctx)
    red = RenderGraph(counting_ctx, solid(tmp_path, "red", "1.0, 0.0, 0.0"), (4, 2), resources=resources)
    green = RenderGraph(counting_ctx, solid(tmp_path, "green", "0.0, 1.0, 0.0"), (4, 2), resources=resources)
    for frame in range(3):
        inputs = frame_inputs(frame)
        red.render(inputs)
        green.render(inputs)
        assert red.read_rgb()[0, 0].tolist() == [255, 0, 0]
        assert green.read_rgb()[0, 0].tolist() == [0, 255, 0]
    assert resources.audio.uploads == 3  # once per frame, not once per graph
    assert red.output is not green.output
    red.release(), green.release(), resources.release()
    assert counting_ctx.live() == []


def test_graphs_with_different_flip_and_ssaa_draw_their_own_way_in_one_context(ctx, tmp_path):
    (tmp_path / "ramp.glsl").write_text("void main() { fragColor = vec4(gl_FragCoord.y / iResolution.y, 0, 0, 1); }")
    spec = PresetSpec("ramp", (PassSpec(tmp_path / "ramp.glsl", TargetSpec("output")),))
    resources = GpuResources(ctx)
    flipped = RenderGraph(ctx, spec, (2, 8), ssaa=1, resources=resources)
    upright = RenderGraph(ctx, spec, (2, 8), ssaa=2, resources=resources, flip_output=False)
    try:
        same = RenderGraph(ctx, spec, (2, 8), ssaa=1, resources=resources)
        same.release()
        assert len(resources.programs) == 3  # the ramp, and a resolve per (ssaa, flip) setting, shared
        for graph in (flipped, upright, flipped):
            graph.render(frame_inputs(0))
        top_down = flipped.read_rgb()[:, 0, 0].astype(int)
        bottom_up = upright.read_rgb()[:, 0, 0].astype(int)
        assert (np.diff(top_down) < 0).all() and (np.diff(bottom_up) > 0).all()
        assert np.abs(top_down[::-1] - bottom_up).max() <= 1  # same picture, each graph its own settings
    finally:
        flipped.release(), upright.release(), resources.release()


def test_a_released_graph_gives_its_surfaces_to_the_next(counting_ctx, tmp_path):
    resources = GpuResources(counting_ctx)
    first = RenderGraph(counting_ctx, echo(tmp_path), (8, 8), resources=resources)
    first.render(frame_inputs(0, bass=1.0))
    first.release()
    textures_before = sum(type(o).__name__ == "Texture" for o in counting_ctx.made)
    second = RenderGraph(counting_ctx, echo(tmp_path), (8, 8), resources=resources)
    second.render(frame_inputs(0, bass=0.0))
    assert sum(type(o).__name__ == "Texture" for o in counting_ctx.made) == textures_before
    assert second.read_rgb()[0, 0, 0] == 0  # a borrowed surface starts cleared, no echo of the first
    second.release(), resources.release()
    assert counting_ctx.live() == []


def test_feedback_of_two_graphs_sharing_a_pool_stays_apart(ctx, tmp_path):
    resources = GpuResources(ctx)
    loud = RenderGraph(ctx, echo(tmp_path), (8, 8), resources=resources)
    quiet = RenderGraph(ctx, echo(tmp_path), (8, 8), resources=resources)
    try:
        for frame in range(4):
            loud.render(frame_inputs(frame, bass=1.0))
            quiet.render(frame_inputs(frame, bass=0.0))
        assert loud.read_rgb()[0, 0, 0] > 200 and quiet.read_rgb()[0, 0, 0] == 0
    finally:
        loud.release(), quiet.release(), resources.release()


def test_a_failed_build_releases_what_it_built(counting_ctx, tmp_path):
    (tmp_path / "good.glsl").write_text(SHOW)
    (tmp_path / "bad.glsl").write_text("void main() { fragColor = vec4(nope); }")
    spec = PresetSpec("broken", (
        PassSpec(tmp_path / "good.glsl", TargetSpec("a"), (("iChannel1", "audio"),)),
        PassSpec(tmp_path / "bad.glsl", TargetSpec("output")),
    ))
    with pytest.raises(ShaderCompileError):
        RenderGraph(counting_ctx, spec, (4, 4))
    assert len(counting_ctx.made) > 3 and counting_ctx.live() == []


def test_the_api_renderer_releases_everything(counting_ctx, tmp_path):
    with Renderer(echo(tmp_path), size=(8, 8), ctx=counting_ctx) as renderer:
        image = renderer.render(0.0)
    assert image.shape == (8, 8, 3)
    assert len(counting_ctx.made) > 5 and counting_ctx.live() == []


def test_the_readback_ring_releases_its_buffers(counting_ctx, tmp_path):
    graph = RenderGraph(counting_ctx, solid(tmp_path, "blue", "0.0, 0.0, 1.0"), (4, 2))
    ring = ReadbackRing(counting_ctx, (4, 2))
    for frame in range(5):
        graph.render(frame_inputs(frame))
        ring.submit(graph.output)
        if ring.full:
            assert np.frombuffer(ring.collect(), np.uint8)[:3].tolist() == [0, 0, 255]
    ring.release(), ring.release(), graph.release()
    assert counting_ctx.live() == []


def test_reload_cycles_keep_the_object_count_flat_and_release_to_zero(counting_ctx, write_files):
    from visualizer.live.reload import LiveGraph

    root = write_files({
        "p.toml": """
            [meta]
            name = "p"
            [[passes]]
            shader = "a.glsl"
            target = "acc"
            format = "rgba16f"
            feedback = true
            inputs = { iChannel1 = "acc" }
            [[passes]]
            shader = "b.glsl"
            target = "output"
            inputs = { iChannel1 = "acc" }
        """,
        "a.glsl": "void main() { fragColor = texture(iChannel1, vec2(0.5)) * 0.5; }",
        "b.glsl": SHOW,
    })
    live = LiveGraph(counting_ctx, root / "p.toml", (8, 8), 30.0)
    counts = []
    try:
        toml = (root / "p.toml").read_text()
        for cycle in range(4):  # new code and a new target size each time
            (root / "a.glsl").write_text(f"void main() {{ fragColor = vec4({cycle} * 0.1); }}")
            (root / "p.toml").write_text(toml.replace('target = "acc"', f'target = "acc"\nscale = 0.{5 + cycle}'))
            live.reload()
            assert live.error is None and live.reloads == cycle + 1
            live.graph.render(frame_inputs(cycle))
            counts.append(len(counting_ctx.live()))
        assert len(set(counts)) == 1, counts  # each reload frees what the last one built
    finally:
        live.release()
        live.release()
    assert counting_ctx.live() == []
