"""A file's sound through a real PulseAudio null sink while the picture follows what is
heard (`FileFeed`), silence without an output device, and the device lost and back.

The sink's monitor is recorded in this process (an `sd.InputStream` on "default", which
is the null sink's monitor) with each block's ADC time moved onto `time.perf_counter`.
The picture's view of a click is the moment the `read()` that hands out its frame
returns; the sound's is the monitor's time of the click. Nothing is timed by sleeping:
reads are paced like video frames, every wait is for a condition with a deadline
(`HANG_S`) that only bounds a hang. A null sink plays oddly for its first second or two
(the stream waits, then catches up), so alignment is measured once the picture has
passed `SETTLE_S` of the file.
"""

from __future__ import annotations

import re
import threading
import time

import numpy as np
import soundfile
from pulse import MonitorRecorder as Monitor
from pulse import click_track, find_clicks, pulse_server_fixture

import visualizer.audio.sound_out as sound_out_module
from visualizer.audio.devices import portaudio, rescan_devices
from visualizer.audio.out_ring import OutputRing
from visualizer.audio.playback import FileFeed
from visualizer.audio.sound_out import NO_OUTPUT

RATE = 48000
HANG_S = 30.0
"""Seconds before a wait for a condition gives up: a bound on a hang, never a measurement."""
FRAME_S = 1 / 120
"""How often the test reads, like a video frame loop."""
SETTLE_S = 2.5
TOLERANCE_MS = 30.0
pulse = pulse_server_fixture("module")


# -- helpers ---------------------------------------------------------------------------------

def clicks_file(tmp_path, count: int = 10, spacing_s: float = 0.2):
    """A stereo WAV of `count` clicks `spacing_s` apart (it loops in FileFeed)."""
    mono = click_track(count, spacing_s, lead_s=0.05, rate=RATE)
    path = tmp_path / "clicks.wav"
    soundfile.write(path, np.stack([mono, mono], axis=1), RATE, subtype="FLOAT")
    return path


class Viewer:
    """Reads a FileFeed once per 'frame', keeping when each frame range was handed out."""

    def __init__(self, feed: FileFeed, clock: list[float] | None = None):
        self.feed, self.ends, self.times, self.monos = feed, [0], [], []
        self.clock = clock  # a fake `now` for the feed, advanced one frame per read

    def pump(self, until, timeout: float = HANG_S) -> bool:
        deadline, tick = time.monotonic() + timeout, threading.Event()
        while time.monotonic() < deadline:
            if self.clock is not None:
                self.clock[0] += FRAME_S
            samples = self.feed.read()
            self.times.append(time.perf_counter())
            self.ends.append(self.ends[-1] + len(samples))
            self.monos.append(samples.mean(axis=1))
            if until():
                return True
            tick.wait(FRAME_S)  # the next video frame
        return False

    @property
    def position(self) -> int:
        return self.ends[-1]

    def click_times(self, since_frame: int = 0) -> np.ndarray:
        """perf_counter time of the read that handed out each click at or after `since_frame`."""
        clicks = find_clicks(np.concatenate(self.monos))
        clicks = clicks[clicks >= since_frame]
        return np.array(self.times)[np.searchsorted(self.ends[1:], clicks, side="right")]


def offsets_ms(picture: np.ndarray, heard: np.ndarray) -> np.ndarray:
    """For each picture click, picture time minus the nearest monitor click's time (ms)."""
    nearest = heard[np.argmin(np.abs(heard[None, :] - picture[:, None]), axis=1)]
    return (picture - nearest) * 1000


# -- the ring --------------------------------------------------------------------------------

def test_output_ring_hands_frames_to_the_device_in_order_and_fills_underruns_with_silence():
    ring = OutputRing(8, 2, first=100)
    frames = np.arange(24, dtype=np.float32).reshape(12, 2)
    assert ring.write(frames) == 8 and ring.free == 0  # only what fits
    out = np.full((5, 2), -1.0, np.float32)
    assert ring.take_into(out) == 5 and ring.taken == 105
    np.testing.assert_array_equal(out, frames[:5])
    assert ring.write(frames[8:]) == 4  # wraps around the end of the buffer
    out = np.full((10, 2), -1.0, np.float32)
    assert ring.take_into(out) == 7 and ring.short == 3
    np.testing.assert_array_equal(out[:7], frames[5:12])
    assert not out[7:].any() and ring.taken == ring.written == 112


# -- sound and picture together --------------------------------------------------------------

