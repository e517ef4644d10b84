"""The figures bench/live.py prints, from a probe's frames and the show's --stats lines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from live_probe import SEGMENTS, Frame, Probe

AFTER_SWITCH = 5
"""Frames after a transition's end still counted as the switch's."""


@dataclass(frozen=True)
class Timeline:
    """Per frame arrays (one row per frame shown), from the stats file and the probe."""

    work: np.ndarray  # ms, the stats file's "ms"
    presented: np.ndarray  # perf_counter s
    in_switch: np.ndarray  # bool
    cue_frames: np.ndarray  # positions of the cue frames
    onsets: np.ndarray
    feature_times: np.ndarray  # s, the audio time each frame's features describe
    presets: np.ndarray  # the steered preset's name
    segments: dict[str, np.ndarray]  # ms per frame


def read_stats(path: Path) -> tuple[dict[int, dict], list[dict]]:
    """The stats file's frame lines by frame index, and its event lines."""
    frames, events = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "frame" in row:
            frames[row["frame"]] = row
        else:
            events.append(row)
    return frames, events


def timeline(probe: Probe, stats: dict[int, dict]) -> Timeline:
    """The probe's frames joined with the stats lines (a frame missing there keeps the probe's time)."""
    frames: list[Frame] = probe.frames
    position = {frame.index: k for k, frame in enumerate(frames)}
    work = np.array([stats.get(f.index, {}).get("ms", f.work_ms) for f in frames], float)
    progress = np.array([f.progress for f in frames])
    cues = np.array(sorted({position[c.frame] for c in probe.cues if c.frame in position}), int)
    in_switch = np.zeros(len(frames), bool)
    for cue in cues:
        end = cue
        while end + 1 < len(frames) and progress[end] < 1.0 and (end == cue or progress[end] > 0.0):
            end += 1
        in_switch[cue: end + 1 + AFTER_SWITCH] = True
    segments = {name: np.array([f.segments.get(name, 0.0) for f in frames]) for name in SEGMENTS}
    return Timeline(work, np.array([f.presented for f in frames]), in_switch, cues,
                    np.array([f.onset for f in frames]), np.array([f.feature_time for f in frames]),
                    np.array([f.preset for f in frames]), segments)


def spread(values: np.ndarray) -> tuple[float, float, float]:
    """median, p99, max (nan when empty)."""
    if not len(values):
        return (float("nan"),) * 3
    return float(np.median(values)), float(np.percentile(values, 99)), float(values.max())


def rss_figures(samples: list[tuple[float, float]], started: float, warmup_s: float) -> dict[str, float]:
    """RSS at the first sample after `warmup_s` s (from `started`), at the end, growth %,
    slope MiB/min; `half_slope`: the slope over the second half of the run."""
    times = np.array([t - started for t, _ in samples])
    mib = np.array([m for _, m in samples])
    kept = times >= warmup_s
    if kept.sum() < 2:
        kept = np.ones(len(times), bool)
    t, m = times[kept], mib[kept]
    slope = float(np.polyfit(t / 60.0, m, 1)[0]) if len(t) >= 2 else float("nan")
    late = t >= (t[0] + t[-1]) / 2
    half = float(np.polyfit(t[late] / 60.0, m[late], 1)[0]) if late.sum() >= 2 else float("nan")
    return {"start": float(m[0]), "end": float(m[-1]), "growth": float((m[-1] - m[0]) / m[0] * 100.0),
            "slope": slope, "half_slope": half, "at_s": float(t[0]), "peak": float(m.max())}


