"""Two presets at once: the deck shows one slot, and during a transition draws
the outgoing and the incoming slot from the same features and clock, blended
by a transition shader into the deck's own surface.

Offline and live use the same deck: a cue starts a transition at a frame's
time, its progress is (time - start) / length on the frame clock, and when it
reaches 1 the incoming slot becomes the shown one and the outgoing slot goes
to `on_retire` (its owner releases it). Freeze holds a copy of the last frame
shown while both slots go on rendering underneath; blackout shows black.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from visualizer.features.frame import FrameFeatures
from visualizer.frames.clock import FrameTick
from visualizer.frames.loop import render_frame, step_state
from visualizer.params.engine import ModulationEngine
from visualizer.render.graph import RenderGraph
from visualizer.render.mixer import Framebuffer, Mixer


class Slot(Protocol):
    """A preset ready to draw: its graph and its modulation engine (a `LiveGraph` is one)."""

    @property
    def graph(self) -> RenderGraph: ...

    @property
    def engine(self) -> ModulationEngine: ...


@dataclass
class PresetSlot:
    """An offline slot: a graph and an engine, owned by whoever made them."""

    graph: RenderGraph
    engine: ModulationEngine
    entry: int = 0

    def release(self) -> None:
        self.graph.release()


@dataclass
class Blend:
    """A transition in progress: `style` from `start` (s, frame clock) over `seconds`."""

    incoming: Slot
    style: str
    start: float
    seconds: float

    def progress(self, time: float) -> float:
        """0..1 at `time` (s); a cut (0 s) is 1 at once."""
        if self.seconds <= 0.0:
            return 1.0
        return min(1.0, max(0.0, (time - self.start) / self.seconds))


class Deck:
    """The shown slot, a blend to the next, and the picture at `size` pixels.

    Slots belong to the caller (`on_retire` hands one back when a blend is over);
    the deck's GPU side (the mix and freeze surfaces, the transition programs) is
    its `Mixer`'s. A slot's rows are top-down offline and bottom-up in a window:
    the mix keeps the order it is given.
    """

    def __init__(self, mixer: Mixer, first: Slot, on_retire: Callable[[Slot], None], sample_rate: float):
        self.mixer = mixer
        self.current: Slot = first
        self.blend: Blend | None = None
        self.on_retire = on_retire
        self.sample_rate = float(sample_rate)
        self._shown: Framebuffer = first.graph.output
        self.blackout = False
        self.progress = 0.0
        """The blend's progress at the last frame drawn: 1 on the frame it ended, 0 without one."""

    @property
    def size(self) -> tuple[int, int]:
        return self.mixer.size

    # --- cues ------------------------------------------------------------------------------------

    @property
    def newest(self) -> Slot:
        """The slot a performer is steering: the incoming one during a blend."""
        return self.blend.incoming if self.blend is not None else self.current

    def slots(self) -> list[Slot]:
        """The slots drawn now: the shown one, and the incoming one during a blend."""
        return [self.current] if self.blend is None else [self.current, self.blend.incoming]

    def start(self, incoming: Slot, style: str, seconds: float, time: float) -> None:
        """Blend from what shows to `incoming` from `time` (s) over `seconds` (0: a cut on
        that frame). A blend still running is finished first: its incoming slot is shown."""
        self.mixer.prepare(style)
        if self.blend is not None:
            self._finish()
        self.blend = Blend(incoming, style, float(time), max(0.0, float(seconds)))

    def _finish(self) -> None:
        """The incoming slot becomes the shown one; the outgoing one is retired."""
        assert self.blend is not None
        outgoing, self.current, self.blend = self.current, self.blend.incoming, None
        self.on_retire(outgoing)

    # --- frames ----------------------------------------------------------------------------------

    def render(self, tick: FrameTick, features: FrameFeatures, draw: bool = True) -> None:
        """Draw the frame at `tick`: the shown slot, and during a blend the incoming
        one and their mix. A blend that reaches 1 ends on this frame (its incoming slot
        alone is drawn from the next). Without `draw` only the slots' parameters and
        state passes step (a fast-forward: no pictures)."""
        for slot in self.slots():
            if draw:
                render_frame(slot.graph, slot.engine, tick, features, self.sample_rate)
            else:
                step_state(slot.graph, slot.engine, tick, features, self.sample_rate)
        blend = self.blend
        if blend is None:
            self._shown = self.current.graph.output
            self.progress = 0.0
            return
        self.progress = blend.progress(tick.time)
        if draw:
            self._shown = self.mixer.mix(blend.style, self.current.graph.output, blend.incoming.graph.output,
                                         self.progress, tick.time)
        if self.progress >= 1.0:  # at 1 the mix is the incoming picture: show it as it is
            self._finish()
            self._shown = self.current.graph.output

    def resize(self, size: tuple[int, int]) -> None:
        """Mix at `size` pixels from now on (the slots are resized by their owner; a held
        freeze frame is let go)."""
        self.mixer.resize(size)
        self._shown = self.newest.graph.output if self.blend is None else self.current.graph.output

    @property
    def frozen(self) -> bool:
        return self.mixer.holding

    def freeze(self, on: bool) -> None:
        """Hold the picture shown now (on) or show the live one again (off)."""
        if on and not self.mixer.holding:
            self.mixer.hold(self._shown)
        elif not on:
            self.mixer.let_go()

    @property
    def output(self) -> Framebuffer:
        """The picture to show or encode: held when frozen, black in a blackout."""
        if self.blackout:
            return self.mixer.black()
        if self.mixer.holding:
            return self.mixer.held
        return self._shown

    def release(self) -> None:
        """Release the mixer (not the slots); safe twice."""
        self.mixer.release()
