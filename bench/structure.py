"""Song structure (sections, builds, drops, breakdowns) against the generated songs' truth.

    .venv/bin/python bench/structure.py [--songs edm_128,steady_loop] [--rate 22050]

Songs come from `visualizer.audio.songs` (known parts at several tempi, and a
steady loop, silence and a one-bar song with no structure). Per clip and mode:
the truth counts, section boundary F-measure within +-1 bar (inner boundaries
only, mir_eval matching), drops found within one beat, false drops per 5
minutes, the seconds of true builds and breakdowns found (time overlap: recall
and precision), and the cost. A song's breakdowns are its ``breakdown`` parts:
quiet intros and outros are not (a breakdown is a dip below what came before). Offline is the whole-track pre-pass that `analyze` and
`render` run (`analyse_track_rhythm`: beats, then structure on its grid); its
cost is the pre-pass's CPU time now over onsets and beat grid alone, on one core.
Live is `structure_live.live_structure` (the causal analyzer over the song),
its cost the structure's own CPU time per video frame. Targets (issue 15):
boundary F >= 0.8 offline and >= 0.6 live; drop recall >= 90% offline and
>= 80% live; <= 1 false drop per 5 minutes of steady music; structure <= 10%
of analyze; live <= 0.5 ms per video frame.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["VISUALIZER_CACHE"] = tempfile.mkdtemp(prefix="bench-structure-")  # analyze is timed uncached
atexit.register(shutil.rmtree, os.environ["VISUALIZER_CACHE"], True)

import mir_eval

from visualizer.audio.songs import SONGS, StructuredSong
from visualizer.features.beat_grid import grid_from_onsets
from visualizer.features.onset import detect_onsets
from visualizer.features.rhythm import analyse_track_rhythm
from visualizer.features.track import mono_blocks

TARGETS = {"offline": (0.8, 0.9), "live": (0.6, 0.8)}
"""Mode -> (boundary F at +-1 bar, drop recall within one beat)."""
MAX_FALSE_PER_5_MIN, MAX_COST_RATIO, MAX_LIVE_MS = 1.0, 0.10, 0.5
NO_STRUCTURE = ("steady_loop", "silence", "one_bar")


@dataclass(frozen=True)
class ArraySource:
    """Mono samples as a `SampleSource` (and a `FileSource`: `digest()` names the bytes)."""

    samples: np.ndarray  # (n,) float32
    sample_rate: int  # Hz

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    def blocks(self, start: int = 0, stop: int | None = None, size: int = 65536) -> Iterator[np.ndarray]:
        stop = len(self.samples) if stop is None else min(stop, len(self.samples))
        for i in range(start, stop, size):
            yield self.samples[i:min(i + size, stop)].reshape(-1, 1)

    def digest(self) -> str:
        return hashlib.sha256(self.samples.tobytes()).hexdigest()


@dataclass
class Tally:
    """Matches summed over clips: boundaries (hit, truth, found), drops, false drops, seconds."""

    bounds: np.ndarray = field(default_factory=lambda: np.zeros(3, np.int64))
    drops: np.ndarray = field(default_factory=lambda: np.zeros(2, np.int64))  # hit, truth
    false_drops: int = 0
    seconds: float = 0.0
    quiet_false: int = 0  # on the clips with no structure
    quiet_seconds: float = 0.0
    build_overlap: np.ndarray = field(default_factory=lambda: np.zeros(3))  # s: shared, truth, found
    breakdown_overlap: np.ndarray = field(default_factory=lambda: np.zeros(3))  # s: shared, truth, found
    cost: list[float] = field(default_factory=list)
    seconds_timed: np.ndarray = field(default_factory=lambda: np.zeros(2))  # offline: structure s, pre-pass s  # offline: share of the pre-pass; live: ms/frame


def offline_structure(song: StructuredSong) -> tuple[object, float, float]:
    """The whole-track pre-pass's structure, and the CPU seconds of the pre-pass as it
    was before structure (onsets and beat grid) and as it is (with the spectrum tap,
    the downbeat cue and the structure): their difference is what structure costs."""
    source = ArraySource(song.samples, song.sample_rate)
    _, plain = cpu_seconds(lambda: grid_from_onsets(detect_onsets(mono_blocks(source), song.sample_rate)), 3)
    rhythm, full = cpu_seconds(lambda: analyse_track_rhythm(mono_blocks(source), song.sample_rate), 3)
    return rhythm.structure, plain, full


def live_analyser() -> Callable | None:
    """`structure_live.live_structure(samples, sample_rate) -> (structure, seconds of its
    own work per video frame)`, once it exists."""
    try:
        from visualizer.features.structure_live import live_structure
    except ImportError:
        return None
    return live_structure


def intervals(result: object, name: str) -> list[tuple[float, float]]:
    """The result's `name` intervals as (start, end) seconds; [] when absent."""
    found = getattr(result, name, None)
    found = [] if found is None else found
    return [(float(x["start"]), float(x["end"])) if isinstance(x, dict) else (float(x[0]), float(x[1]))
            for x in found]


