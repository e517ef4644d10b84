"""The song-structure features reach shaders as uniforms (a tiny headless render)."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.preset.spec import PassSpec, PresetSpec, TargetSpec
from visualizer.render.graph import RenderGraph
from visualizer.render.uniforms import frame_uniform_values

from conftest import frame_inputs

STRUCTURE = {"build": 0.37, "drop": 0.62, "since_drop": 3.2, "drop_count": 3, "breakdown": 0.18,
             "section": 5, "section_change": 0.91, "section_phase": 0.44}

# Each shader writes three uniforms (scaled into 0..1) into red, green and blue.
SHADERS = [
    ("uBuild, uSectionPhase, uDrop", (0.37, 0.44, 0.62)),
    ("uBreakdown, uSectionChange, uSection / 16.0", (0.18, 0.91, 5 / 16)),
    ("uDropCount / 8.0, uSinceDrop / 8.0, 0.0", (3 / 8, 3.2 / 8, 0.0)),
]


@pytest.mark.parametrize(("expression", "expected"), SHADERS)
def test_structure_uniforms_reach_the_shader(ctx, write_files, expression, expected):
    root = write_files({"s.glsl": f"void main() {{ fragColor = vec4({expression}, 1); }}"})
    graph = RenderGraph(ctx, PresetSpec("test", (PassSpec(root / "s.glsl", TargetSpec("output"), ()),)),
                        (4, 2))
    try:
        graph.render(frame_inputs(0, **STRUCTURE))
        pixels = graph.read_rgb().astype(int)
    finally:
        graph.release()
    assert np.abs(pixels - np.round(np.array(expected) * 255)).max() <= 1


def test_frame_uniform_values_carry_every_structure_field():
    values = frame_uniform_values(frame_inputs(0, **STRUCTURE))
    names = {"uBuild": "build", "uDrop": "drop", "uSinceDrop": "since_drop", "uDropCount": "drop_count",
             "uBreakdown": "breakdown", "uSection": "section", "uSectionChange": "section_change",
             "uSectionPhase": "section_phase"}
    assert {uniform: values[uniform] for uniform in names} == {
        uniform: pytest.approx(STRUCTURE[feature]) for uniform, feature in names.items()}
