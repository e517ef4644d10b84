"""Hot reload: time from a file save to the first frame that shows the change.

    .venv/bin/python bench/reload.py [--saves 20] [--size 640x360]

Works on a copy of the default preset in a temporary project folder. Half the
saves change a parameter in the TOML (visible in the pixels), half change the
code of the scene shader, the heaviest pass (a recompile of that pass), which is first checked in the
probe process (visualizer/live/checker.py: built and drawn once there, at the same size) while the
show draws on. The frame loop renders and reads back continuously, as a window would. Target: median
under 200 ms at 640x360.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_home(folder: Path) -> Path:
    shutil.copytree(ROOT / "visualizer" / "presets" / "mimic_bloom", folder / "presets" / "mimic_bloom")
    return folder


def saver(home: Path, count: int, saves: list[tuple[str, float]], done: threading.Event) -> None:
    """Save the preset or its shader every 0.5 s; record (kind, perf_counter) after each write."""
    preset = home / "presets" / "mimic_bloom" / "preset.toml"
    shader = home / "presets" / "mimic_bloom" / "scene.glsl"
    original = shader.read_text()
    for index in range(count):
        time.sleep(0.5)
        if index % 2 == 0:
            text = re.sub(r"(?m)^exposure = [0-9.]+", f"exposure = {0.6 if index % 4 == 0 else 1.6}",
                          preset.read_text())
            preset.write_text(text)
            saves.append(("param", time.perf_counter()))
        else:
            shader.write_text(original + f"\nconst float SAVE_{index} = {index}.0;  // a code change: recompiles\n")
            saves.append(("shader", time.perf_counter()))
    time.sleep(0.5)
    done.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--no-check", action="store_true",
                        help="compile shader saves in the show's context at once, unchecked (the old way)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as folder:
        home = make_home(Path(folder))
        from visualizer.features.frame import FrameFeatures
        from visualizer.render.context import create_headless_context
        from visualizer.live.reload import LiveGraph
        from visualizer.frames.clock import FixedClock
        from visualizer.frames.loop import FrameLoop

        ctx = create_headless_context()
        live = LiveGraph(ctx, home / "presets" / "mimic_bloom" / "preset.toml", size, 30.0,
                         check_shaders=not args.no_check)
        saves: list[tuple[str, float]] = []
        done = threading.Event()
        threading.Thread(target=saver, args=(home, args.saves, saves, done), daemon=True).start()
        delays: dict[str, list[float]] = {"param": [], "shader": []}
        noticed: list[float] = []
        checks: list[float] = []
        changed = None
        frame, frames_at = 0, time.perf_counter()
        loop = FrameLoop(FixedClock(30.0), 44100.0)
        while not done.is_set():
            reloads = live.reloads
            changed = live.poll() or changed
            features = FrameFeatures.silent(frame / 30)
            loop.step(live.graph, live.engine, features)
            live.graph.read_rgb()
            frame += 1
            if live.reloads > reloads and saves:
                kind, saved = saves[-1]
                delays[kind].append(time.perf_counter() - saved)
                noticed.append(max(0.0, changed - saved) if changed else 0.0)
                if kind == "shader" and live.last_check is not None:
                    checks.append(live.last_check.seconds)
                changed = None
        fps = frame / (time.perf_counter() - frames_at)
        live.release()
        ctx.release()
    all_delays = sorted(d * 1000 for values in delays.values() for d in values)
    print(f"{len(all_delays)} of {args.saves} saves reloaded at {size[0]}x{size[1]}; frame loop {fps:.0f} fps")
    for kind, values in delays.items():
        if values:
            ms = [v * 1000 for v in values]
            print(f"  {kind:6s} saves ({len(values)}): median {statistics.median(ms):6.1f} ms, worst {max(ms):6.1f} ms")
    print(f"  of which the file watcher took: median {statistics.median(noticed) * 1000:.1f} ms")
    if checks:
        ms = [c * 1000 for c in checks]
        print(f"  of a shader save, the probe's check took: median {statistics.median(ms):.1f} ms,"
              f" worst {max(ms):.1f} ms (the show draws on meanwhile)")
    median = statistics.median(all_delays)
    verdict = "meets" if median < 200 else "misses"
    print(f"save -> first frame showing it: median {median:.1f} ms, worst {max(all_delays):.1f} ms"
          f" (target: median < 200 ms: {verdict})")


if __name__ == "__main__":
    main()
