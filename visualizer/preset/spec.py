"""CPU-side descriptions of a scene: targets, passes and parameters.

A `*Spec` owns no GPU resources; `render.graph.RenderGraph` builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from visualizer.preset.modulation_spec import Modulation, ParamSpec, Trigger, Value

TargetFormat = Literal["rgba8", "rgba16f", "rgba32f"]
TARGET_FORMATS: tuple[str, ...] = ("rgba8", "rgba16f", "rgba32f")
OUTPUT_TARGET = "output"
AUDIO_SOURCE = "audio"
BANDS_SOURCE = "bands"
SPECTROGRAM_SOURCE = "spectrogram"
BUILTIN_SOURCES: tuple[str, ...] = (AUDIO_SOURCE, BANDS_SOURCE, SPECTROGRAM_SOURCE)
DEFAULT_HISTORY = 2.0
"""Seconds of warm-up for a preset with image feedback that does not declare
`meta.history` (a guess: `presets validate` warns about it)."""
STATE_PIXELS = 4096
"""Largest fixed-size feedback target counted as musical state (e.g. 64x64)."""
SAMPLER_NAMES: tuple[str, ...] = ("iChannel0", "iChannel1", "iChannel2", "iChannel3")


@dataclass(frozen=True)
class TargetSpec:
    """A named render target.

    `scale` sizes it relative to the render size unless `size` (pixels) is set.
    `feedback` keeps the previous frame readable by the pass that writes it.
    """

    name: str
    format: TargetFormat = "rgba8"
    scale: float = 1.0
    size: tuple[int, int] | None = None
    feedback: bool = False

    def pixel_size(self, render_size: tuple[int, int]) -> tuple[int, int]:
        if self.size is not None:
            return self.size
        width, height = render_size
        return max(1, round(width * self.scale)), max(1, round(height * self.scale))


@dataclass(frozen=True)
class PassSpec:
    """One fragment shader drawing into `target`.

    `inputs` binds sampler uniforms (iChannel0..3) to target names or a built-in
    source: "audio" (512x2), "bands" (64x1) or "spectrogram" (64x128).
    """

    shader: Path
    target: TargetSpec
    inputs: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.target.name

    @property
    def keeps_state(self) -> bool:
        """A state pass: feedback into a small fixed-size target (at most STATE_PIXELS)
        that reads only the built-in audio sources and itself. Cheap enough to run
        through every frame of a track, so its memory never limits an exact --start."""
        target = self.target
        if not target.feedback or target.size is None or target.size[0] * target.size[1] > STATE_PIXELS:
            return False
        return all(source in BUILTIN_SOURCES or source == target.name for _, source in self.inputs)


@dataclass(frozen=True)
class PresetSpec:
    """A whole scene: ordered passes (the last draws to "output"), parameters,
    and how the music moves them (modulations, beat triggers)."""

    name: str
    passes: tuple[PassSpec, ...]
    description: str = ""
    author: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[ParamSpec, ...] = field(default=())
    modulations: tuple[Modulation, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    seed: int = 0
    history: float | None = None
    """Seconds of past frames its feedback targets remember (None: DEFAULT_HISTORY
    when it has feedback). A render from any start draws this much first, unseen."""
    path: Path | None = None

    @property
    def image_feedback(self) -> bool:
        """Some pass reads its own last frame and is not a state pass."""
        return any(p.target.feedback and not p.keeps_state for p in self.passes)

    @property
    def history_seconds(self) -> float:
        """How long before a start frames must be drawn for feedback to match a full render."""
        if self.history is not None:
            return self.history
        return DEFAULT_HISTORY if self.image_feedback else 0.0


def default_values(preset: PresetSpec) -> dict[str, Value]:
    """Each parameter's default, by name."""
    return {param.name: param.default for param in preset.params}
