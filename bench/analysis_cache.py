"""What the whole-track pre-pass costs, what the cache saves, and where a
`--start` render far into a long file spends its time before the first frame.

    .venv/bin/python bench/analysis_cache.py [--minutes 10] [--fps 30]

Loops the demo track to `--minutes` (FLAC through libsndfile, and AAC/M4A
through the ffmpeg pipe), in a throwaway cache folder, and measures (wall
clock and CPU time, this machine):

- the rhythm pre-pass (`features.track.track_rhythm`): first run and cached run;
- hashing the file (what a cached run still pays);
- the piped decoder: its counting first pass, a cached count, a plain decode;
- the per-frame feature schedule (`features.schedule.track_features`) from
  frame 0, which every render runs up to its last frame;

then scales them to an hour, and to `render --start 10000` of a 3-hour file.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import soundfile

from visualizer.audio.decode import AudioFile
from visualizer.audio.demo import demo_track_path
from visualizer.features.schedule import track_features
from visualizer.features.track import track_rhythm


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (ffmpeg), user + system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one call. CPU time barely changes with other load
    on the machine; wall-clock time does."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    work()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def make_flac(folder: Path, minutes: float) -> Path:
    """The demo track looped to `minutes`, as FLAC."""
    with AudioFile(demo_track_path()) as audio:
        track, rate = audio.read(), audio.sample_rate
    frames = int(minutes * 60 * rate)
    looped = np.tile(track, (int(np.ceil(frames / len(track))), 1))[:frames]
    flac = folder / "long.flac"
    soundfile.write(flac, looped, rate, subtype="PCM_16")
    return flac


def make_tracks(folder: Path, minutes: float) -> tuple[Path, Path]:
    """The demo track looped to `minutes`: (FLAC, M4A)."""
    flac, m4a = make_flac(folder, minutes), folder / "long.m4a"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", f"file:{flac}",
                    "-c:a", "aac", "-b:a", "192k", f"file:{m4a}"], check=True)
    return flac, m4a


def rhythm(path: Path) -> None:
    with AudioFile(path) as audio:
        track_rhythm(audio)


def digest(path: Path) -> None:
    with AudioFile(path) as audio:
        audio.digest()


def count(path: Path) -> None:
    with AudioFile(path) as audio:
        _ = audio.frames


def decode(path: Path) -> None:
    with AudioFile(path) as audio:
        for _ in audio.blocks(0, size=65536):
            pass


def schedule(path: Path, fps: float) -> None:
    with AudioFile(path) as audio:
        for _ in track_features(audio, fps, int(audio.duration * fps)):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--fps", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as temp:
        os.environ["VISUALIZER_CACHE"] = str(Path(temp) / "cache")
        flac, m4a = make_tracks(Path(temp), args.minutes)
        per_hour = 60.0 / args.minutes
        rows = {
            "rhythm pre-pass, first run (FLAC)": timed(lambda: rhythm(flac)),
            "rhythm pre-pass, cached (FLAC)": timed(lambda: rhythm(flac)),
            "hash of the FLAC": timed(lambda: digest(flac)),
            "pipe: counting first pass (M4A)": timed(lambda: count(m4a)),
            "pipe: cached count (M4A)": timed(lambda: count(m4a)),
            "pipe: decode to the end (M4A)": timed(lambda: decode(m4a)),
            "rhythm pre-pass, first run (M4A)": timed(lambda: rhythm(m4a)),
            "rhythm pre-pass, cached (M4A)": timed(lambda: rhythm(m4a)),
            f"feature schedule from frame 0 at {args.fps:g} fps (FLAC)": timed(lambda: schedule(flac, args.fps)),
        }
        size_mb = flac.stat().st_size / 1e6
    print(f"{args.minutes:g} min of 44.1 kHz stereo (FLAC {size_mb:.0f} MB); wall and CPU seconds, "
          "and CPU seconds per hour of audio")
    for label, (wall, cpu) in rows.items():
        print(f"  {label:52s} {wall:7.2f} s {cpu:7.2f} s cpu {cpu * per_hour:8.1f} s/h")
    start_s, length_h = 10000.0, 3.0
    schedule_key = f"feature schedule from frame 0 at {args.fps:g} fps (FLAC)"
    first = rows["rhythm pre-pass, first run (FLAC)"][1] * per_hour * length_h
    cached = rows["rhythm pre-pass, cached (FLAC)"][1] * per_hour * length_h
    warmup = rows[schedule_key][1] * per_hour * start_s / 3600
    print(f"render --start {start_s:g} of a {length_h:g} h FLAC, CPU before its first frame (scaled):")
    print(f"  first run: rhythm pre-pass {first:6.1f} s + schedule to the start {warmup:6.1f} s")
    print(f"  next runs: cached rhythm   {cached:6.1f} s + schedule to the start {warmup:6.1f} s")

if __name__ == "__main__":
    main()
