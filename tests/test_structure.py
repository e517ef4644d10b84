"""Offline song structure (`features.structure`) on synthetic songs built here and
generated songs (`audio.songs`), with known sections, breakdowns, builds and drops;
the true beats and downbeats are passed in, so these test the structure logic,
not the beat tracker."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.audio.songs import SONGS, StructuredSong
from visualizer.features.structure import SongStructure, analyse_structure
from visualizer.features.structure_fields import offline_fields
from visualizer.features.structure_frames import TimeGrid
from visualizer.features.structure_novelty import fit_to_events

SR = 22050
BPM = 120.0
BEAT_S = 60.0 / BPM
BAR_S = 4 * BEAT_S


def _seconds(bars: float) -> int:
    return int(round(bars * BAR_S * SR))


def _grid(bars: float) -> tuple[np.ndarray, np.ndarray]:
    """True beats and downbeats (s) of `bars` bars of 4/4 at BPM."""
    beats = np.arange(int(round(bars * 4))) * BEAT_S
    return beats, beats[::4]


def _loop(bars: int, rng: np.random.Generator, level: float = 0.5) -> np.ndarray:
    """Kick on every beat, a 55 Hz bass under each beat, hats on the off-beats."""
    n, beat = _seconds(bars), int(round(BEAT_S * SR))
    t = np.arange(beat) / SR
    kick = np.sin(2 * np.pi * (50 * t + 60 * (1 - np.exp(-t / 0.03)) * 0.03)) * np.exp(-t / 0.12)
    bass = 0.6 * np.sin(2 * np.pi * 55 * t) * np.minimum(1.0, (beat - np.arange(beat)) / 400)
    hat = np.zeros(beat)
    hat[beat // 2:beat // 2 + 1500] = np.diff(rng.standard_normal(1501)) * np.exp(-np.arange(1500) / 300)
    one_beat = kick + bass + 0.3 * hat
    return (level * np.tile(one_beat, n // beat + 1)[:n]).astype(np.float32)


def _pad(bars: int, level: float = 0.05) -> np.ndarray:
    """A soft A-minor chord, no bass and no drums."""
    t = np.arange(_seconds(bars)) / SR
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 261.6, 329.6))
    return (level * chord / 3 * (1 + 0.2 * np.sin(2 * np.pi * 0.25 * t))).astype(np.float32)


def _riser(bars: int, rng: np.random.Generator) -> np.ndarray:
    """Noise rising 30 dB in level while it brightens (low-passed noise -> high-passed)."""
    n = _seconds(bars)
    x = np.linspace(0.0, 1.0, n)
    white = rng.standard_normal(n + 1)
    dull = np.convolve(white, np.ones(16) / 16, mode="same")[:n]
    bright = np.diff(white)
    return (0.3 * 10 ** (1.5 * (x - 1)) * ((1 - x) * dull + x * bright)).astype(np.float32)


def _four_part_song(rng: np.random.Generator) -> np.ndarray:
    """Verse 8 bars / breakdown 8 / build 8 / drop 8 at 120 BPM: boundaries at 16, 32, 48 s."""
    verse = _loop(8, rng) + _pad(8)
    build = _pad(8) + _riser(8, rng)
    drop = _loop(8, rng, level=0.6) + _pad(8)
    return np.concatenate([verse, _pad(8), build, drop])


def _check_times(song: SongStructure) -> None:
    """Every time within [0, duration], intervals ordered, sections cover the track."""
    d = song.duration
    assert song.sections[0][0] == 0.0 and song.sections[-1][1] == pytest.approx(d)
    for (a, b), (c, _) in zip(song.sections, song.sections[1:]):
        assert b == c
    for a, b in song.sections + song.builds + song.breakdowns:
        assert 0.0 <= a < b <= d + 1e-9
    for group in (song.sections, song.builds, song.breakdowns):
        assert [a for a, _ in group] == sorted(a for a, _ in group)
    assert song.drops == sorted(song.drops) and all(0.0 <= t <= d for t in song.drops)
    assert 0.0 <= song.energy.min() and song.energy.max() <= 1.0


@pytest.fixture(scope="module")
def four_part() -> SongStructure:
    return analyse_structure(_four_part_song(np.random.default_rng(1)), SR, *_grid(32))


def test_four_part_song_boundaries_within_a_bar(four_part):
    _check_times(four_part)
    starts = [a for a, _ in four_part.sections[1:]]
    assert len(starts) == 3
    assert np.allclose(starts, [16.0, 32.0, 48.0], atol=BAR_S)
    assert np.all(np.isin(starts, _grid(32)[1])), "boundaries snap to the given downbeats"


def test_four_part_song_one_drop_on_its_downbeat(four_part):
    assert len(four_part.drops) == 1
    assert abs(four_part.drops[0] - 48.0) <= BEAT_S


def test_four_part_song_breakdown_overlaps_the_quiet_part(four_part):
    assert four_part.breakdowns
    assert any(min(b, 32.0) - max(a, 16.0) > 2 * BAR_S for a, b in four_part.breakdowns)
    assert all(b <= 32.0 + BAR_S and a >= 16.0 - BAR_S for a, b in four_part.breakdowns)


def test_four_part_song_build_ends_at_the_drop(four_part):
    assert len(four_part.builds) == 1
    start, end = four_part.builds[0]
    assert end == pytest.approx(four_part.drops[0])
    assert 32.0 - BAR_S <= start <= 48.0 - 2 * BAR_S


def test_the_build_field_ramps_over_the_build_and_energy_follows_the_level(four_part):
    """What a render sees: `build` from `offline_fields` at the energy curve's times."""
    start, end = four_part.builds[0]
    times = np.arange(len(four_part.energy)) * four_part.hop
    build = np.array([offline_fields(four_part, t)["build"] for t in times])
    inside = (times >= start) & (times < end)
    assert np.all(build[~inside] == 0.0)
    assert np.all(np.diff(build[inside]) > 0) and build[inside][-1] > 0.9
    quiet = four_part.energy[(times > 20) & (times < 28)].mean()
    loud = four_part.energy[(times > 52) & (times < 60)].mean()
    assert loud > 0.8 and quiet < loud - 0.3


