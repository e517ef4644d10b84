"""Live input end to end through a real PulseAudio null sink (no sound card needed),
device listing and resolution, the lock-free ring, and device loss and recovery.

Nothing here is timed by the test: pace is counted in frames (clicks a known
distance apart, silence against the stream clock stamped on each read), and
every wait is for an event, with a deadline (`HANG_S`) that only bounds a hang."""

from __future__ import annotations

import builtins
import sys
import threading
import time

import numpy as np
import pytest
from pulse import click_track, find_clicks, pulse_server_fixture

import visualizer.audio.live as live_module
from visualizer.audio.devices import (NO_DEVICES, CaptureStream, format_device_table,
                                      list_input_devices, portaudio, resolve_input_device)
from visualizer.audio.live import LiveBlock, LiveInput, went_quiet
from visualizer.audio.samples import mix_to_mono
from visualizer.audio.ring import SampleRing
from visualizer.errors import AudioError

RATE = 48000
HANG_S = 30.0
"""Seconds before a wait for an event gives up: a bound on a hang, never a measurement."""
pulse = pulse_server_fixture("module")


# -- helpers ---------------------------------------------------------------------------------

class Recorder:
    """Reads a LiveInput, checking that blocks are gapless, and keeps everything."""

    def __init__(self, live: LiveInput):
        self.live, self.blocks, self._monos = live, [], []

    def pump(self, until, timeout: float) -> bool:
        """Read until `until()` is true (True) or `timeout` seconds pass (False, a hang)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.live.wait(0.05)
            block = self.live.read()
            if self.blocks and block.dropped == 0:
                assert block.first_sample == self.blocks[-1].end_sample
            self.blocks.append(block)
            self._monos.append(block.mono())
            if until():
                return True
        return False

    def mono(self, since: int = 0) -> tuple[np.ndarray, int]:
        """(samples, index of samples[0]) of the blocks starting at or after `since`."""
        kept = [k for k, b in enumerate(self.blocks) if b.first_sample >= since]
        if not kept:
            return np.zeros(0, np.float32), since
        return np.concatenate(self._monos[kept[0]:]), self.blocks[kept[0]].first_sample


def settled(live: LiveInput, recorder: Recorder) -> bool:
    """Running, with the backlog of a starting stream drained (the newest frame is recent)."""
    block = recorder.blocks[-1]
    return (live.state == "running" and block.live and len(block.samples) > 0
            and block.now - live.time_of(block.end_sample) < 0.03)


@pytest.fixture(scope="module")
def live(pulse):
    """One input for the end-to-end tests (a stream takes ~3 s to settle on a null sink);
    each fault test leaves it recovered and running."""
    with LiveInput("default", sample_rate=RATE, channels=2) as live:
        recorder = Recorder(live)
        assert recorder.pump(lambda: settled(live, recorder), HANG_S), live.status_text
        yield live, recorder


# -- ring buffer -----------------------------------------------------------------------------

def frames(start: int, n: int, channels: int = 2) -> np.ndarray:
    """Frames whose every channel holds the frame's absolute index."""
    return np.repeat(np.arange(start, start + n, dtype=np.float32)[:, None], channels, axis=1)


def test_ring_hands_out_frames_with_their_absolute_indices_across_wraparound():
    ring = SampleRing(10, 2)
    ring.write(frames(0, 7))
    got = ring.read()
    assert got.first_sample == 0 and got.dropped == 0
    np.testing.assert_array_equal(got.samples, frames(0, 7))
    ring.write(frames(7, 3))
    ring.write(frames(10, 4))  # wraps around the end of the buffer
    got = ring.read()
    assert (got.first_sample, got.dropped, ring.dropped) == (7, 0, 0)
    np.testing.assert_array_equal(got.samples, frames(7, 7))
    assert ring.read().samples.shape == (0, 2) and ring.available == 0


