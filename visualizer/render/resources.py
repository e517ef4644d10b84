"""GPU resources shared by every graph of one context, with one owner.

`GpuResources` owns the program cache, a pool of render surfaces keyed by
(size, format), and the audio textures, which are uploaded once per frame
however many graphs draw it (a crossfade renders two). Graphs borrow surfaces
and give them back when released; `release()` frees everything, twice is safe.
"""

from __future__ import annotations

from collections import defaultdict

import moderngl
import numpy as np

from visualizer.features.frame import BAND_COUNT, HISTORY_FRAMES, TEXTURE_WIDTH, FrameFeatures
from visualizer.preset.spec import AUDIO_SOURCE, BANDS_SOURCE, SPECTROGRAM_SOURCE
from visualizer.render.context import bind_default_framebuffer
from visualizer.render.program import ProgramCache

DTYPES = {"rgba8": "f1", "rgba16f": "f2", "rgba32f": "f4"}
"""Target format -> moderngl texture dtype."""
PoolKey = tuple[tuple[int, int], str]


class Surface:
    """A texture and the framebuffer drawing into it (a pool's unit of lending)."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int], format: str):
        self.key: PoolKey = (size, format)
        self.texture = ctx.texture(size, 4, dtype=DTYPES[format])
        self.texture.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.texture.repeat_x = self.texture.repeat_y = False
        self.framebuffer = ctx.framebuffer(color_attachments=[self.texture])

    def release(self) -> None:
        self.framebuffer.release()
        self.texture.release()


class SurfacePool:
    """Surfaces by (size, format): `borrow` hands out a cleared one, `give_back`
    keeps it for the next borrower, `trim` frees the idle ones."""

    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self._idle: dict[PoolKey, list[Surface]] = defaultdict(list)
        self.lent: set[Surface] = set()

    def borrow(self, size: tuple[int, int], format: str) -> Surface:
        """A surface of `size` pixels and `format`, cleared to transparent black."""
        idle = self._idle[(size, format)]
        surface = idle.pop() if idle else Surface(self.ctx, size, format)
        surface.framebuffer.clear(0.0, 0.0, 0.0, 0.0)
        self.lent.add(surface)
        return surface

    def give_back(self, surface: Surface) -> None:
        """Return a borrowed surface; its contents are forgotten."""
        if surface in self.lent:
            self.lent.discard(surface)
            self._idle[surface.key].append(surface)

    def trim(self) -> None:
        """Free every idle surface (after a resize or a preset change)."""
        bind_default_framebuffer(self.ctx)
        for surfaces in self._idle.values():
            for surface in surfaces:
                surface.release()
        self._idle.clear()

    def release(self) -> None:
        """Free idle and lent surfaces alike; safe to call twice."""
        for surface in self.lent:
            self._idle[surface.key].append(surface)
        self.lent = set()
        self.trim()


class AudioTextures:
    """The per-frame audio textures: "audio" (512x2, Shadertoy layout), "bands"
    (64x1) and "spectrogram" (64x128, newest row at y = 0)."""

    def __init__(self, ctx: moderngl.Context):
        self._textures = {
            AUDIO_SOURCE: ctx.texture((TEXTURE_WIDTH, 2), 1, dtype="f4"),
            BANDS_SOURCE: ctx.texture((BAND_COUNT, 1), 1, dtype="f4"),
            SPECTROGRAM_SOURCE: ctx.texture((BAND_COUNT, HISTORY_FRAMES), 1, dtype="f4"),
        }
        self._current: FrameFeatures | None = None
        self.uploads = 0
        """How many frames were uploaded (a frame drawn by two graphs counts once)."""

    def upload(self, features: FrameFeatures) -> dict[str, moderngl.Texture]:
        """This frame's textures by source name; written only if `features` is new."""
        if features is not self._current:
            self._textures[AUDIO_SOURCE].write(features.audio_texture().tobytes())
            self._textures[BANDS_SOURCE].write(np.ascontiguousarray(features.bands, np.float32).tobytes())
            self._textures[SPECTROGRAM_SOURCE].write(
                np.ascontiguousarray(features.spectrogram, np.float32).tobytes()
            )
            self._current = features
            self.uploads += 1
        return dict(self._textures)

    def release(self) -> None:
        for texture in self._textures.values():
            texture.release()
        self._textures, self._current = {}, None


class GpuResources:
    """The one owner of a context's shared GPU resources."""

    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self.programs = ProgramCache(ctx)
        self.surfaces = SurfacePool(ctx)
        self.audio = AudioTextures(ctx)

    def release(self) -> None:
        """Free programs, surfaces and audio textures; safe to call twice."""
        bind_default_framebuffer(self.ctx)
        self.surfaces.release()
        self.audio.release()
        self.programs.release()