def test_without_beats_boundaries_and_drop_are_still_found():
    song = analyse_structure(_four_part_song(np.random.default_rng(2)), SR)
    _check_times(song)
    starts = [a for a, _ in song.sections[1:]]
    assert len(starts) == 3 and np.allclose(starts, [16.0, 32.0, 48.0], atol=BAR_S)
    assert len(song.drops) == 1 and abs(song.drops[0] - 48.0) <= BEAT_S


def test_steady_loop_has_no_structure():
    """Two minutes of the loop under a pad that swells every two bars: nothing to find."""
    samples = _loop(60, np.random.default_rng(3)) + _pad(60)
    song = analyse_structure(samples, SR, *_grid(60))
    _check_times(song)
    assert song.sections == [(0.0, pytest.approx(120.0))]
    assert song.drops == [] and song.builds == [] and song.breakdowns == []


@pytest.mark.parametrize("samples", [np.zeros(_seconds(16), np.float32), _loop(1, np.random.default_rng(4)),
                                     np.zeros(0, np.float32)], ids=["silence", "one-bar", "empty"])
def test_silence_and_tiny_songs_are_one_section(samples):
    bars = len(samples) / SR / BAR_S
    song = analyse_structure(samples, SR, *_grid(bars))
    assert song.sections == [(0.0, pytest.approx(len(samples) / SR))]
    assert song.drops == [] and song.builds == [] and song.breakdowns == []
    assert not any(offline_fields(song, t)["build"] for t in np.arange(0.0, song.duration, 0.1))


def _true_grid(song: StructuredSong) -> tuple[np.ndarray, np.ndarray]:
    """The generated song's own beats and downbeats (s)."""
    beats = np.arange(int(round(song.duration * song.bpm / 60.0))) * 60.0 / song.bpm
    return beats, beats[::song.beats_per_bar]


def _close(found: list, truth: list, tolerance: float) -> bool:
    """Same count, each found time or interval within `tolerance` s of its truth."""
    found, truth = np.asarray(found, float), np.asarray(truth, float)
    return found.shape == truth.shape and bool(np.all(np.abs(found - truth) <= tolerance))


