"""A strip of every transition between two real preset frames, to look at.

    .venv/bin/visualizer render --preset mimic_bloom --size 320x180 --start 20 --seconds 0.04 \\
        --out /tmp/work/tr/a_%03d.png
    .venv/bin/visualizer render --preset black_void --size 320x180 --start 20 --seconds 0.04 \\
        --out /tmp/work/tr/b_%03d.png
    .venv/bin/python bench/transitions_strip.py [--progress 0.25 0.5 0.75] [--out /tmp/work/tr]

Writes <out>/strip_<name>.png per transition (outgoing, the progress values,
incoming, side by side) and <out>/strips.png with every row; prints the
milliseconds each transition takes per frame at that size.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import imageio.v3 as iio
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from visualizer.render.context import create_headless_context  # noqa: E402
from visualizer.render.resources import GpuResources  # noqa: E402
from visualizer.render.transition import TRANSITIONS, TransitionPass  # noqa: E402

GAP = 4
"""Pixels of dark grey between the frames of a strip."""


def rgba(path: Path) -> np.ndarray:
    """An image file as (height, width, 4) uint8, alpha 255."""
    image = iio.imread(path)[..., :3]
    return np.dstack([image, np.full(image.shape[:2], 255, np.uint8)])


def strip(frames: list[np.ndarray]) -> np.ndarray:
    """Frames (height, width, 3) side by side with a GAP between them."""
    height = frames[0].shape[0]
    spacer = np.full((height, GAP, 3), 40, np.uint8)
    parts = [part for frame in frames for part in (frame, spacer)][:-1]
    return np.concatenate(parts, axis=1)


def render_strips(outgoing: np.ndarray, incoming: np.ndarray, progresses: list[float], out: Path) -> None:
    ctx = create_headless_context()
    resources = GpuResources(ctx)
    transitions = TransitionPass(ctx, resources)
    height, width = outgoing.shape[:2]
    textures = [ctx.texture((width, height), 4, image.tobytes()) for image in (outgoing, incoming)]
    target = ctx.texture((width, height), 4)
    framebuffer = ctx.framebuffer([target])
    rows = []
    try:
        for name in TRANSITIONS:
            transitions.prepare(name)
            transitions.draw(name, *textures, 0.5, framebuffer)  # the driver's lazy compile, untimed
            framebuffer.read(components=3, alignment=1)
            frames = [outgoing[..., :3]]
            started = time.perf_counter()
            for progress in progresses:
                transitions.draw(name, *textures, progress, framebuffer, seed=0.37)
                data = framebuffer.read(components=3, alignment=1)
                frames.append(np.frombuffer(data, np.uint8).reshape(height, width, 3))
            per_frame = (time.perf_counter() - started) / len(progresses) * 1000.0
            frames.append(incoming[..., :3])
            rows.append(strip(frames))
            iio.imwrite(out / f"strip_{name}.png", rows[-1])
            print(f"{name:14s} {per_frame:6.2f} ms per frame (draw + read back) at {width}x{height}")
        spacer = np.full((GAP, rows[0].shape[1], 3), 40, np.uint8)
        iio.imwrite(out / "strips.png", np.concatenate([p for row in rows for p in (row, spacer)][:-1]))
    finally:
        transitions.release()
        for obj in (framebuffer, target, *textures):
            obj.release()
        resources.release()
        ctx.release()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outgoing", type=Path, default=Path("/tmp/work/tr/a_000.png"))
    parser.add_argument("--incoming", type=Path, default=Path("/tmp/work/tr/b_000.png"))
    parser.add_argument("--progress", type=float, nargs="+", default=[0.25, 0.5, 0.75])
    parser.add_argument("--out", type=Path, default=Path("/tmp/work/tr"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    render_strips(rgba(args.outgoing), rgba(args.incoming), args.progress, args.out)
    print(f"wrote {args.out}/strip_<name>.png and {args.out}/strips.png")


if __name__ == "__main__":
    main()
