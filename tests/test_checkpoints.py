"""Checkpoints of the fast-forward before a late start (`frames.checkpoint`):
a second render resumes near its start, and its frames are bit-identical to a
full render's. Any checkpoint that does not fit is ignored."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile

from test_exact_start import COUNTER, TRAILS, write_preset
from visualizer import cache
from visualizer.audio.decode import AudioFile
from visualizer.frames import checkpoint
from visualizer.frames.checkpoint import Checkpoints
from visualizer.frames.loop import history_frames, render_range
from visualizer.params.engine import modulation_engine
from visualizer.preset.loader import load_preset
from visualizer.render.graph import RenderGraph

FPS = 15
SIZE = (40, 24)
RATE = 22050
SECONDS = 16.0
INTERVAL = 1.0
"""Seconds of audio between checkpoints: one per analysis block here (the default is 60)."""


@pytest.fixture(scope="module")
def song(tmp_path_factory) -> Path:
    """16 s of kicks, a wandering tone and noise: onsets, beats and bands that change."""
    rng = np.random.default_rng(14)
    time = np.arange(int(SECONDS * RATE)) / RATE
    kicks = np.sin(2 * np.pi * 55 * time) * np.exp(-((time % 0.5) * 18))
    tone = 0.3 * np.sin(2 * np.pi * (440 + 200 * np.sin(time * 0.7)) * time)
    mono = (0.6 * kicks + tone + 0.05 * rng.standard_normal(time.size)).astype(np.float32)
    path = tmp_path_factory.mktemp("song") / "song.wav"
    soundfile.write(path, np.stack([mono, mono[::-1]], axis=1), RATE)
    return path


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch) -> Path:
    """A fresh cache folder per test: no checkpoint from another test."""
    monkeypatch.setenv("VISUALIZER_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "analysis"


def _render(ctx, spec, song: Path, start: int, count: int, keeper: Checkpoints, size=SIZE, ssaa=1,
            beats: str = "offline", **values: object) -> list[np.ndarray]:
    engine = modulation_engine(spec, FPS)
    for name, value in values.items():
        engine.set_base(name, value)
    graph = RenderGraph(ctx, spec, size, ssaa)
    try:
        with AudioFile(song) as audio:
            return [graph.read_rgb().copy()
                    for _ in render_range(graph, engine, audio, FPS, start, count, beats, checkpoints=keeper)]
    finally:
        graph.release()


def _full(ctx, spec, song: Path, stop: int, **kwargs) -> list[np.ndarray]:
    return _render(ctx, spec, song, 0, stop, Checkpoints(interval_seconds=0), **kwargs)


def _same(frames: list[np.ndarray], full: list[np.ndarray], start: int) -> bool:
    return len(frames) > 0 and all(np.array_equal(a, full[start + i]) for i, a in enumerate(frames))


def _preset(name: str, tmp_path_factory):
    if name == "mimic_bloom":
        return load_preset("mimic_bloom")
    if name == "slow-trails":  # the engine's smoothing remembers far back: 20 s to fall
        trails = _preset("trails", tmp_path_factory)
        return replace(trails, modulations=tuple(replace(m, attack=3.0, release=20.0) for m in trails.modulations))
    files = {"trails": TRAILS, "counter": COUNTER}[name]
    return write_preset(tmp_path_factory.mktemp(name), files, f"{name}.toml")


def test_live_beats_resume_from_a_checkpoint_with_their_live_structure(ctx, song, tmp_path_factory):
    """The live rhythm (beat tracker, onset detector and the structure tapping its
    spectra) is saved and restored whole: the resumed frames equal a full render's."""
    spec = _preset("counter", tmp_path_factory)
    start, count = 13 * FPS, 4
    full = _full(ctx, spec, song, start + count, beats="live")
    first, again = Checkpoints(INTERVAL), Checkpoints(INTERVAL)
    assert _same(_render(ctx, spec, song, start, count, first, beats="live"), full, start)
    assert first.saved
    assert _same(_render(ctx, spec, song, start, count, again, beats="live"), full, start)
    assert again.resumed_at > 0


@pytest.mark.parametrize("name", ["mimic_bloom", "trails", "counter", "slow-trails"])
def test_a_second_late_start_resumes_from_a_checkpoint_and_draws_the_same_frames(ctx, song, name,
                                                                                 tmp_path_factory):
    spec = _preset(name, tmp_path_factory)
    start, later, count = 13 * FPS, 14 * FPS, 5
    full = _full(ctx, spec, song, later + count)
    first, again, other = Checkpoints(INTERVAL), Checkpoints(INTERVAL), Checkpoints(INTERVAL)
    assert _same(_render(ctx, spec, song, start, count, first), full, start)
    assert first.resumed_at == 0 and first.saved and first.fast_forwarded > 0
    assert _same(_render(ctx, spec, song, start, count, again), full, start)
    first_drawn = start - history_frames(spec, FPS, start)
    latest = max(frame for frame in first.saved if frame <= first_drawn)  # later ones: saved while drawing
    assert again.resumed_at == latest > 0 and again.saved == []
    assert again.fast_forwarded == first.fast_forwarded - latest
    assert _same(_render(ctx, spec, song, later, count, other), full, later)  # another start
    assert other.resumed_at >= latest and other.fast_forwarded < first.fast_forwarded + FPS


