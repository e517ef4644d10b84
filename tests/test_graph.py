"""Headless render-graph tests on tiny targets with numpy expectations."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.errors import PresetError, ShaderCompileError
from visualizer.preset.spec import PassSpec, PresetSpec, TargetSpec
from visualizer.render.graph import RenderGraph

from conftest import frame_inputs


def preset(root, *passes: tuple[str, TargetSpec, dict]) -> PresetSpec:
    specs = tuple(PassSpec(root / shader, target, tuple(inputs.items())) for shader, target, inputs in passes)
    return PresetSpec("test", specs)


def render(ctx, spec, size=(4, 2), frames=1, ssaa=1, **levels):
    graph = RenderGraph(ctx, spec, size, ssaa=ssaa)
    try:
        for frame in range(frames):
            graph.render(frame_inputs(frame, **levels))
        return graph.read_rgb().astype(int)
    finally:
        graph.release()


def test_gradient_pixels_match_fragment_centres(ctx, write_files):
    root = write_files({"g.glsl": "void mainImage(out vec4 c, in vec2 p) { c = vec4(p / iResolution.xy, 0, 1); }"})
    pixels = render(ctx, preset(root, ("g.glsl", TargetSpec("output"), {})))
    expected_red = np.round((np.arange(4) + 0.5) / 4 * 255)
    assert np.abs(pixels[..., 0] - expected_red).max() <= 1
    # rows come back top first: the top row has the larger y
    assert np.abs(pixels[:, 0, 1] - np.round(np.array([0.75, 0.25]) * 255)).max() <= 1


def test_audio_uniforms_reach_the_shader(ctx, write_files):
    root = write_files({"a.glsl": "void main() { fragColor = vec4(uBass, uMid, uHigh, 1); }"})
    pixels = render(ctx, preset(root, ("a.glsl", TargetSpec("output"), {})), bass=0.5, mid=1.0, high=0.25)
    assert pixels[0, 0].tolist() == [128, 255, 64]


def test_audio_texture_is_bound_to_ichannel0(ctx, write_files):
    root = write_files({"t.glsl": "void main() { fragColor = vec4(texture(iChannel0, vec2(0.5, 0.75)).x); }"})
    pixels = render(ctx, preset(root, ("t.glsl", TargetSpec("output"), {})))
    assert pixels[0, 0, 0] == 128  # silent waveform row reads 0.5


@pytest.mark.parametrize(("fmt", "shown"), [("rgba16f", 1.8 / 4), ("rgba8", 1.0 / 4), ("rgba32f", 1.8 / 4)])
def test_feedback_accumulates_and_only_float_targets_exceed_one(ctx, write_files, fmt, shown):
    root = write_files({
        "acc.glsl": "void main() { fragColor = texelFetch(iChannel1, ivec2(gl_FragCoord.xy), 0) + vec4(0.6); }",
        "out.glsl": "void main() { fragColor = texelFetch(iChannel1, ivec2(gl_FragCoord.xy), 0) / 4.0; }",
    })
    spec = preset(
        root,
        ("acc.glsl", TargetSpec("acc", fmt, feedback=True), {"iChannel1": "acc"}),
        ("out.glsl", TargetSpec("output"), {"iChannel1": "acc"}),
    )
    # after 3 frames the target holds 1.8 (a float target) or 1.0 (8-bit clamps); shown / 4
    assert np.abs(render(ctx, spec, frames=3)[..., 0] - round(shown * 255)).max() <= 1


def test_relative_target_size_sets_iresolution(ctx, write_files):
    root = write_files({
        "half.glsl": "void main() { fragColor = vec4(iResolution.xy / 255.0, 0, 1); }",
        "out.glsl": "void main() { fragColor = texture(iChannel1, vec2(0.5)) ; }",
    })
    spec = preset(
        root,
        ("half.glsl", TargetSpec("half", "rgba8", scale=0.5), {}),
        ("out.glsl", TargetSpec("output"), {"iChannel1": "half"}),
    )
    assert render(ctx, spec, size=(8, 4))[0, 0, :2].tolist() == [4, 2]


def test_ssaa_renders_larger_and_averages_down(ctx, write_files):
    root = write_files({
        "check.glsl": """
            void main() {
                ivec2 p = ivec2(gl_FragCoord.xy);
                fragColor = vec4(float((p.x + p.y) % 2), iResolution.x / 255.0, 0, 1);
            }
        """,
    })
    pixels = render(ctx, preset(root, ("check.glsl", TargetSpec("output"), {})), size=(4, 2), ssaa=2)
    assert np.all(pixels[..., 0] == 128)  # a 2x2 checker block averages to one half
    assert np.all(pixels[..., 1] == 8)  # the pass ran at 8 pixels wide


def test_compile_error_in_an_included_file_names_file_and_line(ctx, write_files, monkeypatch):
    root = write_files({
        "shaders/main.glsl": '#include "lib/noise.glsl"\nvoid main() { fragColor = vec4(noise(1.0)); }\n',
        "shaders/lib/noise.glsl": "// noise\nfloat noise(float x) {\n    return x * undefined_thing;\n}\n",
    })
    monkeypatch.chdir(root)  # user files show relative to the current folder
    spec = PresetSpec("broken", (PassSpec(root / "shaders/main.glsl", TargetSpec("output")),))
    with pytest.raises(ShaderCompileError) as error:
        RenderGraph(ctx, spec, (4, 4))
    first, second = str(error.value).splitlines()[:2]
    assert first.startswith("shaders/lib/noise.glsl:3: error: `undefined_thing' undeclared")
    assert second == "    return x * undefined_thing;"


def test_the_error_comes_before_a_warning_the_driver_printed_first(ctx, write_files, monkeypatch):
    root = write_files({"main.glsl": (
        "void main() {\n"
        "    float w; float z = w * 2.0;\n"  # line 2: Mesa warns, "`w' used uninitialized"
        "    float dup = 1.0;\n"
        "    float dup = 2.0;\n"  # line 4: the error
        "    fragColor = vec4(z + dup);\n"
        "}\n")})
    monkeypatch.chdir(root)
    with pytest.raises(ShaderCompileError) as error:
        RenderGraph(ctx, PresetSpec("broken", (PassSpec(root / "main.glsl", TargetSpec("output")),)), (4, 4))
    lines = str(error.value).splitlines()
    assert lines[0] == "main.glsl:4: error: `dup' redeclared", lines
    assert any("warning" in line for line in lines[2:]), lines  # still reported, after it


def test_reading_a_target_before_it_is_drawn_is_a_preset_error(ctx, write_files):
    root = write_files({"a.glsl": "void main() { fragColor = vec4(1); }"})
    spec = preset(root, ("a.glsl", TargetSpec("output"), {"iChannel1": "later"}))
    with pytest.raises(PresetError, match='reads iChannel1 = "later" before any pass draws it'):
        RenderGraph(ctx, spec, (4, 4))


def test_release_frees_every_gl_object(counting_ctx, write_files):
    root = write_files({
        "acc.glsl": "void main() { fragColor = texture(iChannel1, vec2(0.5)) * 0.5 + uBass; }",
        "out.glsl": "void main() { fragColor = texture(iChannel1, vec2(0.5)); }",
    })
    spec = preset(
        root,
        ("acc.glsl", TargetSpec("acc", "rgba16f", feedback=True), {"iChannel1": "acc"}),
        ("out.glsl", TargetSpec("output"), {"iChannel1": "acc"}),
    )
    counting = counting_ctx
    graph = RenderGraph(counting, spec, (8, 8), ssaa=2)
    graph.render(frame_inputs(0, bass=1.0))
    graph.release()
    graph.release()  # twice is safe
    assert len(counting.made) > 10
    assert counting.live() == []


def test_a_trimmed_ichannelresolution_array_is_written_safely(ctx, write_files):
    root = write_files({
        "a.glsl": "void main() { fragColor = vec4(1); }",
        "b.glsl": "void main() { fragColor = vec4(iChannelResolution[1].xy / 255.0, 0, 1); }",
    })
    spec = preset(
        root,
        ("a.glsl", TargetSpec("a", size=(7, 3)), {}),
        ("b.glsl", TargetSpec("output"), {"iChannel1": "a"}),
    )
    assert render(ctx, spec)[0, 0, :2].tolist() == [7, 3]
