"""One band definition: the levels, the `bands` texture and the onset hits agree."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.features.analyzer import StreamingAnalyzer
from visualizer.features.bands import BANDS_HZ, LOG_RANGE_HZ, LogBands, band_bins
from visualizer.features.frame import BAND_COUNT
from visualizer.features.onset import GROUPS, OnsetDetector, group_weights
from visualizer.features.spectrum import fft_size_for

RATES = [8000, 22050, 44100, 48000, 96000]


def band_holding(freq: float) -> str | None:
    return next((name for name, (lo, hi) in BANDS_HZ.items() if lo <= freq < hi), None)


def bins_inside(name: str, rate: float, fft_size: int) -> list[int]:
    """Every bin up to Nyquist whose centre frequency lies in band `name`'s [low, high)."""
    low, high = BANDS_HZ[name]
    return [k for k in range(fft_size // 2 + 1) if low <= k * rate / fft_size < high]


@pytest.mark.parametrize("rate", RATES)
def test_hits_and_levels_cover_the_same_hz_range(rate):
    """Each level band and each hit band takes every bin whose centre lies between
    the band's Hz edges and no other: the same lowest and highest frequency."""
    fft_size = fft_size_for(rate)
    for name, bins in band_bins(rate, fft_size).items():
        assert list(range(bins.start, bins.stop)) == bins_inside(name, rate, fft_size), name
    detector = OnsetDetector(rate)
    bands, groups = detector.bands, group_weights(detector.bands)
    for col, name in enumerate(GROUPS[1:], start=1):
        held = [k for b in np.nonzero(groups[:, col])[0]
                for k in range(bands.starts[b], bands.stops[b])]
        assert sorted(held) == bins_inside(name, rate, detector.frame_size), name


def test_a_25_hz_kick_drives_the_bass_level_and_the_bass_hit():
    """20-30 Hz sits inside `bass`: uBass and uBassHit both hear it."""
    rate, t = 44100, np.arange(4 * 44100) / 44100
    local = t % 0.5  # a burst every half second, 10 ms attack, 20 ms release
    envelope = np.clip(local / 0.01, 0, 1) * np.clip((0.25 - local) / 0.02, 0, 1)
    signal = (0.5 * envelope * np.sin(2 * np.pi * 25.0 * t)).astype(np.float32)
    analyzer = StreamingAnalyzer(rate, 30.0)
    frames = [f for start in range(0, len(signal), 4096)
              for f in analyzer.feed(signal[start:start + 4096])][30:]
    assert max(f.bass for f in frames) > 0.5
    assert max(f.bass_hit for f in frames) > 0.5
    assert max(f.high_hit for f in frames) < 0.1


@pytest.mark.parametrize("rate", RATES)
def test_levels_and_onset_hits_use_the_same_band_edges(rate):
    fft_size = fft_size_for(rate)
    for name, bins in band_bins(rate, fft_size).items():
        centres = np.arange(bins.start, bins.stop) * rate / fft_size
        assert {band_holding(f) for f in centres} == {name}
    detector = OnsetDetector(rate)
    groups = group_weights(detector.bands)
    for centre, row in zip(detector.bands.centres_hz, groups):
        members = [GROUPS[col] for col in range(1, 4) if row[col] > 0]
        assert members == [band_holding(centre)]


@pytest.mark.parametrize("rate", RATES)
def test_a_log_band_sums_the_bins_whose_centre_it_holds(rate):
    fft_size = fft_size_for(rate)
    bands = LogBands(rate, fft_size, count=BAND_COUNT)
    high = min(LOG_RANGE_HZ[1], 0.45 * rate)
    edges = np.geomspace(LOG_RANGE_HZ[0], high, BAND_COUNT + 1) * fft_size / rate  # in bins
    assert bands.count == BAND_COUNT
    for b, (start, stop) in enumerate(zip(bands.starts, bands.stops)):
        held = np.arange(np.ceil(edges[b]), np.ceil(edges[b + 1]))  # bin centres inside
        if len(held):
            assert (start, stop) == (held[0], held[-1] + 1)
        else:  # narrower than a bin: the bin nearest its centre
            assert stop == start + 1 and abs(start - np.sqrt(edges[b] * edges[b + 1])) <= 0.5
    ones = np.ones((1, fft_size // 2 + 1))
    assert np.array_equal(bands.sums(ones)[0], bands.counts)


def test_onset_bands_cover_the_range_once():
    bands = OnsetDetector(44100).bands
    assert np.array_equal(bands.starts[1:], bands.stops[:-1])  # contiguous, no bin twice
    assert bands.centres_hz[0] >= BANDS_HZ["bass"][0] and bands.centres_hz[-1] < BANDS_HZ["high"][1]
