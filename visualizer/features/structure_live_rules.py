"""The causal rules behind `LiveStructure`: per-beat summaries, and the drop,
section, build and breakdown detectors that read them (pure numpy).

Everything here sees only the past. Beats ("segments") are summarised when they
end; bars are `beats_per_bar` segments. History is kept in bounded deques, so
hours of running cost constant memory.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from visualizer.features.structure_events import (
    BREAKDOWN_FRACTION, BREAKDOWN_MIN_BARS, DROP_BASS_RATIO, DROP_HIGH_FRACTION,
    SILENT_FRACTION,
)
from visualizer.features.structure_frames import FLUX_FLOOR, POWER_FLOOR, STRUCTURE_BANDS
from visualizer.features.structure_novelty import STD_FLOOR_DB

DROP_WINDOW_S = 0.15
"""The drop's bass is its mean over this window after the hit (s)."""
DROP_BREAK_FRACTION = 0.3
"""Before a drop, the beats' bass peaks stay below this share of the song's high:
the drop resolves a break or a build, not the first entry of the bass."""
DROP_REFERENCE_PERCENTILE = 75.0
"""The bars before a drop are summed up by this percentile of their beats' bass
peaks: a lone hit (a kick left in a build) does not count, a bar of them does."""
HISTORY_BEATS = 1024
"""Beats kept for running levels (about 8 minutes at 128 BPM)."""
HISTORY_BARS = 256
LIVE_BREAKDOWN_LEVEL = 0.7
"""A breakdown bar's level (amplitude) is below this share of the running high (-3 dB)."""
REFERENCE_BARS = 4
"""Section novelty: the last `CURRENT_BEATS` beats against this many bars before them."""
CURRENT_BEATS = 2
MIN_REFERENCE_BARS = 2
"""Bars of reference novelty needs at least (early in the song)."""
NOVELTY_THRESHOLD = 1.0
"""RMS z-distance (running z-scores) between the current beats and the reference
that makes a new section."""
NOVELTY_SPREAD = 2.5
"""... and that many times the reference's own spread (a build changes all along)."""
Z_MEMORY_BEATS = 256
"""Beats over which the running means and spreads of the features settle."""
FEATURE_FLOOR_DB = -80.0
"""Band levels are clipped here (dB), so silence has a finite timbre."""
HIGH_BAND = 10
"""The top STRUCTURE_BANDS - HIGH_BAND bands (about 2.5 kHz up) are the highs a riser fills."""
BUILD_WEIGHTS = np.array([0.5, 1.0 / 3.0, 1.0 / 3.0, 0.5])
"""A beat's intensity: these weights on its level (dB of mean power), median
brightness (semitones of the frames' centroids), median high-band level (dB) and
flux (dB of mean flux). Medians over frames ignore lone hats and kicks, so a steady
loop's beats differ by ~2 units; a riser or filter sweep adds 10-40 over a build."""
BUILD_RISE = 7.0
"""A build is flagged when the intensity is this much over the lowest of the
`BUILD_FLOOR_BEATS` beats before, after `BUILD_RISING_BEATS` beats that each rise
`BUILD_BEAT_RISE` over the one before, or, in a breakdown, after a step (a beat
this much over the one before: a riser entering) that the next beat holds (falls
less than `BUILD_COLLAPSE`). Out of a break, a step that holds is a new section."""
BUILD_FLOOR_BEATS = 8
BUILD_RISING_BEATS = 2
BUILD_BEAT_RISE = 0.5
BUILD_PEAK_STEP = 0.5
"""A build goes on while the intensity makes new highs (by this much) ..."""
BUILD_STALL_BEATS = 6
"""... at least once every this many beats, ..."""
BUILD_COLLAPSE = 4.0
"""... and does not fall this far below its high for two beats running (one such
beat, a pre-drop gap, is held)."""
BUILD_FULL_RISE = 30.0
"""Intensity rise over the build's floor at which `build` reaches 1."""


@dataclass
class BeatSummary:
    """One beat's measurements (means over its curve frames)."""

    power: float
    bass: float
    bass_peak: float
    """Largest `DROP_WINDOW_S` mean of the bass in the beat."""
    features: np.ndarray
    """(STRUCTURE_BANDS + 2,) band dB, bass dB and flux dB: the timbre for novelty."""
    intensity: float = 0.0
    """The build rule's composite (`BUILD_WEIGHTS` units): level, median brightness,
    median high-band level and flux."""


