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
from dataclasses import replace
from pathlib import Path

import numpy as np

from visualizer.audio.decode import AudioFile
from visualizer.errors import PresetError
from visualizer.naming import did_you_mean
from visualizer.output.export import BeatSource, frame_features, warmup_frames
from visualizer.features.frame import FrameFeatures
from visualizer.preset.loader import load_preset
from visualizer.params.engine import modulation_engine
from visualizer.preset.spec import PresetSpec
from visualizer.render.context import create_headless_context
from visualizer.render.graph import RenderGraph
from visualizer.render.uniforms import FrameInputs


class Renderer:
    """One preset at one size in a headless context; `close()` releases it all."""

    def __init__(self, preset: str | Path | PresetSpec, size: tuple[int, int] = (640, 360), ssaa: int = 1,
                 fps: float = 30.0):
        self.spec = preset if isinstance(preset, PresetSpec) else load_preset(preset)
        self.fps = fps
        self._engine = modulation_engine(self.spec, fps)
        self._ctx = create_headless_context()
        try:
            self._graph = RenderGraph(self._ctx, self.spec, size, ssaa)
        except BaseException:
            self._ctx.release()
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
        frame = round(time * self.fps)
        features = features or FrameFeatures.silent(time)
        inputs = FrameInputs(time, 1.0 / self.fps, frame, self.fps, features)
        self._graph.render(inputs, self._engine.step(features))
        return self._graph.read_rgb().copy()

    def frames(self, audio: str | Path, start: float = 0.0, seconds: float | None = None,
               beats: BeatSource = "offline") -> Iterator[tuple[float, np.ndarray]]:
        """(time, image) for each frame of `audio` from `start`, as `render` draws them."""
        with AudioFile(audio) as decoded:
            first = round(start * self.fps)
            count = _frame_count(decoded.duration, first, self.fps, seconds)
            warm = warmup_frames(first, self.fps)
            for index, features in enumerate(frame_features(decoded, first, self.fps, count, beats)):
                image = self.render(features.time, replace(features))
                if index >= warm:
                    yield features.time, image

    def close(self) -> None:
        """Release every GL object and the context; safe to call twice."""
        if self._ctx is not None:
            self._graph.release()
            self._ctx.release()
            self._ctx = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _frame_count(duration: float, first: int, fps: float, seconds: float | None) -> int:
    available = max(0.0, duration - first / fps)
    return max(0, int((available if seconds is None else min(seconds, available)) * fps + 1e-6))
