"""The synthesised demo track: format, determinism, beat ground truth and arrangement."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from visualizer.audio import demo
from visualizer.errors import AudioError

SR = demo.DEMO_SAMPLE_RATE


@pytest.fixture(scope="module")
def track() -> np.ndarray:
    return demo.synthesize_demo()


@pytest.fixture(scope="module")
def low_band(track: np.ndarray) -> np.ndarray:
    """The mono mix band-limited to 30-120 Hz (smooth FFT mask, no ringing to speak of)."""
    mono = track.astype(np.float64).mean(axis=1)
    freqs = np.fft.rfftfreq(len(mono), 1.0 / SR)
    mask = np.clip((freqs - 25.0) / 10.0, 0, 1) * np.clip((130.0 - freqs) / 20.0, 0, 1)
    return np.fft.irfft(np.fft.rfft(mono) * mask, n=len(mono))


def _energy(x: np.ndarray, start_s: float, end_s: float) -> float:
    return float(np.mean(x[int(round(start_s * SR)): int(round(end_s * SR))] ** 2))


@pytest.fixture
def fast_synth(monkeypatch: pytest.MonkeyPatch, track: np.ndarray) -> None:
    """Reuse the module's track instead of synthesising again (the file path is still real)."""
    monkeypatch.setattr(demo, "synthesize_demo", lambda sample_rate=SR: track.copy())


def test_shape_dtype_and_duration(track: np.ndarray) -> None:
    assert track.dtype == np.float32
    assert track.ndim == 2 and track.shape[1] == 2
    assert demo.DEMO_BPM == 120.0 and demo.DEMO_SAMPLE_RATE == 44100
    music_s = demo.DEMO_BARS * demo.BEATS_PER_BAR * 60.0 / demo.DEMO_BPM
    assert music_s == 32.0
    assert 32.0 <= track.shape[0] / SR <= 33.0
    assert track.shape[0] == round((music_s + demo.DEMO_TAIL_S) * SR)


def test_peak_and_finite(track: np.ndarray) -> None:
    assert np.all(np.isfinite(track))
    peak = float(np.max(np.abs(track)))
    assert 0.5 < peak < 1.0
    assert peak == pytest.approx(10 ** (-1 / 20), abs=0.01)  # -1 dBFS
    assert abs(float(track.mean())) < 0.01  # no DC offset to speak of


def test_deterministic(track: np.ndarray) -> None:
    assert np.array_equal(demo.synthesize_demo(), track)


def test_other_sample_rate_scales_length() -> None:
    audio = demo.synthesize_demo(22050)
    assert audio.shape == (round(32.5 * 22050), 2) and np.all(np.isfinite(audio))


def test_beat_times_are_the_kicks() -> None:
    beats = demo.demo_beat_times()
    assert beats.dtype == np.float64 and np.all(np.diff(beats) > 0)
    assert beats[0] == 0.0 and beats[-1] < 32.0
    assert np.allclose(np.diff(beats)[np.diff(beats) < 1.0], 0.5)  # 120 BPM grid
    lo, hi = (b * demo.BAR_S for b in demo.SECTIONS["breakdown"])
    assert not np.any((beats >= lo) & (beats < hi))  # drums drop out in the breakdown
    assert len(beats) == 4 * (demo.DEMO_BARS - 2)


def test_low_band_energy_follows_the_kicks(low_band: np.ndarray) -> None:
    beats = demo.demo_beat_times()
    ratios = [
        _energy(low_band, t, t + 0.05) / _energy(low_band, t + 0.45, t + 0.5)
        for t in beats
    ]
    assert min(ratios) > 4.0
    assert float(np.median(ratios)) > 10.0


def test_breakdown_is_quieter_in_the_lows_than_the_drop(
    track: np.ndarray, low_band: np.ndarray
) -> None:
    bar = demo.BAR_S
    (b0, b1), (d0, d1) = demo.SECTIONS["breakdown"], demo.SECTIONS["drop"]
    breakdown = _energy(low_band, b0 * bar, b1 * bar)
    drop = _energy(low_band, d0 * bar, d1 * bar)
    assert breakdown < drop / 100.0  # at least 20 dB lower
    mix = track.astype(np.float64)
    gap = _energy(mix, demo.GAP_S[0] + 0.02, demo.GAP_S[1] - 0.01)  # inside the fades
    assert gap < _energy(mix, d0 * bar, d1 * bar) / 10_000.0  # the silent beat: -40 dB


def test_write_demo_track(tmp_path: Path, fast_synth: None, track: np.ndarray) -> None:
    out = demo.write_demo_track(tmp_path / "demo.flac")
    assert out == tmp_path / "demo.flac"
    info = sf.info(str(out))
    assert info.format == "FLAC" and info.subtype == "PCM_16"
    assert info.samplerate == SR and info.channels == 2
    data, sr = sf.read(str(out), dtype="float32")
    assert sr == SR and data.shape == track.shape
    assert np.max(np.abs(data - track)) < 2.0 / 32768  # 16-bit quantisation only
    assert [p.name for p in tmp_path.iterdir()] == ["demo.flac"]  # no temp files left


def test_write_failure_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_synth: None
) -> None:
    def broken_write(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(sf, "write", broken_write)
    with pytest.raises(AudioError):
        demo.write_demo_track(tmp_path / "demo.flac")
    assert list(tmp_path.iterdir()) == []


def test_demo_track_path_honours_visualizer_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_synth: None
) -> None:
    cache = tmp_path / "cache" / "nested"
    monkeypatch.setenv("VISUALIZER_CACHE", str(cache))
    path = demo.demo_track_path()
    assert path == cache / demo.DEMO_FILE_NAME
    assert path.is_file() and sf.info(str(path)).frames == round(32.5 * SR)
    mtime = path.stat().st_mtime_ns
    calls: list[Path] = []
    monkeypatch.setattr(demo, "write_demo_track", lambda p: calls.append(p) or p)
    assert demo.demo_track_path() == path and calls == []  # cached: not written again
    assert path.stat().st_mtime_ns == mtime


def test_cache_dir_fallbacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISUALIZER_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert demo.demo_cache_dir() == tmp_path / "xdg" / "visualizer"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert demo.demo_cache_dir() == tmp_path / "home" / ".cache" / "visualizer"
