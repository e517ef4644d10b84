"""Picture clock against heard sound for `--audio-file` playback (no sound card needed).

    .venv/bin/python bench/av_sync.py [--seconds 10] [--fps 60] [--spacing 0.25] [--settle 3]

Starts a private PulseAudio daemon with a null sink, plays a click track with
`FileFeed` (sound on: the default output, the null sink) and records the sink's
monitor in this process, each block's ADC time moved onto `time.perf_counter`.
A loop reads the feed `--fps` times a second, like the live show's frames.

For each click, after the null sink has settled (`--settle` s of the file):
  clock offset: the picture's clock (read times against the frames each read
                reached, interpolated) at the click's frame, minus the monitor's
                time of the click: how far the feed's notion of "heard" is off;
  frame offset: the time of the read that handed the click out, minus the
                monitor's time: what a frame loop at `--fps` adds (about half a frame).
Positive: the picture is later than the sound.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pulse import MonitorRecorder, PulseServer, click_track, find_clicks  # noqa: E402

from visualizer.audio.playback import FileFeed  # noqa: E402

RATE = 48000


def run(feed: FileFeed, seconds: float, fps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read for `seconds` at `fps`: (frames reached, read times, mono samples)."""
    ends, times, monos, tick = [0], [time.perf_counter()], [], threading.Event()
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        samples = feed.read()
        times.append(time.perf_counter())
        ends.append(ends[-1] + len(samples))
        monos.append(samples.mean(axis=1))
        tick.wait(1 / fps)
    return np.array(ends), np.array(times), np.concatenate(monos)


def nearest(picture: np.ndarray, heard: np.ndarray) -> np.ndarray:
    """picture - the nearest heard time, ms."""
    match = heard[np.argmin(np.abs(heard[None, :] - picture[:, None]), axis=1)]
    return (picture - match) * 1000


def describe(name: str, offsets: np.ndarray) -> str:
    p5, p50, p95 = np.percentile(offsets, [5, 50, 95])
    return (f"{name}: median {p50:+.1f} ms, p5..p95 {p5:+.1f}..{p95:+.1f} ms, "
            f"min..max {offsets.min():+.1f}..{offsets.max():+.1f} ms, sd {offsets.std():.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured, after --settle")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds skipped at the start")
    parser.add_argument("--fps", type=float, default=60.0)
    parser.add_argument("--spacing", type=float, default=0.25, help="seconds between clicks")
    args = parser.parse_args()
    total = args.settle + args.seconds
    track = click_track(int(total / args.spacing) + 2, args.spacing, rate=RATE)
    with tempfile.TemporaryDirectory() as folder, PulseServer() as pulse, pulse.activated():
        path = Path(folder) / "clicks.wav"
        soundfile.write(path, np.stack([track, track], axis=1), RATE, subtype="FLOAT")
        monitor = MonitorRecorder(RATE)
        monitor.stream.start()
        with FileFeed(path) as feed:
            ends, times, mono = run(feed, total + 0.5, args.fps)
            status, session = feed.status(), feed.sound._session if feed.sound else None
        monitor.stream.close()
    clicks = find_clicks(mono)
    clicks = clicks[(clicks >= args.settle * RATE) & (clicks < ends[-1] - 0.3 * RATE)]
    heard = monitor.click_times()
    clock = np.interp(clicks, ends, times)
    framed = times[np.searchsorted(ends, clicks, side="right")]
    latency = f"; output latency reported {session.latency_s * 1000:.1f} ms" if session else ""
    print(status + latency)
    print(f"{len(clicks)} clicks at {args.fps:g} fps, {len(heard)} heard on the monitor")
    print(describe("clock offset (picture clock - heard)", nearest(clock, heard)))
    print(describe("frame offset (read handing it out - heard)", nearest(framed, heard)))


if __name__ == "__main__":
    main()
