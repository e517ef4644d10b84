"""Tempo is found at its metrical level or an octave of it, never at a 3:2 relative
(every second "beat" off-beat): generated songs at 100-174 BPM, offline and live."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.audio.songs import SONGS, StructuredSong, make_song
from visualizer.features.beat import BeatTracker
from visualizer.features.beat_grid import grid_from_onsets
from visualizer.features.onset import OnsetDetector, detect_onsets
from visualizer.features.tempo import TempoConfig, TempoEstimator, autocorrelation, gaussian

HOP = 256 / 44100  # s, the onset detector's hop
METRICAL = (1.0, 2.0, 0.5)
"""Accepted ratios of a found tempo to the true one."""


def ratio_is_metrical(found_bpm: float, true_bpm: float) -> bool:
    """Within 4% of the true tempo, twice it or half it."""
    return any(abs(found_bpm / true_bpm / k - 1.0) < 0.04 for k in METRICAL)


def eighths(bpm: float, on_beat: float, off_beat: float, seconds: float = 12.0) -> np.ndarray:
    """Onset envelope (one value per HOP) of 8th notes at `bpm`: Gaussian peaks half a
    frame wide at their exact times, `on_beat` and `off_beat` high in turn."""
    frames = np.arange(int(seconds / HOP))
    times = np.arange(0.1, seconds, 30.0 / bpm) / HOP
    heights = np.where(np.arange(len(times)) % 2 == 0, on_beat, off_beat)
    return sum(h * gaussian(frames - c, 0.5) for c, h in zip(times, heights))


def offline_grid(song: StructuredSong):
    x = song.samples
    blocks = (x[i:i + 65536] for i in range(0, len(x), 65536))
    return grid_from_onsets(detect_onsets(blocks, song.sample_rate))


def live_tempi(song: StructuredSong, block: int = 1024) -> np.ndarray:
    """The live tracker's tempo (BPM) after each block of the song's second half."""
    detector = OnsetDetector(song.sample_rate)
    tracker = BeatTracker(detector.hop_seconds, detector.latency)
    tempi = []
    for i in range(0, len(song.samples), block):
        detector.process(song.samples[i:i + block])
        strengths = detector.drain_strengths(bands=True)
        if len(strengths):
            tracker.update(strengths, detector.time)
        if i >= len(song.samples) // 2:
            tempi.append(tracker.state(detector.time).tempo_bpm)
    return np.array(tempi)


def test_a_pulse_train_correlates_alike_at_every_multiple_of_its_period():
    period = 60.0 / 174.0 / 2 / HOP  # 29.7 frames: the sub-frame phase repeats every 3
    envelope = eighths(174.0, 1.0, 1.0)
    blur = TempoConfig().blur / HOP
    lags = np.round(np.arange(1, 13) * period).astype(int)

    def spread(acf: np.ndarray) -> float:
        peaks = [acf[lag - 1: lag + 2].max() for lag in lags]
        return max(peaks) - min(peaks)

    assert spread(autocorrelation(envelope, 400, 0.0)) > 0.15, "sharp peaks: phase matters"
    assert spread(autocorrelation(envelope, 400, blur)) < 0.05


def test_the_prior_does_not_choose_between_3_2_relatives():
    estimator = TempoEstimator(HOP)
    scores = estimator.observe(eighths(174.0, 1.0, 0.8))
    found = float(estimator.bpms[np.argmax(scores)])
    assert ratio_is_metrical(found, 174.0), f"{found:.1f} BPM"


@pytest.mark.parametrize("kind", ["verse", "drop"])
@pytest.mark.parametrize("bpm", [100.0, 128.0, 150.0, 165.0, 174.0])
def test_loops_get_a_metrical_tempo_offline(kind, bpm):
    song = make_song([(kind, 24)], bpm, seed=1)
    grid = offline_grid(song)
    assert ratio_is_metrical(grid.tempo_bpm, bpm), f"{grid.tempo_bpm:.1f} BPM"


@pytest.mark.parametrize("name", ["edm_100", "edm_140", "edm_174"])
def test_every_offline_grid_beat_in_a_drop_is_a_true_beat(name):
    song = SONGS[name].render(22050)
    grid = offline_grid(song)
    truth = np.arange(0.0, song.duration, 60.0 / song.bpm)
    in_drop = np.zeros(len(grid.beats), dtype=bool)
    for start in song.drops:  # every drop of these songs lasts 16 bars
        in_drop |= (grid.beats >= start) & (grid.beats < start + 16 * song.bar_s)
    error = np.abs(grid.beats[in_drop, None] - truth[None, :]).min(axis=1)
    assert ratio_is_metrical(grid.tempo_bpm, song.bpm), f"{grid.tempo_bpm:.1f} BPM"
    assert in_drop.sum() > 0 and np.all(error < 0.07), "grid beats off the true beats"


@pytest.mark.parametrize("song", [
    pytest.param(lambda: make_song([("verse", 32)], 174.0, seed=1), id="verse_174"),
    pytest.param(lambda: make_song([("drop", 32)], 174.0, seed=1), id="drop_174"),
    pytest.param(lambda: SONGS["edm_174"].render(22050), id="edm_174"),
])
def test_the_live_tempo_of_174_bpm_music_is_metrical(song):
    song = song()
    tempi = live_tempi(song)
    good = np.mean([ratio_is_metrical(t, song.bpm) for t in tempi])
    assert good > 0.95, f"median {np.median(tempi):.1f} BPM"
