"""Render targets: textures with framebuffers, single or ping-pong (feedback)."""

from __future__ import annotations

import moderngl

from visualizer.preset.spec import TargetSpec

_DTYPES = {"rgba8": "f1", "rgba16f": "f2", "rgba32f": "f4"}


class RenderTarget:
    """Owns one texture+framebuffer, or two when the target keeps feedback.

    `texture` is the latest complete frame; `framebuffer` is where the next draw
    goes. For a feedback target they differ, and `swap()` after the draw makes
    the new frame current while the old one stays readable until then.
    """

    def __init__(self, ctx: moderngl.Context, spec: TargetSpec, render_size: tuple[int, int]):
        self.spec = spec
        self.size = spec.pixel_size(render_size)
        copies = 2 if spec.feedback else 1
        self._textures = [self._make_texture(ctx) for _ in range(copies)]
        self._framebuffers = [ctx.framebuffer(color_attachments=[t]) for t in self._textures]
        for framebuffer in self._framebuffers:
            framebuffer.clear(0.0, 0.0, 0.0, 0.0)
        self._front = 0

    def _make_texture(self, ctx: moderngl.Context) -> moderngl.Texture:
        texture = ctx.texture(self.size, 4, dtype=_DTYPES[self.spec.format])
        texture.filter = (moderngl.LINEAR, moderngl.LINEAR)
        texture.repeat_x = texture.repeat_y = False
        return texture

    @property
    def texture(self) -> moderngl.Texture:
        """The latest complete frame."""
        return self._textures[self._front]

    @property
    def framebuffer(self) -> moderngl.Framebuffer:
        """Where the next frame is drawn."""
        return self._framebuffers[(self._front + 1) % len(self._framebuffers)]

    def swap(self) -> None:
        """Make the frame just drawn the current one."""
        self._front = (self._front + 1) % len(self._textures)

    def release(self) -> None:
        """Release the GL objects; safe to call twice."""
        for obj in (*self._framebuffers, *self._textures):
            obj.release()
        self._framebuffers, self._textures = [], []
