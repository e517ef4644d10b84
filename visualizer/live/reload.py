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
from visualizer.render.program import ProgramCache

log = logging.getLogger(__name__)


class LiveGraph:
    """Owns the current `RenderGraph` of a preset file and its modulation engine."""

    def __init__(self, ctx: moderngl.Context, preset: str | Path, size: tuple[int, int], frame_rate: float,
                 flip_output: bool = True):
        self.ctx, self.size, self.frame_rate, self.flip = ctx, size, frame_rate, flip_output
        self.spec: PresetSpec = load_preset(preset)
        self.path = self.spec.path
        self.programs = ProgramCache(ctx)  # shared: a reload recompiles only what changed
        self.graph = RenderGraph(ctx, self.spec, size, programs=self.programs, flip_output=flip_output)
        self.engine: ModulationEngine = modulation_engine(self.spec, frame_rate)
        self.error: str | None = None
        self.reloads = 0
        self.watcher = PresetWatcher(self._files()).start()

    def _files(self) -> list[Path]:
        return [self.path, *self.graph.source_files]

    def poll(self) -> float | None:
        """Reload if a watched file changed; returns the change's perf_counter time."""
        changed = self.watcher.take_change()
        if changed is None:
            return None
        time.sleep(0.005)  # let a writer finish the file it is saving
        self._reload()
        return changed

    def _reload(self) -> None:
        try:
            spec = load_preset(self.path)
            graph = None if self.graph.adopt(spec) else RenderGraph(
                self.ctx, spec, self.size, programs=self.programs, flip_output=self.flip)
        except VisualizerError as exc:
            self.error = str(exc)
            log.error("%s (still showing the last good version)", self.error)
            return
        if graph is not None:
            old, self.graph = self.graph, graph
            old.release()
            self.programs.prune(graph.programs_in_use)
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
        self.programs.release()