@pytest.fixture(scope="module", params=["build_drop_on_bar_9", "breakdown", "edm_128"])
def generated(request) -> tuple[StructuredSong, SongStructure]:
    song = SONGS[request.param].render(SR)
    return song, analyse_structure(song.samples, SR, *_true_grid(song))


def test_generated_song_sections_match_its_parts_within_a_bar(generated):
    """build_drop_on_bar_9: the verse ends where the build starts (bar 5), though the
    build's kicks go on for two bars and its rise is steepest later."""
    song, found = generated
    _check_times(found)
    assert _close([a for a, _ in found.sections[1:]], [a for a, _ in song.sections[1:]], song.bar_s), found.sections


def test_generated_song_drops_on_their_downbeats_and_builds_end_there(generated):
    song, found = generated
    assert _close(found.drops, song.drops, 0.25 * 60.0 / song.bpm), found.drops
    assert _close(found.builds, song.builds, song.bar_s), found.builds


def test_generated_song_breakdowns_are_its_breaks_not_its_intro_or_outro(generated):
    """edm_128 opens on 8 quiet bars and closes on 8: neither dips below what came
    before and what follows, so neither is a breakdown; its break is."""
    song, found = generated
    assert _close(found.breakdowns, song.breakdowns, song.bar_s), found.breakdowns


def test_a_drop_off_a_wrong_grid_is_placed_on_its_bass_onset():
    """Beats at 2/3 of the tempo (a tracker's error at 174 BPM), no downbeat within a
    beat of the drop: the drop is still within a tenth of a beat of its true time."""
    song = SONGS["build_drop_on_bar_9"].render(SR)
    beat = 60.0 / song.bpm
    beats = np.arange(0.3, song.duration, 1.5 * beat)
    found = analyse_structure(song.samples, SR, beats, beats[::4])
    assert np.min(np.abs(beats[::4] - song.drops[0])) > beat
    assert _close(found.drops, song.drops, 0.1 * beat), found.drops


def _bars_grid(bars: int, bar_s: float = 2.0) -> TimeGrid:
    beats = np.arange(4 * bars) * bar_s / 4
    return TimeGrid(np.r_[beats, bars * bar_s], beats[::4], bar_s, 4, True)


def test_a_build_into_a_drop_is_one_section_starting_a_whole_phrase_before_it():
    """Build found from bar 3 (9 bars before the drop at bar 12, 2 s bars), novelty
    peaks at bars 4 and 6: the section starts at bar 4 (8 bars: two phrases) and
    the peak inside the build is no boundary."""
    grid = _bars_grid(16)
    inner, builds = fit_to_events([8.0, 12.0], [(6.0, 24.0)], [24.0], grid)
    assert inner == [8.0, 24.0] and builds == [(8.0, 24.0)]


def test_off_the_grid_a_build_keeps_its_own_start():
    grid = _bars_grid(16)
    inner, builds = fit_to_events([8.0, 12.0], [(6.0, 24.1)], [24.1], grid)
    assert inner == [6.0, 24.1] and builds == [(6.0, 24.1)]


@pytest.mark.parametrize("name", ["breakdown", "edm_174"])
def test_a_generated_song_has_the_same_structure_at_22050_and_48000_hz(name):
    """48 kHz frames have 47 Hz bins (43 Hz at 22.05 kHz) and hear hats up to 24 kHz.
    With a bass band cut at a bin, the pad read up to 5 dB more bass at 48 kHz and
    split the breakdown in two; with a centroid over the whole spectrum, edm_174's
    intro chords made a build at 48 kHz; and a build reaching back over a pad's
    bars (counted as rises) cut its breakdown short at 22.05 kHz."""
    for rate in (22050, 48000):
        song = SONGS[name].render(rate)
        found = analyse_structure(song.samples, rate, *_true_grid(song))
        assert _close(found.breakdowns, song.breakdowns, song.bar_s), (rate, found.breakdowns)
        assert _close(found.builds, song.builds, song.bar_s), (rate, found.builds)
        assert _close(found.drops, song.drops, 0.25 * 60.0 / song.bpm), (rate, found.drops)
        assert _close([a for a, _ in found.sections[1:]], [a for a, _ in song.sections[1:]], song.bar_s), rate
