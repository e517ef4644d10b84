"""Memory of a live show over a long run, with nothing else in the process.

bench/live.py keeps a record of every frame to analyse (about 1 KB each, so
its own lists grow by ~2 MiB a minute at 38 fps); this bench keeps only a
resident-memory sample every `--every` seconds. It runs the same set as
bench/live.py (six presets, a switch every 1.5-2.5 s here, every transition
style), with the rig (stats file, HUD hidden) and the file's sound into a
private PulseAudio null sink, and prints RSS after the first round of the set,
at the end, the growth in % and the slope.

    .venv/bin/python bench/live_memory.py [--seconds 300] [--size 640x360] [--no-sound]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_env import rss_mib, set_file, xvfb  # noqa: E402
from pulse import PulseServer  # noqa: E402

WARM_S = 60.0
"""Seconds before the first sample counted: every preset and style built once, caches full."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--every", type=float, default=10.0)
    parser.add_argument("--no-sound", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, xvfb(), PulseServer() as pulse, pulse.activated():
        samples, frames, switches = run(args, Path(folder))
    counted = [(t, mib) for t, mib in samples if t >= WARM_S]
    (t0, first), (t1, last) = counted[0], counted[-1]
    slope = (last - first) / max(1e-9, (t1 - t0) / 60.0)
    print(f"{args.seconds:g} s at {args.size}, {frames} frames, {switches} switches, sound "
          f"{'off' if args.no_sound else 'on'}; RSS every {args.every:g} s (MiB): "
          + " ".join(f"{mib:.1f}" for _, mib in samples))
    print(f"RSS from {t0:.0f} s to {t1:.0f} s: {first:.1f} -> {last:.1f} MiB, growth {100 * (last / first - 1):.2f} %,"
          f" slope {slope:.2f} MiB/min  (target: growth < 5 %)")


def run(args: argparse.Namespace, folder: Path) -> tuple[list[tuple[float, float]], int, int]:
    from visualizer.audio.demo import demo_track_path
    from visualizer.audio.playback import FileFeed
    from visualizer.live.rig import LiveRig, RigSettings
    from visualizer.live.show import PlaySettings, Show
    from visualizer.preset.playlist import load_playlist

    size = tuple(int(side) for side in args.size.split("x"))
    playlist = load_playlist(set_file(folder, (1.5, 2.5)))
    show = Show(PlaySettings(None, size, 60.0, playlist=playlist), FileFeed(demo_track_path(), sound=not args.no_sound))
    rig = LiveRig(show, RigSettings(stats=folder / "stats.jsonl"))
    switches = [0]
    show.switch_listeners.append(lambda cue, name: switches.__setitem__(0, switches[0] + 1))
    samples: list[tuple[float, float]] = []
    started = time.perf_counter()
    try:
        while (now := time.perf_counter() - started) < args.seconds:
            show.step()
            if not samples or now - samples[-1][0] >= args.every:
                samples.append((now, rss_mib()))
    finally:
        rig.close()
        show.close()
    return samples, show.frame, switches[0]


if __name__ == "__main__":
    main()
