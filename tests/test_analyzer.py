"""The streaming analyzer on synthetic signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.features.analyzer import StreamingAnalyzer

RATE = 44100
FPS = 30.0


def tone(freq: float, seconds: float = 2.0, amplitude: float = 0.5, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def analyse(signal: np.ndarray, block: int = 4096, rate: int = RATE, fps: float = FPS):
    analyzer = StreamingAnalyzer(rate, fps)
    frames = []
    for start in range(0, len(signal), block):
        frames += analyzer.feed(signal[start:start + block])
    return frames


@pytest.mark.parametrize(("freq", "band"), [(60.0, "bass"), (1000.0, "mid"), (8000.0, "high")])
def test_a_sine_lands_in_its_band(freq, band):
    last = analyse(tone(freq))[-1]
    levels = {"bass": last.bass, "mid": last.mid, "high": last.high}
    assert levels[band] > 0.9
    assert all(value < 0.05 for name, value in levels.items() if name != band)


def test_a_sine_peaks_in_its_spectrum_bin():
    last = analyse(tone(1000.0))[-1]
    assert last.spectrum.shape == (512,)
    assert abs(int(last.spectrum.argmax()) - round(1000.0 / (RATE / 2048))) <= 1


def test_one_frame_per_video_frame_at_its_time():
    frames = analyse(tone(440.0, seconds=3.0))
    assert [round(f.time * FPS) for f in frames] == list(range(len(frames)))
    assert len(frames) == 90  # the last frame's centred window needs 1024 samples past it


def test_block_size_does_not_change_the_result():
    signal = np.random.default_rng(1).standard_normal(RATE * 2).astype(np.float32) * 0.2
    a, b = analyse(signal, block=333), analyse(signal, block=8192)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert (x.level, x.bass, x.mid, x.high) == (y.level, y.bass, y.mid, y.high)
        assert np.array_equal(x.spectrum, y.spectrum)


def test_silence_gives_zero_levels_and_a_flat_waveform():
    last = analyse(np.zeros(RATE, np.float32))[-1]
    assert (last.level, last.bass, last.mid, last.high) == (0.0, 0.0, 0.0, 0.0)
    assert np.all(last.spectrum == 0.0)
    assert np.all(last.waveform == 0.5)


def test_quiet_and_loud_tracks_drive_the_levels_alike():
    pulses = tone(80.0, seconds=4.0) * (np.arange(RATE * 4) % (RATE // 2) < RATE // 8)
    loud = [f.bass for f in analyse(pulses)]
    quiet = [f.bass for f in analyse(pulses * 0.05)]  # -26 dB
    assert max(loud) > 0.9 and max(quiet) > 0.9
    assert np.allclose(loud[60:], quiet[60:], atol=0.05)


def test_levels_follow_a_pulse_up_and_back_down():
    signal = np.zeros(RATE * 3, np.float32)
    signal[RATE: RATE + RATE // 10] = tone(80.0, 0.1)
    bass = [f.bass for f in analyse(signal)]
    assert max(bass[25:35]) > 0.9  # frame 30 is t = 1 s
    assert bass[60] < 0.05  # released a second later


def test_non_finite_samples_and_multichannel_input_are_safe():
    stereo = np.stack([tone(100.0), tone(100.0)], axis=1)
    stereo[1000:2000, 0] = np.nan
    stereo[3000, 1] = np.inf
    frames = analyse(stereo)
    assert all(np.isfinite([f.level, f.bass, f.mid, f.high]).all() for f in frames)
    assert all(0.0 <= f.bass <= 1.0 for f in frames)


def test_audio_texture_rows_are_spectrum_then_waveform():
    last = analyse(tone(440.0))[-1]
    texture = last.audio_texture()
    assert texture.shape == (2, 512) and texture.dtype == np.float32
    assert np.array_equal(texture[0], last.spectrum)
    assert texture[1].min() >= 0.0 and texture[1].max() <= 1.0


@pytest.mark.parametrize("rate", [22050, 48000, 96000, 192000])
def test_unusual_rates_keep_bands_right(rate):
    last = analyse(tone(1000.0, rate=rate), rate=rate)[-1]
    assert last.mid > 0.9 and last.bass < 0.05
