"""`visualizer presets validate`: parse, check parameters against shaders,
compile every pass and draw one small silent frame (under the CLI's
watchdog, so a shader that never finishes a frame is named here, not in the
middle of a show), collecting every problem of every preset."""

from __future__ import annotations

from pathlib import Path

import moderngl

from visualizer.errors import VisualizerError
from visualizer.features.frame import FrameFeatures
from visualizer.preset.loader import load_preset
from visualizer.render.graph import RenderGraph
from visualizer.render.uniforms import FrameInputs

CHECK_SIZE = (16, 16)
CHECK_RATE = 30.0
"""Frames per second of the one checking frame's clock."""
CHECK_SAMPLE_RATE = 44100.0


def validate_preset(ctx: moderngl.Context, path: Path) -> list[str]:
    """Problems of the preset at `path` (empty when it is valid)."""
    try:
        spec = load_preset(path)
        graph = RenderGraph(ctx, spec, CHECK_SIZE)
    except VisualizerError as exc:
        return str(exc).splitlines()
    try:
        draw_silent_frame(ctx, graph)
    except VisualizerError as exc:
        return str(exc).splitlines()
    finally:
        graph.release()
    return []


def draw_silent_frame(ctx: moderngl.Context, graph: RenderGraph) -> None:
    """Draw frame 0 of silence with the preset's default parameters and wait for it."""
    features = FrameFeatures.silent()
    graph.render(FrameInputs(0.0, 1.0 / CHECK_RATE, 0, CHECK_RATE, features, CHECK_SAMPLE_RATE))
    ctx.finish()
