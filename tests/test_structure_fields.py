"""The song-structure fields read offline from a hand-made SongStructure."""

from __future__ import annotations

import math
from dataclasses import fields

import numpy as np
import pytest

from visualizer.features.frame import FEATURE_RANGES, FrameFeatures
from visualizer.features.structure import SongStructure
from visualizer.features.structure_fields import (
    BREAKDOWN_FADE_S,
    NO_DROP_S,
    STRUCTURE_DECAY,
    STRUCTURE_FIELDS,
    no_structure_fields,
    offline_fields,
)


def structure(sections=((0.0, 10.0), (10.0, 25.0), (25.0, 40.0)), builds=((6.0, 10.0), (20.0, 25.0)),
              drops=(10.0, 25.0), breakdowns=((30.0, 34.0),), duration=40.0) -> SongStructure:
    frames = int(duration / 0.5)
    return SongStructure(duration, list(sections), list(builds), list(drops), list(breakdowns), 0.5,
                         np.zeros(frames, np.float32))


SONG = structure()


def at(time: float, song: SongStructure = SONG) -> dict:
    return offline_fields(song, time)


def test_the_fields_are_exactly_the_structure_fields_and_fill_frame_features():
    assert set(at(12.0)) == set(STRUCTURE_FIELDS)
    frame = FrameFeatures(12.0, **at(12.0))
    assert frame.section == 1 and frame.drop_count == 1
    names = {f.name for f in fields(FrameFeatures)}
    assert set(STRUCTURE_FIELDS) <= names and set(STRUCTURE_FIELDS) <= set(FEATURE_RANGES)
    silent = FrameFeatures.silent()
    assert {name: getattr(silent, name) for name in STRUCTURE_FIELDS} == no_structure_fields()
    assert silent.since_drop == NO_DROP_S


@pytest.mark.parametrize(("time", "build"), [
    (5.9, 0.0), (6.0, 0.0), (7.0, 0.25), (8.0, 0.5), (9.9, 0.975), (10.0, 0.0), (15.0, 0.0),
    (22.5, 0.5), (24.0, 0.8), (25.0, 0.0), (39.0, 0.0),
])
def test_build_ramps_linearly_across_each_build_and_is_0_at_its_drop(time, build):
    assert at(time)["build"] == pytest.approx(build)


def test_drop_pulse_decays_exponentially_and_counts_drops():
    before = at(9.99)
    assert (before["drop"], before["since_drop"], before["drop_count"]) == (0.0, NO_DROP_S, 0)
    assert (at(10.0)["drop"], at(10.0)["since_drop"], at(10.0)["drop_count"]) == (1.0, 0.0, 1)
    for since in (0.1, STRUCTURE_DECAY, 2 * STRUCTURE_DECAY, 3.0):
        values = at(10.0 + since)
        assert values["drop"] == pytest.approx(math.exp(-since / STRUCTURE_DECAY))
        assert values["since_drop"] == pytest.approx(since) and values["drop_count"] == 1
    assert at(10.0 + STRUCTURE_DECAY)["drop"] == pytest.approx(1 / math.e)
    assert (at(25.0)["drop"], at(25.0)["drop_count"]) == (1.0, 2)
    assert at(30.0)["since_drop"] == pytest.approx(5.0) and at(30.0)["drop_count"] == 2


def test_no_drops_keep_the_sentinel_for_the_whole_song():
    steady = structure(builds=(), drops=(), breakdowns=())
    assert all(at(t, steady)["since_drop"] == NO_DROP_S for t in (0.0, 20.0, 40.0, 100.0))
    assert all(at(t, steady)["drop"] == 0.0 and at(t, steady)["drop_count"] == 0 for t in (0.0, 39.0))


@pytest.mark.parametrize(("time", "section", "phase"), [
    (-1.0, 0, 0.0), (0.0, 0, 0.0), (5.0, 0, 0.5), (9.999, 0, 0.9999), (10.0, 1, 0.0),
    (17.5, 1, 0.5), (25.0, 2, 0.0), (32.5, 2, 0.5), (40.0, 2, 1.0), (45.0, 2, 1.0),
])
def test_section_and_phase_at_the_edges(time, section, phase):
    values = at(time)
    assert values["section"] == section
    assert values["section_phase"] == pytest.approx(phase)


def test_section_change_pulses_at_each_new_section_but_not_at_the_start():
    assert at(0.0)["section_change"] == 0.0 and at(-1.0)["section_change"] == 0.0
    assert at(9.999)["section_change"] == 0.0  # the first section's pulse never came
    assert at(10.0)["section_change"] == 1.0 and at(25.0)["section_change"] == 1.0
    assert at(10.0 + STRUCTURE_DECAY)["section_change"] == pytest.approx(1 / math.e)
    assert at(45.0)["section_change"] == pytest.approx(math.exp(-20.0 / STRUCTURE_DECAY))


def _smoothstep(x: float) -> float:
    return x * x * (3.0 - 2.0 * x)


@pytest.mark.parametrize(("time", "breakdown"), [
    (29.9, 0.0), (30.0, 0.0), (30.0 + BREAKDOWN_FADE_S / 4, _smoothstep(0.25)),
    (30.0 + BREAKDOWN_FADE_S / 2, 0.5), (30.0 + BREAKDOWN_FADE_S, 1.0), (32.0, 1.0),
    (34.0 - BREAKDOWN_FADE_S / 2, 0.5), (34.0, 0.0), (35.0, 0.0),
])
def test_breakdown_eases_in_and_out_inside_its_interval(time, breakdown):
    assert at(time)["breakdown"] == pytest.approx(breakdown)


def test_a_short_breakdown_fades_over_half_its_length():
    short = structure(breakdowns=((30.0, 30.4),))
    assert at(30.2, short)["breakdown"] == pytest.approx(1.0)
    assert at(30.1, short)["breakdown"] == pytest.approx(0.5)
    assert at(30.3, short)["breakdown"] == pytest.approx(0.5)


def test_a_song_without_structure_sits_in_section_0():
    flat = structure(sections=((0.0, 40.0),), builds=(), drops=(), breakdowns=())
    values = at(20.0, flat)
    assert values == no_structure_fields() | {"section_phase": pytest.approx(0.5)}
    empty = structure(sections=(), builds=(), drops=(), breakdowns=())
    assert at(3.0, empty) == no_structure_fields()
