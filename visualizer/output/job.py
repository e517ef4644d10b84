"""What one offline render is asked to do, checked before any work starts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from visualizer.errors import OutputError, VisualizerError
from visualizer.output.encoder import VIDEO_CONTAINERS, size_problem
from visualizer.output.target import (
    check_free_space,
    check_output_path,
    check_pattern,
    check_sequence_path,
    is_sequence,
)
from visualizer.preset.playlist import PlaylistSpec
from visualizer.preset.spec import PresetSpec

MAX_TEXTURE_SIZE = 16384
H264_BYTES_PER_PIXEL = 0.002
"""A low estimate of the H.264 file's bytes per pixel of each frame (CRF 18), for the free-space
check (Mimic Bloom at 320x180: 0.0099; larger pictures compress better)."""
PNG_BYTES_PER_PIXEL = 0.1
"""A low estimate of one PNG frame's bytes per pixel (Mimic Bloom at 320x180: 0.61)."""
AAC_BYTES_PER_SECOND = 192_000 / 8


def typed(number: float) -> str:
    """A number as the user typed it (`1e-9`, kept by the command line's parser), else `:g`."""
    return getattr(number, "typed", None) or f"{number:g}"


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
    out_option: str = "--out"
    """How messages name `out`: the option the user gave, or "output" for the default one."""
    playlist: PlaylistSpec | None = None
    """A set: the playlist's presets switched by its director (`preset` is its first entry's)."""

    @property
    def start_frame(self) -> int:
        """The absolute frame number of the first frame (the clock is frame / fps)."""
        return round(self.start * self.fps)

    def frame_count(self, audio_seconds: float) -> int:
        """Frames to render for audio of `audio_seconds`; raises on an empty range,
        naming what the user gave (`--seconds`, `--start` or the audio file)."""
        start = self.start_frame / self.fps
        if start >= audio_seconds:
            raise VisualizerError(f"{self.audio}: {self._late_start(audio_seconds)}; choose an earlier start")
        available = audio_seconds - start
        seconds = available if self.seconds is None else min(self.seconds, available)
        count = math.floor(seconds * self.fps + 1e-6)
        if count >= 1:
            return count
        frame = f"shorter than one frame at {typed(self.fps)} fps ({1 / self.fps:.3f} s)"
        if self.seconds is not None and self.seconds <= available:
            raise VisualizerError(f"--seconds {typed(self.seconds)} is {frame}; choose a longer --seconds")
        if start > 0:
            raise VisualizerError(f"{self.audio}: from --start {typed(self.start)} only {available:.3f} s of audio is"
                                  f" left, {frame}; choose an earlier start")
        raise VisualizerError(f"{self.audio}: the audio is {audio_seconds:.3f} s long, {frame}; use a longer file")

    def _late_start(self, audio_seconds: float) -> str:
        """Why `--start` leaves nothing to render, naming the frame it was rounded to if it was."""
        start = self.start_frame / self.fps
        where = "the end" if abs(start - audio_seconds) < 0.5 / self.fps else "past the end"
        if abs(start - self.start) < 1e-9:
            return f"--start {typed(self.start)} is {where} of the audio ({audio_seconds:.2f} s)"
        return (f"--start {typed(self.start)} begins at frame {self.start_frame} ({start:.2f} s at {typed(self.fps)}"
                f" fps), {where} of the audio ({audio_seconds:.2f} s)")

    def length_note(self, audio_seconds: float) -> str | None:
        """One line for the user when `--seconds` reaches past the end of the audio, else None."""
        available = audio_seconds - self.start_frame / self.fps
        if self.seconds is None or self.seconds <= available + 0.5 / self.fps:
            return None
        return (f"note: {self.audio.name} ends at {audio_seconds:.2f} s; rendering {available:.2f} s"
                f" instead of {typed(self.seconds)} s")

    def inputs(self) -> dict[str, Path | None]:
        """The files this render reads, by the option that named them (never to be overwritten)."""
        inputs = {"--audio": self.audio, "--preset": self.preset.path}
        if self.playlist is not None:
            inputs = {"--audio": self.audio, "--playlist": self.playlist.path,
                      **{f"the preset {entry.name}": entry.preset for entry in self.playlist.entries}}
        return inputs


def check_job(job: RenderJob) -> None:
    """Reject sizes, rates and outputs that cannot work, before any work starts
    (the audio is not opened yet: see `check_room` for what needs its length)."""
    width, height = job.size
    if width < 1 or height < 1:
        raise VisualizerError(f"--size {width}x{height}: width and height must be positive")
    if max(width, height) * job.ssaa > MAX_TEXTURE_SIZE:
        raise VisualizerError(
            f"--size {width}x{height} with --ssaa {job.ssaa} exceeds {MAX_TEXTURE_SIZE} pixels;"
            " lower the size or --ssaa"
        )
    if not (math.isfinite(job.fps) and 1 <= job.fps <= 240):
        raise VisualizerError(f"--fps {typed(job.fps)}: choose a rate between 1 and 240")
    if job.seconds is not None and not (math.isfinite(job.seconds) and job.seconds > 0):
        raise VisualizerError(f"--seconds {typed(job.seconds)}: must be a positive number")
    if not (math.isfinite(job.start) and job.start >= 0):
        raise VisualizerError(f"--start {typed(job.start)}: must be zero or more")
    if not 1 <= job.ssaa <= 4:
        raise VisualizerError(f"--ssaa {job.ssaa}: choose 1, 2, 3 or 4")
    _check_output(job)


def _check_output(job: RenderJob) -> None:
    sequence = is_sequence(job.out)
    suffix = job.out.suffix.lower()
    if not sequence:  # first: what is at the path (a folder, a FIFO, an input) says most
        check_output_path(job.out, job.out_option, job.inputs())
    if sequence and suffix != ".png":
        raise OutputError(f"{job.out}: image sequences are written as PNG; use a pattern like frames/%05d.png")
    if not sequence and "%" in job.out.name and suffix == ".png":
        check_pattern(job.out)  # a pattern without a frame-number field: say what is wrong with it
    if not sequence and suffix not in VIDEO_CONTAINERS:
        raise OutputError(
            f"{job.out}: unsupported output type; use {', '.join(VIDEO_CONTAINERS)} or frames/%05d.png"
        )
    problem = size_problem(job.size, sequence)
    if problem:
        raise OutputError(f"--size {job.size[0]}x{job.size[1]}: {problem}")
    if sequence:
        check_pattern(job.out)


def check_room(job: RenderJob, frames: int) -> None:
    """What needs the render's length: the names of an image sequence's `frames`, and free space."""
    width, height = job.size
    if is_sequence(job.out):
        check_sequence_path(job.out, job.out_option, job.inputs(), frames)
        need = frames * width * height * PNG_BYTES_PER_PIXEL
    else:
        need = frames * width * height * H264_BYTES_PER_PIXEL + frames / job.fps * AAC_BYTES_PER_SECOND
    check_free_space(job.out, job.out_option, int(need), f"{frames} frames at {width}x{height}")
