"""Live (causal) song structure (`features.structure_live`) on the generated songs of
`audio.songs`: drops flagged within a beat (plus the stated delay), none on a steady
loop or silence, a breakdown, section changes within a bar, the fields' ranges, and
causality (the future does not change the fields)."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.audio.songs import SONGS, StructuredSong, make_song
from visualizer.features.rhythm import LiveRhythm
from visualizer.features.structure import SongStructure
from visualizer.features.structure_fields import NO_DROP_S, STRUCTURE_FIELDS
from visualizer.features.structure_live import BLOCK, live_structure

SR = 22050
FPS = 60.0
DROP_DELAY_S = 0.15
"""The stated drop delay (module docstring): the bass window filling."""
UNIT_FIELDS = ("build", "drop", "breakdown", "section_change", "section_phase")


def _run(samples: np.ndarray) -> tuple[np.ndarray, list[dict], SongStructure]:
    """Video frame times (s), the fields at each, and the flagged structure."""
    rhythm = LiveRhythm(SR)
    times, fields, frame = [], [], 0
    for first in range(0, len(samples), BLOCK):
        rhythm.process(samples[first:first + BLOCK])
        while frame / FPS <= min(first + BLOCK, len(samples)) / SR:
            times.append(frame / FPS)
            state = rhythm.at(frame / FPS)
            fields.append({name: state[name] for name in STRUCTURE_FIELDS})
            frame += 1
    return np.array(times), fields, rhythm.structure.events()


@pytest.fixture(scope="module")
def bar9() -> tuple[StructuredSong, tuple]:
    song = SONGS["build_drop_on_bar_9"].render(SR)
    return song, _run(song.samples)


@pytest.fixture(scope="module")
def breakdown() -> tuple[StructuredSong, tuple]:
    song = SONGS["breakdown"].render(SR)
    return song, _run(song.samples)


def test_the_drop_on_bar_9_is_flagged_within_a_beat(bar9):
    song, (_, _, found) = bar9
    beat = 60.0 / song.bpm
    assert len(found.drops) == 1
    assert song.drops[0] <= found.drops[0] <= song.drops[0] + min(beat, DROP_DELAY_S + 2 * 0.0232)


def test_the_drop_fields_step_at_the_drop(bar9):
    song, (times, fields, found) = bar9
    drop = found.drops[0]
    before = [f for t, f in zip(times, fields) if t < drop]
    after = [f for t, f in zip(times, fields) if t >= drop]
    assert all(f["drop_count"] == 0 and f["since_drop"] == NO_DROP_S and f["drop"] == 0.0 for f in before)
    assert after[0]["drop"] == pytest.approx(1.0, abs=0.1) and after[0]["drop_count"] == 1
    assert after[-1]["drop"] < 0.01 and after[-1]["since_drop"] == pytest.approx(times[-1] - drop, abs=1e-6)


def test_the_build_rises_before_the_drop_and_falls_back_at_it(bar9):
    song, (times, fields, found) = bar9
    build = np.array([f["build"] for f in fields])
    (start, end), drop = song.builds[0], found.drops[0]
    assert build[(times > drop - 1.0) & (times < drop)].max() > 0.1
    assert np.all(build[times < start] == 0.0)
    assert build[times >= drop][0] == 0.0
    assert len(found.builds) == 1 and found.builds[0][1] == pytest.approx(drop)


def test_sections_change_within_a_bar(bar9, breakdown):
    for song, (_, _, found) in (bar9, breakdown):
        truth = np.array([start for start, _ in song.sections[1:]])
        flagged = np.array([start for start, _ in found.sections[1:]])
        assert len(flagged) == len(truth), (truth, flagged)
        assert np.all((flagged >= truth) & (flagged <= truth + song.bar_s)), (truth, flagged)
        assert found.sections[0][0] == 0.0 and found.sections[-1][1] == pytest.approx(found.duration)


def test_a_breakdown_is_flagged_inside_it_and_eased(breakdown):
    song, (times, fields, found) = breakdown
    (start, end), = song.breakdowns
    assert len(found.breakdowns) >= 1
    first = found.breakdowns[0]
    assert start < first[0] < end and first[1] == pytest.approx(found.drops[0])
    value = np.array([f["breakdown"] for f in fields])
    rising = value[(times >= first[0]) & (times < first[0] + 0.5)]
    assert 0.0 < rising[1] < 0.5 and np.all(np.diff(rising) >= 0.0)
    assert value[(times > first[0] + 0.6) & (times < end - 0.1)].min() == 1.0
    assert np.all(value[times < start] == 0.0)


def test_no_drops_on_a_steady_loop_or_silence():
    steady = make_song([("verse", 48)], 128.0, seed=4, sample_rate=SR)
    for samples in (steady.samples, SONGS["silence"].render(SR).samples, SONGS["one_bar"].render(SR).samples):
        found, cost = live_structure(samples, SR)
        assert found.drops == [] and cost > 0.0
    _, fields, found = _run(SONGS["silence"].render(SR).samples)
    assert found.sections == [(0.0, found.duration)] and found.builds == [] and found.breakdowns == []
    assert all(f["section"] == 0 and f["build"] == 0.0 and f["breakdown"] == 0.0 for f in fields)


def test_the_fields_are_the_eight_in_their_ranges(bar9, breakdown):
    for _, (_, fields, _) in (bar9, breakdown):
        for f in fields:
            assert tuple(sorted(f)) == tuple(sorted(STRUCTURE_FIELDS))
            assert all(0.0 <= f[name] <= 1.0 for name in UNIT_FIELDS)
            assert f["since_drop"] >= 0.0 and isinstance(f["drop_count"], int) and isinstance(f["section"], int)
        counts = [f["section"] for f in fields]
        assert counts[0] == 0 and np.all(np.diff(counts) >= 0) and np.all(np.diff(counts) <= 1)


def test_the_fields_do_not_depend_on_the_future(bar9):
    song, (times, fields, _) = bar9
    cut = 16.0  # just after the drop on bar 9
    silenced = song.samples.copy()
    silenced[int(cut * SR):] = 0.0
    other_times, other, _ = _run(silenced)
    upto = int(np.searchsorted(times, cut - 0.1))
    assert upto > 0 and other[:upto] == fields[:upto]
