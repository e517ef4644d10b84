"""A flood of OSC messages into a running show: does the frame rate hold?

Runs the live show in-process (Xvfb started here, no sound) at 320x180 on one
preset with the OSC server on a free port, for `--seconds` before, during and
after a flood of `--messages` parameter messages sent within one second from
another process, and prints each phase's frames per second and median / worst
frame work, how many messages the server took, and how many events the bus
dropped (it keeps the newest 1,024).

    .venv/bin/python bench/osc_flood.py [--messages 10000] [--seconds 4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENDER = """
import sys, time
from pythonosc.udp_client import SimpleUDPClient
client, count = SimpleUDPClient("127.0.0.1", int(sys.argv[1])), int(sys.argv[2])
started = time.perf_counter()
for index in range(count):
    client.send_message("/visualizer/param/ringRadius", 0.1 + 0.3 * index / count)
    if index % 500 == 499:  # spread over one second
        time.sleep(max(0.0, started + (index + 1) / count - time.perf_counter()))
"""


def start_display() -> tuple[subprocess.Popen, str]:
    number = next(n for n in range(150, 250) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if time.monotonic() > deadline:
            sys.exit("Xvfb did not start")
        time.sleep(0.05)
    return server, f":{number}"


def phase(show, seconds: float) -> list[float]:
    """Frame work (ms) of each frame shown for `seconds`."""
    times, stop = [], time.perf_counter() + seconds
    while time.perf_counter() < stop:
        show.step()
        times.append(show.last_frame_ms)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--size", type=lambda text: tuple(int(side) for side in text.split("x")), default=(320, 180))
    args = parser.parse_args()
    xvfb, display = start_display()
    os.environ["DISPLAY"] = display
    try:
        run(args)
    finally:
        xvfb.terminate()


def run(args: argparse.Namespace) -> None:
    from visualizer.audio.demo import demo_track_path
    from visualizer.audio.playback import FileFeed
    from visualizer.live.rig import LiveRig, RigSettings
    from visualizer.live.show import PlaySettings, Show
    from visualizer.preset.library import resolve_preset
    from visualizer.preset.playlist import single_preset_playlist

    playlist = single_preset_playlist(resolve_preset("black_void"))
    show = Show(PlaySettings(None, args.size, 60.0, playlist=playlist), FileFeed(demo_track_path(), sound=False))
    rig = LiveRig(show, RigSettings(osc_port=0))
    try:
        phase(show, 2.0)  # warm
        before = phase(show, args.seconds)
        with tempfile.TemporaryDirectory():
            sender = subprocess.Popen([sys.executable, "-c", SENDER, str(rig.osc.port), str(args.messages)])
            during = phase(show, args.seconds)
            sender.wait(timeout=60)
        after = phase(show, args.seconds)
        print(f"{args.messages} OSC messages in about 1 s into a show at {args.size[0]}x{args.size[1]} (llvmpipe):")
        for name, times in (("before", before), ("during", during), ("after", after)):
            print(f"  {name:7s} {len(times) / args.seconds:6.1f} fps   work median {statistics.median(times):6.2f} ms"
                  f"   worst {max(times):7.2f} ms")
        print(f"  server: {rig.osc.received} received, {rig.osc.ignored} ignored;"
              f" bus dropped {show.bus.dropped} (keeps the newest {show.bus.capacity})")
        print(f"  the last value applied: ringRadius = {show.params.values.get('ringRadius')}")
    finally:
        rig.close()
        show.close()


if __name__ == "__main__":
    main()
