"""A render graph that follows its preset's files: on a save it re-validates
and recompiles, swaps only on success (then releases the old graph), and on a
failure keeps the last good version rendering and remembers the error."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import moderngl

from visualizer.errors import VisualizerError
from visualizer.preset.loader import load_preset
from visualizer.params.engine import ModulationEngine, modulation_engine
from visualizer.preset.spec import PresetSpec
from visualizer.live.watch import PresetWatcher
from visualizer.render.graph import RenderGraph
from visualizer.render.resources import GpuResources

log = logging.getLogger(__name__)


class LiveGraph:
    """Owns the current `RenderGraph` of a preset file and its modulation engine."""

    def __init__(self, ctx: moderngl.Context, preset: str | Path, size: tuple[int, int], frame_rate: float,
                 flip_output: bool = True, resources: GpuResources | None = None):
        self.ctx, self.size, self.frame_rate, self.flip = ctx, size, frame_rate, flip_output
        self.spec: PresetSpec = load_preset(preset)
        self.path = self.spec.path
        self._owns_resources = resources is None
        self.resources = resources or GpuResources(ctx)  # shared: a reload recompiles only what changed
        try:
            self.graph = RenderGraph(ctx, self.spec, size, resources=self.resources, flip_output=flip_output)
        except BaseException:
            self._release_resources()
            raise
        self.engine: ModulationEngine = modulation_engine(self.spec, frame_rate)
        self.error: str | None = None
        self.reloads = 0
        try:
            self.watcher = PresetWatcher(self._files()).start()
        except BaseException:
            self.graph.release()
            self._release_resources()
            raise

    def _files(self) -> list[Path]:
        return [self.path, *self.graph.source_files]

    def poll(self) -> float | None:
        """Reload if a watched file changed; returns the change's perf_counter time."""
        changed = self.watcher.take_change()
        if changed is None:
            return None
        time.sleep(0.005)  # let a writer finish the file it is saving
        self.reload()
        return changed

    def follow(self, path: Path) -> None:
        """Watch and reload from `path` from now on (the editor saved a copy there)."""
        self.path = Path(path)
        self.watcher.watch(self._files())

    def reload(self) -> None:
        """Load the preset file again: swap on success, keep the last good version on failure."""
        try:
            spec = load_preset(self.path)
            graph = None if self.graph.adopt(spec) else RenderGraph(
                self.ctx, spec, self.size, resources=self.resources, flip_output=self.flip)
        except VisualizerError as exc:
            self.error = str(exc)
            log.error("%s (still showing the last good version)", self.error)
            return
        if graph is not None:
            old, self.graph = self.graph, graph
            old.release()
            self.resources.programs.prune()
            self.resources.surfaces.trim()  # a new size or format leaves the old surfaces idle
        self.spec = spec
        self.engine = modulation_engine(spec, self.frame_rate)
        self.error = None
        self.reloads += 1
        self.watcher.watch(self._files())
        log.info("reloaded %s", self.path)

    def release(self) -> None:
        """Stop watching and release the graph; safe to call twice."""
        self.watcher.stop()
        self.graph.release()
        self._release_resources()

    def _release_resources(self) -> None:
        if self._owns_resources:
            self.resources.release()
