"""Song structure (sections, builds, drops, breakdowns) against the generated songs' truth.

    .venv/bin/python bench/structure.py [--songs edm_128,steady_loop] [--rates 22050,48000]
        [--modes offline,live] [--repeats 5]

Songs come from `visualizer.audio.songs` (known parts at several tempi, and a
steady loop, silence and a one-bar song with no structure). Per clip and mode:
the truth counts, section boundary F-measure within +-1 bar (inner boundaries
only, mir_eval matching), drops found within one beat, false drops per 5
minutes, the seconds of true builds and breakdowns found (time overlap: recall
and precision), and the cost. A song's breakdowns are its ``breakdown`` parts:
quiet intros and outros are not (a breakdown is a dip below what came before). Offline is the whole-track pre-pass that `analyze` and
`render` run (`analyse_track_rhythm`: beats, then structure on its grid). Its
cost, on one core, is the larger of two CPU times over the pre-pass without
structure (onsets and beat grid alone): the pre-pass's time with structure less
that without (the spectrum tap, the downbeat cue and the structure; each the
least of `--repeats` runs, the two interleaved), and the structure stage's own
time (`structure_from_curves` on the tapped curves), a floor the difference,
noisy on a shared machine, cannot go under.
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
from visualizer.features.structure import structure_from_curves
from visualizer.features.structure_frames import frame_curves
from visualizer.features.structure_live import live_structure
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
    """Per clip: offline, the structure's share of the pre-pass; live, ms per video frame."""
    seconds_timed: np.ndarray = field(default_factory=lambda: np.zeros(3))
    """Offline, summed over clips: structure s (the larger measure), pre-pass s without
    structure, structure stage alone s."""


@dataclass(frozen=True)
class OfflineTiming:
    """CPU seconds of one clip's pre-pass, each the least of its repeats."""

    plain: float
    """Onsets and beat grid alone (the pre-pass before structure)."""
    full: float
    """The pre-pass as `analyze` runs it (with the tap, the downbeat cue and the structure)."""
    stage: float
    """`structure_from_curves` alone, on the tapped curves and the pre-pass's grid."""

    @property
    def added(self) -> float:
        """What structure adds (s): the difference, never under the stage's own time."""
        return max(self.full - self.plain, self.stage)


def offline_structure(song: StructuredSong, repeats: int) -> tuple[object, OfflineTiming]:
    """The whole-track pre-pass's structure and its timing: the pre-pass without and
    with structure run in turn `repeats` times (a burst of load hits both alike), then
    the structure stage alone `repeats` times."""
    source = ArraySource(song.samples, song.sample_rate)
    plain = full = float("inf")
    rhythm = None
    for _ in range(repeats):
        _, seconds = cpu_seconds(lambda: grid_from_onsets(detect_onsets(mono_blocks(source), song.sample_rate)))
        plain = min(plain, seconds)
        rhythm, seconds = cpu_seconds(lambda: analyse_track_rhythm(mono_blocks(source), song.sample_rate))
        full = min(full, seconds)
    curves, grid = frame_curves(song.samples, song.sample_rate), rhythm.grid
    _, stage = cpu_seconds(lambda: structure_from_curves(curves, song.duration, grid.beats, grid.downbeats),
                           repeats)
    return rhythm.structure, OfflineTiming(plain, full, stage)


def intervals(result: object, name: str) -> list[tuple[float, float]]:
    """The result's `name` intervals (a `SongStructure`'s (start, end) pairs) in seconds."""
    return [(float(a), float(b)) for a, b in getattr(result, name)]


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