class BeatAccumulator:
    """Sums curve frames until the beat ends."""

    def __init__(self, start: float = 0.0):
        self.start = start
        self.count = 0
        self.power = self.bass = self.flux = 0.0
        self.bass_peak = 0.0
        self.bands_db = np.zeros(STRUCTURE_BANDS)
        self.pitches: list[float] = []
        self.highs: list[float] = []

    def add(self, power: float, bass: float, bands_db: np.ndarray, flux: float, centroid: float,
            short_bass: float) -> None:
        self.count += 1
        self.power += power
        self.bass += bass
        self.flux += flux
        self.bands_db += bands_db
        self.bass_peak = max(self.bass_peak, short_bass)
        self.pitches.append(12.0 * np.log2(centroid + 1.0))
        self.highs.append(float(bands_db[HIGH_BAND:].mean()))

    def summary(self) -> BeatSummary:
        n = max(self.count, 1)
        power, bass, flux = self.power / n, self.bass / n, self.flux / n
        level, flux_db = 10.0 * np.log10(power + POWER_FLOOR), 10.0 * np.log10(flux + FLUX_FLOOR)
        features = np.r_[self.bands_db / n, 10.0 * np.log10(bass + POWER_FLOOR), flux_db]
        medians = (float(np.median(self.pitches)), float(np.median(self.highs))) if self.count else (0.0, 0.0)
        intensity = float(np.dot(BUILD_WEIGHTS, (level, *medians, flux_db)))
        return BeatSummary(power, bass, self.bass_peak, features, intensity)


def frame_bands_db(band_power: np.ndarray) -> np.ndarray:
    """(bands,) dB of one frame's band powers, clipped at `FEATURE_FLOOR_DB`."""
    return np.maximum(10.0 * np.log10(band_power + POWER_FLOOR), FEATURE_FLOOR_DB)


class DropRule:
    """A drop: the bass over `DROP_WINDOW_S` jumps `DROP_BASS_RATIO` over the beat
    peaks of the two bars before (their `DROP_REFERENCE_PERCENTILE`), reaches
    `DROP_HIGH_FRACTION` of the song's high (90th percentile of beat peaks so far), the bars before were a break (below
    `DROP_BREAK_FRACTION` of that high) and not silent."""

    def __init__(self) -> None:
        self.peaks: deque[float] = deque(maxlen=HISTORY_BEATS)
        self.powers: deque[float] = deque(maxlen=HISTORY_BEATS)
        self._reference = self._high = self._before_power = self._high_power = 0.0
        self._ready = False

    def add_beat(self, beat: BeatSummary, beats_per_bar: int) -> None:
        """Update the references once a beat ends."""
        self.peaks.append(beat.bass_peak)
        self.powers.append(beat.power)
        recent = 2 * beats_per_bar
        self._ready = len(self.peaks) >= recent
        if not self._ready:
            return
        last = list(self.peaks)[-recent:]
        self._reference = float(np.percentile(last, DROP_REFERENCE_PERCENTILE))
        self._before_power = float(np.mean(list(self.powers)[-recent:]))
        self._high = float(np.percentile(self.peaks, 90))
        self._high_power = float(np.percentile(self.powers, 90))

    def fires(self, short_bass: float) -> bool:
        """Whether the bass of the last `DROP_WINDOW_S` makes a drop now."""
        if not self._ready or self._high <= POWER_FLOOR:
            return False
        return (short_bass >= DROP_BASS_RATIO * max(self._reference, 1e-6 * self._high)
                and short_bass >= DROP_HIGH_FRACTION * self._high
                and self._reference < DROP_BREAK_FRACTION * self._high
                and self._before_power > SILENT_FRACTION ** 2 * self._high_power)


class NoveltyRule:
    """Section novelty per beat: the mean running z-score of the last `CURRENT_BEATS`
    beats against that of the `REFERENCE_BARS` bars before them (RMS distance per
    feature), over `NOVELTY_THRESHOLD` and `NOVELTY_SPREAD` times the reference's spread."""

    def __init__(self) -> None:
        dims = STRUCTURE_BANDS + 2
        self.mean, self.var = np.zeros(dims), np.full(dims, STD_FLOOR_DB ** 2)
        self.seen = 0
        self.recent: deque[np.ndarray] = deque(maxlen=CURRENT_BEATS + 8 * REFERENCE_BARS)

    def add_beat(self, beat: BeatSummary, beats_per_bar: int) -> float:
        """Take one beat's features; its novelty (0 until there is enough history)."""
        x = beat.features
        self.seen += 1
        rate = 1.0 / min(self.seen, Z_MEMORY_BEATS)
        delta = x - self.mean
        self.mean += rate * delta
        self.var += rate * (delta * (x - self.mean) - self.var)
        self.recent.append(x)
        reference_beats = min(REFERENCE_BARS * beats_per_bar, len(self.recent) - CURRENT_BEATS)
        if reference_beats < MIN_REFERENCE_BARS * beats_per_bar:
            return 0.0
        spread = np.sqrt(np.maximum(self.var, STD_FLOOR_DB ** 2))
        z = (np.array(self.recent)[-(CURRENT_BEATS + reference_beats):] - self.mean) / spread
        current, reference = z[-CURRENT_BEATS:].mean(axis=0), z[:-CURRENT_BEATS]
        centre = reference.mean(axis=0)
        pairs = 0.5 * (reference[1:] + reference[:-1])  # the reference's own 2-beat means
        own = float(np.sqrt(np.mean((pairs - centre) ** 2)))
        distance = float(np.sqrt(np.mean((current - centre) ** 2)))
        return distance / max(NOVELTY_THRESHOLD, NOVELTY_SPREAD * own)


