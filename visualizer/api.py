"""Python API for scripts and notebooks: render a preset to numpy arrays, no window.

    from visualizer.api import Renderer
    with Renderer("mimic_bloom", size=(640, 360)) as renderer:
        renderer.set(echoFade=0.4)
        for time, image in renderer.frames("song.flac", seconds=2):
            ...  # image: (360, 640, 3) uint8, top row first

Frames are rendered in order (feedback presets remember earlier frames), on
the same fixed clock and analyzer as `visualizer render`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import moderngl
import numpy as np

from visualizer.audio.decode import AudioFile
from visualizer.errors import PresetError
from visualizer.naming import did_you_mean
from visualizer.features.frame import FrameFeatures
from visualizer.features.schedule import BeatSource
from visualizer.preset.loader import load_preset
from visualizer.params.engine import modulation_engine
from visualizer.preset.spec import PresetSpec
from visualizer.render.context import create_headless_context
from visualizer.frames.clock import FrameTick
from visualizer.frames.loop import render_frame, render_range
from visualizer.render.graph import RenderGraph


class Renderer:
    """One preset at one size; `close()` releases every GL object it made.

    It makes (and owns) a headless context unless given `ctx`, which it only
    borrows. `sample_rate` (Hz) is iSampleRate for `render`; `frames` uses the
    audio file's own.
    """

    def __init__(self, preset: str | Path | PresetSpec, size: tuple[int, int] = (640, 360), ssaa: int = 1,
                 fps: float = 30.0, sample_rate: float = 44100.0, ctx: moderngl.Context | None = None):
        self.spec = preset if isinstance(preset, PresetSpec) else load_preset(preset)
        self.fps = fps
        self.sample_rate = float(sample_rate)
        self._engine = modulation_engine(self.spec, fps)
        self._owns_ctx = ctx is None
        self._ctx = ctx if ctx is not None else create_headless_context()
        try:
            self._graph = RenderGraph(self._ctx, self.spec, size, ssaa)
        except BaseException:
            self._release_ctx()
            raise

    @property
    def params(self) -> dict[str, object]:
        """Current base value of each parameter (before modulation)."""
        return {param.name: self._engine.base(param.name) for param in self.spec.params}

    def set(self, **values: object) -> None:
        """Set parameters' base values by name (modulations still apply on top)."""
        for name, value in values.items():
            try:
                self._engine.set_base(name, value)
            except KeyError:
                hint = did_you_mean(name, [p.name for p in self.spec.params])
                raise PresetError(f"{self.spec.name}: no parameter {name!r}; {hint}") from None
            except ValueError as exc:
                raise PresetError(f"{self.spec.name}: {name}: {exc}") from exc

    def render(self, time: float, features: FrameFeatures | None = None) -> np.ndarray:
        """One frame at `time` seconds: (height, width, 3) uint8, top row first."""
        tick = FrameTick(round(time * self.fps), time, 1.0 / self.fps, self.fps)
        render_frame(self._graph, self._engine, tick, features or FrameFeatures.silent(time), self.sample_rate)
        return self._graph.read_rgb().copy()

    def frames(self, audio: str | Path, start: float = 0.0, seconds: float | None = None,
               beats: BeatSource = "offline") -> Iterator[tuple[float, np.ndarray]]:
        """(time, image) for each frame of `audio` from `start`, as `render` draws them."""
        with AudioFile(audio) as decoded:
            first = round(start * self.fps)
            count = _frame_count(decoded.duration, first, self.fps, seconds)
            for tick in render_range(self._graph, self._engine, decoded, self.fps, first, count, beats):
                yield tick.time, self._graph.read_rgb().copy()

    def close(self) -> None:
        """Release every GL object and the context; safe to call twice."""
        if self._ctx is not None:
            self._graph.release()
            self._release_ctx()

    def _release_ctx(self) -> None:
        if self._owns_ctx:
            self._ctx.release()
        self._ctx = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _frame_count(duration: float, first: int, fps: float, seconds: float | None) -> int:
    available = max(0.0, duration - first / fps)
    return max(0, int((available if seconds is None else min(seconds, available)) * fps + 1e-6))
