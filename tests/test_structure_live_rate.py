"""Live structure does not depend on the video frame rate: `LiveStructure` closes each
beat at the tracker's own beat time (`TrackerBeats`), not at the video frame that
sees it, so the drops, section starts, builds and breakdowns flagged at 24, 25, 30
and 60 fps agree within a video frame, on the demo track and the breakdown song."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.audio.decode import AudioFile
from visualizer.audio.demo import demo_track_path
from visualizer.audio.songs import SONGS
from visualizer.features.structure import SongStructure
from visualizer.features.structure_live import live_structure
from visualizer.features.structure_live_clock import TrackerBeats
from visualizer.features.track import mono_blocks

SR = 22050
RATES = (24.0, 25.0, 30.0, 60.0)
TOLERANCE_S = 0.01
"""Beyond one video frame, for the events' times to agree."""
PERIOD_S, FIRST_BEAT_S, END_S = 0.5, 1.0, 12.0
UNCOUNTED = (8, 12)
"""Beats (0-based) the synthetic tracker does not count: a quiet passage."""


@pytest.fixture(scope="module")
def clips() -> dict[str, tuple[np.ndarray, int]]:
    audio = AudioFile(demo_track_path())
    return {"demo": (np.concatenate(list(mono_blocks(audio))), audio.sample_rate),
            "breakdown": (SONGS["breakdown"].render(SR).samples, SR)}


def _events(found: SongStructure, end: float) -> dict[str, list[float]]:
    """Each kind's flagged times; an interval still open at the end of the run is cut at `end` (s)."""
    return {
        "drops": list(found.drops),
        "section starts": [start for start, _ in found.sections[1:]],
        "builds": [min(t, end) for interval in found.builds for t in interval],
        "breakdowns": [min(t, end) for interval in found.breakdowns for t in interval],
    }


@pytest.mark.parametrize("clip", ["demo", "breakdown"])
def test_flagged_events_agree_at_24_25_30_and_60_fps(clips, clip):
    samples, rate = clips[clip]
    runs = {fps: live_structure(samples, rate, fps)[0] for fps in RATES}
    end = min(found.duration for found in runs.values()) - 1.0 / min(RATES)
    reference = _events(runs[60.0], end)
    assert reference["drops"] and reference["section starts"]  # something to compare
    for fps, found in runs.items():
        for kind, times in _events(found, end).items():
            assert len(times) == len(reference[kind]), (fps, kind, times, reference[kind])
            assert np.allclose(times, reference[kind], rtol=0.0, atol=1.0 / fps + TOLERANCE_S), (fps, kind)


def _tracker_state(time: float) -> dict[str, float | int]:
    """A tracker with a beat every `PERIOD_S` from `FIRST_BEAT_S` that does not count
    the `UNCOUNTED` beats (its phase runs on), at `time` (s)."""
    if time < FIRST_BEAT_S:
        return {"tempo_bpm": 0.0, "beat_phase": 0.0, "beat_count": 0, "beats_per_bar": 4}
    index = int((time - FIRST_BEAT_S) // PERIOD_S)
    start, stop = UNCOUNTED
    count = min(index + 1, start) + max(0, index + 1 - stop)
    phase = (time - FIRST_BEAT_S - index * PERIOD_S) / PERIOD_S
    return {"tempo_bpm": 60.0 / PERIOD_S, "beat_phase": phase, "beat_count": count, "beats_per_bar": 4}


@pytest.mark.parametrize("fps", [60.0, 7.0, 1.5])
def test_the_tracker_beats_are_read_at_their_own_times_counted_or_not(fps):
    beats, found = TrackerBeats(), []
    for frame in range(round(END_S * fps) + 1):  # the last call at END_S, on a beat
        found += beats.new(frame / fps, _tracker_state(frame / fps))
    times, positions = np.array([t for t, _ in found]), [p for _, p in found]
    expected = FIRST_BEAT_S + PERIOD_S * np.arange(len(found))
    assert len(found) == round((END_S - FIRST_BEAT_S) / PERIOD_S) + 1
    assert np.allclose(times, expected, rtol=0.0, atol=1e-9) and positions == list(range(len(found)))
