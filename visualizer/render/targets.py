"""Render targets: one surface, or two when the target keeps feedback (ping-pong),
borrowed from the context's `SurfacePool` and given back on release."""

from __future__ import annotations

import moderngl

from visualizer.preset.spec import TargetSpec
from visualizer.render.resources import Surface, SurfacePool


class RenderTarget:
    """A named target of a graph.

    `texture` is the latest complete frame; `framebuffer` is where the next draw
    goes. For a feedback target they differ, and `swap()` after the draw makes
    the new frame current while the old one stays readable until then.
    """

    def __init__(self, pool: SurfacePool, spec: TargetSpec, render_size: tuple[int, int]):
        self.spec = spec
        self.size = spec.pixel_size(render_size)
        self._pool = pool
        self._surfaces: list[Surface] = []
        self._front = 0
        try:
            for _ in range(2 if spec.feedback else 1):
                self._surfaces.append(pool.borrow(self.size, spec.format))
        except BaseException:
            self.release()
            raise

    @property
    def texture(self) -> moderngl.Texture:
        """The latest complete frame."""
        return self._surfaces[self._front].texture

    @property
    def framebuffer(self) -> moderngl.Framebuffer:
        """Where the next frame is drawn."""
        return self._surfaces[(self._front + 1) % len(self._surfaces)].framebuffer

    def swap(self) -> None:
        """Make the frame just drawn the current one."""
        self._front = (self._front + 1) % len(self._surfaces)

    def clear(self) -> None:
        """Forget every frame drawn (both copies of a feedback target)."""
        for surface in self._surfaces:
            surface.framebuffer.clear(0.0, 0.0, 0.0, 0.0)

    def snapshot(self) -> tuple[int, list[bytes]]:
        """(which copy is current, every copy's pixels as bytes): all a later
        `restore` needs to continue exactly as this target would."""
        return self._front, [surface.texture.read(alignment=1) for surface in self._surfaces]

    def restore(self, front: int, pixels: list[bytes]) -> None:
        """Take back what `snapshot` gave (ValueError, nothing changed, for another shape)."""
        sizes = [len(data) for data in self.snapshot()[1]]
        if [len(data) for data in pixels] != sizes or not 0 <= front < len(sizes):
            raise ValueError(f"target {self.spec.name!r}: the snapshot is of another size")
        for surface, data in zip(self._surfaces, pixels):
            surface.texture.write(data, alignment=1)
        self._front = front

    def release(self) -> None:
        """Give the surfaces back to the pool; safe to call twice."""
        for surface in self._surfaces:
            self._pool.give_back(surface)
        self._surfaces = []
