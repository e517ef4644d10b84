"""The GPU side of a deck: the surface a transition mixes into, the copy a
freeze holds, black for a blackout, and the transition pass. One owner for
each: the mixer borrows its surfaces from the shared pool and gives them back.
"""

from __future__ import annotations

import moderngl

from visualizer.render.resources import GpuResources, Surface
from visualizer.render.transition import TransitionPass

Framebuffer = moderngl.Framebuffer
"""What a deck shows or encodes (re-exported: `frames` names it without importing GL)."""
Context = moderngl.Context


class Mixer:
    """Mixes two pictures of `size` pixels through a transition, holds one, or shows black."""

    def __init__(self, ctx: moderngl.Context, resources: GpuResources, size: tuple[int, int]):
        self.ctx, self.resources, self.size = ctx, resources, size
        self.transitions = TransitionPass(ctx, resources)
        self._mix: Surface | None = resources.surfaces.borrow(size, "rgba8")
        self._held: Surface | None = None

    def prepare(self, style: str, warm_with: moderngl.Framebuffer | None = None) -> None:
        """Compile `style` now (a PresetError for an unknown or broken one); with `warm_with`,
        also draw it once, unseen (the driver's first draw compiles more: not on a cue's frame)."""
        self.transitions.prepare(style)
        if warm_with is not None:
            self.mix(style, warm_with, warm_with, 0.5, 0.0)

    def mix(self, style: str, outgoing: moderngl.Framebuffer, incoming: moderngl.Framebuffer, progress: float,
            time: float) -> moderngl.Framebuffer:
        """`outgoing` into `incoming` at `progress` (0..1), drawn into the mix surface (returned)."""
        assert self._mix is not None, "the mixer was released"
        self.transitions.draw(style, outgoing.color_attachments[0], incoming.color_attachments[0], progress,
                              self._mix.framebuffer, time=time)
        return self._mix.framebuffer

    @property
    def holding(self) -> bool:
        return self._held is not None

    def hold(self, picture: moderngl.Framebuffer) -> None:
        """Keep a copy of `picture` (a freeze) until `let_go`."""
        if self._held is None:
            self._held = self.resources.surfaces.borrow(self.size, "rgba8")
        self.ctx.copy_framebuffer(self._held.framebuffer, picture)

    @property
    def held(self) -> moderngl.Framebuffer:
        assert self._held is not None, "nothing is held"
        return self._held.framebuffer

    def let_go(self) -> None:
        if self._held is not None:
            self.resources.surfaces.give_back(self._held)
            self._held = None

    def black(self) -> moderngl.Framebuffer:
        """The mix surface cleared to opaque black (a blackout)."""
        assert self._mix is not None, "the mixer was released"
        self._mix.framebuffer.clear(0.0, 0.0, 0.0, 1.0)
        return self._mix.framebuffer

    def resize(self, size: tuple[int, int]) -> None:
        """Mix at `size` pixels from now on (what is held is let go)."""
        self.let_go()
        if self._mix is not None:
            self.resources.surfaces.give_back(self._mix)
        self._mix = self.resources.surfaces.borrow(size, "rgba8")
        self.size = size

    def release(self) -> None:
        """Give the surfaces back and release the transition pass; safe twice."""
        self.let_go()
        if self._mix is not None:
            self.resources.surfaces.give_back(self._mix)
            self._mix = None
        self.transitions.release()
