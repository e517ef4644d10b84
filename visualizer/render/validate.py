"""`visualizer presets validate`: parse, check parameters against shaders and
compile every pass, collecting every problem of every preset."""

from __future__ import annotations

from pathlib import Path

import moderngl

from visualizer.errors import VisualizerError
from visualizer.preset.loader import load_preset
from visualizer.render.graph import RenderGraph

CHECK_SIZE = (16, 16)


def validate_preset(ctx: moderngl.Context, path: Path) -> list[str]:
    """Problems of the preset at `path` (empty when it is valid)."""
    try:
        graph = RenderGraph(ctx, load_preset(path), CHECK_SIZE)
    except VisualizerError as exc:
        return str(exc).splitlines()
    graph.release()
    return []
