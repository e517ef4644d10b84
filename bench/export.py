"""Export throughput: render-only, encode-only and full `render`, in one run.

    .venv/bin/python bench/export.py [--seconds 10] [--size 1280x720] [--preset NAME]

Render-only renders the scene with PBO readback and drops the bytes;
encode-only feeds those same frames to the same ffmpeg settings; full runs
the real export (both at once). On a CPU rasterizer (llvmpipe) rendering and
encoding share the cores, so the limit is 1 / (1/render + 1/encode) (target:
full >= 0.9 x limit); on a GPU they run on different hardware, so the limit
is min(render, encode) (target >= 0.8).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from visualizer.audio.decode import AudioFile
from visualizer.audio.demo import demo_track_path
from visualizer.output.encoder import EncoderSettings, FFmpegEncoder, ffmpeg_command
from visualizer.output.job import RenderJob
from visualizer.features.schedule import track_features
from visualizer.output.export import export_video, read_back
from visualizer.params.engine import modulation_engine
from visualizer.output.readback import ReadbackRing
from visualizer.preset.loader import load_preset
from visualizer.render.context import create_headless_context
from visualizer.frames.clock import FixedClock
from visualizer.frames.loop import FrameLoop
from visualizer.render.graph import RenderGraph


def render_only(job: RenderJob, count: int) -> tuple[float, list[bytes], str]:
    """Frames per second of render + readback; also returns the frames and renderer."""
    ctx = create_headless_context()
    renderer = ctx.info["GL_RENDERER"]
    graph = RenderGraph(ctx, job.preset, job.size, job.ssaa)
    ring = ReadbackRing(ctx, job.size)
    frames: list[bytes] = []
    try:
        with AudioFile(job.audio) as audio:
            features = list(track_features(audio, job.fps, count))
            loop = FrameLoop(FixedClock(job.fps), audio.sample_rate)
        engine = modulation_engine(job.preset, job.fps)
        started = time.perf_counter()
        read_back(graph, ring, (loop.step(graph, engine, f) for f in features), frames.append)
        elapsed = time.perf_counter() - started
    finally:
        ring.release()
        graph.release()
        ctx.release()
    return count / elapsed, frames, renderer


def encode_only(job: RenderJob, frames: list[bytes], folder: Path) -> float:
    """Frames per second of ffmpeg alone, fed the same frames with the same settings."""
    settings = EncoderSettings(job.size, job.fps, job.audio, 0.0, len(frames) / job.fps)
    started = time.perf_counter()
    encoder = FFmpegEncoder(ffmpeg_command(settings, str(folder / "encode.mp4"), False), "bench")
    for frame in frames:
        encoder.write(frame)
    encoder.close()
    return len(frames) / (time.perf_counter() - started)


def full_render(job: RenderJob, count: int) -> float:
    started = time.perf_counter()
    export_video(job)
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--preset", default=None)
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as folder:
        job = RenderJob(load_preset(args.preset), demo_track_path(), Path(folder) / "full.mp4",
                        size, args.fps, args.seconds)  # type: ignore[arg-type]
        count = round(args.seconds * args.fps)
        render_fps, frames, renderer = render_only(job, count)
        encode_fps = encode_only(job, frames, Path(folder))
        del frames
        full_fps = full_render(job, count)
    shared = "llvmpipe" in renderer or "softpipe" in renderer
    limit = 1.0 / (1.0 / render_fps + 1.0 / encode_fps) if shared else min(render_fps, encode_fps)
    target = 0.9 if shared else 0.8
    rule = "1/(1/render + 1/encode), shared CPU cores" if shared else "min(render, encode), GPU + CPU"
    print(f"scene {job.preset.name} at {size[0]}x{size[1]}, {count} frames, renderer: {renderer}")
    print(f"render-only (with readback): {render_fps:7.1f} fps")
    print(f"encode-only (x264 veryfast): {encode_fps:7.1f} fps")
    print(f"full render:                 {full_fps:7.1f} fps")
    print(f"limit = {rule}: {limit:.1f} fps")
    print(f"full / limit = {full_fps / limit:.2f} (target {target:.1f})")


if __name__ == "__main__":
    main()
