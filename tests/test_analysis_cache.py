"""The whole-track rhythm pre-pass is computed once per file content and then read
from the user's cache; a broken or foreign cache file is a miss, never an error.

Work is counted (calls of the real analysis), never timed."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile

import visualizer.features.cache as rhythm_cache
import visualizer.features.track as track_module
from visualizer import cache
from visualizer.audio.decode import AudioFile
from visualizer.features.beat_grid import GridConfig
from visualizer.features.schedule import track_features
from visualizer.features.track import track_rhythm

RATE = 22050


def clicks(seconds: float = 6.0, bpm: float = 120.0, seed: int = 0) -> np.ndarray:
    """Blips on every beat over a little noise, (n,) float32."""
    audio = np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * 1e-3
    for beat in np.arange(0.25, seconds - 0.1, 60.0 / bpm):
        start = round(beat * RATE)
        audio[start:start + 200] += 0.8 * np.exp(-np.arange(200) / 40.0)
    return audio.astype(np.float32)


@pytest.fixture
def song(tmp_path):
    path = tmp_path / "song.wav"
    soundfile.write(path, clicks(), RATE)
    return path


@pytest.fixture(autouse=True)
def folder(tmp_path, monkeypatch):
    """This test's own cache folder."""
    monkeypatch.setenv("VISUALIZER_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "analysis"


@pytest.fixture
def analyses(monkeypatch):
    """Counts runs of the real whole-track analysis."""
    calls = []
    real = track_module.analyse_track_rhythm

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(track_module, "analyse_track_rhythm", counted)
    return calls


def rhythm_of(path, config=None):
    with AudioFile(path) as audio:
        return track_rhythm(audio, config)


def assert_same(a, b):
    assert a.grid.tempo_bpm == b.grid.tempo_bpm and a.grid.beats_per_bar == b.grid.beats_per_bar
    for name in ("beats", "onsets", "downbeats"):
        assert np.array_equal(getattr(a.grid, name), getattr(b.grid, name))
    assert a.events == b.events and a.hop == b.hop
    assert np.array_equal(a.strength, b.strength) and a.strength.dtype == b.strength.dtype


def test_a_second_run_reads_the_analysis_from_the_cache(song, analyses, folder):
    first = rhythm_of(song)
    second = rhythm_of(song)
    assert len(analyses) == 1 and len(first.grid.beats) > 5
    assert_same(first, second)
    assert [p.name.startswith("rhythm-") for p in folder.iterdir()] == [True]


def test_renders_from_any_start_share_one_analysis(song, analyses):
    with AudioFile(song) as audio:
        whole = list(track_features(audio, 30.0, 150))
        late = list(track_features(audio, 30.0, 170))  # as a --start near the end would
    assert len(analyses) == 1
    assert [f.beat_count for f in whole] == [f.beat_count for f in late[:150]]


def test_same_bytes_under_another_name_hit_and_other_bytes_miss(song, tmp_path, analyses):
    rhythm_of(song)
    copy = tmp_path / "copy.wav"
    copy.write_bytes(song.read_bytes())
    rhythm_of(copy)
    assert len(analyses) == 1
    soundfile.write(song, clicks(seed=1), RATE)  # edited in place: new content
    rhythm_of(song)
    assert len(analyses) == 2


@pytest.mark.parametrize("damage", ["truncated", "flipped", "foreign", "empty", "not npz"])
def test_a_damaged_entry_is_recomputed_and_replaced(song, analyses, folder, damage):
    fresh = rhythm_of(song)
    (entry,) = folder.iterdir()
    data = entry.read_bytes()
    key = entry.stem.split("-", 1)[1]
    entry.write_bytes({
        "truncated": data[: len(data) // 2],
        "flipped": data[:-100] + bytes([data[-100] ^ 1]) + data[-99:],
        "foreign": os.urandom(len(data)),
        "empty": b"",
        "not npz": cache._header(key, b"PK\x03\x04 not a zip") + b"PK\x03\x04 not a zip",
    }[damage])
    again = rhythm_of(song)
    assert len(analyses) == 2
    assert_same(fresh, again)
    assert rhythm_of(song) is not None and len(analyses) == 2  # the entry was written again


def test_a_new_analysis_version_or_other_settings_recompute(song, analyses, monkeypatch):
    rhythm_of(song)
    monkeypatch.setattr(rhythm_cache, "ANALYSIS_VERSION", rhythm_cache.ANALYSIS_VERSION + 1)
    rhythm_of(song)
    assert len(analyses) == 2
    waltz = rhythm_of(song, GridConfig(beats_per_bar=3))
    assert len(analyses) == 3 and waltz.grid.beats_per_bar == 3
    rhythm_of(song)
    assert len(analyses) == 3


def test_an_unwritable_cache_costs_only_time(song, tmp_path, analyses, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VISUALIZER_CACHE", str(blocker))
    first, second = rhythm_of(song), rhythm_of(song)
    assert len(analyses) == 2
    assert_same(first, second)


def test_the_folder_is_bounded_least_recently_used_first(folder):
    payload = bytes(1000)
    for n in range(5):
        cache.store("test", f"{n:064x}", payload, limit=10**9)
        os.utime(folder / f"test-{n:064x}.bin", ns=(n * 10**9, n * 10**9))
    assert cache.load("test", f"{0:064x}") == payload  # a hit makes entry 0 the newest
    cache.store("test", f"{9:064x}", payload, limit=3 * (len(payload) + 200))
    kept = sorted(int(p.stem.split("-")[1], 16) for p in folder.iterdir())
    assert kept == [0, 4, 9]
