"""The five moments of `visualizer presets sheet`: silence, a kick, a loud
passage, a build and a drop, as frames of a render at `SHEET_FPS`.

On the demo track they come from how it is written (`audio.demo`): a kick in
the intro, the middle of the full section, the riser's last bar before its
silent beat, and two frames after the drop at 28 s. On any other file they
come from the whole-track analysis (`features.track.track_rhythm`): the first
strong bass onset, the loudest stretch of the energy curve, the end of the
build-up into the drop, and the drop; a track with no drop or no build gets
the nearest substitute, labelled as one. Silence is always generated: the
preset as it looks with no sound at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from visualizer.audio.demo import DEMO_BUILDS_S, DEMO_DROPS_S, SECTIONS, BAR_S, demo_beat_times
from visualizer.features.rhythm import TrackRhythm

SHEET_FPS = 30.0
"""The rate of the tiles, `render`'s default: a tile is frame round(T * 30) of `render --start T`."""
AFTER_FRAMES = 2
"""A kick or a drop is shown this many frames after it: the picture has answered by then."""
SILENCE_S = 2.0
"""Seconds into generated silence at which the silence tile is drawn (smoothing has settled)."""
BUILD_LEAD_S = 0.6
"""The build tile is this long before the build-up ends (on the demo: before its silent beat),
or before the drop when no build-up is found."""
INTRO_KICK_S = 6.0
"""The demo's kick tile follows the first intro kick at or after this time (the picture has woken)."""
STRONG_BASS = 0.5
"""A bass onset at least this fraction of the track's strongest is a kick."""
LOUD_MARGIN = 0.02
"""Energy within this of the track's highest counts as the loudest stretch."""
RISE_WINDOW_S = 1.0
"""A drop's substitute is the largest rise of the energy curve over this many seconds."""
NAMES = ("silence", "kick", "loud", "build", "drop")


@dataclass(frozen=True)
class Moment:
    """One column of the sheet: what it shows and the frame drawn."""

    name: str
    frame: int
    """The frame at `SHEET_FPS` (its time is frame / SHEET_FPS)."""
    silent: bool = False
    """Drawn from generated silence, not the track."""
    note: str = ""
    """How it was chosen when it is a substitute ("no drop found: ..."), else ""."""

    @property
    def time(self) -> float:
        return self.frame / SHEET_FPS

    def describe(self) -> str:
        """`kick 6.07 s`, `silence (generated)`, `drop 62.07 s (no drop found: ...)`."""
        if self.silent:
            return f"{self.name} (generated, no sound)"
        return f"{self.name} {self.time:.2f} s" + (f" ({self.note})" if self.note else "")


def _frame(seconds: float, last_frame: int) -> int:
    return int(min(max(round(seconds * SHEET_FPS), 0), last_frame))


def silence() -> Moment:
    return Moment("silence", round(SILENCE_S * SHEET_FPS), silent=True)


def demo_moments() -> list[Moment]:
    """The demo track's five moments (see the module's docstring)."""
    kick = next(t for t in demo_beat_times() if t >= INTRO_KICK_S - 1e-9)
    full_start, full_end = (bar * BAR_S for bar in SECTIONS["full"])
    build_end = DEMO_BUILDS_S[-1][1]
    return [silence(),
            Moment("kick", round(kick * SHEET_FPS) + AFTER_FRAMES),
            Moment("loud", round((full_start + full_end) / 2 * SHEET_FPS) + AFTER_FRAMES),
            Moment("build", round((build_end - BUILD_LEAD_S) * SHEET_FPS)),
            Moment("drop", round(DEMO_DROPS_S[0] * SHEET_FPS) + AFTER_FRAMES)]


def track_moments(rhythm: TrackRhythm, duration: float) -> list[Moment]:
    """The five moments of a track of `duration` s from its whole-track analysis."""
    last = max(0, math.ceil(duration * SHEET_FPS - 1e-6) - 1)
    song = rhythm.structure
    energy = song.energy if song is not None else np.zeros(0, np.float32)
    hop = song.hop if song is not None else 0.5
    drop, drop_note = _drop(song.drops if song is not None else [], energy, hop, duration)
    build, build_note = _build(song.builds if song is not None else [], drop)
    kick, kick_note = _kick(rhythm)
    loud = _loudest(energy, hop, duration)
    return [silence(),
            Moment("kick", min(_frame(kick, last) + AFTER_FRAMES, last), note=kick_note),
            Moment("loud", _frame(loud, last)),
            Moment("build", _frame(build, last), note=build_note),
            Moment("drop", min(_frame(drop, last) + AFTER_FRAMES, last), note=drop_note)]


def _kick(rhythm: TrackRhythm) -> tuple[float, str]:
    """The first strong bass onset; else the first onset of any band; else the start."""
    bass = [e for e in rhythm.events if e.band == "bass"]
    if bass:
        strongest = max(e.strength for e in bass)
        return min(e.time for e in bass if e.strength >= STRONG_BASS * strongest), ""
    onsets = sorted(e.time for e in rhythm.events)
    if onsets:
        return onsets[0], "no bass onset found: the first onset"
    return 0.0, "no onset found: the start"


def _loudest(energy: np.ndarray, hop: float, duration: float) -> float:
    """The middle of the longest stretch of the energy curve at its highest."""
    if not len(energy) or float(energy.max()) <= 0.0:
        return duration / 2
    high = np.concatenate([[False], energy >= float(energy.max()) - LOUD_MARGIN, [False]])
    edges = np.flatnonzero(np.diff(high.astype(np.int8)))
    starts, ends = edges[0::2], edges[1::2]
    longest = int(np.argmax(ends - starts))
    return float((starts[longest] + ends[longest] - 1) / 2 * hop)


def _drop(drops: list[float], energy: np.ndarray, hop: float, duration: float) -> tuple[float, str]:
    """The first drop; else the largest rise of the energy curve over `RISE_WINDOW_S`."""
    if drops:
        return float(drops[0]), ""
    if len(energy) < 2:
        return duration / 2, "no drop found: the middle"
    lag = max(1, min(round(RISE_WINDOW_S / hop), len(energy) - 1))
    rise = energy[lag:] - energy[:-lag]
    return float((int(np.argmax(rise)) + lag) * hop), "no drop found: the biggest rise in level"


def _build(builds: list[tuple[float, float]], drop: float) -> tuple[float, str]:
    """Late in the build-up that ends nearest before the drop; else just before the drop."""
    before = [(start, end) for start, end in builds if start < drop + 1e-6]
    if before:
        start, end = max(before, key=lambda span: span[1])
        return max(start, end - BUILD_LEAD_S), ""
    if builds:
        start, end = builds[0]
        return max(start, end - BUILD_LEAD_S), ""
    return max(0.0, drop - BUILD_LEAD_S), "no build found: just before the drop"
