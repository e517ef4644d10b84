"""Generated songs with a known structure: the ground truth for section, build, drop
and breakdown detection (pure numpy, deterministic from a seed, no files).

A song is a list of parts, each a number of 4/4 bars of one kind:

- ``intro``: hats and a soft pad;  ``outro``: a light kick, hats and the pad;
- ``verse``: kick on every beat, off-beat hats, a plucked saw bass, the pad;
- ``build``: a noise riser whose low-pass opens and whose level rises, a snare roll
  speeding up from quarter notes to 16ths, the kick thinning out and then gone;
- ``drop``: full kick, snare on 2 and 4, 16th hats, a loud sub bass and detuned saw
  chords, side-chained to the kick;
- ``breakdown``: a quiet pad only;  ``silence``: nothing.

The truth: sections are the parts (same-kind neighbours merged), builds and
breakdowns their parts' spans, and a drop is the first downbeat of a ``drop``
part that follows a build or a breakdown.

Harmony loops Am - F - C - G, one chord per bar. Filters are moving averages
(cumulative sums), so a 3-minute song renders in a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

BEATS_PER_BAR = 4
KINDS = ("intro", "verse", "build", "drop", "breakdown", "outro", "silence")
Part = tuple[str, int]
"""(kind, bars)."""

CHORDS = ((57, 60, 64), (53, 57, 60), (55, 60, 64), (55, 59, 62))  # Am F C G (MIDI)
BASS_ROOTS = (33, 29, 36, 31)  # A1 F1 C2 G1
LAYERS: dict[str, dict[str, float]] = {
    "intro": {"hat": 0.35, "pad": 0.5},
    "verse": {"hat": 0.5, "bass": 0.6, "pad": 0.3},
    "build": {"hat": 0.4, "pad": 0.3},
    "drop": {"hat": 0.7, "sub": 1.0, "chords": 0.45},
    "breakdown": {"pad": 0.45},
    "outro": {"hat": 0.35, "pad": 0.4},
    "silence": {},
}
"""Kind -> continuous layers and their gains (drums and the riser are placed separately)."""
KICK_GAIN = {"verse": 0.8, "drop": 1.0, "outro": 0.5, "build": 0.6}
HAT_STEPS = {"intro": 2, "verse": 2, "build": 2, "drop": 4, "outro": 2}
"""Kind -> hats per beat (2: off-beat 8ths, 4: every 16th)."""


@dataclass(frozen=True)
class StructuredSong:
    """A generated song and its truth. Times in seconds; intervals are (start, end)."""

    samples: np.ndarray  # (n,) float32 mono
    sample_rate: int  # Hz
    bpm: float
    beats_per_bar: int = BEATS_PER_BAR
    sections: list[tuple[float, float]] = field(default_factory=list)
    builds: list[tuple[float, float]] = field(default_factory=list)
    drops: list[float] = field(default_factory=list)
    breakdowns: list[tuple[float, float]] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def bar_s(self) -> float:
        return self.beats_per_bar * 60.0 / self.bpm


@dataclass(frozen=True)
class SongSpec:
    """A named song's recipe: render it with `render()` (nothing is generated at import)."""

    parts: tuple[Part, ...]
    bpm: float
    seed: int = 0

    def render(self, sample_rate: int = 22050) -> StructuredSong:
        return make_song(list(self.parts), self.bpm, self.seed, sample_rate)


EDM_PARTS: tuple[Part, ...] = (("intro", 8), ("verse", 8), ("build", 8), ("drop", 16),
                               ("breakdown", 8), ("build", 8), ("drop", 16), ("outro", 8))
