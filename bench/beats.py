"""Onset and beat accuracy against exact ground truth: ours (live, offline), aubio, librosa.

    .venv/bin/python bench/beats.py [--quick] [--block 1024] [--no-librosa]

Clips come from bench/beat_data.py (click tracks, synthesised drums, General
MIDI songs rendered by fluidsynth). Live methods are scored at the moment a
live show would act: our onsets at `detected_at`, our beats at the time the
tracker fired them (predicted), aubio's onsets and beats at the end of the hop
that reported them. Scores (mir_eval): onset F within 50 ms; beat F within
70 ms after dropping the first 5 s; tempo within 4% (and up to a factor of 2
or 3); median signed beat error (ms) of the matched beats. Then the cost of
our onset + beat analysis as a multiple of real time on one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import mir_eval

from bench.beat_data import Clip, all_clips
from visualizer.features.beat import BeatTracker
from visualizer.features.beat_grid import analyse_track
from visualizer.features.onset import OnsetDetector


@dataclass
class Result:
    """What one method found in one clip: seconds, and BPM."""

    onsets: np.ndarray
    beats: np.ndarray
    tempo: float
    seconds: float = 0.0  # processing time


def ours_live(clip: Clip, block: int) -> Result:
    start = time.perf_counter()
    detector = OnsetDetector(clip.sample_rate)
    tracker = BeatTracker(detector.hop_seconds, detector.latency)
    onsets, beats, tempo = [], [], tracker.state(0.0).tempo_bpm
    music_end = clip.beats[-1]
    for i in range(0, len(clip.audio), block):
        events = detector.process(clip.audio[i:i + block])
        onsets += [e.detected_at for e in events if e.band == "all"]
        strengths = detector.drain_strengths(bands=True)
        if len(strengths):
            beats += tracker.update(strengths, detector.time)
        if detector.time <= music_end:
            tempo = tracker.state(detector.time).tempo_bpm
    return Result(np.array(onsets), np.array(beats), tempo, time.perf_counter() - start)


def ours_offline(clip: Clip, block: int = 65536) -> Result:
    start = time.perf_counter()
    blocks = (clip.audio[i:i + block] for i in range(0, len(clip.audio), block))
    grid = analyse_track(blocks, clip.sample_rate)
    return Result(grid.onsets, grid.beats, grid.tempo_bpm, time.perf_counter() - start)


def aubio_live(clip: Clip, hop: int = 256) -> Result:
    import aubio

    start = time.perf_counter()
    rng = np.random.default_rng(0)
    audio = (clip.audio + 1e-3 * rng.standard_normal(len(clip.audio))).astype(np.float32)
    onset = aubio.onset("default", 4 * hop, hop, clip.sample_rate)
    tempo = aubio.tempo("default", 4 * hop, hop, clip.sample_rate)
    onsets, beats, bpm = [], [], 0.0
    for i in range(0, len(audio) - hop + 1, hop):
        now = (i + hop) / clip.sample_rate
        chunk = audio[i:i + hop]
        if onset(chunk)[0]:
            onsets.append(now)
        if tempo(chunk)[0]:
            beats.append(now)
        if now <= clip.beats[-1]:
            bpm = float(tempo.get_bpm())
    return Result(np.array(onsets), np.array(beats), bpm, time.perf_counter() - start)


def librosa_offline(clip: Clip) -> Result:
    import librosa

    start = time.perf_counter()
    y = clip.audio.astype(np.float32)
    onsets = librosa.onset.onset_detect(y=y, sr=clip.sample_rate, units="time")
    bpm, beats = librosa.beat.beat_track(y=y, sr=clip.sample_rate, units="time")
    return Result(onsets, beats, float(np.atleast_1d(bpm)[0]), time.perf_counter() - start)


def score(clip: Clip, result: Result) -> dict[str, object]:
    """Per-clip scores; `errors` are the signed errors (s) of matched beats."""
    onset_f = 0.0
    if len(result.onsets):
        onset_f = mir_eval.onset.f_measure(clip.onsets, result.onsets, window=0.05)[0]
    ref, est = mir_eval.beat.trim_beats(clip.beats), mir_eval.beat.trim_beats(np.sort(result.beats))
    beat_f = mir_eval.beat.f_measure(ref, est, 0.07) if len(est) else 0.0
    pairs = mir_eval.util.match_events(ref, est, 0.07) if len(est) else []
    ratio = result.tempo / clip.tempo if result.tempo > 0 else 0.0
    return {
        "onset_f": onset_f, "beat_f": beat_f,
        "tempo": abs(ratio - 1.0) < 0.04,
        "tempo23": any(abs(ratio / k - 1.0) < 0.04 for k in (1, 2, 3, 1 / 2, 1 / 3)),
        "errors": [est[j] - ref[i] for i, j in pairs],
    }


def table(rows: dict[tuple[str, str], list[dict[str, object]]], families: list[str]) -> str:
    head = f"{'method':13s} {'family':7s} {'clips':>5s} {'onset F':>8s} {'beat F':>7s} " \
           f"{'tempo':>6s} {'x2/x3':>6s} {'err ms':>7s}"
    lines = [head, "-" * len(head)]
    for method in METHODS:
        for family in families + ["all"]:
            scores = [s for (m, f), v in rows.items()
                      if m == method and family in ("all", f) for s in v]
            if not scores:
                continue
            errors = [e for s in scores for e in s["errors"]]
            err = f"{1000 * np.median(errors):+7.1f}" if errors else "    n/a"
            lines.append(f"{method:13s} {family:7s} {len(scores):5d} "
                         f"{np.mean([s['onset_f'] for s in scores]):8.3f} "
                         f"{np.mean([s['beat_f'] for s in scores]):7.3f} "
                         f"{100 * np.mean([s['tempo'] for s in scores]):5.0f}% "
                         f"{100 * np.mean([s['tempo23'] for s in scores]):5.0f}% {err}")
    return "\n".join(lines)


METHODS = ("ours-live", "ours-offline", "aubio", "librosa")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small subset of the clips")
    parser.add_argument("--block", type=int, default=1024, help="live block size in samples")
    parser.add_argument("--no-librosa", action="store_true", help="skip librosa (slow first call)")
    parser.add_argument("--verbose", action="store_true", help="print every clip's scores")
    args = parser.parse_args()
    clips = all_clips(quick=args.quick)
    runners = {"ours-live": lambda c: ours_live(c, args.block), "ours-offline": ours_offline,
               "aubio": aubio_live}
    if not args.no_librosa:
        runners["librosa"] = librosa_offline
    rows: dict[tuple[str, str], list[dict[str, object]]] = {}
    cost = {name: 0.0 for name in runners}
    for clip in clips:
        for name, run in runners.items():
            result = run(clip)
            cost[name] += result.seconds
            s = score(clip, result)
            rows.setdefault((name, clip.family), []).append(s)
            if args.verbose:
                print(f"{clip.name:30s} {name:13s} onsetF={s['onset_f']:.3f} "
                      f"beatF={s['beat_f']:.3f} "
                      f"bpm={result.tempo:6.1f}/{clip.tempo:5.1f}", flush=True)
    families = list(dict.fromkeys(c.family for c in clips))
    print(table(rows, families))
    audio_s = sum(len(c.audio) / c.sample_rate for c in clips)
    print(f"\n{len(clips)} clips, {audio_s:.0f} s of audio; "
          "processing speed (x real time, one core):")
    for name, seconds in cost.items():
        print(f"  {name:13s} {audio_s / max(seconds, 1e-9):8.0f}x")
    print(speed_report(clips))


def speed_report(clips: list[Clip]) -> str:
    """Our live path alone (no scoring), at several block sizes, best of 3."""
    audio = np.concatenate([c.audio for c in clips if c.sample_rate == clips[0].sample_rate])
    rate = clips[0].sample_rate
    parts = []
    for block in (256, 1024, 4096):
        best = min(_time_live(audio, rate, block) for _ in range(3))
        parts.append(f"block {block}: {len(audio) / rate / best:.0f}x")
    return "  ours-live onset+beat only: " + ", ".join(parts)


def _time_live(audio: np.ndarray, rate: int, block: int) -> float:
    start = time.perf_counter()
    detector = OnsetDetector(rate)
    tracker = BeatTracker(detector.hop_seconds, detector.latency)
    for i in range(0, len(audio), block):
        detector.process(audio[i:i + block])
        strengths = detector.drain_strengths(bands=True)
        if len(strengths):
            tracker.update(strengths, detector.time)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