def test_a_late_start_with_no_checkpoint_of_its_own_reuses_an_earlier_renders(ctx, song, tmp_path_factory):
    counter = _preset("counter", tmp_path_factory)
    full = _full(ctx, counter, song, 15 * FPS)
    _render(ctx, counter, song, 5 * FPS, 3, Checkpoints(INTERVAL))
    late = Checkpoints(INTERVAL)
    assert _same(_render(ctx, counter, song, 14 * FPS, 3, late), full, 14 * FPS)
    assert 3 * FPS < late.resumed_at <= 5 * FPS


def test_the_output_size_and_ssaa_share_checkpoints(ctx, song, tmp_path_factory):
    """State passes draw fixed-size targets: a checkpoint saved at one size serves another."""
    counter = _preset("counter", tmp_path_factory)
    start = 12 * FPS
    _render(ctx, counter, song, start, 3, Checkpoints(INTERVAL))
    full = _full(ctx, counter, song, start + 3, size=(24, 16), ssaa=2)
    resized = Checkpoints(INTERVAL)
    assert _same(_render(ctx, counter, song, start, 3, resized, size=(24, 16), ssaa=2), full, start)
    assert resized.resumed_at > 0


def test_corrupt_checkpoint_files_are_ignored(ctx, song, own_cache, tmp_path_factory):
    trails = _preset("trails", tmp_path_factory)
    start = 12 * FPS
    full = _full(ctx, trails, song, start + 4)
    _render(ctx, trails, song, start, 4, Checkpoints(INTERVAL))
    entries = sorted(own_cache.glob(f"{checkpoint.KIND}-*.bin"))
    assert entries
    for number, path in enumerate(entries):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if number % 2 else data[:-40] + bytes(40))
    after = Checkpoints(INTERVAL)
    assert _same(_render(ctx, trails, song, start, 4, after), full, start)
    assert after.resumed_at == 0 and after.saved  # ignored, then written again


class _Boom:
    def __reduce__(self):
        return (Path.touch, (Path("/nonexistent-dir/pwned"),))


@pytest.mark.parametrize("payload", [
    checkpoint.MAGIC + b"not a pickle",
    checkpoint.MAGIC + pickle.dumps({"frames": 1, "boom": _Boom()}),
    b"another format\n" + pickle.dumps({"frames": 1}),
], ids=["garbage", "foreign-class", "no-magic"])
def test_a_checkpoint_that_is_intact_on_disk_but_not_ours_is_a_miss(payload):
    series = "0" * 64
    cache.store(checkpoint.KIND, cache.entry_key(series, 4), payload)
    assert checkpoint.load(series, 4) is None


def test_a_changed_shader_or_parameter_misses(ctx, song, tmp_path_factory):
    folder = tmp_path_factory.mktemp("changed")
    counter = write_preset(folder, COUNTER, "counter.toml")
    start = 12 * FPS
    _render(ctx, counter, song, start, 3, Checkpoints(INTERVAL))
    shader = folder / "count.glsl"
    shader.write_text(shader.read_text().replace("0.01", "0.02"))
    edited = load_preset(folder / "counter.toml")
    full = _full(ctx, edited, song, start + 3)
    changed = Checkpoints(INTERVAL)
    assert _same(_render(ctx, edited, song, start, 3, changed), full, start)
    assert changed.resumed_at == 0
    trails = _preset("trails", tmp_path_factory)
    _render(ctx, trails, song, start, 3, Checkpoints(INTERVAL))
    for variant in ({"gain": 0.9}, {"spec": replace(trails, seed=4)}):
        keeper = Checkpoints(INTERVAL)
        spec = variant.pop("spec", trails)
        _render(ctx, spec, song, start, 3, keeper, **variant)
        assert keeper.resumed_at == 0, variant


def test_no_checkpoint_is_looked_up_or_saved_with_a_zero_interval(ctx, song, own_cache, tmp_path_factory):
    counter = _preset("counter", tmp_path_factory)
    keeper = Checkpoints(interval_seconds=0)
    _render(ctx, counter, song, 12 * FPS, 2, keeper)
    assert keeper.saved == [] and keeper.fast_forwarded == 12 * FPS
    assert not list(own_cache.glob(f"{checkpoint.KIND}-*.bin"))


def test_a_full_render_leaves_checkpoints_that_a_later_start_resumes_from(ctx, song, tmp_path_factory):
    spec = _preset("mimic_bloom", tmp_path_factory)
    stop = int(SECONDS * FPS) - 1
    first = Checkpoints(interval_seconds=INTERVAL)
    full = _render(ctx, spec, song, 0, stop, first)  # drawn from frame 0: nothing skipped
    assert first.fast_forwarded == 0 and len(first.saved) > 3
    start = stop - 20
    later = Checkpoints(interval_seconds=INTERVAL)
    frames = _render(ctx, spec, song, start, 20, later)
    assert later.resumed_at > 0 and later.fast_forwarded < start - history_frames(spec, FPS, start)
    assert _same(frames, full, start)
