"""Live (causal) song structure (`features.structure_live`) on the generated songs of
`audio.songs` and the demo track: drops flagged within a beat (plus the stated
delay), none on a steady loop or silence, a breakdown, section changes within a
bar, the fields' ranges, causality (neither the future nor the audio block size
changes the fields) and the cost the bench reports."""

from __future__ import annotations

import math
import time as clock

import mir_eval
import numpy as np
import pytest

from visualizer.audio.decode import AudioFile
from visualizer.audio.demo import (
    BAR_S, BEAT_S, DEMO_BUILDS_S, DEMO_DROPS_S, GAP_S, demo_section_starts, demo_track_path,
)
from visualizer.audio.songs import SONGS, StructuredSong, make_song
from visualizer.features.analyzer import StreamingAnalyzer
from visualizer.features.onset import OnsetDetector
from visualizer.features.rhythm import LiveRhythm
from visualizer.features.structure import SongStructure
from visualizer.features.structure_fields import NO_DROP_S, STRUCTURE_FIELDS
from visualizer.features.structure_frames import CurveTap
from visualizer.features.structure_live import BLOCK, BUILD_EASE_S, LiveStructure, live_structure
from visualizer.features.track import mono_blocks

SR = 22050
FPS = 60.0
DROP_DELAY_S = 0.15
"""The stated drop delay (module docstring): the bass window filling."""
UNIT_FIELDS = ("build", "drop", "breakdown", "section_change", "section_phase")
BIG_BLOCK = 48000
"""Samples per block (over 2 s at 22.05 kHz) in the block-size tests."""
TAP_BURN_S = 0.001
"""CPU seconds each spectrum tap call is made to spend in the cost test."""


def _run(samples: np.ndarray, rate: int = SR) -> tuple[np.ndarray, list[dict], SongStructure, list[dict]]:
    """`LiveRhythm` fed `BLOCK` samples at a time, asked at each video frame time fed
    so far: the times (s), the structure fields at each, the flagged structure, and
    the rhythm state the structure was given at each."""
    rhythm = LiveRhythm(rate)
    times, fields, states, frame = [], [], [], 0
    for first in range(0, len(samples), BLOCK):
        rhythm.process(samples[first:first + BLOCK])
        while frame / FPS <= min(first + BLOCK, len(samples)) / rate:
            times.append(frame / FPS)
            state = rhythm.at(frame / FPS)
            fields.append({name: state[name] for name in STRUCTURE_FIELDS})
            states.append({name: value for name, value in state.items() if name not in STRUCTURE_FIELDS})
            frame += 1
    return np.array(times), fields, rhythm.structure.events(), states


def _structure_alone(samples: np.ndarray, block: int, states: list[dict]) -> tuple[list[dict], SongStructure]:
    """A `LiveStructure` on its own detector fed `block` samples at a time, given the
    recorded rhythm `states` (one per video frame) as soon as each frame's time is fed."""
    detector = OnsetDetector(SR)
    structure = LiveStructure(detector)
    fields: list[dict] = []
    for first in range(0, len(samples), block):
        detector.process(samples[first:first + block])
        while len(fields) < len(states) and len(fields) / FPS <= min(first + block, len(samples)) / SR:
            fields.append(structure.at(len(fields) / FPS, states[len(fields)]))
    return fields, structure.events()


@pytest.fixture(scope="module")
def bar9() -> tuple[StructuredSong, tuple]:
    song = SONGS["build_drop_on_bar_9"].render(SR)
    return song, _run(song.samples)


@pytest.fixture(scope="module")
def breakdown() -> tuple[StructuredSong, tuple]:
    song = SONGS["breakdown"].render(SR)
    return song, _run(song.samples)


def test_the_drop_on_bar_9_is_flagged_within_a_beat(bar9):
    song, (_, _, found, _) = bar9
    beat = 60.0 / song.bpm
    assert len(found.drops) == 1
    assert song.drops[0] <= found.drops[0] <= song.drops[0] + min(beat, DROP_DELAY_S + 2 * 0.0232)


def test_the_drop_fields_step_at_the_drop(bar9):
    song, (times, fields, found, _) = bar9
    drop = found.drops[0]
    before = [f for t, f in zip(times, fields) if t < drop]
    after = [f for t, f in zip(times, fields) if t >= drop]
    assert all(f["drop_count"] == 0 and f["since_drop"] == NO_DROP_S and f["drop"] == 0.0 for f in before)
    assert after[0]["drop"] == pytest.approx(1.0, abs=0.1) and after[0]["drop_count"] == 1
    assert after[-1]["drop"] < 0.01 and after[-1]["since_drop"] == pytest.approx(times[-1] - drop, abs=1e-6)


def test_the_build_rises_before_the_drop_and_falls_back_at_it(bar9):
    song, (times, fields, found, _) = bar9
    build = np.array([f["build"] for f in fields])
    (start, _), drop = song.builds[0], found.drops[0]
    assert build[(times > drop - 1.0) & (times < drop)].max() > 0.1
    assert np.all(build[times < start] == 0.0)
    assert build[times >= drop][0] == 0.0
    assert len(found.builds) == 1 and found.builds[0][1] == pytest.approx(drop)