def dump(path: Path, probe: Probe, line: Timeline) -> None:
    """Every frame as a JSON line (for a closer look): the probe's fields and `in_switch`."""
    with open(path, "w", encoding="utf-8") as out:
        for frame, switch in zip(probe.frames, line.in_switch):
            out.write(json.dumps({**frame.__dict__, "in_switch": bool(switch)}) + "\n")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def frame_rows(line: Timeline) -> list[str]:
    """The frame-time table: overall and at switches, work and present-to-present."""
    med, p99, worst = spread(line.work)
    s_med, s_p99, s_worst = spread(line.work[line.in_switch])
    over = line.work > 2.0 * med
    intervals = np.diff(line.presented) * 1000.0
    i_med, i_p99, i_worst = spread(intervals)
    hitches = intervals > 2.0 * i_med
    at_switch = line.in_switch[1:]
    rows = [
        f"{'frame work (ms)':<34}{'median':>8}{'p99':>8}{'worst':>8}{'>2x med':>9}   frames",
        f"{'  overall':<34}{med:8.2f}{p99:8.2f}{worst:8.2f}{int(over.sum()):9d}   {len(line.work)}",
        f"{'  at switches':<34}{s_med:8.2f}{s_p99:8.2f}{s_worst:8.2f}{int(over[line.in_switch].sum()):9d}"
        f"   {int(line.in_switch.sum())} ({len(line.cue_frames)} cues)",
        f"{'  steady (not at a switch)':<34}" + "".join(f"{v:8.2f}" for v in spread(line.work[~line.in_switch]))
        + f"{int(over[~line.in_switch].sum()):9d}",
        f"{'present-to-present (ms)':<34}{i_med:8.2f}{i_p99:8.2f}{i_worst:8.2f}{'>2x med':>9}",
        f"{'  overall':<34}{'':24}{int(hitches.sum()):9d}   fps {len(intervals) / max(1e-9, intervals.sum() / 1000):.1f}",
        f"{'  at switches':<34}{'':24}{int(hitches[at_switch].sum()):9d}",
        "",
        f"target p99 <= 1.5 x median: {p99:.2f} <= {1.5 * med:.2f} ms  {verdict(p99 <= 1.5 * med)}",
        f"target no frame over 2 x median at a switch: {int(over[line.in_switch].sum())} over "
        f"{2 * med:.2f} ms  {verdict(not over[line.in_switch].any())}",
    ]
    return rows


def segment_rows(line: Timeline, top: int = 6) -> list[str]:
    """Where frames spend their time: mean ms per part, steady / switch / cue frames; the worst frames."""
    cue = np.zeros(len(line.work), bool)
    cue[line.cue_frames] = True
    masks = (("steady", ~line.in_switch), ("switch", line.in_switch & ~cue), ("cue", cue))
    rows = [f"{'mean ms per frame':<20}" + "".join(f"{name[:9]:>10}" for name in SEGMENTS)]
    for label, mask in masks:
        means = [line.segments[name][mask].mean() if mask.any() else float("nan") for name in SEGMENTS]
        rows.append(f"{'  ' + label + f' ({int(mask.sum())})':<20}" + "".join(f"{v:10.2f}" for v in means))
    steady = [(float(np.median(line.work[~line.in_switch & (line.presets == name)])), name)
              for name in sorted(set(line.presets[~line.in_switch]))]
    rows.append("steady work median by preset (ms): " + ", ".join(f"{n} {v:.1f}" for v, n in sorted(steady)))
    hidden = line.segments["prepare"]
    rows.append(f"standby prepared on {int((hidden > 0).sum())} frames, after the present: median {np.median(hidden[hidden > 0]) if (hidden > 0).any() else 0:.1f} ms, "
                f"worst {hidden.max():.1f} ms, of which building it (open: parse, compile, link) median "
                f"{np.median(line.segments['open'][hidden > 0]) if (hidden > 0).any() else 0:.1f} ms; "
                f"the rest is its first draw")
    rows.append(f"worst {top} frames (work ms, position, at switch, parts over 1 ms):")
    for k in np.argsort(line.work)[::-1][:top]:
        parts = ", ".join(f"{n} {line.segments[n][k]:.1f}" for n in SEGMENTS if line.segments[n][k] > 1.0)
        rows.append(f"  {line.work[k]:7.2f}  #{k:<6} {'switch' if line.in_switch[k] else 'steady':<7} {parts}")
    return rows