def inner_boundaries(sections: list[tuple[float, float]], duration: float, margin: float) -> np.ndarray:
    """Section edges more than `margin` s from the song's start and end, ascending, unique."""
    edges = np.unique([t for interval in sections for t in interval])
    return edges[(edges > margin) & (edges < duration - margin)]


def matches(truth: np.ndarray, found: np.ndarray, window: float) -> int:
    """How many found times pair one-to-one with truth times within +-`window` s."""
    if not len(truth) or not len(found):
        return 0
    return len(mir_eval.util.match_events(np.sort(truth), np.sort(found), window))


def f_measure(hit: int, truth: int, found: int) -> float:
    """F of a matching; 1.0 when there was nothing to find and nothing was found."""
    if truth == 0 and found == 0:
        return 1.0
    return 2.0 * hit / (truth + found)


def total(spans: list[tuple[float, float]]) -> float:
    return float(sum(b - a for a, b in spans))


def overlap(truth: list[tuple[float, float]], found: list[tuple[float, float]]) -> float:
    """Seconds covered by both (each list's intervals are disjoint)."""
    return float(sum(max(0.0, min(b, d) - max(a, c)) for a, b in truth for c, d in found))


def cpu_seconds(work: Callable[[], object], repeats: int = 1) -> tuple[object, float]:
    """`work()`'s value and its least CPU time over `repeats` runs (s)."""
    best, value = float("inf"), None
    for _ in range(repeats):
        started = time.process_time()
        value = work()
        best = min(best, time.process_time() - started)
    return value, best


def truth_row(name: str, song: StructuredSong) -> str:
    return (f"{name:<20} {song.bpm:5.0f} {song.duration:7.1f}  truth: {len(song.sections):2d} sections "
            f"{len(song.builds)} builds {len(song.drops)} drops {len(song.breakdowns)} breakdowns")


def score_clip(name: str, song: StructuredSong, result: object, tally: Tally) -> str:
    """One clip's row for one mode; adds its counts to `tally`."""
    beat_s, bar_s = 60.0 / song.bpm, song.bar_s
    truth_b = inner_boundaries(song.sections, song.duration, bar_s / 2)
    found_b = inner_boundaries(intervals(result, "sections"), song.duration, bar_s / 2)
    hit_b = matches(truth_b, found_b, bar_s)
    drops = getattr(result, "drops", None)
    drops = np.asarray([] if drops is None else drops, np.float64).reshape(-1)
    hit_d = matches(np.asarray(song.drops), drops, beat_s)
    false_d = len(drops) - hit_d
    tally.bounds += (hit_b, len(truth_b), len(found_b))
    tally.drops += (hit_d, len(song.drops))
    tally.false_drops += false_d
    tally.seconds += song.duration
    if name in NO_STRUCTURE:
        tally.quiet_false += false_d
        tally.quiet_seconds += song.duration
    builds, breakdowns = intervals(result, "builds"), intervals(result, "breakdowns")
    tally.build_overlap += (overlap(song.builds, builds), total(song.builds), total(builds))
    shared = overlap(song.breakdowns, breakdowns)
    tally.breakdown_overlap += (shared, total(song.breakdowns), total(breakdowns))
    return (f"  bounds F {f_measure(hit_b, len(truth_b), len(found_b)):4.2f} ({hit_b}/{len(truth_b)} "
            f"found {len(found_b)})  drops {hit_d}/{len(song.drops)}  false {false_d} "
            f"({false_d / song.duration * 300:4.1f}/5min)  builds {len(builds)} "
            f"breakdowns {len(breakdowns)} ({shared:.0f} of {total(breakdowns):.0f} s true)")