def test_sections_change_within_a_bar(bar9, breakdown):
    for song, (_, _, found, _) in (bar9, breakdown):
        truth = np.array([start for start, _ in song.sections[1:]])
        flagged = np.array([start for start, _ in found.sections[1:]])
        assert len(flagged) == len(truth), (truth, flagged)
        assert np.all((flagged >= truth) & (flagged <= truth + song.bar_s)), (truth, flagged)
        assert found.sections[0][0] == 0.0 and found.sections[-1][1] == pytest.approx(found.duration)


def test_a_breakdown_is_flagged_two_bars_in_on_the_bar_lines_and_eased(breakdown):
    song, (times, fields, found, _) = breakdown
    (start, end), = song.breakdowns
    assert len(found.breakdowns) >= 1
    first = found.breakdowns[0]
    # at the end of its second low bar, bars closed on the tracker's bar lines
    assert start < first[0] <= start + 2 * song.bar_s + 60.0 / song.bpm, (start, first)
    assert first[1] == pytest.approx(found.drops[0])
    value = np.array([f["breakdown"] for f in fields])
    rising = value[(times >= first[0]) & (times < first[0] + 0.5)]
    assert 0.0 < rising[1] < 0.5 and np.all(np.diff(rising) >= 0.0)
    assert value[(times > first[0] + 0.6) & (times < end - 0.1)].min() == 1.0
    assert np.all(value[times < start] == 0.0)


def test_no_drops_on_a_steady_loop_or_silence():
    steady = make_song([("verse", 48)], 128.0, seed=4, sample_rate=SR)
    for samples in (steady.samples, SONGS["silence"].render(SR).samples, SONGS["one_bar"].render(SR).samples):
        found, _ = live_structure(samples, SR)
        assert found.drops == []
    _, fields, found, _ = _run(SONGS["silence"].render(SR).samples)
    assert found.sections == [(0.0, found.duration)] and found.builds == [] and found.breakdowns == []
    assert all(f["section"] == 0 and f["build"] == 0.0 and f["breakdown"] == 0.0 for f in fields)


def test_the_fields_are_the_eight_in_their_ranges(bar9, breakdown):
    for _, (_, fields, _, _) in (bar9, breakdown):
        for f in fields:
            assert tuple(sorted(f)) == tuple(sorted(STRUCTURE_FIELDS))
            assert all(0.0 <= f[name] <= 1.0 for name in UNIT_FIELDS)
            assert f["since_drop"] >= 0.0 and isinstance(f["drop_count"], int) and isinstance(f["section"], int)
        counts = [f["section"] for f in fields]
        assert counts[0] == 0 and np.all(np.diff(counts) >= 0) and np.all(np.diff(counts) <= 1)


def test_the_fields_do_not_depend_on_the_future(bar9):
    song, (times, fields, _, _) = bar9
    cut = 16.0  # just after the drop on bar 9
    silenced = song.samples.copy()
    silenced[int(cut * SR):] = 0.0
    other_times, other, _, _ = _run(silenced)
    upto = int(np.searchsorted(times, cut - 0.1))
    assert upto > 0 and other[:upto] == fields[:upto]


def test_the_structure_does_not_depend_on_the_audio_block_size(bar9):
    song, (times, fields, found, states) = bar9
    big, big_found = _structure_alone(song.samples, BIG_BLOCK, states)
    assert big == fields  # the rhythm states given, whole 2 s blocks fed ahead change nothing
    assert big_found.drops == found.drops and big_found.sections == found.sections
    assert len(found.drops) == 1 and found.drops[0] >= song.drops[0]
    assert all(f["drop_count"] == 0 for t, f in zip(times, big) if t < song.drops[0])


def test_a_show_does_not_depend_on_the_audio_block_size():
    """The analyzer as `play` runs it (live rhythm and structure), fed 256-sample or
    48000-sample blocks: every frame the same, through the drop at 15 s."""
    samples = SONGS["build_drop_on_bar_9"].render(SR).samples[:16 * SR]
    runs = []
    for block in (BLOCK, BIG_BLOCK):
        analyzer = StreamingAnalyzer(SR, FPS)
        runs.append([f for first in range(0, len(samples), block)
                     for f in analyzer.feed(samples[first:first + block])])
    exact = (*STRUCTURE_FIELDS, "beat_count", "tempo_bpm")
    rounded = ("beat_phase", "bar_phase", "beat_pulse", "onset_strength", "onset", "bass_hit")
    small, big = ([tuple(getattr(f, name) for name in exact) for f in run] for run in runs)
    differing = [i for i, (a, b) in enumerate(zip(small, big)) if a != b]  # a short message: no list diff
    assert len(small) == len(big) and not differing, f"frames differ from {differing[:1]}"
    for name in rounded:  # batched FFTs round the last bits differently, nothing more
        values = [np.array([getattr(f, name) for f in run]) for run in runs]
        assert np.allclose(*values, rtol=0.0, atol=1e-9), name


