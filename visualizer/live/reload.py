"""A render graph that follows its preset's files: on a save it re-validates
and recompiles, swaps only on success (then releases the old graph), and on a
failure keeps the last good version rendering and remembers the error.

A save that changes only parameters is applied at once, and so is one that
brings back shader code already shown (an undo). A save that changes shader
code is first checked in a probe process (visualizer/live/checker.py):
there a runaway shader hangs or crashes the probe, not the show, and is
stopped at its time limit. The show keeps drawing the last good version while
the check runs; a later `poll` swaps the checked graph in or records the error.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import moderngl

from visualizer.errors import VisualizerError
from visualizer.live.checker import CheckResult, ShaderChecker
from visualizer.live.watch import PresetWatcher
from visualizer.params.engine import ModulationEngine, modulation_engine
from visualizer.preset.loader import load_preset
from visualizer.preset.spec import PresetSpec
from visualizer.render.graph import RenderGraph, checked_sources
from visualizer.render.probe import sources_digest
from visualizer.render.resources import GpuResources
from visualizer.render.shader_source import ShaderSource

log = logging.getLogger(__name__)

WAIT_S = 1.0
"""Seconds between looks at a check's outcome in `settle` (the check has its own limits)."""


class LiveGraph:
    """Owns the current `RenderGraph` of a preset file and its modulation engine.
    Without `check_shaders` a shader save is compiled here at once (a runaway
    shader then freezes the caller)."""

    def __init__(self, ctx: moderngl.Context, preset: str | Path, size: tuple[int, int], frame_rate: float,
                 flip_output: bool = True, resources: GpuResources | None = None, check_shaders: bool = True,
                 warm_checker: bool = True):
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
        self.last_check: CheckResult | None = None
        """The outcome of the latest shader check (its `seconds`: the time it added to a reload)."""
        self._checking: tuple[PresetSpec, list[ShaderSource]] | None = None
        self._passed = {sources_digest(self.graph.source_texts)}
        """Digests of sources already built here or checked (an undone edit needs no new check)."""
        try:
            self.watcher = PresetWatcher(self._files()).start()
        except BaseException:
            self.graph.release()
            self._release_resources()
            raise
        self.checker = ShaderChecker(size, on_result=self.watcher.wake, warm=warm_checker) if check_shaders else None

    def _files(self) -> list[Path]:
        return [self.path, *self.graph.source_files]

    @property
    def checking(self) -> bool:
        """True while a saved shader is being checked (the last good version still shows)."""
        return self._checking is not None

    def poll(self) -> float | None:
        """Follow the files: reload after a save (a shader change starts its check), and
        apply a check that has finished. Returns the save's perf_counter time, if one came."""
        changed = self.watcher.take_change()
        if changed is not None:
            time.sleep(0.005)  # let a writer finish the file it is saving
            self._start_reload()
        self._finish_reload()
        return changed

    def follow(self, path: Path) -> None:
        """Watch and reload from `path` from now on (the editor saved a copy there)."""
        self.path = Path(path)
        self.watcher.watch(self._files())

    def reload(self) -> None:
        """Load the preset file again and wait for its check: swap on success, keep the
        last good version on failure."""
        self._start_reload()
        self.settle()

    def request_reload(self) -> None:
        """Load the files again without waiting: a shader change is checked while the
        last good version shows (a later `poll` swaps it in)."""
        self._start_reload()

    def settle(self) -> None:
        """Follow the files until no check is running (a check ends within its time limits)."""
        while self._checking is not None:
            self.checker.wait(WAIT_S)
            self.poll()

    def _start_reload(self) -> None:
        """Parameters only: swap them in now. New shader code: start its check."""
        self._checking = None
        try:
            spec = load_preset(self.path)
            sources = checked_sources(spec)
            if self.graph.adopt(spec, sources):
                self._swap(spec, None)
                return
        except VisualizerError as exc:
            self._fail(str(exc))
            return
        if self.checker is None or sources_digest(s.text for s in sources) in self._passed:
            self._build(spec, sources)
            return
        self._checking = (spec, sources)
        self.checker.submit(self.path)

    def _finish_reload(self) -> None:
        """Apply a finished check: build the checked graph here and swap it in, or record its error."""
        if self._checking is None or self.checker is None:
            return
        result = self.checker.take()
        if result is None:
            return
        (spec, sources), self._checking = self._checking, None
        self.last_check = result
        if result.error is not None:
            self._fail(result.error)
            return
        if result.unavailable is None and result.sources != sources_digest(s.text for s in sources):
            self._start_reload()  # saved again while the probe read the files: check what is there now
            return
        if result.sources is not None:
            self._passed.add(result.sources)
        self._build(spec, sources)

    def _build(self, spec: PresetSpec, sources: list[ShaderSource]) -> None:
        """Compile `spec`'s graph in the show's context and swap it in, or record the error."""
        try:
            graph = RenderGraph(self.ctx, spec, self.size, resources=self.resources, flip_output=self.flip,
                                sources=sources)
        except VisualizerError as exc:
            self._fail(str(exc))
            return
        self._swap(spec, graph)

    def _fail(self, error: str) -> None:
        self.error = error
        log.error("%s (still showing the last good version)", self.error)

    def _swap(self, spec: PresetSpec, graph: RenderGraph | None) -> None:
        """Show `spec` from now on, drawn by `graph` (None: the current graph adopted it)."""
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

    def resize(self, size: tuple[int, int]) -> None:
        """Draw at `size` pixels from now on: the same preset and engine (parameters, smoothing)
        in a graph of the new size (its image feedback starts over)."""
        if size == self.size:
            return
        self.size = size  # a rebuild that fails now is retried at this size after a fix
        if self.checker is not None:
            self.checker.size = size
        try:
            graph = RenderGraph(self.ctx, self.spec, size, resources=self.resources, flip_output=self.flip,
                                sources=checked_sources(self.spec))
        except VisualizerError as exc:  # its files broke since: keep drawing at the old size
            self._fail(str(exc))
            return
        old, self.graph = self.graph, graph
        old.release()

    def release(self) -> None:
        """Stop watching and checking and release the graph; safe to call twice."""
        if self.checker is not None:
            self.checker.close()
        self.watcher.stop()
        self.graph.release()
        self._release_resources()

    def _release_resources(self) -> None:
        if self._owns_resources:
            self.resources.release()
