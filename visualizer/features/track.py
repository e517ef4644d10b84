"""Whole-track analysis: the offline rhythm pre-pass and what `visualizer analyze` reports.

Pure numpy over any `SampleSource` (an `audio.decode.AudioFile` is one); no GL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from visualizer.audio.samples import mix_to_mono
from visualizer.features.beat_grid import GridConfig
from visualizer.features.cache import cached_rhythm
from visualizer.features.rhythm import LiveRhythm, TrackRhythm, analyse_track_rhythm
from visualizer.features.structure import SongStructure

Mode = Literal["offline", "live"]
BLOCK = 65536
LIVE_BLOCK = 256
"""Samples per block in live mode: what an audio callback delivers."""
LIVE_FRAME_RATE = 60.0
"""Video frames per second at which live mode reads the analyzer (the structure
detector runs once per video frame, as in a show)."""


class SampleSource(Protocol):
    """Decoded audio read in blocks: what the whole-track passes consume."""

    @property
    def sample_rate(self) -> int: ...

    @property
    def duration(self) -> float: ...

    def blocks(self, start: int = 0, stop: int | None = None, size: int = 65536) -> Iterator[np.ndarray]:
        """(n, channels) float32 blocks from sample `start`."""


@runtime_checkable
class FileSource(SampleSource, Protocol):
    """A source that can name its bytes (`audio.decode.AudioFile`): its analysis is cached."""

    def digest(self) -> str:
        """SHA-256 (hex) of the file's bytes."""


def mono_blocks(audio: SampleSource, size: int = BLOCK) -> Iterator[np.ndarray]:
    """The whole file as mono float32 blocks."""
    for block in audio.blocks(0, size=size):
        yield mix_to_mono(block)


def track_rhythm(audio: SampleSource, config: GridConfig | None = None) -> TrackRhythm:
    """The offline pre-pass: beat grid, exact onsets and onset strength (streamed,
    one onset detection); `config` sets the grid's meter and tuning. A `FileSource`'s
    is computed once per file content and then read from the cache (`features.cache`)."""
    def analyse() -> TrackRhythm:
        return analyse_track_rhythm(mono_blocks(audio), audio.sample_rate, config)

    if isinstance(audio, FileSource):
        return cached_rhythm(audio.digest(), config, analyse)
    return analyse()


@dataclass(frozen=True)
class TrackAnalysis:
    """What `analyze` reports: times in seconds, ascending; `strength` is the
    onset-strength envelope sampled at `strength_rate` Hz. Live, every event time
    (onsets, beats, the structure's) is when the causal analyzer reported it."""

    path: Path
    mode: Mode
    duration: float
    sample_rate: int
    tempo_bpm: float
    beats: np.ndarray
    onsets: np.ndarray
    strength: np.ndarray
    strength_rate: float
    structure: SongStructure
    """Sections (covering [0, duration]), builds, drops and breakdowns."""

    def as_json(self) -> dict:
        return {
            "file": str(self.path),
            "mode": self.mode,
            "duration_s": round(self.duration, 6),
            "sample_rate": self.sample_rate,
            "tempo_bpm": round(float(self.tempo_bpm), 3),
            "beats": [round(float(t), 4) for t in self.beats],
            "onsets": [round(float(t), 4) for t in self.onsets],
            "sections": _intervals(self.structure.sections),
            "builds": _intervals(self.structure.builds),
            "drops": [round(float(t), 4) for t in self.structure.drops],
            "breakdowns": _intervals(self.structure.breakdowns),
        }


def _intervals(spans: list[tuple[float, float]]) -> list[dict[str, float]]:
    return [{"start": round(float(start), 4), "end": round(float(end), 4)} for start, end in spans]


def analyse_track(audio: SampleSource, path: Path, mode: Mode = "offline") -> TrackAnalysis:
    """Analyse a whole track: `offline` with look-ahead (exact beat grid), or
    `live` as the causal analyzer would report events during a show."""
    if mode == "offline":
        rhythm = track_rhythm(audio)
        beats, onsets = rhythm.grid.beats, [e.time for e in rhythm.events if e.band == "all"]
        tempo, strength, hop = rhythm.grid.tempo_bpm, rhythm.strength, rhythm.hop
        song = rhythm.structure or one_section(audio.duration)
    else:
        live, strength = run_live(audio)
        beats = np.array(live.beats)
        onsets = [e.detected_at for e in live.onsets if e.band == "all"]
        tempo = live.tracker.state(audio.duration).tempo_bpm if len(beats) else 0.0
        hop, song = LIVE_BLOCK / audio.sample_rate, live.structure.events()
    return TrackAnalysis(path, mode, audio.duration, audio.sample_rate, float(tempo),
                         np.asarray(beats, np.float64), np.asarray(onsets, np.float64),
                         np.asarray(strength, np.float32), 1.0 / hop, until(song, audio.duration))


def run_live(audio: SampleSource) -> tuple[LiveRhythm, np.ndarray]:
    """Feed the whole track to a `LiveRhythm` in `LIVE_BLOCK`s, reading its state at
    every video frame (`LIVE_FRAME_RATE`) heard so far; returns it and the onset
    strength after each block, (blocks,) float32."""
    live = LiveRhythm(audio.sample_rate, keep_events=True)
    strengths, fed, frame = [], 0, 0
    for block in mono_blocks(audio, LIVE_BLOCK):
        live.process(block)
        strengths.append(live.detector.strength)
        fed += len(block)
        while frame / LIVE_FRAME_RATE <= fed / audio.sample_rate:
            live.at(frame / LIVE_FRAME_RATE)
            frame += 1
    live.at(fed / audio.sample_rate)  # the last samples, after the last frame
    return live, np.array(strengths, np.float32)


def one_section(duration: float) -> SongStructure:
    """No structure known: one section over [0, duration] s, no events."""
    empty = np.zeros(0, np.float32)
    return SongStructure(duration, [(0.0, duration)], [], [], [], 1.0, empty)


def until(song: SongStructure, duration: float) -> SongStructure:
    """`song` with its sections covering exactly [0, duration] s (live ones end at
    the last frame read), and intervals still open at the end closed there."""
    starts = [start for start, _ in song.sections if start < duration] or [0.0]
    sections = list(zip([0.0, *starts[1:]], [*starts[1:], duration]))

    def clipped(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(start, min(end, duration)) for start, end in spans if start < duration]

    return replace(song, duration=duration, sections=sections, builds=clipped(song.builds),
                   drops=[t for t in song.drops if t <= duration], breakdowns=clipped(song.breakdowns))