def test_the_cost_per_frame_includes_the_spectrum_tap(monkeypatch):
    calls = []
    measure = CurveTap.__call__

    def slow(tap: CurveTap, magnitude: np.ndarray) -> None:
        calls.append(len(magnitude))
        started = clock.process_time()
        measure(tap, magnitude)
        while clock.process_time() - started < TAP_BURN_S:
            pass

    monkeypatch.setattr(CurveTap, "__call__", slow)
    samples = SONGS["one_bar"].render(SR).samples
    _, cost = live_structure(samples, SR, FPS)
    most_frames = len(samples) / SR * FPS + 2
    assert calls and math.isfinite(cost)
    assert cost >= TAP_BURN_S * len(calls) / most_frames


@pytest.fixture(scope="module")
def demo_run() -> tuple[np.ndarray, list[dict], SongStructure, list[dict]]:
    audio = AudioFile(demo_track_path())
    samples = np.concatenate(list(mono_blocks(audio)))
    return _run(samples, audio.sample_rate)


@pytest.fixture(scope="module")
def demo(demo_run) -> SongStructure:
    return demo_run[2]


def test_the_demo_sections_are_found_within_a_bar(demo):
    truth = demo_section_starts()[1:]
    found = np.array([start for start, _ in demo.sections[1:]])
    f_measure, _, _ = mir_eval.onset.f_measure(truth, found, window=BAR_S)
    assert f_measure >= 0.6, (truth, found)


def test_the_demo_drop_is_flagged_once_within_a_beat_after_it(demo):
    assert len(demo.drops) == len(DEMO_DROPS_S) == 1
    assert DEMO_DROPS_S[0] <= demo.drops[0] <= DEMO_DROPS_S[0] + BEAT_S


@pytest.fixture(scope="module")
def after_breakdown() -> tuple[StructuredSong, tuple]:
    """A build after a breakdown (the usual place for one), then the drop."""
    parts = [("verse", 4), ("breakdown", 4), ("build", 8), ("drop", 4)]
    song = make_song(parts, 128.0, seed=7, sample_rate=SR)
    return song, _run(song.samples)


def test_a_build_is_flagged_within_a_bar_of_its_start_and_held_to_the_drop(after_breakdown):
    song, (times, fields, found, _) = after_breakdown
    (start, end), = song.builds
    assert len(found.builds) == 1 and len(found.drops) == 1
    flagged, ended = found.builds[0]
    assert start <= flagged <= start + song.bar_s, (start, flagged)
    assert ended == pytest.approx(found.drops[0]) and end <= ended <= end + DROP_DELAY_S + 0.05
    build = np.array([f["build"] for f in fields])
    assert np.all(build[times < flagged] == 0.0) and np.all(build[times >= found.drops[0]] == 0.0)
    inside = build[(times >= flagged) & (times < found.drops[0])]
    assert np.all(inside > 0.0) and np.all(np.diff(inside) >= 0.0)
    assert inside[-1] > 0.8


def test_the_bar_9_build_is_flagged_within_two_bars_of_its_start(bar9):
    song, (_, _, found, _) = bar9
    (start, _), = song.builds
    assert start <= found.builds[0][0] <= start + 2 * song.bar_s


def test_no_build_on_a_steady_loop_a_verse_or_a_breakdown(breakdown):
    steady = make_song([("verse", 48)], 128.0, seed=4, sample_rate=SR)
    _, fields, found, _ = _run(steady.samples)
    assert found.builds == [] and all(f["build"] == 0.0 for f in fields)
    _, (_, fields, found, _) = breakdown  # verse, breakdown, drop, outro: no build
    assert found.builds == [] and all(f["build"] == 0.0 for f in fields)


def test_the_demo_build_rises_before_its_gap_and_holds_to_the_drop(demo_run):
    times, fields, found, _ = demo_run
    (start, end), = DEMO_BUILDS_S
    assert len(found.builds) == 1, found.builds
    flagged, ended = found.builds[0]
    assert start < flagged < GAP_S[0] - BEAT_S and ended == pytest.approx(found.drops[0])
    build = np.array([f["build"] for f in fields])
    in_gap = build[(times >= GAP_S[0]) & (times < end)]
    assert in_gap.min() > 0.3  # the near-silent beat before the drop holds the build
    assert np.all(build[times < flagged] == 0.0) and np.all(build[times >= found.drops[0]] == 0.0)


def test_the_demo_build_eases_in_rather_than_jumping_when_flagged(demo_run):
    times, fields, found, _ = demo_run
    build = np.array([f["build"] for f in fields])
    rises = np.diff(build)
    assert build.max() > 0.5 and rises.max() <= (1.0 / FPS) / BUILD_EASE_S + 1e-9, rises.max()
    assert rises.min() < -0.5  # and falls at once at the drop


def test_the_demo_drop_starts_a_section(demo_run):
    _, _, found, _ = demo_run
    starts = np.array([s for s, _ in found.sections])
    assert np.any(np.abs(starts - DEMO_DROPS_S[0]) <= BEAT_S), starts