def test_the_clicks_reach_the_monitor_when_the_picture_hands_them_out(pulse, tmp_path):
    with Monitor() as monitor, FileFeed(clicks_file(tmp_path)) as feed:
        viewer = Viewer(feed)
        settled = int(SETTLE_S * RATE)
        enough = lambda: len(viewer.click_times(settled)) >= 12  # noqa: E731
        assert viewer.pump(enough), f"{feed.status()}; picture at {viewer.position / RATE:.2f} s"
        heard = monitor.click_times()
        picture = viewer.click_times(settled)[:-1]  # the last may not be on the monitor yet
        assert feed.status().startswith("file clicks.wav, sound default ")
        assert feed.sound.losses == 0
        assert 0.0 < feed.sound.latency_s < 0.5
    assert len(heard) >= len(picture)  # (a) the sound reaches the sink
    offsets = offsets_ms(picture, heard)
    print(f"picture - heard: median {np.median(offsets):+.1f} ms, "
          f"range {offsets.min():+.1f}..{offsets.max():+.1f} ms over {len(offsets)} clicks")
    assert np.all(np.abs(offsets) < TOLERANCE_MS), offsets  # (b) the picture shows what is heard


def test_no_output_device_plays_silently_paced_by_the_clock_and_says_so_once(pulse, tmp_path,
                                                                              monkeypatch, caplog):
    caplog.set_level("WARNING", logger="visualizer.audio.sound_out")
    monkeypatch.setenv("PULSE_SERVER", f"unix:{pulse.folder}/nobody-here")
    clock = [10.0]
    try:
        rescan_devices()
        if any(d["max_output_channels"] for d in portaudio().query_devices()):  # a sound card
            monkeypatch.setattr(sound_out_module, "find_output_device", lambda spec=None: None)
        with FileFeed(clicks_file(tmp_path), now=lambda: clock[0]) as feed:
            assert feed.status() == "file clicks.wav (not started)" and caplog.records == []  # nothing yet
            feed.start()  # the show's first read: the sound opens (here: no device)
            assert feed.sound is None and feed.status() == "file clicks.wav (silent)"
            for step in (0.5, 0.25, 0.125):
                clock[0] += step
                assert len(feed.read()) == int(step * RATE)  # paced by the clock, to the frame
    finally:
        monkeypatch.setenv("PULSE_SERVER", pulse.server)
        rescan_devices()
    assert [r.getMessage() for r in caplog.records] == [NO_OUTPUT]


def test_sound_off_is_silent_and_quiet(tmp_path, caplog):
    clock = [0.0]
    with FileFeed(clicks_file(tmp_path), sound=False, now=lambda: clock[0]) as feed:
        clock[0] = 5.0  # opened a while before the show's first read: no audio goes by unplayed
        feed.start()
        clock[0] = 6.0
        assert len(feed.read()) == RATE and feed.status() == "file clicks.wav (sound off)"
    assert caplog.records == []


def test_the_server_killed_and_back_the_picture_goes_on_and_the_sound_returns(pulse, tmp_path,
                                                                              caplog):
    caplog.set_level("WARNING", logger="visualizer.audio.sound_out")
    clock = [0.0]  # paces the picture while the sound is lost: one video frame per read
    with FileFeed(clicks_file(tmp_path), now=lambda: clock[0]) as feed:
        viewer = Viewer(feed, clock)
        assert viewer.pump(lambda: viewer.position >= RATE), feed.status()
        try:
            pulse.kill()
            assert viewer.pump(lambda: "LOST" in feed.status()), feed.status()
            lost_from = len(viewer.ends)
            assert viewer.pump(lambda: viewer.position - viewer.ends[lost_from] >= RATE // 2)
            tries = feed.sound.attempts
            assert feed.status() == f"file clicks.wav, sound LOST: reconnecting (try {tries})"
            steps = np.diff(viewer.ends[lost_from:])  # the clock's pace, to a frame:
            assert np.all(np.abs(steps - FRAME_S * RATE) <= 1), steps
        finally:
            pulse.start()
        assert viewer.pump(lambda: feed.sound.state == "playing"), feed.status()
        with Monitor() as monitor:
            assert viewer.pump(lambda: len(monitor.click_times()) >= 3), feed.status()
        status = feed.status()
        assert re.fullmatch(r"file clicks.wav, sound default \d+ ms( underruns \d+)?", status)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2, messages
    assert messages[0].startswith("audio output 'default' lost")
    assert messages[1].startswith("audio output 'default' is back after ")


def test_a_hung_server_trips_the_watchdog_and_the_sound_comes_back(pulse, tmp_path):
    # SIGSTOP: the stream stays open and "active" but no callback comes; only the watchdog
    # can tell. Reopen attempts block on the stopped server in their own thread: the
    # picture goes on (half a second of the clock) while the server is stopped.
    with FileFeed(clicks_file(tmp_path)) as feed:
        viewer = Viewer(feed)
        assert viewer.pump(lambda: viewer.position >= RATE), feed.status()
        try:
            pulse.suspend()
            assert viewer.pump(lambda: "LOST" in feed.status()), feed.status()
            lost_at = viewer.position
            assert viewer.pump(lambda: viewer.position - lost_at >= RATE // 2), feed.status()
        finally:
            pulse.resume()
        assert viewer.pump(lambda: feed.sound.state == "playing"), feed.status()
        with Monitor() as monitor:
            assert viewer.pump(lambda: len(monitor.click_times()) >= 3), feed.status()
