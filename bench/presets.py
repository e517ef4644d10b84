"""Frames per second of every preset the preset search finds, render and readback only.

    .venv/bin/python bench/presets.py [--sizes 640x360,1920x1080] [--frames 60] [--start 20]

Each preset draws `--frames` frames of the demo track from `--start` s (the
full section: every layer busy) at each size, after a few unmeasured frames
(shader compile, first uploads). Prints one row per preset and size with the
renderer's name, so figures from llvmpipe and a GPU are never mixed up.
Targets (issue 16): >= 30 fps at 640x360 on the development machine for every
preset; >= 60 fps at 3840x2160 on a GPU (run there with --sizes 3840x2160).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from visualizer.audio.decode import AudioFile
from visualizer.audio.demo import demo_track_path
from visualizer.features.schedule import track_features
from visualizer.frames.clock import FixedClock
from visualizer.frames.loop import FrameLoop
from visualizer.params.engine import modulation_engine
from visualizer.preset.library import available_presets
from visualizer.preset.loader import load_preset
from visualizer.render.context import create_headless_context
from visualizer.render.graph import RenderGraph

FPS = 30.0
WARM_FRAMES = 3
TARGET_SMALL_FPS = 30.0


def preset_fps(ctx, name: str, size: tuple[int, int], features: list, sample_rate: int) -> float:
    """Frames per second drawing `features` (after `WARM_FRAMES` unmeasured) at `size`."""
    preset = load_preset(name)
    graph = RenderGraph(ctx, preset, size, 1)
    try:
        engine = modulation_engine(preset, FPS)
        loop = FrameLoop(FixedClock(FPS), sample_rate)
        for features_now in features[:WARM_FRAMES]:
            loop.step(graph, engine, features_now)
        graph.read_rgb()
        started = time.perf_counter()
        for features_now in features[WARM_FRAMES:]:
            loop.step(graph, engine, features_now)
        graph.read_rgb()  # waits for the last frame
        return (len(features) - WARM_FRAMES) / (time.perf_counter() - started)
    finally:
        graph.release()


def parse_size(text: str) -> tuple[int, int]:
    width, height = text.lower().split("x")
    return int(width), int(height)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="640x360,1920x1080")
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--start", type=float, default=20.0, help="seconds into the demo track")
    args = parser.parse_args()
    with AudioFile(demo_track_path()) as audio:
        first = int(args.start * FPS)
        every = list(track_features(audio, FPS, first + WARM_FRAMES + args.frames))[first:]
        sample_rate = audio.sample_rate
    ctx = create_headless_context()
    print(f"renderer: {ctx.info['GL_RENDERER']}")
    missed = []
    try:
        for name in available_presets():
            for text in args.sizes.split(","):
                size = parse_size(text)
                fps = preset_fps(ctx, name, size, every, sample_rate)
                mark = ""
                if size == (640, 360):
                    mark = "ok" if fps >= TARGET_SMALL_FPS else "MISSED"
                    if fps < TARGET_SMALL_FPS:
                        missed.append(name)
                print(f"{name:<24} {text:>10} {fps:7.1f} fps  {mark}")
    finally:
        ctx.release()
    if missed:
        print(f"below {TARGET_SMALL_FPS:g} fps at 640x360: {', '.join(missed)}")


if __name__ == "__main__":
    main()
