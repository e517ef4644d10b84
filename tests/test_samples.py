"""One mono mixdown (`audio.samples.mix_to_mono`), used by every consumer of audio."""

from __future__ import annotations

import numpy as np

from visualizer.audio.live import LiveBlock
from visualizer.audio.samples import CLIP, mix_to_mono
from visualizer.features.analyzer import StreamingAnalyzer
from visualizer.features.onset import OnsetDetector

RATE = 44100


def noisy_stereo(seconds: float = 1.0) -> np.ndarray:
    """(n, 2) float32 noise with NaN, +-Inf and over-range samples in it."""
    rng = np.random.default_rng(3)
    stereo = rng.standard_normal((int(seconds * RATE), 2)).astype(np.float32) * 0.3
    stereo[100:200, 0] = np.nan
    stereo[300, 1], stereo[301, 0] = np.inf, -np.inf
    stereo[400:410] = 9.0
    return stereo


def test_the_mixdown_averages_channels_and_makes_bad_samples_safe():
    assert mix_to_mono(np.array([[1.0, 0.0], [0.5, 0.5]])).tolist() == [0.5, 0.5]
    mono = mix_to_mono(noisy_stereo())
    assert mono.dtype == np.float32 and mono.shape == (RATE,)
    assert np.isfinite(mono).all() and np.abs(mono).max() <= CLIP
    assert mono[405] == CLIP
    assert mono[150] == 0.0 and mono[300] == 0.0  # a bad channel mutes the sample
    assert mix_to_mono(np.zeros((5, 0))).tolist() == [0.0] * 5
    assert mix_to_mono(np.array([np.nan, 1.0, -7.0])).tolist() == [0.0, 1.0, -CLIP]


def test_live_blocks_the_onset_detector_and_the_analyzer_mix_down_alike():
    stereo = noisy_stereo()
    mono = mix_to_mono(stereo)
    block = LiveBlock(stereo, 0, 0.0, 0.0, RATE, True, 0)
    assert np.array_equal(block.mono(), mono)
    a, b = OnsetDetector(RATE), OnsetDetector(RATE)
    assert a.process(stereo) == b.process(mono)
    assert np.array_equal(a.drain_strengths(bands=True), b.drain_strengths(bands=True))
    frames_stereo = StreamingAnalyzer(RATE, 30.0).feed(stereo)
    frames_mono = StreamingAnalyzer(RATE, 30.0).feed(mono)
    assert len(frames_stereo) == len(frames_mono) > 0
    for x, y in zip(frames_stereo, frames_mono):
        assert (x.level, x.bass, x.onset_strength) == (y.level, y.bass, y.onset_strength)
        assert np.array_equal(x.waveform, y.waveform)
