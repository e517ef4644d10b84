"""The live show under load: frame times at switches, memory over a run, audio-to-frame latency.

    .venv/bin/python bench/live.py [--seconds 180] [--fps 60] [--size 640x360]
                                   [--latency-seconds 30] [--spacing 0.5] [--hud]
                                   [--cold-shader-cache] [--dump FRAMES.jsonl]

Starts a private Xvfb display and a PulseAudio null sink, then runs the show
`visualizer live --playlist SET --audio-file TRACK --stats FILE --duration S`
runs (a `Show` with its `LiveRig`, in this process, paced by `Show.run`), twice:

1. frames and memory: the demo track heard through the null sink, `--seconds`
   long, a set of six shipped presets moving on every 3-5 s with 1-2 beat
   transitions of every shipped style (bench/live_env.py). Frame work is the
   stats file's `ms`; "at switches" are the frames from a cue to its
   transition's end plus 5; present-to-present is the wall time between swaps
   (it includes the wait for the frame's due time and anything outside `ms`).
   RSS (VmRSS) is sampled every 2 s: start is the first sample after
   `--warmup` s, the slope a least-squares fit over the rest.
2. latency: the same set over a click track (`--spacing` s apart) for
   `--latency-seconds`, the null sink's monitor recorded here; per click,
   latency = the end of the swap of the first frame drawn with its onset minus
   the click's time on the monitor (bench/live_latency.py has the details).

Where the time goes: the probe (bench/live_probe.py) times the show's parts per
frame; the table gives their means on steady, switch and cue frames, the
standby's cost (compiled after the frame's `ms`) and the worst frames.
Mesa keeps compiled shaders on disk: `--cold-shader-cache` measures a first
show on the machine (a fresh cache folder); by default the cache is as found.

Targets (issue 17): p99 <= 1.5 x median, no frame over 2 x median at a switch,
RSS growth < 5 %, latency <= one frame + 20 ms.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pulse import PulseServer  # noqa: E402

from live_env import PRESETS, load_average, machine, set_file, xvfb  # noqa: E402
from live_figures import dump, frame_rows, read_stats, rss_figures, segment_rows, timeline, verdict  # noqa: E402
from live_latency import Latency, Monitor, clicks_file, measure  # noqa: E402
from live_probe import Probe  # noqa: E402


def run_show(set_path: Path, audio: Path, seconds: float, args: argparse.Namespace,
             stats_path: Path) -> tuple[Probe, str]:
    """Run the live show as `visualizer live` does, with the probe attached; returns it
    and the GL renderer."""
    from visualizer.audio.playback import FileFeed
    from visualizer.live.rig import LiveRig, RigSettings
    from visualizer.live.show import PlaySettings, Show
    from visualizer.preset.playlist import load_playlist

    settings = PlaySettings(None, args.size, args.fps, seconds, None, load_playlist(set_path))
    feed = FileFeed(audio, sound=not args.no_sound)
    show = Show(settings, feed)
    try:
        rig = LiveRig(show, RigSettings(stats=stats_path, hud=args.hud))
        probe = Probe(show, snapshot_at_s=args.warmup if args.tracemalloc else None)
        try:
            show.run()
        finally:
            rig.close(commit=True)
        if probe.snapshot is not None:
            print_growth(probe.snapshot, tracemalloc.take_snapshot())
        return probe, show.ctx.info["GL_RENDERER"]
    finally:
        show.close()


def print_growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, top: int = 10) -> None:
    """The Python allocations that grew most between the snapshots (by the line that made them)."""
    print(f"Python heap growth after the warm-up (tracemalloc, top {top} lines):")
    for stat in after.compare_to(before, "lineno")[:top]:
        print(f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  {stat.traceback[0]}")


def frames_phase(folder: Path, set_path: Path, args: argparse.Namespace) -> list[str]:
    """Phase 1 over the demo track: the frame and memory table."""
    from visualizer.audio.demo import demo_track_path

    stats_path = folder / "frames.jsonl"
    probe, renderer = run_show(set_path, demo_track_path(), args.seconds, args, stats_path)
    stats, events = read_stats(stats_path)
    line = timeline(probe, stats)
    switches = sum(1 for e in events if e.get("event") == "switch")
    memory = rss_figures(probe.rss, probe.started, args.warmup)
    round_s = probe.cue_time(len(PRESETS)) - probe.started if len(probe.cues) > len(PRESETS) else args.warmup
    settled = rss_figures(probe.rss, probe.started, round_s)
    if args.dump is not None:
        dump(args.dump, probe, line)
    losses = probe.frames[-1].sound_losses if probe.frames else 0
    rows = [f"machine: {machine(renderer)}", f"phase 1: demo track, {args.seconds:g} s at {args.size[0]}x{args.size[1]}, "
            f"{args.fps:g} fps target, {switches} switches in the stats file, "
            f"sound output declared lost {losses} time(s)", ""]
    rows += frame_rows(line)
    rows += ["", f"RSS (MiB){'':25}{'start':>8}{'end':>8}{'growth':>8}{'slope':>12}",
             f"{'':34}{memory['start']:8.1f}{memory['end']:8.1f}{memory['growth']:7.2f}%"
             f"{memory['slope']:8.2f}/min   (start at {memory['at_s']:.0f} s, peak {memory['peak']:.1f}, "
             f"second half's slope {memory['half_slope']:.2f}/min)",
             f"{'  from after one round of the set':<34}{settled['start']:8.1f}{settled['end']:8.1f}"
             f"{settled['growth']:7.2f}%{settled['slope']:8.2f}/min   (from {settled['at_s']:.0f} s: every preset "
             "and style built once)",
             f"target RSS growth < 5 %: {memory['growth']:.2f} %  {verdict(memory['growth'] < 5.0)}"
             "  (this bench's own record of every frame is ~1 KB a frame: bench/live_memory.py measures"
             " the show alone)", ""]
    return rows + segment_rows(line)


def latency_phase(folder: Path, set_path: Path, args: argparse.Namespace) -> list[str]:
    """Phase 2 over a click track: the latency table."""
    audio, click_samples = clicks_file(folder, args.latency_seconds + 2.0, args.spacing)
    stats_path = folder / "latency.jsonl"
    with Monitor() as monitor:
        probe, _ = run_show(set_path, audio, args.latency_seconds, args, stats_path)
    stats, _ = read_stats(stats_path)
    line = timeline(probe, stats)
    reads = (np.array(probe.reads.times), np.array(probe.reads.ends))
    result = measure(monitor.click_times(), line.presented, line.onsets, line.feature_times,
                     line.in_switch, reads, click_samples)
    period = float(np.median(np.diff(line.presented))) * 1000.0
    return latency_rows(result, args, period)


def latency_rows(result: Latency, args: argparse.Namespace, period_ms: float) -> list[str]:
    target = 1000.0 / args.fps + 20.0
    rows = [f"phase 2: clicks every {args.spacing:g} s, {args.latency_seconds:g} s; {result.heard} heard on "
            f"the monitor, {result.shown} shown as onsets ({int(result.at_switch.sum())} at switches)",
            f"{'latency (ms)':<34}{'median':>8}{'p90':>8}{'max':>8}"]
    for label, values in (("heard -> frame presented", result.total),
                          ("  heard -> handed out by read()", result.to_read),
                          ("  handed out -> frame presented", result.to_shown),
                          ("  features' audio time - click", result.reach),
                          ("  (at switches: heard -> presented)", result.total[result.at_switch])):
        if len(values):
            rows.append(f"{label:<34}{np.median(values):8.1f}{np.percentile(values, 90):8.1f}{values.max():8.1f}")
    if not len(result.total):
        return rows + ["target: no onset was shown (MISS)"]
    median, p90 = float(np.median(result.total)), float(np.percentile(result.total, 90))
    rows.append(f"target latency <= one frame + 20 ms = {target:.1f} ms: median {median:.1f} "
                f"{verdict(median <= target)}, p90 {p90:.1f} {verdict(p90 <= target)}")
    rows.append(f"(at the frame period measured here, {period_ms:.1f} ms: one frame + 20 ms = "
                f"{period_ms + 20:.1f} ms, median {verdict(median <= period_ms + 20)})")
    return rows


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180.0, help="phase 1 length")
    parser.add_argument("--fps", type=float, default=60.0)
    parser.add_argument("--size", default="640x360", help="WxH")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds before the RSS start sample")
    parser.add_argument("--latency-seconds", type=float, default=30.0, help="phase 2 length (0: skip)")
    parser.add_argument("--spacing", type=float, default=0.5, help="seconds between clicks")
    parser.add_argument("--hud", action="store_true", help="show the HUD (as --hud)")
    parser.add_argument("--cold-shader-cache", action="store_true",
                        help="a fresh Mesa shader cache folder (as on a first run)")
    parser.add_argument("--set", type=Path, help="play this set file instead of the bench's")
    parser.add_argument("--no-sound", action="store_true", help="the file plays silently (no PortAudio)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="trace Python allocations; print what grew after the warm-up")
    parser.add_argument("--dump", type=Path, help="write phase 1's frames as JSON lines here")
    args = parser.parse_args()
    args.size = tuple(int(v) for v in args.size.lower().split("x"))
    return args


def main() -> None:
    args = parse_args()
    if args.tracemalloc:
        tracemalloc.start()
    if args.cold_shader_cache:  # Mesa's on-disk shader cache: a first show on this machine
        os.environ["MESA_SHADER_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-live-mesa-")
    logging.basicConfig(format="%(levelname)s %(message)s", level=logging.WARNING)
    print(f"load average before: {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-live-") as temp, xvfb(), PulseServer() as pulse, \
            pulse.activated():
        folder = Path(temp)
        set_path = args.set or set_file(folder)
        rows = frames_phase(folder, set_path, args)
        print("\n".join(rows), flush=True)
        if args.latency_seconds > 0:
            print("\n" + "\n".join(latency_phase(folder, set_path, args)), flush=True)
    print(f"\nload average after: {load_average()}")


if __name__ == "__main__":
    main()
