"""What one offline render is asked to do, checked before any work starts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from visualizer.errors import OutputError, VisualizerError
from visualizer.output.atomic import is_sequence
from visualizer.output.encoder import VIDEO_CONTAINERS
from visualizer.preset.spec import PresetSpec

MAX_TEXTURE_SIZE = 16384


@dataclass(frozen=True)
class RenderJob:
    """An offline render: sizes in pixels, times in seconds.

    `seconds=None` renders to the end of the audio. `beats` chooses the
    whole-track beat grid ("offline") or the causal live tracker ("live").
    """

    preset: PresetSpec
    audio: Path
    out: Path
    size: tuple[int, int] = (1280, 720)
    fps: float = 30.0
    seconds: float | None = None
    start: float = 0.0
    ssaa: int = 1
    beats: Literal["offline", "live"] = "offline"

    @property
    def start_frame(self) -> int:
        """The absolute frame number of the first frame (the clock is frame / fps)."""
        return round(self.start * self.fps)

    def frame_count(self, audio_seconds: float) -> int:
        """Frames to render for audio of `audio_seconds`; raises on an empty range."""
        start = self.start_frame / self.fps
        if start >= audio_seconds:
            raise VisualizerError(
                f"{self.audio}: --start {self.start:g} is past the end of the audio"
                f" ({audio_seconds:.2f} s); choose an earlier start"
            )
        available = audio_seconds - start
        seconds = available if self.seconds is None else min(self.seconds, available)
        count = math.floor(seconds * self.fps + 1e-6)
        if count < 1:
            raise VisualizerError(f"--seconds {seconds:g} is shorter than one frame at {self.fps:g} fps")
        return count


def check_job(job: RenderJob) -> None:
    """Reject sizes, rates and outputs that cannot work, before rendering."""
    width, height = job.size
    if width < 1 or height < 1:
        raise VisualizerError(f"--size {width}x{height}: width and height must be positive")
    if max(width, height) * job.ssaa > MAX_TEXTURE_SIZE:
        raise VisualizerError(
            f"--size {width}x{height} with --ssaa {job.ssaa} exceeds {MAX_TEXTURE_SIZE} pixels;"
            " lower the size or --ssaa"
        )
    if not 0 < job.fps <= 240:
        raise VisualizerError(f"--fps {job.fps:g}: choose a rate between 1 and 240")
    if job.seconds is not None and job.seconds <= 0:
        raise VisualizerError(f"--seconds {job.seconds:g}: must be positive")
    if job.start < 0:
        raise VisualizerError(f"--start {job.start:g}: must be zero or more")
    if not 1 <= job.ssaa <= 4:
        raise VisualizerError(f"--ssaa {job.ssaa}: choose 1, 2, 3 or 4")
    _check_output(job)


def _check_output(job: RenderJob) -> None:
    width, height = job.size
    if is_sequence(job.out):
        if job.out.suffix.lower() != ".png":
            raise OutputError(f"{job.out}: image sequences are written as PNG; use a pattern like frames/%05d.png")
        return
    if job.out.suffix.lower() not in VIDEO_CONTAINERS:
        raise OutputError(
            f"{job.out}: unsupported output type; use {', '.join(VIDEO_CONTAINERS)} or frames/%05d.png"
        )
    if width % 2 or height % 2:
        raise OutputError(f"--size {width}x{height}: H.264 needs an even width and height")
    if job.out.is_dir():
        raise OutputError(f"{job.out}: is a folder; give a file name such as {job.out / 'render.mp4'}")
