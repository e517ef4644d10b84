"""Onset pulses and beat state per video frame, live or from a whole-track grid.

`LiveRhythm` is what a live show sees: causal onsets (reported when detected,
their delay included) and a predictive beat tracker. `GridRhythm` is the
offline answer: exact onset times and a whole-track beat grid. Both give the
same rhythm fields of `FrameFeatures` at any time, the meter (`beats_per_bar`)
among them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from visualizer.features.beat import BeatConfig, BeatTracker
from visualizer.features.beat_grid import BeatGrid, GridConfig, grid_from_onsets
from visualizer.features.frame import DEFAULT_BEATS_PER_BAR
from visualizer.features.onset import STRENGTH_COLUMNS, OnsetDetector, OnsetEvent, detect_onsets
from visualizer.features.smoothing import pulse
from visualizer.features.structure import SongStructure, structure_from_curves
from visualizer.features.structure_fields import no_structure_fields, offline_fields
from visualizer.features.structure_frames import CurveTap, curves_from_rows, timbre_change
from visualizer.features.structure_live import LiveStructure

ONSET_DECAY = 0.15
"""Seconds for an onset pulse to fall to 1/e."""
BEAT_DECAY = 0.12
"""Seconds for the beat pulse to fall to 1/e."""
BANDS = ("all", "bass", "mid", "high")
_PULSE_FIELDS = {"all": "onset", "bass": "bass_hit", "mid": "mid_hit", "high": "high_hit"}


class OnsetPulses:
    """Onsets per band in time order; gives each band's pulse at a time.

    With `limit`, only the most recent onsets are kept (a live show runs for hours).
    """

    def __init__(self, limit: int | None = 4096):
        self.limit = limit
        self._times: dict[str, list[float]] = {b: [] for b in BANDS}
        self._strengths: dict[str, list[float]] = {b: [] for b in BANDS}

    def add(self, band: str, time: float, strength: float) -> None:
        times, strengths = self._times[band], self._strengths[band]
        times.append(time)
        strengths.append(min(1.0, max(0.5, strength)))
        if self.limit is not None and len(times) > self.limit:
            del times[: self.limit // 2], strengths[: self.limit // 2]

    def at(self, time: float) -> dict[str, float]:
        values = {}
        for band, times in self._times.items():
            index = bisect.bisect_right(times, time) - 1
            strength = self._strengths[band][index] if index >= 0 else 0.0
            values[_PULSE_FIELDS[band]] = pulse(time - times[index], ONSET_DECAY, strength) if index >= 0 else 0.0
        return values


class LiveRhythm:
    """Causal onsets and beats; fed mono blocks in stream order.

    `onsets` and `beats` keep every event's reporting time for `analyze`;
    bars are `beats_per_bar` beats long. `structure` follows the song's shape
    from the same detector's spectra. Both hear a block's audio frame by frame
    as `at` is asked for later times, so features never depend on the block
    size (call `at` regularly: unheard strengths wait in memory).
    """

    def __init__(self, sample_rate: float, keep_events: bool = False,
                 beats_per_bar: int = DEFAULT_BEATS_PER_BAR):
        self.detector = OnsetDetector(sample_rate)
        self.tracker = BeatTracker(self.detector.hop_seconds, latency=self.detector.latency,
                                   config=BeatConfig(beats_per_bar=beats_per_bar))
        self.sample_rate = float(sample_rate)
        self.structure = LiveStructure(self.detector)
        """Sections, builds, drops and breakdowns from this detector's spectra, causally."""
        self._pulses = OnsetPulses()
        self._keep = keep_events
        self.onsets: list[OnsetEvent] = []
        self.beats: list[float] = []
        self._queued = np.zeros((0, len(STRENGTH_COLUMNS)))  # strengths not yet due for the tracker
        self._fed = 0  # detector frames given to the tracker
        self._strength = 0.0  # the "beat" strength of the last of them

    def process(self, mono: np.ndarray) -> None:
        """Analyse the next samples (stream order). The beat tracker hears them as
        `at` reaches their time, so a frame never hears the rest of its block."""
        for event in self.detector.process(mono):
            self._pulses.add(event.band, event.detected_at, event.strength)
            if self._keep:
                self.onsets.append(event)
        self._queued = np.concatenate([self._queued, self.detector.drain_strengths(bands=True)])

    def _hear_until(self, time: float) -> None:
        """Give the tracker the onset strengths of every detector frame complete by
        `time` (frame k is complete at (k + 1) hops)."""
        due = min(len(self._queued), int(time / self.detector.hop_seconds + 1e-9) - self._fed)
        if due <= 0:
            return
        rows, self._queued = self._queued[:due], self._queued[due:]
        self._fed += due
        self._strength = float(rows[-1, 0])
        fired = self.tracker.update(rows, self._fed * self.detector.hop_seconds)
        if self._keep:
            self.beats += fired

    def tap(self, time: float) -> None:
        """A tempo tap at stream time `time` (s): two or more set a manual tempo on the taps."""
        self.tracker.tap(time)

    def set_tempo(self, bpm: float | None) -> None:
        """Fix the tempo (an external clock, a performer); None goes back to the audio's."""
        self.tracker.set_manual_bpm(bpm)

    def beat_now(self, time: float) -> None:
        """An external clock's beat at stream time `time` (s): the phase follows it."""
        self._hear_until(time)
        self.tracker.align(time)

    def at(self, time: float) -> dict[str, float | int]:
        """Rhythm and structure features at stream time `time` (no later than what was
        fed; called with times that never go back: the structure advances with them)."""
        rhythm = self.beat_state(time)
        return {**rhythm, **self.structure.at(time, rhythm)}

    def beat_state(self, time: float) -> dict[str, float | int]:
        """The rhythm features alone (onset pulses, tempo, beat and bar) at `time`."""
        self._hear_until(time)
        state = self.tracker.state(time)
        return {
            **self._pulses.at(time),
            "onset_strength": min(1.0, max(0.0, self._strength)),
            "tempo_bpm": state.tempo_bpm if state.confidence > 0.0 else 0.0,
            "tempo_confidence": state.confidence,
            "beat_phase": state.phase,
            "beat_count": state.beat_count,
            "bar_phase": state.bar_phase,
            "beats_per_bar": self.tracker.config.beats_per_bar,
            "beat_pulse": state.pulse,
        }


