"""Cost of the whole streaming analyzer (spectra, levels, onsets, beats), on one core.

    .venv/bin/python bench/analyzer.py [--seconds 120]

Feeds the demo track (looped) in blocks of several sizes and prints how many
times faster than real time it runs. Target: 200x or more.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from visualizer.audio.decode import AudioFile
from visualizer.audio.demo import demo_track_path
from visualizer.features.analyzer import AnalyzerConfig, StreamingAnalyzer

TARGET = 200.0


def speed(samples: np.ndarray, rate: int, block: int, lookahead: bool) -> float:
    """Multiple of real time for feeding `samples` in `block`-sample pieces."""
    analyzer = StreamingAnalyzer(rate, 30.0, AnalyzerConfig(lookahead=lookahead))
    started = time.process_time()
    for start in range(0, len(samples), block):
        analyzer.feed(samples[start:start + block])
    return len(samples) / rate / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with AudioFile(demo_track_path()) as audio:
        track, rate = audio.read(), audio.sample_rate
    repeats = int(np.ceil(args.seconds * rate / len(track)))
    samples = np.tile(track, (repeats, 1))[: int(args.seconds * rate)]
    print(f"{args.seconds:g} s of stereo audio at {rate} Hz, 30 video frames/s, one core")
    for block, label, lookahead in ((256, "live, 256-sample callbacks", False),
                                    (1470, "one video frame per block", True),
                                    (23520, "offline render blocks (16 frames)", True)):
        value = speed(samples, rate, block, lookahead)
        verdict = "meets" if value >= TARGET else "misses"
        print(f"{label:34s} {value:7.0f}x real time ({verdict} {TARGET:.0f}x)")


if __name__ == "__main__":
    main()
