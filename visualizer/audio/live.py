"""Live audio input that never stops the show.

`LiveInput` records a capture device through PortAudio: the callback only
copies each block into a lock-free ring (all channels kept) with the block's
ADC timestamp. The consumer calls `read()` as often as it likes and always
gets a gapless stream of frames at real-time pace: the device's frames while
it delivers, silence while it is starting, lost or being reopened.

A supervisor thread watches the stream (no callback for `watchdog_s`, or the
stream no longer active) and, once it is lost, re-enumerates devices and
tries to reopen the same device every `retry_s` until it comes back. It logs
one warning when the input is lost and one when it is back; what ALSA and
PortAudio print meanwhile stays off the terminal (`audio.native`). Times are
seconds in PortAudio's stream clock (`stream.time`); frame indices count the
frames `read()` has handed out since `start()`. Nothing starts at import.

Reopening re-initialises PortAudio, which closes every other PortAudio stream
of the process: use one LiveInput per process, and keep other audio elsewhere.
A dead stream is closed in a throwaway thread: when a server dies mid-read,
libpulse can deadlock PortAudio's audio thread for good, and closing such a
stream never returns. PortAudio is then not re-initialised (that would free
what the wedged thread uses); reopening uses the current device list instead.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np

from visualizer.audio.devices import (CaptureStream, InputDevice, list_input_devices,
                                      portaudio, rescan_devices, resolve_input_device)
from visualizer.audio.native import quiet_native_stderr
from visualizer.audio.samples import mix_to_mono
from visualizer.errors import AudioError

log = logging.getLogger(__name__)

MIN_RATE, MAX_RATE = 22050.0, 192000.0


def went_quiet(quiet_s: float, callbacks: int, watchdog_s: float, startup_grace_s: float,
               block_s: float) -> bool:
    """The watchdog's rule: a stream whose last callback came `quiet_s` seconds ago is
    lost when that exceeds `watchdog_s` (`startup_grace_s` before its first callback),
    and never within 4 blocks of `block_s` seconds."""
    limit = watchdog_s if callbacks else startup_grace_s
    return quiet_s > max(limit, 4 * block_s)


@dataclass(frozen=True)
class LiveBlock:
    """Frames from `read()`: `samples` (n, channels) float32; `first_sample` is the
    absolute index of samples[0], captured at `adc_time`; `now` is the stream time of
    the read; `live` is False when any frame is substituted silence; `dropped` frames
    were lost to an overrun just before this block."""

    samples: np.ndarray
    first_sample: int
    adc_time: float
    now: float
    sample_rate: float
    live: bool
    dropped: int

    @property
    def end_sample(self) -> int:
        return self.first_sample + len(self.samples)

    def mono(self) -> np.ndarray:
        """(n,) float32: `samples` mixed down (`audio.samples.mix_to_mono`)."""
        return mix_to_mono(self.samples)


class LiveInput:
    """A capture device as a gapless, self-healing stream; use as a context manager.

    device: index, (partial) name or None for the default; sample_rate: Hz (22.05-192k,
    None = the device's default); channels: None = min(2, the device's inputs).
    """

    def __init__(self, device: str | int | None = None, sample_rate: float | None = None,
                 channels: int | None = None, blocksize: int = 128,
                 latency: str | float = "low", *, watchdog_s: float = 2.0,  # a slow frame holds the GIL
                 retry_s: float = 1.0, startup_grace_s: float = 4.0):
        self._spec, self._rate, self._channels = device, sample_rate, channels
        self.blocksize, self.latency = blocksize, latency
        self.watchdog_s, self.retry_s, self.startup_grace_s = watchdog_s, retry_s, startup_grace_s
        self.device: InputDevice | None = None
        self.sample_rate, self.channels = 0.0, 0
        self.losses = self.reconnects = self.attempts = 0
        self.last_error = ""
        self._session: CaptureStream | None = None  # newest stream
        self._reading: CaptureStream | None = None  # stream whose ring read() drains
        self._origin = 0  # absolute index of ring frame 0 of _reading
        self._next = 0  # absolute index of the next frame read() hands out
        self._clock = (0, 0.0)  # (index, stream time) pacing silence
        self._fault, self._next_attempt = "", 0.0
        self._lost_at: float | None = None  # monotonic time the loss was announced
        self._dropped_before = self._overflows_before = 0  # of streams already replaced
        self._lock, self._wake, self._stop = threading.Lock(), threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._closing: list[threading.Thread] = []  # closes that have not returned yet

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> LiveInput:
        """Open the device (AudioError if impossible) and start the supervisor."""
        if self._thread is not None:
            return self
        device = resolve_input_device(self._spec)
        rate = float(self._rate or device.default_sample_rate)
        channels = int(self._channels or min(2, device.channels))
        if not MIN_RATE <= rate <= MAX_RATE:
            raise AudioError(f"sample rate {rate:g} Hz is out of range; use 22050 to 192000")
        if not 1 <= channels <= device.channels:
            raise AudioError(f"input {device.label()} has {device.channels} channel(s), "
                             f"not {channels}; ask for 1 to {device.channels}")
        self.device, self.sample_rate, self.channels = device, rate, channels
        self._session = self._open(device)
        self._reading, self._next = None, 0  # a restart begins a new stream of indices
        self._clock = (0, self._session.clock_offset + time.monotonic())
        self._stop.clear()
        self._thread = threading.Thread(target=self._supervise, name="live-input", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the supervisor and close the stream; idempotent. Returns at once even when
        a hung device blocks the supervisor (its daemon thread is left behind)."""
        thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None:
            thread.join(timeout=2.0)
        if self._session is not None and not self._session.closed:
            self._retire(self._session)

    def __enter__(self) -> LiveInput:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- consumer --------------------------------------------------------------------------

    def read(self) -> LiveBlock:
        """Every frame since the last read: the device's, or silence when it is not
        delivering (paced by the stream clock)."""
        if self._thread is None:
            raise AudioError("live input is not running; open it with `with LiveInput(...)`")
        self._wake.clear()
        self._check(probe=False)
        now, parts = self.now(), []
        first, dropped, live = self._next, 0, True
        current = self._reading
        if current is not None:
            got = current.ring.read()
            if len(got.samples) or got.dropped:
                first, dropped = self._origin + got.first_sample, got.dropped
                parts.append(got.samples)
                self._next = first + len(got.samples)
            if current.lost:  # drained: silence continues from its last frame's time
                self._clock = (self._next, self.time_of(self._next))
                self._reading = current = None
        if current is None:
            silence = int(self._clock[0] + (now - self._clock[1]) * self.sample_rate) - self._next
            if silence > 0:
                parts.append(np.zeros((silence, self.channels), np.float32))
                self._next += silence
                live = False
            newest = self._session
            if newest is not None and not newest.lost and newest.callbacks > 0:
                got = newest.ring.read()  # splice the new stream on, gapless
                self._reading, self._origin = newest, self._next - got.first_sample
                parts.append(got.samples)
                self._next += len(got.samples)
        samples = np.concatenate(parts) if parts else np.zeros((0, self.channels), np.float32)
        return LiveBlock(samples, first, self.time_of(first), now, self.sample_rate, live, dropped)

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep until new frames arrive (or, without a delivering device, one block of
        silence is due); False on timeout."""
        if self.state != "running":
            pace = max(self.blocksize, 64) / max(self.sample_rate, 1.0)
            time.sleep(pace if timeout is None else min(pace, timeout))
            return True
        return self._wake.wait(timeout)

    def now(self) -> float:
        """The stream clock now, seconds."""
        session = self._session
        return time.monotonic() + (session.clock_offset if session else 0.0)

    def time_of(self, index: int) -> float:
        """Stream time (s) at which frame `index` was captured (extrapolated for silence)."""
        reading = self._reading
        if reading is not None and index >= self._origin:
            anchor = reading.ring.anchor(index - self._origin)
            if anchor is not None:
                return anchor[1] + (index - self._origin - anchor[0]) / self.sample_rate
        return self._clock[1] + (index - self._clock[0]) / max(self.sample_rate, 1.0)

    # -- status ----------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """"starting" | "running" | "lost" | "reconnecting" | "stopped"."""
        session = self._session
        if self._thread is None or session is None:
            return "stopped"
        if session.lost:
            return self._fault
        if session.callbacks == 0:
            return "reconnecting" if self.reconnects else "starting"
        return "running"

    @property
    def status_text(self) -> str:
        """One short line for a HUD."""
        name = self.device.name if self.device else "input"
        state = self.state
        if state == "running":
            text = f"IN {name} {self.sample_rate / 1000:g}k {self.channels}ch"
            drops = self.dropped_frames + self.overflows
            return text + (f" overruns {drops}" if drops else "")
        if state == "reconnecting":
            return f"IN {name} LOST: reconnecting (try {self.attempts})"
        return f"IN {name} {state.upper()}" + (": silence" if state == "lost" else "")

    @property
    def dropped_frames(self) -> int:
        """Frames lost because the consumer fell more than the ring (2 s) behind."""
        session = self._session
        return self._dropped_before + (session.ring.dropped if session else 0)

    @property
    def overflows(self) -> int:
        """Callbacks that PortAudio flagged with an input overflow (frames lost upstream)."""
        session = self._session
        return self._overflows_before + (session.overflows if session else 0)

    # -- supervisor ------------------------------------------------------------------------

    def _open(self, device: InputDevice) -> CaptureStream:
        sd = portaudio()
        try:
            with quiet_native_stderr():  # ALSA and PortAudio narrate every failed attempt
                return CaptureStream(device, self.sample_rate, self.channels, self.blocksize,
                                     self.latency, self._wake)
        except (sd.PortAudioError, ValueError) as exc:
            message = (f"cannot open input {device.label()} at {self.sample_rate:g} Hz x "
                       f"{self.channels} ({exc}); try another rate, channels or device")
            raise AudioError(message) from exc

    def _check(self, probe: bool) -> None:
        """Declare the current stream lost when its callback went quiet (or, with probe,
        when PortAudio says it is no longer active)."""
        session = self._session
        if session is None or session.lost:
            return
        dead = went_quiet(time.monotonic() - session.last_callback, session.callbacks,
                          self.watchdog_s, self.startup_grace_s, self.blocksize / self.sample_rate)
        if not dead and probe:
            dead = not session.stream.active
        if dead:
            with self._lock:
                if not session.lost:
                    session.lost, self._fault = True, "lost"
                    self.losses += 1
                    self._next_attempt = time.monotonic() + min(0.25, self.retry_s)

    def _announce(self) -> None:
        """One line when the input is lost, one when it delivers again."""
        state, name = self.state, self.device.label() if self.device else "input"
        if state in ("lost", "reconnecting") and self._lost_at is None:
            self._lost_at = time.monotonic()
            log.warning("audio input %s lost; silence until it is back (reconnecting)", name)
        elif state == "running" and self._lost_at is not None:
            log.warning("audio input %s is back after %.1f s", name, time.monotonic() - self._lost_at)
            self._lost_at = None

    def _supervise(self) -> None:
        while not self._stop.wait(0.05):
            try:
                self._check(probe=True)
                self._announce()
                session = self._session
                if session is not None and session.lost:
                    if not session.closed:
                        self._retire(session)
                    if time.monotonic() >= self._next_attempt:
                        self._reopen(session)
            except Exception as exc:  # noqa: BLE001 - the supervisor must outlive any fault
                self.last_error = f"{type(exc).__name__}: {exc}"

    def _reopen(self, lost: CaptureStream) -> None:
        self._fault, self.attempts = "reconnecting", self.attempts + 1
        self._next_attempt = time.monotonic() + self.retry_s
        self._closing = [thread for thread in self._closing if thread.is_alive()]
        try:
            if not self._closing:  # never re-initialise under a wedged stream
                rescan_devices()
            session = self._open(self._find_device())
        except AudioError as exc:
            self.last_error = str(exc)
            return
        if self._stop.is_set():  # stop() ran meanwhile: nobody will close this one
            self._retire(session)
            return
        self._dropped_before += lost.ring.dropped
        self._overflows_before += lost.overflows
        self._session, self.reconnects = session, self.reconnects + 1

    def _retire(self, session: CaptureStream, wait_s: float = 1.0) -> None:
        """Close a stream in a daemon thread, waiting at most `wait_s` for it."""
        session.closed = True
        thread = threading.Thread(target=session.close, name="live-input-close", daemon=True)
        thread.start()
        thread.join(wait_s)
        if thread.is_alive():
            self._closing.append(thread)
            self.last_error = f"input {session.device.name!r} hangs in its driver; left behind"

    def _find_device(self) -> InputDevice:
        """The device opened first (same name), or what the original spec names now."""
        devices = list_input_devices()
        assert self.device is not None
        for device in devices:
            if device.name == self.device.name:
                return device
        if isinstance(self._spec, int) or (isinstance(self._spec, str) and self._spec.isdigit()):
            raise AudioError(f"input {self.device.name!r} is not back yet")
        return resolve_input_device(self._spec, devices)
