"""What a late `--start` costs before its first frame, first and second time.

    .venv/bin/python bench/start.py [--minutes 20] [--fps 30] [--preset mimic_bloom]

Loops the demo track to `--minutes` (FLAC), in a throwaway cache folder, and
renders one frame near the end (`--minutes` less 30 s) with the preset at
64x36, through `frames.loop.render_range` as `render` and the Python API do:

- first run: the rhythm pre-pass, then the fast-forward from frame 0 (saving a
  checkpoint every 60 s of audio);
- second run, same start: resumes from the last checkpoint;
- a third run 2 minutes earlier: resumes from an earlier checkpoint.

Prints frames fast-forwarded, wall-clock and CPU seconds, and the first run's
fast-forward scaled to an hour of audio.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from analysis_cache import make_flac, timed

from visualizer.audio.decode import AudioFile
from visualizer.frames.checkpoint import Checkpoints
from visualizer.frames.loop import render_range
from visualizer.params.engine import modulation_engine
from visualizer.preset.loader import load_preset
from visualizer.render.context import create_headless_context
from visualizer.render.graph import RenderGraph


def late_start(path: Path, preset: str, fps: float, start_s: float) -> Checkpoints:
    """Render the one frame at `start_s`; what the checkpoints did."""
    spec, keeper = load_preset(preset), Checkpoints()
    ctx = create_headless_context()
    graph = RenderGraph(ctx, spec, (64, 36))
    try:
        with AudioFile(path) as audio:
            for _ in render_range(graph, modulation_engine(spec, fps), audio, fps, round(start_s * fps), 1,
                                  checkpoints=keeper):
                graph.read_rgb()
    finally:
        graph.release()
        ctx.release()
    return keeper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--preset", default="mimic_bloom")
    args = parser.parse_args()
    start = args.minutes * 60 - 30
    runs = [("first run", start), ("second run, same start", start), ("start 2 min earlier", start - 120)]
    with tempfile.TemporaryDirectory(prefix="bench-start-") as temp:
        os.environ["VISUALIZER_CACHE"] = str(Path(temp) / "cache")
        flac = make_flac(Path(temp), args.minutes)
        print(f"{args.preset} at {args.fps:g} fps, {args.minutes:g} min FLAC; one frame at the start")
        first_cpu = None
        for label, at in runs:
            kept: list[Checkpoints] = []
            wall, cpu = timed(lambda at=at: kept.append(late_start(flac, args.preset, args.fps, at)))
            keeper = kept[0]
            first_cpu = cpu if first_cpu is None else first_cpu
            print(f"  {label:24s} --start {at:6.0f}: resumed at frame {keeper.resumed_at:6d},"
                  f" fast-forwarded {keeper.fast_forwarded:6d} frames, {len(keeper.saved):3d} checkpoints saved;"
                  f" {wall:6.2f} s wall {cpu:6.2f} s cpu")
        print(f"  first run per hour of audio before the start: {first_cpu * 3600 / start:6.1f} s cpu"
              " (rhythm pre-pass + fast-forward + checkpoints)")


if __name__ == "__main__":
    main()