def run_clip(name: str, song: StructuredSong, tallies: dict[str, Tally]) -> None:
    """Analyse one song in each mode, print its rows and costs."""
    result, plain, full = offline_structure(song)
    cost = (full - plain) / max(plain, 1e-9)
    tallies["offline"].cost.append(cost)
    tallies["offline"].seconds_timed += (full - plain, plain)
    print(f"  [offline] {score_clip(name, song, result, tallies['offline'])}  cost "
          f"{(full - plain) * 1e3:6.1f} ms = {cost:5.1%} of the pre-pass ({plain * 1e3:.0f} ms)")
    live = live_analyser()
    if live is not None and "live" in tallies:
        result, per_frame_s = live(song.samples, song.sample_rate)
        tallies["live"].cost.append(per_frame_s * 1e3)
        print(f"  [   live] {score_clip(name, song, result, tallies['live'])}  cost "
              f"{per_frame_s * 1e3:5.3f} ms per video frame")


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_totals(tallies: dict[str, Tally]) -> None:
    print("\ntotals")
    for mode, t in tallies.items():
        f_target, recall_target = TARGETS.get(mode, TARGETS["offline"])
        f = f_measure(*t.bounds)
        recall = t.drops[0] / t.drops[1] if t.drops[1] else 1.0
        per5 = t.false_drops / max(t.seconds, 1e-9) * 300
        quiet = t.quiet_false / t.quiet_seconds * 300 if t.quiet_seconds else float("nan")
        print(f"  [{mode:>7}] boundary F {f:4.2f} (>= {f_target}: {mark(f >= f_target)})  "
              f"drop recall {recall:5.1%} (>= {recall_target:.0%}: {mark(recall >= recall_target)})  "
              f"false drops {per5:4.2f}/5min overall, {quiet:4.2f}/5min on steady music "
              f"(<= {MAX_FALSE_PER_5_MIN:g}: {mark(not quiet > MAX_FALSE_PER_5_MIN)})"
              + cost_total(mode, t))
        for name, (shared, truth, found) in (("builds", t.build_overlap), ("breakdowns", t.breakdown_overlap)):
            print(f"            {name}: {shared / max(truth, 1e-9):5.1%} of the true {name[:-1]} time found, "
                  f"{shared / max(found, 1e-9):5.1%} of the found {name[:-1]} time true")


def cost_total(mode: str, t: Tally) -> str:
    cost = float(np.median(t.cost)) if t.cost else float("nan")
    if mode == "live":
        return f"  cost median {cost:5.3f} ms/frame (<= {MAX_LIVE_MS}: {mark(cost <= MAX_LIVE_MS)})"
    added, base = t.seconds_timed
    share = added / max(base, 1e-9)
    return (f"  cost {share:5.1%} over all clips ({added * 1e3:.0f} ms on {base * 1e3:.0f} ms; per-clip median "
            f"{cost:5.1%}) (<= {MAX_COST_RATIO:.0%}: {mark(share <= MAX_COST_RATIO)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--songs", default=",".join(SONGS),
                        help="comma-separated names from audio.songs.SONGS")
    parser.add_argument("--rate", type=int, default=22050,
                        help="sample rate (Hz) of the generated songs")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    tallies = {"offline": Tally(), **({"live": Tally()} if live_analyser() else {})}
    for name in args.songs.split(","):
        song = SONGS[name].render(args.rate)
        print(truth_row(name, song))
        run_clip(name, song, tallies)
    print_totals(tallies)


if __name__ == "__main__":
    main()