@dataclass
class BarSummary:
    amplitude: float
    """Root of the bar's mean power."""
    bass_amplitude: float


def bar_summary(beats: list[BeatSummary]) -> BarSummary:
    """One bar from its beats."""
    power = float(np.mean([b.power for b in beats]))
    bass = float(np.mean([b.bass for b in beats]))
    return BarSummary(np.sqrt(power), np.sqrt(bass))


class BuildRule:
    """A build-up from beat intensities: flagged after `BUILD_RISING_BEATS` rising beats
    that lift the intensity `BUILD_RISE` over its recent floor, on while it keeps
    making new highs; none within `BUILD_FLOOR_BEATS` beats of the start or a drop."""

    def __init__(self) -> None:
        self.recent: deque[float] = deque(maxlen=BUILD_FLOOR_BEATS + 1)
        self.rising = 0
        self.stepped = False
        """The last beat jumped `BUILD_RISE` over the one before, in a breakdown."""
        self.active = False
        self.held = False
        self.base = self.peak = 0.0
        self.since_peak = 0

    def reset(self) -> None:
        """A drop: the build (if any) ends, and the floor starts again."""
        self.recent.clear()
        self.rising, self.active, self.held, self.stepped = 0, False, False, False

    def add_beat(self, intensity: float, in_break: bool = False) -> str | None:
        """Take one beat's intensity (`in_break`: a breakdown is flagged); "start" when
        a build is flagged, "end" when it stalls or collapses, else None."""
        previous = self.recent[-1] if self.recent else None
        self.recent.append(intensity)
        rose = previous is not None and intensity - previous >= BUILD_BEAT_RISE
        held_step = self.stepped and previous is not None and intensity >= previous - BUILD_COLLAPSE
        self.stepped = in_break and previous is not None and intensity - previous >= BUILD_RISE
        self.rising = self.rising + 1 if rose else 0
        if not self.active:
            if len(self.recent) == self.recent.maxlen and (self.rising >= BUILD_RISING_BEATS or held_step):
                floor = min(list(self.recent)[:-1])
                if intensity - floor >= BUILD_RISE:
                    self.active, self.held = True, False
                    self.base, self.peak, self.since_peak = floor, intensity, 0
                    return "start"
            return None
        return self._follow(intensity)

    def _follow(self, intensity: float) -> str | None:
        self.since_peak += 1
        if intensity > self.peak + BUILD_PEAK_STEP:
            self.peak, self.since_peak = intensity, 0
        collapsed = intensity < self.peak - BUILD_COLLAPSE
        if collapsed and not self.held:
            self.held = True
            return None
        self.held = False
        if collapsed or self.since_peak > BUILD_STALL_BEATS:
            self.active, self.rising = False, 0
            return "end"
        return None

    def progress(self) -> float:
        """How far the intensity has risen over the build's floor, 0..1 of `BUILD_FULL_RISE`."""
        return min(1.0, max(0.0, (self.peak - self.base) / BUILD_FULL_RISE)) if self.active else 0.0


class BreakdownRule:
    """A bar is low when its bass is below `BREAKDOWN_FRACTION` and its level below
    `LIVE_BREAKDOWN_LEVEL` of their 80th percentile over the bars so far (the song's
    loudest part may be still to come), and it is not silent."""

    def __init__(self) -> None:
        self.levels: deque[float] = deque(maxlen=HISTORY_BARS)
        self.basses: deque[float] = deque(maxlen=HISTORY_BARS)

    def is_low(self, bar: BarSummary) -> bool:
        self.levels.append(bar.amplitude)
        self.basses.append(bar.bass_amplitude)
        if len(self.levels) < BREAKDOWN_MIN_BARS + 1:
            return False
        level_high, bass_high = np.percentile(self.levels, 80), np.percentile(self.basses, 80)
        return bool(bar.amplitude < LIVE_BREAKDOWN_LEVEL * level_high
                    and bar.bass_amplitude < BREAKDOWN_FRACTION * bass_high
                    and bar.amplitude > SILENT_FRACTION * level_high)