@dataclass(frozen=True)
class TrackRhythm:
    """A whole-track pre-pass: the beat grid, every onset (exact times), and the
    onset-strength envelope sampled every `hop` seconds."""

    grid: BeatGrid
    events: tuple[OnsetEvent, ...]
    strength: np.ndarray
    hop: float
    structure: SongStructure | None = None
    """Sections, builds, drops and breakdowns (None: not analysed)."""


class GridRhythm:
    """Offline rhythm from a `TrackRhythm`: exact onsets, beats on the grid, and the
    song structure's fields (`structure_fields`).

    `offset` is the track time (s) of the analyzer's first sample: `at()`
    takes stream times, as `LiveRhythm.at()` does. The meter is the grid's.
    """

    def __init__(self, track: TrackRhythm, offset: float = 0.0):
        self.track = track
        self.offset = offset
        self.beats = np.asarray(track.grid.beats, np.float64)
        self.beats_per_bar = track.grid.beats_per_bar
        self._first_downbeat = _first_downbeat_index(self.beats, track.grid.downbeats)
        self._pulses = OnsetPulses(limit=None)
        for event in sorted(track.events, key=lambda e: e.time):
            self._pulses.add(event.band, event.time, event.strength)

    def process(self, mono: np.ndarray) -> None:
        """Nothing to do: the whole track was analysed beforehand."""

    def at(self, stream_time: float) -> dict[str, float | int]:
        time = stream_time + self.offset
        index = bisect.bisect_right(self.beats, time) - 1  # last beat at or before `time`
        phase, tempo = self._phase_and_tempo(index, time)
        position = index - self._first_downbeat
        return {
            **self._pulses.at(time),
            "onset_strength": self._strength_at(time),
            "tempo_bpm": tempo,
            "tempo_confidence": 1.0 if len(self.beats) > 1 else 0.0,
            "beat_phase": phase,
            "beat_count": index + 1,
            "bar_phase": ((position % self.beats_per_bar) + phase) / self.beats_per_bar if index >= 0 else 0.0,
            "beats_per_bar": self.beats_per_bar,
            "beat_pulse": pulse(time - self.beats[index], BEAT_DECAY) if index >= 0 else 0.0,
            **self._structure_at(time),
        }

    def _structure_at(self, time: float) -> dict[str, float | int]:
        song = self.track.structure
        return offline_fields(song, time) if song is not None else no_structure_fields()

    def _phase_and_tempo(self, index: int, time: float) -> tuple[float, float]:
        if len(self.beats) < 2:
            return 0.0, self.track.grid.tempo_bpm if len(self.beats) else 0.0
        left = min(max(index, 0), len(self.beats) - 2)
        period = self.beats[left + 1] - self.beats[left]
        phase = ((time - self.beats[max(index, 0)]) / period) % 1.0 if index >= 0 else 0.0
        return float(phase), 60.0 / period

    def _strength_at(self, time: float) -> float:
        index = int(time / self.track.hop)
        if not 0 <= index < len(self.track.strength):
            return 0.0
        return float(min(1.0, max(0.0, self.track.strength[index])))


def _first_downbeat_index(beats: np.ndarray, downbeats: np.ndarray) -> int:
    if len(downbeats) == 0 or len(beats) == 0:
        return 0
    return int(np.argmin(np.abs(beats - downbeats[0])))


def analyse_track_rhythm(blocks: Iterable[np.ndarray], sample_rate: float,
                         config: GridConfig | None = None) -> TrackRhythm:
    """The offline pre-pass over mono blocks: one onset detection, whose events and
    strength feed the beat grid and the onset pulses, and whose spectra the
    downbeats (timbre change) and the song structure, on that grid."""
    detector = OnsetDetector(sample_rate)
    tap = CurveTap(detector)
    counted = [0]

    def counting() -> Iterable[np.ndarray]:
        for block in blocks:
            counted[0] += len(block)
            yield block

    onsets = detect_onsets(counting(), sample_rate, detector)
    curves = curves_from_rows(tap.drain(), tap.hop)
    grid = grid_from_onsets(onsets, config, timbre_change(curves))
    song = structure_from_curves(curves, counted[0] / sample_rate, grid.beats, grid.downbeats)
    return TrackRhythm(grid, onsets.events, onsets.beat, onsets.hop, song)
