"""The live show's presets on deck: one hot-reloading `LiveGraph` per preset in
use, all sharing the window context's `GpuResources`, and one standby compiled
(and drawn once, unseen) ahead of its cue so a switch does not hitch.

Each preset keeps its own `ParamState`, so a performer's tweaks are still there
when the show comes back to it. A preset that fails to load raises here; the
show keeps what it shows and reports the error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import moderngl

from visualizer.features.frame import FrameFeatures
from visualizer.frames.clock import FrameTick
from visualizer.frames.loop import render_frame
from visualizer.live.reload import LiveGraph
from visualizer.params.engine import ModulationEngine
from visualizer.params.state import ParamState
from visualizer.render.graph import RenderGraph
from visualizer.render.resources import GpuResources

log = logging.getLogger(__name__)


@dataclass
class LiveSlot:
    """A playlist entry's preset on deck: its live graph and the performer's values for it."""

    live: LiveGraph
    params: ParamState
    entry: int
    source: Path
    """The path it was opened from (the playlist's)."""

    @property
    def graph(self) -> RenderGraph:
        return self.live.graph

    @property
    def engine(self) -> ModulationEngine:
        return self.live.engine

    @property
    def name(self) -> str:
        return self.live.spec.name


class SlotBank:
    """Opens, keeps ahead and retires the live graphs of one window context."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int], frame_rate: float, sample_rate: float,
                 check_shaders: bool = True):
        self.ctx, self.size, self.frame_rate = ctx, size, frame_rate
        self.sample_rate = sample_rate
        self.check_shaders = check_shaders
        self.resources = GpuResources(ctx)
        self.standby: LiveSlot | None = None
        self.warmed = False
        """Whether the standby has been drawn once (`warm`)."""
        self._kept: dict[Path, ParamState] = {}

    def open(self, path: Path, entry: int, steered: bool = True) -> LiveSlot:
        """A fresh slot for the preset at `path` (VisualizerError when it does not load or
        build). A `steered` slot takes the performer's values for that preset (its
        `ParamState`); a standby gets them when it is taken."""
        live = LiveGraph(self.ctx, path, self.size, self.frame_rate, flip_output=False,
                         resources=self.resources, check_shaders=self.check_shaders, warm_checker=False)
        params = self._kept.get(live.path)
        if params is None:
            params = self._kept[live.path] = ParamState(live.engine)
        slot = LiveSlot(live, params, entry, Path(path))
        if steered:
            params.attach(live.engine)
        return slot

    def prepare(self, path: Path, entry: int) -> None:
        """Build `path` as the standby (its programs compiled; `warm` draws it once on a
        later frame). Errors are logged: the cue will report them. Nothing happens when
        it is ready already."""
        if self.standby is not None and self.standby.source == Path(path):
            self.standby.entry = entry
            return
        self.drop_standby()
        try:
            slot = self.open(path, entry, steered=False)
        except Exception as exc:  # a broken preset must not stop the show; its cue reports it
            log.warning("could not prepare %s: %s", path, str(exc).splitlines()[0])
            return
        self.standby = slot
        self.warmed = False

    def warm(self) -> bool:
        """Draw the standby once, unseen (the driver's first draw compiles more), on a frame
        after the one that built it; True when there was one to draw."""
        slot = self.standby
        if slot is None or self.warmed:
            return False
        tick = FrameTick(0, 0.0, 1.0 / self.frame_rate, self.frame_rate)
        render_frame(slot.graph, slot.engine, tick, FrameFeatures.silent(), self.sample_rate)
        slot.graph.reset()
        slot.engine.reset()
        self.warmed = True
        return True

    def take(self, path: Path, entry: int) -> LiveSlot:
        """The slot for `path`: the standby when it is that preset, else opened now."""
        standby = self.standby
        if standby is not None and standby.source == Path(path):
            self.standby = None
            standby.entry = entry
            standby.params.attach(standby.engine)
            return standby
        return self.open(path, entry)

    def drop_standby(self) -> None:
        if self.standby is not None:
            self.retire(self.standby)
            self.standby = None

    def retire(self, slot: LiveSlot) -> None:
        """Release a slot the deck no longer shows. Its values are kept for a return, and
        so are its compiled programs and idle surfaces (a set comes back to its presets:
        only a hot reload or a resize lets them go)."""
        slot.live.release()

    def resize(self, slots: list[LiveSlot], size: tuple[int, int]) -> None:
        """Draw `slots` at `size` pixels from now on (the standby is dropped)."""
        self.size = size
        self.drop_standby()
        for slot in slots:
            slot.live.resize(size)
        self.resources.surfaces.trim()

    def release(self) -> None:
        self.drop_standby()
        self.resources.release()