def test_ring_overrun_keeps_the_newest_frames_and_counts_the_dropped():
    ring = SampleRing(10, 2)
    for start in range(0, 25, 5):
        ring.write(frames(start, 5))
    got = ring.read()
    assert (got.first_sample, got.dropped, ring.dropped) == (15, 15, 15)
    np.testing.assert_array_equal(got.samples, frames(15, 10))
    ring.write(frames(25, 23))  # one write larger than the ring keeps its tail
    got = ring.read()
    assert (got.first_sample, got.dropped, ring.dropped, ring.written) == (38, 13, 28, 48)
    np.testing.assert_array_equal(got.samples, frames(38, 10))


def test_ring_max_frames_timestamps_mono_and_bad_writes():
    ring = SampleRing(64, 1)
    ring.write(np.arange(10, dtype=np.float32), timestamp=100.0)  # (n,) is fine for mono
    ring.write(np.arange(10, 16, dtype=np.float32)[:, None], timestamp=200.0)
    got = ring.read(max_frames=4)
    assert got.first_sample == 0 and got.samples[:, 0].tolist() == [0, 1, 2, 3]
    assert ring.read().first_sample == 4
    assert ring.anchor(3) == (0, 100.0) and ring.anchor(12) == (10, 200.0)
    ring.write(np.zeros((4, 3), np.float32))  # wrong channel count: counted, never raised
    assert ring.write_errors == 1 and ring.written == 16


def test_ring_concurrent_producer_never_hands_out_torn_or_misplaced_frames():
    # Writes of 2048 frames into a ring of 3072: numpy copies them without the GIL, so the
    # producer really overwrites frames while the consumer copies them out. Every 200 reads
    # the consumer lets the producer lap it (counted in frames written), so overruns happen
    # whatever the scheduler does.
    size, block, blocks = 3072, 2048, 5000  # indices stay exact in float32
    ring = SampleRing(size, 2)
    data = [frames(k * block, block) for k in range(blocks)]
    reads: list = []

    def produce():
        for chunk in data:
            ring.write(chunk)
            time.sleep(0)

    producer = threading.Thread(target=produce)
    producer.start()
    while producer.is_alive() or ring.available:
        if len(reads) % 200 == 0:
            lapped = ring.written + 2 * size
            while producer.is_alive() and ring.written < lapped:
                time.sleep(0)
        reads.append(ring.read())
        time.sleep(0)
    producer.join()
    received = sum(len(r.samples) for r in reads)
    assert received + ring.dropped == blocks * block
    assert ring.dropped > 0 and sum(1 for r in reads if r.dropped) >= 1
    assert sum(1 for r in reads if len(r.samples)) >= 2
    torn = [r.first_sample for r in reads  # every frame must hold its own index
            if np.any(r.samples != r.first_sample + np.arange(len(r.samples))[:, None])]
    assert torn == []


# -- devices ---------------------------------------------------------------------------------

def test_devices_lists_the_null_sink_monitor_and_resolves_specs(pulse):
    devices = list_input_devices()
    names = [d.name for d in devices]
    assert {"pulse", "default"} <= set(names)
    default = resolve_input_device(None)
    assert default.is_default and default.name == "default"
    assert resolve_input_device("PUL").name == "pulse"  # unique partial, any case
    assert resolve_input_device("default").name == "default"  # exact beats partial
    pulse_dev = next(d for d in devices if d.name == "pulse")
    assert resolve_input_device(pulse_dev.index) == pulse_dev
    assert resolve_input_device(str(pulse_dev.index)) == pulse_dev
    table = format_device_table(devices)
    assert "pulse" in table and "*" in table and "kHz" in table


@pytest.mark.parametrize("spec", ["no-such-mixer", 999])
def test_an_unknown_device_is_one_line_listing_the_inputs(pulse, spec):
    with pytest.raises(AudioError) as info:
        resolve_input_device(spec)
    message = str(info.value)
    assert "\n" not in message and "'pulse'" in message and "'default'" in message


