"""A file's sound on an output device that never stops the show.

`SoundOut` keeps one `OutputSession` (audio/out_session.py) playing and says
which frame of the file is being heard. Its consumer (the live show's
`FileFeed.read()`, once per video frame) calls `check()`: a session whose
callback went quiet (`watchdog_s`, or `startup_grace_s` before its first
callback) or whose stream stopped is declared lost; one warning says so, and
`retry()` then tries to reopen the same device at most every `retry_s`, in a
background thread (opening takes tens of ms: the frame loop never waits for
it). One warning says when it is back. Times are `time.perf_counter` seconds.

Finding a device that is not in PortAudio's list re-initialises PortAudio,
which closes every other PortAudio stream of the process (as `audio.live`
does): one audio stream per process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from visualizer.audio.devices import portaudio, rescan_devices
from visualizer.audio.live import went_quiet
from visualizer.audio.out_session import (DEFAULT_LATENCY_S, OutputDevice, OutputSession,
                                          find_output_device)
from visualizer.errors import AudioError

log = logging.getLogger(__name__)

NO_OUTPUT = "no audio output device: playing silently"


class SoundOut:
    """`path` played (looped) on `device` at `rate` Hz from frame 0; raises what opening
    raises (see `open_or_none`)."""

    def __init__(self, path: Path, rate: float, channels: int, device: OutputDevice,
                 latency: float | str = DEFAULT_LATENCY_S, *, watchdog_s: float = 2.0,
                 startup_grace_s: float = 4.0, retry_s: float = 1.0):
        self.path, self.rate, self.channels, self.device = Path(path), rate, channels, device
        self.latency, self.watchdog_s = latency, watchdog_s
        self.startup_grace_s, self.retry_s = startup_grace_s, retry_s
        self.losses = self.attempts = 0
        self.last_error = ""
        self._lost_at: float | None = None
        self._next_attempt = 0.0
        self._attempt: threading.Thread | None = None
        self._closing: list[threading.Thread] = []
        self._closed = False
        self._lock = threading.Lock()  # publishing a reopened session vs close()
        self._session: OutputSession | None = self._open(0)

    @classmethod
    def open_or_none(cls, path: Path, rate: float, channels: int, spec: str | int | None = None,
                     latency: float | str = DEFAULT_LATENCY_S) -> SoundOut | None:
        """A playing SoundOut, or None (after one warning) when there is no output device
        or it cannot be opened. AudioError when `spec` names no device."""
        try:
            portaudio()
        except AudioError as exc:  # no PortAudio library: no output either
            log.warning("%s (%s)", NO_OUTPUT, exc)
            return None
        device = find_output_device(spec)
        if device is None:
            log.warning(NO_OUTPUT)
            return None
        try:
            return cls(path, rate, channels, device, latency)
        except AudioError as exc:
            log.warning("%s (%s)", NO_OUTPUT, exc)
            return None

    # -- consumer --------------------------------------------------------------------------

    def heard(self) -> int | None:
        """The file frame (absolute, counted from the start of playback) reaching the
        speaker now; None while no stream delivers."""
        session = self._session
        return None if session is None else session.heard(time.perf_counter())

    def check(self) -> None:
        """Declare the session lost when its callback went quiet or its stream stopped."""
        session, now = self._session, time.perf_counter()
        if session is None:
            return
        # A starting stream may take its first blocks and then wait for the server (0.7 s
        # on a null sink): the watchdog starts once the device took its first second.
        settled = session.callbacks if session.ring.taken - session.start >= self.rate else 0
        quiet = went_quiet(session.quiet_for(now), settled, self.watchdog_s,
                           self.startup_grace_s, session.block_s)
        if quiet or session.error or (session.callbacks and not session.active):
            self._lose(session, session.error or ("no callback" if quiet else "stream stopped"))
        elif session.callbacks and self._lost_at is not None:
            log.warning("audio output %r is back after %.1f s", self.device.name,
                        now - self._lost_at)
            self._lost_at = None

    def _lose(self, session: OutputSession, reason: str) -> None:
        """Retire a dead session; one warning for a loss (not for each failed reopen)."""
        now = time.perf_counter()
        self.last_error, self._session = reason, None
        self._closing.append(session.close())
        self.losses += 1
        self._next_attempt = now + min(0.25, self.retry_s)
        if self._lost_at is None:
            self._lost_at = now
            log.warning("audio output %r lost (%s); playing silently until it is back",
                        self.device.name, reason)

    def retry(self, position: Callable[[], int]) -> None:
        """While lost: start one reopen attempt in the background, at most every `retry_s`;
        the new stream plays from `position()` (the frame the picture shows then)."""
        now = time.perf_counter()
        if self._session is not None or self._closed or now < self._next_attempt:
            return
        if self._attempt is not None and self._attempt.is_alive():
            return
        self._next_attempt = now + self.retry_s
        self.attempts += 1
        self._attempt = threading.Thread(target=self._reopen, args=(position,),
                                         name="sound-out-reopen", daemon=True)
        self._attempt.start()

    @property
    def state(self) -> str:
        """"starting" | "playing" | "lost" | "closed"."""
        session = self._session
        if self._closed:
            return "closed"
        if session is None:
            return "lost"
        return "playing" if session.callbacks else "starting"

    def status(self) -> str:
        """One short line for a HUD."""
        state, session = self.state, self._session
        if state == "lost":
            return f"sound LOST: reconnecting (try {self.attempts})"
        if state != "playing" or session is None:
            return f"sound {self.device.name} {state}"
        short = session.ring.short
        text = f"sound {self.device.name} {session.latency_s * 1000:.0f} ms"
        return text + (f" underruns {short}" if short else "")

    @property
    def latency_s(self) -> float | None:
        """The output latency measured on the last block (DAC time - callback time), s."""
        session = self._session
        return session.latency_s if session is not None and session.callbacks else None

    def close(self) -> None:
        """Stop playing; idempotent, returns at once even on a wedged driver."""
        with self._lock:
            self._closed = True
            session, self._session = self._session, None
        closing = session.close() if session is not None else None
        if closing is not None:
            closing.join(1.0)  # a clean stop before PortAudio ends with the process

    # -- opening ---------------------------------------------------------------------------

    def _open(self, start: int) -> OutputSession:
        sd = portaudio()
        try:
            return OutputSession(self.path, self.device, self.rate, self.channels, start,
                                 self.latency)
        except (sd.PortAudioError, ValueError, OSError) as exc:
            raise AudioError(f"cannot open audio output {self.device.name!r} at "
                             f"{self.rate:g} Hz x {self.channels} ({exc})") from exc

    def _reopen(self, position: Callable[[], int]) -> None:
        """The attempt thread: the same device (by name) from the picture's frame."""
        try:
            self.device = self._find_again()
            session = self._session_from(position)
        except AudioError as exc:
            self.last_error = str(exc)
            return
        with self._lock:
            if not self._closed:
                self._session, session = session, None
        if session is not None:  # closed meanwhile: nobody else will close it
            session.close()

    def _session_from(self, position: Callable[[], int]) -> OutputSession:
        ahead = self.latency if isinstance(self.latency, float) else DEFAULT_LATENCY_S
        return self._open(position() + int(ahead * self.rate))

    def _find_again(self) -> OutputDevice:
        """The device by name in PortAudio's list; re-initialise PortAudio once to look again
        (unless a close is still stuck in a driver: that would free what it uses)."""
        device = _named(self.device.name)
        if device is None:
            self._closing = [thread for thread in self._closing if thread and thread.is_alive()]
            if self._closing:
                raise AudioError(f"output {self.device.name!r} is not back yet")
            rescan_devices()
            device = _named(self.device.name)
        if device is None:
            raise AudioError(f"output {self.device.name!r} is not back yet")
        return device


def _named(name: str) -> OutputDevice | None:
    sd = portaudio()
    try:
        devices = sd.query_devices()
    except sd.PortAudioError:
        return None
    for index, info in enumerate(devices):
        if info["name"] == name and info["max_output_channels"] > 0:
            return OutputDevice(index, name, int(info["max_output_channels"]))
    return None
