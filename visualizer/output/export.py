"""The offline export: the frame loop -> PBO readback -> ffmpeg.

GPU rendering, readback (several PBOs in flight) and encoding (a separate
ffmpeg process fed by a writer thread) overlap. The clock is fixed: absolute
frame n is drawn at n / fps, and is the same picture whatever `--start` is
(see `frames.loop.render_range`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import ExitStack
from pathlib import Path

import moderngl

from visualizer.atomic import signals_held
from visualizer.audio.decode import AudioFile
from visualizer.output.atomic import atomic_output
from visualizer.output.encoder import EncoderSettings, FFmpegEncoder, ffmpeg_command
from visualizer.output.job import RenderJob, check_job, check_room
from visualizer.output.readback import ReadbackRing
from visualizer.output.target import is_sequence
from visualizer.params.engine import modulation_engine
from visualizer.render.context import create_headless_context
from visualizer.frames.clock import FrameTick
from visualizer.frames.loop import history_frames, render_range
from visualizer.frames.set_loop import SetRenderer
from visualizer.render.graph import RenderGraph

Progress = Callable[[int, int, int], None]
"""Called with (frames drawn, frames in all, warm-up frames among them): the warm-up
frames are the preset's history drawn unseen before `--start`, and come first."""
Note = Callable[[str], None]
"""Called with one line for the user (e.g. that `--seconds` was cut short)."""


def read_back(picture: RenderGraph | Callable[[], moderngl.Framebuffer], ring: ReadbackRing,
              frames: Iterable[FrameTick], sink: Callable[[bytes], None], progress: Progress | None = None,
              total: int = 0, warmup: int = 0) -> int:
    """After each frame is drawn, queue the readback of `picture` (a graph's output, or a
    callable giving the framebuffer to read); pass each frame's bytes to `sink` in order.
    `progress` counts the `warmup` frames drawn before these first."""
    output = picture if callable(picture) else (lambda: picture.output)
    done = 0

    def deliver() -> None:
        nonlocal done
        sink(ring.collect())
        done += 1
        if progress:
            progress(warmup + done, warmup + total, warmup)

    for _ in frames:
        ring.submit(output())
        if ring.full:
            deliver()
    while ring.pending:
        deliver()
    return done


def export_video(job: RenderJob, progress: Progress | None = None, note: Note | None = None) -> Path:
    """Render `job` to its output path; the file appears only when complete.
    Everything about the output is checked before the first frame is drawn."""
    check_job(job)
    with ExitStack() as stack:
        audio = stack.enter_context(AudioFile(job.audio))
        count = job.frame_count(audio.duration)
        check_room(job, count)
        if note and (line := job.length_note(audio.duration)):
            note(line)
        ctx = create_headless_context()
        stack.callback(ctx.release)
        ring = ReadbackRing(ctx, job.size)
        stack.callback(ring.release)
        settings = EncoderSettings(
            job.size, job.fps, audio=job.audio, audio_start=job.start_frame / job.fps,
            duration=count / job.fps, clean_audio=audio.stores_floats,
        )
        with signals_held():  # what is started and its removal on failure come together
            output = stack.enter_context(atomic_output(job.out, job.out_option))
            encoder = FFmpegEncoder(ffmpeg_command(settings, output.target, is_sequence(job.out)), str(job.out))
            stack.push(lambda kind, *_: encoder.abort() if kind is not None else None)
        if job.playlist is not None:
            sets = SetRenderer(ctx, job.playlist, job.size, job.fps, audio.sample_rate, job.ssaa)
            stack.callback(sets.release)
            sets.compile_all()
            frames = sets.frames(audio, job.start_frame, count, job.beats)
            read_back(lambda: sets.output, ring, frames, encoder.write, progress, count)
        else:
            graph = RenderGraph(ctx, job.preset, job.size, job.ssaa)
            stack.callback(graph.release)
            engine = modulation_engine(job.preset, job.fps)
            warmup = history_frames(job.preset, job.fps, job.start_frame)
            on_warmup = (lambda drawn: progress(drawn, warmup + count, warmup)) if progress else None
            frames = render_range(graph, engine, audio, job.fps, job.start_frame, count, job.beats, on_warmup)
            read_back(graph, ring, frames, encoder.write, progress, count, warmup)
        encoder.close()
        output.commit()
    return job.out