def test_no_server_means_no_input_devices_and_says_how_to_fix(pulse, monkeypatch):
    assert "no audio input devices" in NO_DEVICES and "PulseAudio" in NO_DEVICES
    with pytest.raises(AudioError, match="no audio input devices found"):
        resolve_input_device(None, devices=[])
    monkeypatch.setenv("PULSE_SERVER", f"unix:{pulse.folder}/nobody-here")
    try:
        devices = list_input_devices(rescan=True)
        if not devices:  # CI and any machine without a sound card
            with pytest.raises(AudioError, match="no audio input devices found; connect one"):
                resolve_input_device(None)
            with pytest.raises(AudioError, match="no audio input devices"):
                LiveInput().start()
    finally:
        monkeypatch.setenv("PULSE_SERVER", pulse.server)
        list_input_devices(rescan=True)
    assert "default" in [d.name for d in list_input_devices()]


def test_missing_portaudio_library_says_install_libportaudio2(monkeypatch):
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", failing_import)
    with pytest.raises(AudioError, match="install libportaudio2"):
        portaudio()


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"sample_rate": 8000}, "22050 to 192000"), ({"channels": 64}, "channel"),
])
def test_live_input_rejects_impossible_settings(pulse, kwargs, words):
    with pytest.raises(AudioError, match=words):
        LiveInput("default", **kwargs).start()


def test_to_mono_and_nothing_runs_before_start():
    assert mix_to_mono(np.array([[1.0, 0.0], [0.5, 0.5]])).tolist() == [0.5, 0.5]
    idle = LiveInput()
    assert idle.state == "stopped"
    with pytest.raises(AudioError, match="not running"):
        idle.read()


@pytest.mark.parametrize(("rate", "channels"), [(22050, 1), (192000, 4)])
def test_any_rate_and_channel_count_streams_at_its_pace(pulse, rate, channels):
    # Pace counted in frames: clicks 100 ms apart in the sink arrive rate / 10 frames apart.
    with LiveInput("pulse", sample_rate=rate, channels=channels) as live:
        recorder = Recorder(live)
        assert recorder.pump(lambda: settled(live, recorder), HANG_S), live.status_text
        start, quiet = recorder.blocks[-1].end_sample, rate // 100
        player = pulse.play(click_track(count=5, spacing_s=0.1))
        heard = lambda: len(find_clicks(recorder.mono(start)[0], quiet=quiet)) >= 5  # noqa: E731
        assert recorder.pump(heard, HANG_S), f"clicks heard: {len(find_clicks(recorder.mono(start)[0]))}"
        assert player.wait(HANG_S) == 0
        spacing_ms = np.diff(find_clicks(recorder.mono(start)[0], quiet=quiet)) / rate * 1000
        assert (live.sample_rate, live.channels) == (rate, channels)
        assert recorder.blocks[-1].samples.shape[1] == channels
        assert len(spacing_ms) == 4 and np.all(np.abs(spacing_ms - 100.0) < 2.0), spacing_ms


# -- end to end ------------------------------------------------------------------------------