EDM_TEMPI = (100.0, 128.0, 140.0, 174.0)
EDM_SONG = SongSpec(EDM_PARTS, 128.0, seed=1)
BUILD_DROP_ON_BAR_9 = SongSpec((("verse", 4), ("build", 4), ("drop", 8)), 128.0, seed=2)
"""Bars 1-4 verse, 5-8 build, the drop on the downbeat of bar 9 (1-based)."""
BREAKDOWN_SONG = SongSpec((("verse", 8), ("breakdown", 8), ("drop", 8), ("outro", 4)), 124.0, seed=3)
STEADY_LOOP = SongSpec((("verse", 160),), 128.0, seed=4)
"""160 bars at 128 BPM: 5 minutes of one loop, no structure."""
SILENCE = SongSpec((("silence", 8),), 120.0, seed=5)
ONE_BAR = SongSpec((("verse", 1),), 120.0, seed=6)
SONGS: dict[str, SongSpec] = {
    **{f"edm_{int(bpm)}": SongSpec(EDM_PARTS, bpm, seed=10 + i) for i, bpm in enumerate(EDM_TEMPI)},
    "build_drop_on_bar_9": BUILD_DROP_ON_BAR_9,
    "breakdown": BREAKDOWN_SONG,
    "steady_loop": STEADY_LOOP,
    "silence": SILENCE,
    "one_bar": ONE_BAR,
}
"""Every named song, for tests and `bench/structure.py`."""


def make_song(parts: list[Part], bpm: float, seed: int, sample_rate: int = 22050) -> StructuredSong:
    """Render `parts` at `bpm` (4/4): samples of length bars * 4 * 60 / bpm seconds."""
    for kind, bars in parts:
        if kind not in KINDS or bars < 1:
            raise ValueError(f"bad part {(kind, bars)!r}: kinds are {KINDS}, bars >= 1")
    rng = np.random.default_rng(seed)
    bar_s = BEATS_PER_BAR * 60.0 / bpm
    starts = np.concatenate([[0], np.cumsum([bars for _, bars in parts])])
    n = int(round(starts[-1] * bar_s * sample_rate))
    synth = _Synth(n, sample_rate, bpm, rng)
    for (kind, bars), first in zip(parts, starts[:-1]):
        synth.add_part(kind, int(first), bars)
    return StructuredSong(synth.mix(), sample_rate, float(bpm), BEATS_PER_BAR,
                          *_truth(parts, bar_s))


def _truth(parts: list[Part], bar_s: float) -> tuple[list, list, list, list]:
    """(sections, builds, drops, breakdowns) of `parts`: same-kind neighbours merge."""
    sections: list[list] = []
    builds, drops, breakdowns = [], [], []
    bar, previous = 0, None
    for kind, bars in parts:
        start, end = bar * bar_s, (bar + bars) * bar_s
        if kind == previous:
            sections[-1][1] = end
        else:
            sections.append([start, end])
            if kind == "drop" and previous in ("build", "breakdown"):
                drops.append(start)
        if kind in ("build", "breakdown"):
            target = builds if kind == "build" else breakdowns
            if kind == previous:
                target[-1] = (target[-1][0], end)
            else:
                target.append((start, end))
        bar, previous = bar + bars, kind
    return [tuple(s) for s in sections], builds, drops, breakdowns


def midi_hz(note) -> np.ndarray:
    """Hz of MIDI note numbers (A4 = 69 = 440 Hz), any shape."""
    return 440.0 * 2.0 ** ((np.asarray(note, np.float64) - 69.0) / 12.0)


def smooth(x: np.ndarray, width: np.ndarray | int) -> np.ndarray:
    """Centred moving average of (n,) `x` over 2 * `width` + 1 samples (a per-sample
    width array gives a time-varying low-pass)."""
    n = len(x)
    total = np.concatenate([[0.0], np.cumsum(x, dtype=np.float64)])
    i = np.arange(n)
    lo, hi = np.maximum(i - width, 0), np.minimum(i + width + 1, n)
    return (total[hi] - total[lo]) / (hi - lo)


