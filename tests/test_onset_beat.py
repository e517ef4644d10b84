"""Onsets, live beat tracking and the offline beat grid on signals with known answers."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import soundfile

from visualizer.cli.main import main
from visualizer.features.analyzer import StreamingAnalyzer
from visualizer.features.beat import BeatTracker
from visualizer.features.beat_grid import GridConfig, analyse_track
from visualizer.features.onset import OnsetDetector, OnsetEvent
from visualizer.features.rhythm import GridRhythm, LiveRhythm, analyse_track_rhythm

RATE = 44100


def click_track(bpm: float = 120.0, seconds: float = 20.0, rate: int = RATE,
                offset: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Short 1 kHz blips on every beat; (audio float32, beat times in seconds)."""
    beats = np.arange(offset, seconds - 0.05, 60.0 / bpm)
    t = np.arange(int(0.02 * rate)) / rate
    blip = 0.5 * np.sin(2 * np.pi * 1000.0 * t) * np.exp(-t / 0.005)
    audio = np.zeros(int(seconds * rate))
    for b in beats:
        start = round(b * rate)
        audio[start:start + len(blip)] += blip[: len(audio) - start]
    return audio.astype(np.float32), beats


def drum_loop(seconds: float = 8.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kicks on the beat and hats on the off-beat at 120 BPM: (audio, kicks, hats)."""
    rng = np.random.default_rng(1)
    n = int(0.3 * RATE)
    t = np.arange(n) / RATE
    attack = np.minimum(t / 0.002, 1.0) * np.minimum((t[-1] - t) / 0.05, 1.0)  # no cut-off click
    sweep = 2 * np.pi * np.cumsum(50.0 + 80.0 * np.exp(-t / 0.03)) / RATE
    kick = np.sin(sweep) * np.exp(-t / 0.1) * attack
    hat = np.diff(rng.standard_normal(n + 1)) * np.exp(-t / 0.015) * 0.25
    kicks = np.arange(0.5, seconds - 0.5, 0.5)
    hats = kicks + 0.25
    audio = np.zeros(int(seconds * RATE))
    for times, sound in ((kicks, kick), (hats, hat)):
        for x in times:
            start = round(x * RATE)
            audio[start:start + n] += sound[: len(audio) - start]
    return (0.5 * audio).astype(np.float32), kicks, hats


def run_live(audio: np.ndarray, rate: float = RATE, block: int = 1024):
    """Onset events, fired beats as (beat time, update time), the detector and tracker."""
    detector = OnsetDetector(rate)
    tracker = BeatTracker(detector.hop_seconds, detector.latency)
    events: list[OnsetEvent] = []
    fired: list[tuple[float, float]] = []
    for start in range(0, len(audio), block):
        events += detector.process(audio[start:start + block])
        strengths = detector.drain_strengths()
        if len(strengths):
            fired += [(b, detector.time) for b in tracker.update(strengths, detector.time)]
    return events, fired, detector, tracker


def f_measure(reference: np.ndarray, estimate: np.ndarray, window: float) -> float:
    """F-measure of one-to-one matches within +-window (greedy, in time order)."""
    est = sorted(estimate)
    used = [False] * len(est)
    hits = 0
    for r in reference:
        for i, e in enumerate(est):
            if not used[i] and abs(e - r) <= window:
                used[i], hits = True, hits + 1
                break
    if not hits:
        return 0.0
    precision, recall = hits / len(est), hits / len(reference)
    return 2 * precision * recall / (precision + recall)


def after(times, start: float = 5.0) -> np.ndarray:
    return np.array([t for t in times if t >= start])


def onset_times(events: list[OnsetEvent], band: str = "all") -> np.ndarray:
    return np.array([e.time for e in events if e.band == band])


def test_a_120_bpm_click_track_is_tracked_live():
    audio, beats = click_track()
    events, fired, detector, tracker = run_live(audio)
    state = tracker.state(detector.time)
    assert state.tempo_bpm == pytest.approx(120.0, abs=1.0)
    assert state.confidence > 0.5
    assert f_measure(after(beats), after(b for b, _ in fired), 0.07) >= 0.95
    assert f_measure(beats, onset_times(events), 0.05) >= 0.95


def test_the_offline_grid_of_a_click_track_is_exact():
    audio, beats = click_track()
    grid = analyse_track((audio[i:i + 7000] for i in range(0, len(audio), 7000)), RATE)
    assert grid.tempo_bpm == pytest.approx(120.0, abs=1.0)
    assert f_measure(after(beats), after(grid.beats), 0.07) >= 0.95
    assert np.median(np.abs(grid.beats[:, None] - beats[None, :]).min(axis=1)) < 0.01
    assert f_measure(beats, grid.onsets, 0.05) >= 0.95
    assert len(grid.downbeats) == pytest.approx(len(grid.beats) / 4, abs=1)


def test_kicks_are_bass_hits_and_hats_are_high_hits():
    audio, kicks, hats = drum_loop()
    events, _, _, _ = run_live(audio)
    assert f_measure(np.sort(np.r_[kicks, hats]), onset_times(events), 0.05) >= 0.95
    bass, high = onset_times(events, "bass"), onset_times(events, "high")
    assert all(np.abs(bass - k).min() < 0.05 for k in kicks)
    assert all(np.abs(high - h).min() < 0.05 for h in hats)
    assert not any(np.abs(bass - h).min() < 0.05 for h in hats)


def test_onsets_are_reported_within_30_ms():
    audio, _kicks, _hats = drum_loop()
    events, _, _, _ = run_live(audio, block=256)
    delays = [e.detected_at - e.time for e in events]
    assert min(delays) >= 0.0 and max(delays) <= 0.03
    assert all(0.0 <= e.strength <= 1.5 for e in events)


def test_causal_beats_fire_on_the_beat_not_after_it():
    audio, beats = click_track(seconds=15.0)
    events, fired, _detector, _ = run_live(audio, block=256)
    heard = onset_times(events) + 0.0  # the detector's own view of each click
    detected = np.array([e.detected_at for e in events if e.band == "all"])
    locked = [(b, now) for b, now in fired if b > 5.0]
    assert len(locked) >= 18
    for beat, now in locked:
        true = beats[np.argmin(np.abs(beats - beat))]
        assert -0.02 <= beat - true <= 0.005  # on the beat or just before, never late
        assert now - beat < 256 / RATE + 1e-9  # fired as soon as its time came
        click = np.argmin(np.abs(heard - true))
        assert now < detected[click]  # before the detector could even report the click


def test_tap_tempo_sets_the_tempo_and_the_phase():
    tracker = BeatTracker(256 / RATE)
    silence = np.zeros(int(0.5 / tracker.hop_seconds))
    tracker.update(silence, 0.5)
    for tap in (1.0, 1.6, 2.2, 2.8):
        tracker.tap(tap)
    assert tracker.state(2.9).tempo_bpm == pytest.approx(100.0, abs=0.5)
    fired = tracker.update(np.zeros(int(5.5 / tracker.hop_seconds)), 0.5 + 5.5)
    assert fired == pytest.approx([3.4, 4.0, 4.6, 5.2, 5.8], abs=0.002)


def test_manual_bpm_overrides_the_audio_and_can_be_released():
    audio, _ = click_track(seconds=24.0)
    detector = OnsetDetector(RATE)
    tracker = BeatTracker(detector.hop_seconds, detector.latency)
    tempi = []
    for start in range(0, len(audio), 4096):
        t = start / RATE
        if abs(t - 8.0) < 0.05:
            tracker.set_manual_bpm(100.0)
        if abs(t - 14.0) < 0.05:
            tracker.set_manual_bpm(None)
        detector.process(audio[start:start + 4096])
        tracker.update(detector.drain_strengths(), detector.time)
        tempi.append((detector.time, tracker.state(detector.time).tempo_bpm))
    assert all(bpm == pytest.approx(100.0) for t, bpm in tempi if 8.2 < t < 14.0)
    assert tempi[-1][1] == pytest.approx(120.0, abs=1.0)


def test_nudge_shifts_the_next_beat():
    audio, _ = click_track(seconds=10.0)
    _, _, detector, tracker = run_live(audio)
    before = tracker.state(detector.time).next_beat_time
    tracker.nudge(0.05)
    assert tracker.state(detector.time).next_beat_time == pytest.approx(before + 0.05, abs=1e-6)


def test_non_finite_samples_are_ignored():
    audio, beats = click_track(seconds=12.0)
    audio[::997] = np.nan
    audio[::1499] = np.inf
    audio[::2003] = -np.inf
    events, _fired, detector, tracker = run_live(audio)
    state = tracker.state(detector.time)
    values = (state.tempo_bpm, state.phase, state.bar_phase, state.pulse)
    assert all(math.isfinite(v) for v in values)
    assert state.tempo_bpm == pytest.approx(120.0, abs=1.0)
    assert f_measure(beats, onset_times(events), 0.05) >= 0.9


def test_silence_gives_no_onsets_no_beats_and_low_confidence():
    events, fired, detector, tracker = run_live(np.zeros(10 * RATE, np.float32))
    state = tracker.state(detector.time)
    assert events == [] and fired == []
    assert state.confidence < 0.2
    assert 0.0 <= state.phase < 1.0 and state.beat_count == 0 and state.pulse == 0.0
    grid = analyse_track([np.zeros(10 * RATE, np.float32)], RATE)
    assert len(grid.beats) == 0 and len(grid.onsets) == 0


@pytest.mark.parametrize("name", ["dc offset", "clipping"])
def test_dc_offset_and_clipping_keep_the_tempo(name):
    audio, beats = click_track(seconds=15.0)
    audio = audio + 0.4 if name == "dc offset" else np.clip(audio * 20.0, -1.0, 1.0)
    events, fired, detector, tracker = run_live(audio.astype(np.float32))
    assert tracker.state(detector.time).tempo_bpm == pytest.approx(120.0, abs=1.0)
    assert f_measure(beats, onset_times(events)[onset_times(events) > 0.1], 0.05) >= 0.95
    assert f_measure(after(beats), after(b for b, _ in fired), 0.07) >= 0.95


def test_one_sample_blocks_give_the_same_onsets_as_large_blocks():
    audio, _ = click_track(seconds=2.0)
    single, _, _, _ = run_live(audio, block=1)
    large, _, _, _ = run_live(audio, block=8192)
    assert len(single) > 0 and len(single) == len(large)
    for a, b in zip(single, large):
        assert (a.time, a.detected_at, a.band) == (b.time, b.detected_at, b.band)
        assert a.strength == pytest.approx(b.strength, rel=1e-9)


@pytest.mark.parametrize("rate", [22050, 192000])
def test_unusual_sample_rates(rate):
    audio, beats = click_track(seconds=14.2, rate=rate)
    events, fired, detector, tracker = run_live(audio, rate=rate, block=4096)
    assert tracker.state(detector.time).tempo_bpm == pytest.approx(120.0, abs=1.0)
    assert f_measure(beats, onset_times(events), 0.05) >= 0.95
    assert f_measure(after(beats), after(b for b, _ in fired), 0.07) >= 0.95


def test_a_fresh_tracker_reports_a_sane_state():
    state = BeatTracker(0.005).state(0.0)
    assert state.beat_count == 0 and state.phase == 0.0 and state.pulse == 0.0
    assert math.isfinite(state.next_beat_time) and state.tempo_bpm > 0


def test_the_offline_pre_pass_runs_onset_detection_once(monkeypatch):
    audio, _ = click_track(seconds=10.0)
    blocks = [audio[i:i + 7000] for i in range(0, len(audio), 7000)]
    analysed: list[int] = []
    process = OnsetDetector.process

    def counting(self, mono):
        analysed.append(len(mono))
        return process(self, mono)

    monkeypatch.setattr(OnsetDetector, "process", counting)
    rhythm = analyse_track_rhythm(iter(blocks), RATE)
    assert sum(analysed) == len(audio)  # every sample through one detector, once
    monkeypatch.undo()
    detector = OnsetDetector(RATE)
    events = [e for block in blocks for e in detector.process(block)]
    assert rhythm.events == tuple(events)  # the pulses and the grid share its onsets
    assert np.array_equal(rhythm.grid.onsets, [e.time for e in events if e.band == "all"])
    assert np.array_equal(rhythm.strength, detector.drain_strengths().astype(np.float32))
    alone = analyse_track(iter(blocks), RATE)
    assert np.array_equal(rhythm.grid.beats, alone.beats)
    assert np.array_equal(rhythm.grid.downbeats, alone.downbeats)


def waltz(seconds: float = 16.0) -> tuple[np.ndarray, np.ndarray]:
    """3/4 at 120 BPM: a 1 kHz blip on every beat, a kick on beat 1 of each bar after
    one pickup beat; (audio, downbeat times)."""
    audio, beats = click_track(seconds=seconds)
    n = int(0.3 * RATE)
    t = np.arange(n) / RATE
    sweep = 2 * np.pi * np.cumsum(50.0 + 80.0 * np.exp(-t / 0.03)) / RATE
    fade = np.minimum((t[-1] - t) / 0.05, 1.0)
    kick = (np.sin(sweep) * np.exp(-t / 0.1) * fade).astype(np.float32)
    downbeats = beats[1::3]
    for time in downbeats:
        start = round(time * RATE)
        audio[start:start + n] += 0.5 * kick[: len(audio) - start]
    return audio, downbeats


def test_the_grid_and_every_frame_carry_the_meter():
    audio, downbeats = waltz()
    blocks = [audio[i:i + 8192] for i in range(0, len(audio), 8192)]
    track = analyse_track_rhythm(iter(blocks), RATE, GridConfig(beats_per_bar=3))
    assert track.grid.beats_per_bar == 3
    assert f_measure(after(downbeats, 1.0), after(track.grid.downbeats, 1.0), 0.05) >= 0.9
    analyzer = StreamingAnalyzer(RATE, 30.0, rhythm=GridRhythm(track))
    frames = [f for block in blocks for f in analyzer.feed(block)]
    assert {f.beats_per_bar for f in frames} == {3}
    for bar in downbeats[2:-2]:
        frame = frames[round((bar + 0.75) * 30.0)]  # the middle of the bar's second beat
        assert frame.bar_phase == pytest.approx(1.5 / 3, abs=0.05)


def test_the_live_tracker_counts_bars_of_its_meter():
    audio, _ = click_track(seconds=12.0)
    rhythm = LiveRhythm(RATE, beats_per_bar=3)
    for start in range(0, len(audio), 1024):
        rhythm.process(audio[start:start + 1024])
    values = rhythm.at(len(audio) / RATE)
    assert values["beats_per_bar"] == 3 and values["beat_count"] > 10
    beat_in_bar = values["bar_phase"] * 3 - values["beat_phase"]
    assert beat_in_bar == pytest.approx((values["beat_count"] - 1) % 3, abs=1e-6)


def test_a_track_that_starts_on_a_beat_reports_no_negative_time(tmp_path, capsys, monkeypatch):
    # The detector reports an onset `latency` before the end of its frame: a click on the
    # very first sample came out at -2.9 ms, the first grid beat too.
    audio, beats = click_track(seconds=10.0, offset=0.0)
    track = analyse_track_rhythm(iter([audio]), RATE)
    times = [e.time for e in track.events]
    assert min(times) == 0.0 and track.grid.beats[0] == 0.0 and track.grid.downbeats.min() >= 0.0
    assert np.all(np.diff(track.grid.beats) > 0)
    path = tmp_path / "on-the-beat.wav"
    soundfile.write(path, audio, RATE)
    monkeypatch.setenv("VISUALIZER_CACHE", str(tmp_path / "cache"))
    with pytest.raises(SystemExit) as done:
        main(["analyze", str(path), "--json"])
    assert done.value.code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["beats"][0] == 0.0 and report["onsets"][0] == 0.0
    assert min(report["beats"] + report["onsets"]) >= 0.0


def test_downbeats_of_a_four_on_the_floor_song_fall_on_the_bar_where_its_chords_change():
    """Every beat has the same kick, so the bass alone put "one" on beat four here;
    the timbre change into each beat (chords change on the bar) places it."""
    from visualizer.audio.songs import SONGS
    from visualizer.features.rhythm import analyse_track_rhythm

    song = SONGS["build_drop_on_bar_9"].render(22050)
    grid = analyse_track_rhythm([song.samples], song.sample_rate).grid
    bars = (grid.downbeats / (60.0 / song.bpm)) % song.beats_per_bar
    off = np.minimum(bars, song.beats_per_bar - bars)  # beats from the nearest true downbeat
    assert np.mean(off < 0.25) >= 0.9, np.round(bars, 2)