def test_clicks_played_into_the_sink_arrive_on_time(pulse, live):
    live, recorder = live
    start = recorder.blocks[-1].end_sample
    # The player keeps Pulse's default 2 s buffer: a short one underruns under load, which
    # delays the rest of the track (longer gaps that are not the recorder's doing).
    player = pulse.play(click_track(count=20, spacing_s=0.1))
    arrived = lambda: len(find_clicks(recorder.mono(start)[0])) >= 20  # noqa: E731
    assert recorder.pump(arrived, HANG_S), f"clicks heard: {len(find_clicks(recorder.mono(start)[0]))}"
    assert player.wait(HANG_S) == 0
    mono, first = recorder.mono(start)
    clicks = find_clicks(mono)
    assert len(clicks) == 20
    spacing_ms = np.diff(clicks) / RATE * 1000
    health = f"overflows {live.overflows}, dropped {live.dropped_frames}, losses {live.losses}"
    assert np.all(np.abs(spacing_ms - 100.0) < 2.0), f"{spacing_ms}; {health}"
    # The ADC timestamps agree with the sample clock: Pulse's timing reports jitter by about
    # 5 ms on a null sink, more when the machine is busy; a wrong rate or anchor in
    # `time_of` drifts by tens of ms over these 1.9 s.
    offsets = np.array([live.time_of(first + int(i)) - (first + i) / RATE for i in clicks])
    assert np.all(np.abs(offsets - np.median(offsets)) < 0.025), offsets - np.median(offsets)
    block = recorder.blocks[-1]
    assert isinstance(block, LiveBlock) and block.samples.shape[1] == 2 and block.live
    assert -0.01 <= block.now - block.adc_time < 1.0  # Pulse reports ADC times +-5 ms
    assert live.state == "running" and "48k 2ch" in live.status_text


def assert_paced_silence(live: LiveInput, recorder: Recorder, seconds: float) -> None:
    """While the device is gone, `seconds` of silence flow at the stream clock's pace:
    the frames between two reads match the clock each read stamped (`now`), to a frame."""
    begin = recorder.blocks[-1].end_sample
    enough = lambda: recorder.blocks[-1].end_sample - begin >= seconds * RATE  # noqa: E731
    assert recorder.pump(enough, HANG_S), live.status_text
    silent = [b for b in recorder.blocks if b.first_sample >= begin and len(b.samples)]
    assert len(silent) >= 2 and all(not b.live and not b.samples.any() for b in silent)
    first, last = silent[0], silent[-1]
    clocked = (last.now - first.now) * RATE
    assert abs((last.end_sample - first.end_sample) - clocked) <= 1.5, (first, last)
    assert live.state in ("lost", "reconnecting") and "LOST" in live.status_text


def assert_recovers(pulse, live: LiveInput, recorder: Recorder) -> None:
    """Back by itself, the caller doing nothing but reading; clicks come through again."""
    assert recorder.pump(lambda: live.state == "running", HANG_S), live.status_text
    start = recorder.blocks[-1].end_sample
    pulse.play(click_track(count=5, spacing_s=0.1))
    assert recorder.pump(lambda: len(find_clicks(recorder.mono(start)[0])) >= 5, HANG_S)


def test_the_watchdog_rule_waits_its_time_and_more_for_a_starting_stream():
    # The timing itself, with numbers for the clock: quiet seconds since the last callback.
    block_s = 128 / 48000  # 2.7 ms
    assert not went_quiet(0.49, 100, 0.5, 4.0, block_s)
    assert went_quiet(0.51, 100, 0.5, 4.0, block_s)
    assert not went_quiet(3.9, 0, 0.5, 4.0, block_s)  # no callback yet: the startup grace
    assert went_quiet(4.1, 0, 0.5, 4.0, block_s)
    assert not went_quiet(0.010, 100, 0.001, 4.0, block_s)  # never within 4 blocks (10.7 ms)
    assert went_quiet(0.011, 100, 0.001, 4.0, block_s)


def announcements(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "visualizer.audio.live"]


def assert_lost_and_back_once(caplog, recorder: Recorder) -> None:
    """One warning when the input was lost and one when it came back, nothing else."""
    assert recorder.pump(lambda: len(announcements(caplog)) >= 2, HANG_S), announcements(caplog)
    lost, back = announcements(caplog)
    assert lost.startswith("audio input ") and lost.endswith("'default' lost; silence until it is back (reconnecting)")
    assert back.startswith("audio input ") and " is back after " in back


