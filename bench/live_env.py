"""The stage for bench/live.py: a private Xvfb display, the bench's set file, the
machine's description and the process's resident memory."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRESETS = ("mimic_bloom", "kaleido_bloom", "bloom_tunnel", "darol", "petal_rain", "spectral_landscape")
"""Six shipped presets the bench's set goes round (a mix of feedback and plain ones)."""
STYLES = ("fade", "luma_wipe", "radial_iris", "dissolve", "flower_iris", "red_flash_cut")
"""The transition coming into each entry: every shipped style once."""


def set_file(folder: Path, seconds: tuple[float, float] = (3.0, 5.0)) -> Path:
    """A set that moves on every `seconds` (a random time in the range), with
    transitions of 1 to 2 beats in every shipped style, starting on the next beat."""
    lines = ['[set]', 'name = "bench"', 'order = "sequence"', 'advance = "seconds"',
             f"seconds = [{seconds[0]:g}, {seconds[1]:g}]", "min_dwell_bars = 0", "",
             "[set.transition]", 'style = "fade"', "beats = 2", 'on = "beat"', ""]
    for index, (preset, style) in enumerate(zip(PRESETS, STYLES)):
        beats = 1 if index % 2 else 2
        lines += ["[[entry]]", f'preset = "{preset}"',
                  f'transition = {{ style = "{style}", beats = {beats} }}', ""]
    path = folder / "bench.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@contextmanager
def xvfb(size: str = "1280x720x24") -> Iterator[str]:
    """A private X server on the first free display number; yields ":N" (DISPLAY is set)."""
    number = next(n for n in range(140, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                  and not Path(f"/tmp/.X{n}-lock").exists())
    display = f":{number}"
    process = subprocess.Popen(["Xvfb", display, "-screen", "0", size, "-nolisten", "tcp"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10.0
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"Xvfb {display} did not start")
        time.sleep(0.05)
    saved = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = display
    try:
        yield display
    finally:
        process.terminate()
        process.wait(5)
        if saved is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = saved


def rss_mib() -> float:
    """This process's resident memory (VmRSS), MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine(renderer: str) -> str:
    """One line: the GL renderer, the cores, the CPU and the load now."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"{renderer}; {os.cpu_count()} cores ({cpu}); load average {load_average()}"
