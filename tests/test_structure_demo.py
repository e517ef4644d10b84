"""The demo track's known structure (audio/demo.py: sections starting at 0, 8, 16,
24 and 28 s, the riser's build-up from 24 s into the drop at 28 s) as ground
truth for the whole-track pre-pass, and the structure fields a render sees."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.audio.decode import AudioFile
from visualizer.audio.demo import (
    BAR_S, BEAT_S, DEMO_BUILDS_S, DEMO_DROPS_S, SECTIONS, demo_section_starts, demo_track_path,
)
from visualizer.features.rhythm import TrackRhythm
from visualizer.features.schedule import track_features
from visualizer.features.track import track_rhythm

FPS = 20.0


@pytest.fixture(scope="module")
def audio() -> AudioFile:
    return AudioFile(demo_track_path())


@pytest.fixture(scope="module")
def rhythm(audio: AudioFile) -> TrackRhythm:
    return track_rhythm(audio)


def test_sections_match_the_arrangement_within_a_bar(rhythm: TrackRhythm) -> None:
    """All four changes, the groove into the full section at 16 s among them (only
    arpeggio, ghost hats and a brighter pad are added: the steady full section
    after the sweeping groove is what marks it)."""
    found = np.array([start for start, _ in rhythm.structure.sections[1:]])
    truth = demo_section_starts()[1:]
    assert len(found) == len(truth) and np.all(np.abs(found - truth) <= BAR_S / 4), (found, truth)
    assert rhythm.structure.sections[0][0] == 0.0
    assert rhythm.structure.sections[-1][1] == pytest.approx(rhythm.structure.duration)


def test_the_one_drop_is_found_on_its_downbeat(rhythm: TrackRhythm) -> None:
    assert len(rhythm.structure.drops) == len(DEMO_DROPS_S)
    assert rhythm.structure.drops[0] == pytest.approx(DEMO_DROPS_S[0], abs=BEAT_S / 4)


def test_the_riser_is_a_build_ending_at_the_drop(rhythm: TrackRhythm) -> None:
    (start, end), = rhythm.structure.builds
    assert start == pytest.approx(DEMO_BUILDS_S[0][0], abs=BEAT_S)
    assert end == pytest.approx(rhythm.structure.drops[0])


def test_downbeats_fall_on_the_bars(rhythm: TrackRhythm) -> None:
    bars = np.asarray(rhythm.grid.downbeats)
    assert np.all(np.abs((bars + BAR_S / 2) % BAR_S - BAR_S / 2) < 0.05), bars


def test_render_frames_see_the_build_rise_and_the_drop_flash(audio: AudioFile, rhythm: TrackRhythm) -> None:
    frames = list(track_features(audio, FPS, int(32 * FPS)))
    t = np.array([f.time for f in frames])
    build = np.array([f.build for f in frames])
    drop = np.array([f.drop for f in frames])
    rising = (t > 24.2) & (t < 27.9)
    assert np.all(np.diff(build[rising]) > 0) and build[rising][-1] > 0.9
    assert np.all(build[t < 23.9] == 0.0) and np.all(build[t >= 28.0] == 0.0)
    after = int(np.argmax(t >= DEMO_DROPS_S[0]))
    assert drop[after] > 0.9 and np.all(drop[t < 27.9] == 0.0)
    assert frames[after].drop_count == 1 and frames[after - 2].drop_count == 0
    assert frames[after - 2].since_drop == 10000.0
    assert frames[-1].since_drop == pytest.approx(t[-1] - rhythm.structure.drops[0])
    sections = np.array([f.section for f in frames])
    assert set(np.diff(sections)) == {0, 1} and sections[-1] == len(rhythm.structure.sections) - 1
    changes = np.flatnonzero(np.diff(sections)) + 1
    assert all(frames[i].section_change > 0.8 for i in changes)
    phases = np.array([f.section_phase for f in frames])
    assert 0.0 <= phases.min() and phases.max() <= 1.0


def test_the_section_named_breakdown_is_reported_as_one_build_not_a_breakdown(rhythm: TrackRhythm) -> None:
    """audio/demo.py names 24-28 s its "breakdown", but a quiet bar there turns at
    once into a riser and a snare roll (from ~25.3 s) that run into the drop at 28 s.
    A breakdown needs two or more low bars outside builds, so a breakdown that turns
    into a build is reported as the build (kept on purpose: the riser is what a visual
    should follow). The demo has no breakdown; 24-28 s is one build, ending at the drop."""
    start, end = (SECTIONS["breakdown"][0] * BAR_S, SECTIONS["drop"][0] * BAR_S)
    assert rhythm.structure.breakdowns == []
    (found_start, found_end), = rhythm.structure.builds
    assert found_start == pytest.approx(start, abs=BEAT_S) and found_end == pytest.approx(end, abs=BEAT_S / 4)