def test_a_hung_device_trips_the_watchdog_then_recovers(pulse, live, caplog):
    live, recorder = live
    losses, reconnects = live.losses, live.reconnects
    caplog.set_level("WARNING", logger="visualizer.audio.live")
    try:
        pulse.suspend()  # the stream stays open and "active", but no callback comes
        assert recorder.pump(lambda: live.state != "running", HANG_S)  # only the watchdog can tell
        assert_paced_silence(live, recorder, 0.6)
    finally:
        pulse.resume()
    assert_recovers(pulse, live, recorder)
    assert live.losses == losses + 1 and live.reconnects > reconnects
    assert_lost_and_back_once(caplog, recorder)


def test_device_loss_gives_paced_silence_then_recovers_by_itself(pulse, live, caplog):
    live, recorder = live
    losses, reconnects = live.losses, live.reconnects
    caplog.set_level("WARNING", logger="visualizer.audio.live")
    try:
        pulse.kill()
        assert recorder.pump(lambda: live.state in ("lost", "reconnecting"), HANG_S)
        assert_paced_silence(live, recorder, 1.0)
        assert [" lost; " in m for m in announcements(caplog)] == [True]  # said once, while still lost
    finally:
        pulse.start()
    assert_recovers(pulse, live, recorder)
    assert live.losses == losses + 1 and live.reconnects > reconnects
    assert_lost_and_back_once(caplog, recorder)


def test_a_stream_wedged_in_its_driver_blocks_neither_recovery_nor_stop(pulse, live,
                                                                        monkeypatch):
    # When a server dies mid-read, libpulse can deadlock PortAudio's audio thread for good:
    # closing that stream never returns, and re-initialising PortAudio would free what the
    # wedged thread still uses. Recovery must go on without either.
    live, recorder = live
    wedged, release, rescans = live._session, threading.Event(), []
    real_close, real_rescan = CaptureStream.close, live_module.rescan_devices

    def close(self):
        if self is wedged:
            release.wait()
        real_close(self)

    monkeypatch.setattr(CaptureStream, "close", close)
    monkeypatch.setattr(live_module, "rescan_devices", lambda: rescans.append(1) or real_rescan())
    try:
        try:
            pulse.kill()
            assert recorder.pump(lambda: live.state in ("lost", "reconnecting"), HANG_S)
        finally:
            pulse.start()
        assert_recovers(pulse, live, recorder)
        assert rescans == [] and "hangs in its driver" in live.last_error
    finally:
        release.set()



# -- native chatter -------------------------------------------------------------------------

ALSA_ERROR = """
import ctypes, ctypes.util, sys
from visualizer.audio.native import silence_alsa_errors
if sys.argv[1] == "silenced":
    assert silence_alsa_errors()
alsa = ctypes.CDLL(ctypes.util.find_library("asound"))
handle = ctypes.c_void_p()
assert alsa.snd_pcm_open(ctypes.byref(handle), b"no-such-pcm", 1, 0) < 0
"""


@pytest.mark.parametrize("mode", ["default", "silenced"])
def test_alsa_errors_stay_off_the_terminal_once_silenced(mode):
    import subprocess

    result = subprocess.run([sys.executable, "-c", ALSA_ERROR, mode], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    if mode == "default":  # what the handler hides: ALSA's own line for a missing device
        assert "ALSA lib" in result.stderr and "no-such-pcm" in result.stderr
    else:
        assert result.stderr == ""


def test_concurrent_quiet_sections_restore_stderr_whatever_order_they_end(capfd):
    import os

    from visualizer.audio.native import quiet_native_stderr

    entered, release = threading.Event(), threading.Event()

    def other():
        with quiet_native_stderr():
            entered.set()
            release.wait(HANG_S)

    thread = threading.Thread(target=other)
    with quiet_native_stderr():
        thread.start()
        assert entered.wait(HANG_S)
        os.write(2, b"hidden 1\n")
    os.write(2, b"hidden 2\n")  # the other section is still open
    release.set()
    thread.join(HANG_S)
    os.write(2, b"shown\n")
    assert capfd.readouterr().err == "shown\n"