def run_clip(name: str, song: StructuredSong, tallies: dict[str, Tally], repeats: int) -> None:
    """Analyse one song in each mode of `tallies`, print its rows and costs."""
    if "offline" in tallies:
        result, timing = offline_structure(song, repeats)
        cost = timing.added / max(timing.plain, 1e-9)
        tallies["offline"].cost.append(cost)
        tallies["offline"].seconds_timed += (timing.added, timing.plain, timing.stage)
        print(f"  [offline] {score_clip(name, song, result, tallies['offline'])}  cost "
              f"{timing.added * 1e3:6.1f} ms = {cost:5.1%} of the pre-pass ({timing.plain * 1e3:.0f} ms; "
              f"difference {(timing.full - timing.plain) * 1e3:.1f} ms, stage alone {timing.stage * 1e3:.1f} ms)")
    if "live" in tallies:
        result, per_frame_s = live_structure(song.samples, song.sample_rate)
        tallies["live"].cost.append(per_frame_s * 1e3)
        print(f"  [   live] {score_clip(name, song, result, tallies['live'])}  cost "
              f"{per_frame_s * 1e3:5.3f} ms per video frame")


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_totals(tallies: dict[str, Tally], rate: int) -> None:
    print(f"totals at {rate} Hz")
    for mode, t in tallies.items():
        f_target, recall_target = TARGETS.get(mode, TARGETS["offline"])
        f = f_measure(*t.bounds)
        recall = t.drops[0] / t.drops[1] if t.drops[1] else 1.0
        per5 = t.false_drops / max(t.seconds, 1e-9) * 300
        print(f"  [{mode:>7}] boundary F {f:4.2f} (>= {f_target}: {mark(f >= f_target)})  "
              f"drop recall {recall:5.1%} (>= {recall_target:.0%}: {mark(recall >= recall_target)})  "
              f"false drops {per5:4.2f}/5min overall, {quiet_false_drops(t)}" + cost_total(mode, t))
        for name, seconds in (("builds", t.build_overlap), ("breakdowns", t.breakdown_overlap)):
            print(f"            {name}: {overlap_shares(name[:-1], *seconds)}")


def overlap_shares(kind: str, shared: float, truth: float, found: float) -> str:
    """How much of the true `kind` time was found and of the found time is true."""
    recall = f"{shared / truth:5.1%} of the true {kind} time found" if truth else f"no true {kind}"
    precision = f"{shared / found:5.1%} of the found {kind} time true" if found else f"no {kind} found"
    return f"{recall}, {precision}"


def quiet_false_drops(t: Tally) -> str:
    """The false drops per 5 minutes on the clips without structure, against the
    target; "not measured" when none of them ran."""
    if not t.quiet_seconds:
        return f"on steady music not measured (no {'/'.join(NO_STRUCTURE)} clip)"
    quiet = t.quiet_false / t.quiet_seconds * 300
    return (f"{quiet:4.2f}/5min on steady music (<= {MAX_FALSE_PER_5_MIN:g}: "
            f"{mark(quiet <= MAX_FALSE_PER_5_MIN)})")


def cost_total(mode: str, t: Tally) -> str:
    cost = float(np.median(t.cost)) if t.cost else float("nan")
    if mode == "live":
        return f"  cost median {cost:5.3f} ms/frame (<= {MAX_LIVE_MS}: {mark(cost <= MAX_LIVE_MS)})"
    added, base, stage = t.seconds_timed
    share = added / max(base, 1e-9)
    return (f"  cost {share:5.1%} over all clips ({added * 1e3:.0f} ms on {base * 1e3:.0f} ms; the stage alone "
            f"{stage / max(base, 1e-9):5.1%}; per-clip median {cost:5.1%}) "
            f"(<= {MAX_COST_RATIO:.0%}: {mark(share <= MAX_COST_RATIO)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--songs", default=",".join(SONGS),
                        help="comma-separated names from audio.songs.SONGS")
    parser.add_argument("--rates", default="22050",
                        help="comma-separated sample rates (Hz) of the generated songs: totals per rate")
    parser.add_argument("--modes", default="offline,live", help="comma-separated: offline, live")
    parser.add_argument("--repeats", type=int, default=5,
                        help="runs of each offline timing (the least counts)")
    args = parser.parse_args()
    if not set(args.modes.split(",")) <= set(TARGETS):
        parser.error(f"--modes: choose from {', '.join(TARGETS)}")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    for rate in (int(r) for r in args.rates.split(",")):
        print(f"\n=== {rate} Hz")
        tallies = {mode: Tally() for mode in args.modes.split(",")}
        for name in args.songs.split(","):
            song = SONGS[name].render(rate)
            print(truth_row(name, song))
            run_clip(name, song, tallies, max(1, args.repeats))
        print_totals(tallies, rate)


if __name__ == "__main__":
    main()
