"""The offline frame loop: audio features -> render graph -> PBO readback -> ffmpeg.

GPU rendering, readback (several PBOs in flight) and encoding (a separate
ffmpeg process fed by a writer thread) overlap. The clock is fixed: absolute
frame n is drawn at n / fps, so the same command gives the same pixels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np

from visualizer.features.track import track_rhythm
from visualizer.audio.decode import AudioFile
from visualizer.output.atomic import atomic_output, is_sequence
from visualizer.output.encoder import EncoderSettings, FFmpegEncoder, ffmpeg_command
from visualizer.output.job import RenderJob, check_job
from visualizer.output.readback import ReadbackRing
from visualizer.features.analyzer import StreamingAnalyzer
from visualizer.features.frame import FrameFeatures
from visualizer.features.rhythm import GridRhythm
from visualizer.params.engine import modulation_engine
from visualizer.render.context import create_headless_context
from visualizer.render.graph import RenderGraph
from visualizer.render.uniforms import FrameInputs

WARMUP_SECONDS = 2.0
"""Frames before --start are analysed and rendered (not written) for this long,
so adaptive gains, smoothing and feedback targets are settled: a render that
starts mid-track looks like the same moment of a render from the beginning."""


def warmup_frames(start_frame: int, fps: float) -> int:
    """Frames rendered and discarded before `start_frame`."""
    return min(math.ceil(WARMUP_SECONDS * fps), start_frame)

BeatSource = Literal["offline", "live"]
Progress = Callable[[int, int], None]
"""Called with (frames done, frames total)."""


def frame_features(
    audio: AudioFile, start_frame: int, fps: float, count: int, beats: BeatSource = "offline"
) -> Iterator[FrameFeatures]:
    """Features of absolute frames start_frame - warm .. start_frame+count-1,
    streamed, where warm = warmup_frames(start_frame, fps).

    `beats="offline"` first runs the whole-track rhythm pass (exact beat grid
    and onset times); "live" uses the causal tracker a live show would. Past
    the end of the file the analyzer is fed silence, so exactly warm + count
    frames come out.
    """
    rate = audio.sample_rate
    warm = warmup_frames(start_frame, fps)
    first_sample = max(0, round((start_frame - warm) * rate / fps))
    rhythm = GridRhythm(track_rhythm(audio), offset=first_sample / rate) if beats == "offline" else None
    analyzer = StreamingAnalyzer(rate, fps, rhythm=rhythm, start_time=first_sample / rate)
    wanted = warm + count
    block = max(1024, round(rate / fps) * 16)
    blocks = audio.blocks(first_sample, size=block)
    produced = 0
    while produced < wanted:
        samples = next(blocks, None)
        for features in analyzer.feed(samples if samples is not None else np.zeros(block, np.float32)):
            if produced < wanted:
                yield replace(features, time=(start_frame + produced - warm) / fps)
            produced += 1


def render_frames(
    graph: RenderGraph,
    ring: ReadbackRing,
    features: Iterable[FrameFeatures],
    first_frame: int,
    fps: float,
    sink: Callable[[bytes], None],
    sample_rate: float = 44100.0,
    progress: Progress | None = None,
    total: int = 0,
    warmup: int = 0,
) -> int:
    """Render each frame, read it back through the PBO ring, pass bytes to `sink`.

    The first `warmup` frames are rendered only (feedback settles), not read back.
    """
    done = 0
    engine = modulation_engine(graph.preset, fps)
    for index, frame_features_ in enumerate(features):
        frame = first_frame + index
        inputs = FrameInputs(frame / fps, 1.0 / fps, frame, fps, frame_features_, sample_rate)
        graph.render(inputs, engine.step(frame_features_))
        if index < warmup:
            continue
        ring.submit(graph.output)
        if ring.full:
            sink(ring.collect())
            done += 1
            if progress:
                progress(done, total)
    while ring.pending:
        sink(ring.collect())
        done += 1
        if progress:
            progress(done, total)
    return done


def export_video(job: RenderJob, progress: Progress | None = None) -> Path:
    """Render `job` to its output path; the file appears only when complete."""
    check_job(job)
    with ExitStack() as stack:
        audio = stack.enter_context(AudioFile(job.audio))
        count = job.frame_count(audio.duration)
        ctx = create_headless_context()
        stack.callback(ctx.release)
        graph = RenderGraph(ctx, job.preset, job.size, job.ssaa)
        stack.callback(graph.release)
        ring = ReadbackRing(ctx, job.size)
        stack.callback(ring.release)
        output = atomic_output(job.out)
        stack.push(lambda kind, *_: output.discard() if kind is not None else None)
        settings = EncoderSettings(
            job.size, job.fps, audio=job.audio, audio_start=job.start_frame / job.fps,
            duration=count / job.fps,
        )
        encoder = FFmpegEncoder(ffmpeg_command(settings, output.target, is_sequence(job.out)), str(job.out))
        stack.push(lambda kind, *_: encoder.abort() if kind is not None else None)
        features = frame_features(audio, job.start_frame, job.fps, count, job.beats)
        warm = warmup_frames(job.start_frame, job.fps)
        render_frames(graph, ring, features, job.start_frame - warm, job.fps, encoder.write,
                      audio.sample_rate, progress, count, warm)
        encoder.close()
        output.commit()
    return job.out