class _Synth:
    """Accumulates one song: one-shots placed at once, continuous layers as segments
    (a 4-bar loop of each layer, tiled, faded in and out over `FADE_S`)."""

    FADE_S = 0.005

    def __init__(self, n: int, rate: int, bpm: float, rng: np.random.Generator):
        self.n, self.rate, self.rng = n, rate, rng
        self.beat_s = 60.0 / bpm
        self.bar_s = BEATS_PER_BAR * self.beat_s
        self.out = np.zeros(n, np.float64)
        self.segments: list[tuple[str, slice, float]] = []
        self.shots = _one_shots(rate, rng)

    def span(self, first_bar: float, bars: float) -> slice:
        return slice(int(round(first_bar * self.bar_s * self.rate)),
                     min(int(round((first_bar + bars) * self.bar_s * self.rate)), self.n))

    def add_part(self, kind: str, first: int, bars: int) -> None:
        where = self.span(first, bars)
        self.segments += [(layer, where, gain) for layer, gain in LAYERS[kind].items() if layer != "hat"]
        if kind in HAT_STEPS:
            steps = HAT_STEPS[kind]
            times = self._grid(first, bars, steps)
            accent = np.where(np.arange(len(times)) % steps == steps // 2, 1.0, 0.55)
            self.place("hat", times, LAYERS[kind]["hat"] * accent)
        if kind in KICK_GAIN:
            kicks = self._grid(first, bars if kind != "build" else (bars + 1) // 2, 1)
            if kind == "build":  # then downbeats only for a quarter of the bars, then none
                kicks = np.concatenate([kicks, self._grid(first + (bars + 1) // 2, bars // 4, 1 / 4)])
            self.place("kick", kicks, KICK_GAIN[kind])
        if kind == "drop":
            self.place("snare", self._grid(first, bars, 1)[1::2], 0.6)
        if kind == "build":
            self._build(first, bars, where)

    def _build(self, first: int, bars: int, where: slice) -> None:
        """Snare roll 1 -> 2 -> 4 hits per beat with rising velocity; a noise riser
        whose low-pass opens (moving average 81 -> 3 samples) as its level rises."""
        for bar in range(bars):
            per_beat = (1, 2, 4)[min(3 * bar // bars, 2)]
            times = self._grid(first + bar, 1, per_beat)
            self.place("snare", times, 0.15 + 0.45 * (bar + (times - times[0]) / self.bar_s) / bars)
        ramp = np.linspace(0.0, 1.0, where.stop - where.start)
        width = np.round(1 + 39 * (1 - ramp) ** 2).astype(np.int64)
        noise = smooth(self.rng.standard_normal(len(ramp)), width) * np.sqrt(2 * width + 1)
        self.out[where] += _faded((0.02 + 0.5 * ramp ** 2) * noise, self._fade_len())

    def _grid(self, first: float, bars: float, per_beat: float) -> np.ndarray:
        """Times (s) of `per_beat` evenly spaced hits per beat over the bars."""
        count = int(round(bars * BEATS_PER_BAR * per_beat))
        return first * self.bar_s + np.arange(count) * self.beat_s / per_beat

    def place(self, name: str, times: np.ndarray, gains: np.ndarray | float) -> None:
        """Add one-shot `name` (takes in turn) at each time (s) with each gain."""
        shots, gains = self.shots[name], np.broadcast_to(gains, np.shape(times))
        for k, (time, gain) in enumerate(zip(times, gains)):
            shot = shots[k % len(shots)]
            i = int(round(time * self.rate))
            stop = min(i + len(shot), self.n)
            self.out[i:stop] += gain * shot[:stop - i]

    def _fade_len(self) -> int:
        return max(1, int(self.FADE_S * self.rate))

    def mix(self) -> np.ndarray:
        """The song: one-shots plus every continuous segment, peak <= 0.9 (float32)."""
        half = self._fade_len() // 2
        layers: dict[str, np.ndarray] = {}
        for layer, where, gain in self.segments:
            if layer not in layers:
                layers[layer] = np.resize(_loop(layer, self.bar_s, self.rate), self.n)
            start, stop = max(where.start - half, 0), min(where.stop + half, self.n)
            self.out[start:stop] += _faded(gain * layers[layer][start:stop], 2 * half)
        peak = np.abs(self.out).max(initial=0.0)
        scale = 0.9 / peak if peak > 0.9 else 1.0
        return (self.out * scale).astype(np.float32)


def _faded(wave: np.ndarray, fade: int) -> np.ndarray:
    """`wave` (modified in place) with linear ramps of `fade` samples at both ends."""
    fade = min(max(fade, 1), len(wave) // 2)
    ramp = (np.arange(fade) + 0.5) / fade
    wave[:fade] *= ramp
    wave[len(wave) - fade:] *= ramp[::-1]
    return wave


def _loop(layer: str, bar_s: float, rate: int) -> np.ndarray:
    """One 4-bar loop (Am F C G) of a continuous layer, faded at its ends (float64)."""
    m = int(round(len(CHORDS) * bar_s * rate))
    t = np.arange(m) / rate
    chord = np.minimum(t // bar_s, len(CHORDS) - 1).astype(np.int64)
    beat_s = bar_s / BEATS_PER_BAR
    pump = 1.0 - 0.6 * np.exp(-(t % beat_s) / 0.08)  # side-chained to the kick
    roots = midi_hz(BASS_ROOTS)[chord]
    if layer == "pad":
        phase = 2 * np.pi * np.cumsum(midi_hz(CHORDS)[chord], axis=0) / rate
        wave = np.sin(phase).sum(axis=1) / 3 * (0.85 + 0.15 * np.sin(2 * np.pi * t / bar_s))
    elif layer == "bass":
        pluck = np.exp(-(t % (beat_s / 2)) / (0.18 * beat_s))
        wave = pluck * smooth(_saw(2 * roots, rate, 0.0), 6)
    elif layer == "sub":
        wave = pump * np.sin(2 * np.pi * np.cumsum(roots) / rate)
    else:  # chords: two saws per note detuned by +-8 cents, low-passed
        wave = sum(_saw(midi_hz(np.asarray(CHORDS)[:, v] + cents / 100)[chord], rate, offset)
                   for v in range(3) for cents, offset in ((-8, 0.0), (8, 0.37)))
        wave = pump * smooth(smooth(wave, 3), 3) / 4
    return _faded(wave, int(0.002 * rate))


def _saw(freq: np.ndarray, rate: int, offset: float) -> np.ndarray:
    """A naive saw (-1..1) following a per-sample frequency (Hz), phase offset in cycles."""
    phase = np.cumsum(freq) / rate + offset
    return 2.0 * (phase % 1.0) - 1.0


def _one_shots(rate: int, rng: np.random.Generator) -> dict[str, list[np.ndarray]]:
    """Drum sounds (float64): a pitch-swept kick, noisy snares and hats (4 takes each)."""
    def t(seconds: float) -> np.ndarray:
        return np.arange(int(seconds * rate)) / rate

    tk = t(0.35)
    kick_freq = 45.0 + 105.0 * np.exp(-tk / 0.03)
    kick = np.sin(2 * np.pi * np.cumsum(kick_freq) / rate) * np.exp(-tk / 0.12)
    kick[:int(0.003 * rate)] += 0.3 * rng.standard_normal(int(0.003 * rate))
    ts, th = t(0.2), t(0.06)
    snares, hats = [], []
    for _ in range(4):
        noise = rng.standard_normal(len(ts))
        body = 0.5 * np.sin(2 * np.pi * 190.0 * ts) * np.exp(-ts / 0.05)
        snares.append(0.5 * (noise - smooth(noise, 2)) * np.exp(-ts / 0.07) + body)
        hiss = np.diff(rng.standard_normal(len(th) + 1))
        hats.append(0.35 * hiss * np.exp(-th / 0.015))
    return {"kick": [kick], "snare": snares, "hat": hats}
