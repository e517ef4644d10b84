"""The generated songs (`audio.songs`): their lengths, their truth and their levels
are what the structure features are scored against."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.audio.songs import (EDM_SONG, EDM_TEMPI, ONE_BAR, SILENCE,
                                    SONGS, STEADY_LOOP, SongSpec, StructuredSong, make_song)

_RENDERED: dict[str, StructuredSong] = {}


def song(name: str) -> StructuredSong:
    """Each named song rendered once per test session."""
    if name not in _RENDERED:
        _RENDERED[name] = SONGS[name].render()
    return _RENDERED[name]


def bar_rms(s: StructuredSong, start_s: float, end_s: float) -> np.ndarray:
    """RMS of each bar between two bar lines (s)."""
    bar = s.bar_s * s.sample_rate
    first, last = round(start_s / s.bar_s), round(end_s / s.bar_s)
    return np.array([np.sqrt(np.mean(np.square(s.samples[int(round(b * bar)):int(round((b + 1) * bar))],
                                               dtype=np.float64))) for b in range(first, last)])


def span_rms(s: StructuredSong, start_s: float, end_s: float) -> float:
    part = s.samples[int(start_s * s.sample_rate):int(end_s * s.sample_rate)]
    return float(np.sqrt(np.mean(np.square(part, dtype=np.float64))))


def is_bar_line(s: StructuredSong, t: float) -> bool:
    return abs(t / s.bar_s - round(t / s.bar_s)) < 1e-9


@pytest.mark.parametrize("name", sorted(SONGS))
def test_length_is_bars_times_bar_seconds(name):
    spec, s = SONGS[name], song(name)
    bars = sum(b for _, b in spec.parts)
    assert abs(len(s.samples) - bars * 4 * 60.0 / spec.bpm * s.sample_rate) <= 1
    assert s.samples.dtype == np.float32 and s.samples.ndim == 1
    assert np.isfinite(s.samples).all() and np.abs(s.samples).max() <= 0.9 + 1e-6


@pytest.mark.parametrize("name", sorted(SONGS))
def test_truth_is_ordered_within_the_song_on_bar_lines(name):
    s = song(name)
    assert s.sections[0][0] == 0 and abs(s.sections[-1][1] - s.duration) < 1.0 / s.sample_rate
    for (start, end), (next_start, _) in zip(s.sections, s.sections[1:]):
        assert start < end == next_start
    for intervals in (s.builds, s.breakdowns):
        flat = [t for interval in intervals for t in interval]
        assert flat == sorted(flat) and all(a < b for a, b in intervals)
        assert all(0 <= t <= s.duration + 1e-9 for t in flat)
    edges = [t for interval in s.sections + s.builds + s.breakdowns for t in interval]
    assert all(is_bar_line(s, t) for t in edges + s.drops)
    assert s.drops == sorted(s.drops) and all(0 < t < s.duration for t in s.drops)


@pytest.mark.parametrize("bpm", EDM_TEMPI)
def test_edm_song_truth(bpm):
    s = song(f"edm_{int(bpm)}")
    bar = s.bar_s
    assert [round(a / bar) for a, _ in s.sections] == [0, 8, 16, 24, 40, 48, 56, 72]
    assert s.builds == [(16 * bar, 24 * bar), (48 * bar, 56 * bar)]
    assert s.drops == [24 * bar, 56 * bar]
    assert s.breakdowns == [(40 * bar, 48 * bar)]


def test_drops_fall_where_a_build_or_breakdown_ends():
    for name in SONGS:
        s = song(name)
        ends = {end for _, end in s.builds + s.breakdowns}
        assert all(drop in ends for drop in s.drops), name
    assert song("breakdown").drops == [song("breakdown").breakdowns[0][1]]


def test_the_build_drops_on_bar_9():
    s = song("build_drop_on_bar_9")
    assert s.drops == [8 * s.bar_s] and s.builds == [(4 * s.bar_s, 8 * s.bar_s)]


def test_adjacent_parts_of_one_kind_merge_and_a_drop_needs_a_build_or_break():
    parts = [("verse", 2), ("verse", 2), ("drop", 2), ("build", 1), ("build", 1), ("drop", 1)]
    s = make_song(parts, 120, 0)
    assert s.sections == [(0.0, 8.0), (8.0, 12.0), (12.0, 16.0), (16.0, 18.0)]
    assert s.builds == [(12.0, 16.0)] and s.drops == [16.0]


def test_steady_loop_silence_and_one_bar_have_no_structure():
    for spec, seconds in ((STEADY_LOOP, 300.0), (SILENCE, 16.0), (ONE_BAR, 2.0)):
        s = song(next(k for k, v in SONGS.items() if v is spec))
        assert len(s.sections) == 1 and not (s.builds or s.drops or s.breakdowns)
        assert abs(s.duration - seconds) < 1e-3
    assert not song("silence").samples.any()


@pytest.mark.parametrize("name", ["edm_100", "edm_174", "breakdown"])
def test_a_drop_is_much_louder_than_a_breakdown(name):
    s = song(name)
    breakdown = span_rms(s, *s.breakdowns[0])
    drop = span_rms(s, s.drops[-1], s.drops[-1] + 4 * s.bar_s)
    assert drop > 3.0 * breakdown > 0


@pytest.mark.parametrize("name", ["edm_128", "edm_174", "build_drop_on_bar_9"])
def test_a_build_rises_bar_by_bar(name):
    s = song(name)
    for start, end in s.builds:
        rms = bar_rms(s, start, end)
        assert (np.diff(rms) > -0.05 * rms[:-1]).all(), rms  # never falls by more than 5%
        assert rms[-1] > 2.0 * rms[0], rms
        half = len(rms) // 2
        assert rms[half:].mean() > 1.3 * rms[:half].mean(), rms


def test_the_steady_loop_is_flat_bar_by_bar():
    rms = bar_rms(song("steady_loop"), 0.0, song("steady_loop").duration)
    assert len(rms) == 160
    assert rms.max() / rms.min() <= 1.10, (rms.min(), rms.max())


def test_a_seed_decides_the_song():
    spec = SongSpec((("verse", 2), ("build", 2), ("drop", 2)), 132.0, seed=7)
    first, again = spec.render(), spec.render()
    other = SongSpec(spec.parts, spec.bpm, seed=8).render()
    assert np.array_equal(first.samples, again.samples)
    assert not np.array_equal(first.samples, other.samples)
    assert EDM_SONG.render(11025).sample_rate == 11025


def test_a_bad_part_is_refused():
    with pytest.raises(ValueError, match="bad part"):
        make_song([("chorus", 4)], 120, 0)
    with pytest.raises(ValueError, match="bad part"):
        make_song([("verse", 0)], 120, 0)

