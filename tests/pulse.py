"""A private PulseAudio daemon with a null sink, for tests and benchmarks.

No sound card is needed: audio played into the sink `vsink` comes back on its
monitor, which PortAudio (ALSA's pulse plugin) lists as `pulse` and `default`.
The daemon keeps its files in a temporary folder (HOME and XDG_RUNTIME_DIR),
listens on `<folder>/native` and is reached through `PULSE_SERVER`.

    with PulseServer() as pulse, pulse.activated():
        ...  # this process's PortAudio now sees the null sink

`pulse_server_fixture(scope)` wraps it as a pytest fixture. PortAudio lists
devices once per initialisation: `activated()` re-initialises it. `click_track`
and `find_clicks` make and find test clicks.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

MISSING = ("the live-input tests need a real PulseAudio daemon: install pulseaudio "
           "pulseaudio-utils libportaudio2 (scripts/setup.sh does)")


class PulseError(RuntimeError):
    """The daemon could not be started, or is missing."""


class PulseServer:
    """One PulseAudio daemon (root is fine) with `module-null-sink sink_name=<sink>`."""

    def __init__(self, sink: str = "vsink", rate: int = 48000):
        self.sink, self.rate = sink, rate
        self.folder = Path(tempfile.mkdtemp(prefix="vis-pulse-"))
        self.server = f"unix:{self.folder / 'native'}"
        self._process: subprocess.Popen | None = None
        self._log = self.folder / "pulseaudio.log"

    # -- lifecycle ---------------------------------------------------------------------

    def start(self, timeout: float = 30.0) -> PulseServer:
        """Start the daemon and wait until `pactl info` answers (or raise PulseError after
        `timeout` seconds, a bound on a hang)."""
        for tool in ("pulseaudio", "pactl", "pacat"):
            if shutil.which(tool) is None:
                raise PulseError(f"{tool} not found on PATH; {MISSING}")
        if self.running:
            return self
        (self.folder / "native").unlink(missing_ok=True)
        command = [
            "pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "-n",
            "--use-pid-file=no", "--log-target=stderr",
            f"--load=module-native-protocol-unix socket={self.folder / 'native'} auth-anonymous=1",
            f"--load=module-null-sink sink_name={self.sink} rate={self.rate}",
        ]
        with open(self._log, "ab") as log:
            self._process = subprocess.Popen(command, env=self._daemon_env(), stdout=log,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                tail = self.log_tail()
                self.stop()
                raise PulseError(f"pulseaudio did not start: {tail or 'no output'}")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM, then SIGKILL after `timeout` seconds; idempotent."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGCONT)  # a suspended daemon cannot handle SIGTERM
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        """SIGKILL the daemon: a device vanishing without notice (fault injection)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()

    def suspend(self) -> None:
        """SIGSTOP the daemon: a device that hangs (streams stay open, no audio comes)."""
        if self.running:
            self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT a suspended daemon."""
        if self.running:
            self._process.send_signal(signal.SIGCONT)

    def close(self) -> None:
        """Stop the daemon and remove its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> PulseServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- clients -----------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        """Environment for client processes (pactl, pacat, a player script)."""
        return {**os.environ, "PULSE_SERVER": self.server}

    def answers(self) -> bool:
        """True when `pactl info` gets an answer from this daemon."""
        try:
            result = subprocess.run(["pactl", "info"], env=self.env(), capture_output=True,
                                    timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return result.returncode == 0

    @contextmanager
    def activated(self, rescan: Callable[[], None] | None = None) -> Iterator[PulseServer]:
        """Point this process at the daemon (PULSE_SERVER) and re-initialise PortAudio."""
        saved = os.environ.get("PULSE_SERVER")
        os.environ["PULSE_SERVER"] = self.server
        (rescan or reinitialise_portaudio)()
        try:
            yield self
        finally:
            if saved is None:
                os.environ.pop("PULSE_SERVER", None)
            else:
                os.environ["PULSE_SERVER"] = saved
            (rescan or reinitialise_portaudio)()

    def play(self, samples: np.ndarray, rate: int | None = None,
             latency_ms: int | None = None) -> subprocess.Popen:
        """Play float32 samples, shape (n,) or (n, channels), into the sink with `pacat`
        from another process; returns the running process (wait() for the end).
        A player latency under ~30 ms underruns now and then, which shifts the audio."""
        audio = np.ascontiguousarray(samples, dtype="<f4")
        channels = 1 if audio.ndim == 1 else audio.shape[1]
        path = Path(tempfile.mkstemp(prefix="play-", suffix=".f32", dir=self.folder)[1])
        path.write_bytes(audio.tobytes())
        command = ["pacat", "--playback", f"--device={self.sink}", "--raw", "--format=float32le",
                   f"--rate={rate or self.rate}", f"--channels={channels}", str(path)]
        if latency_ms is not None:
            command.insert(-1, f"--latency-msec={latency_ms}")
        return subprocess.Popen(command, env=self.env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def log_tail(self, lines: int = 3) -> str:
        try:
            text = self._log.read_text(errors="replace")
        except OSError:
            return ""
        kept = [line.strip() for line in text.splitlines() if line.strip()]
        return " | ".join(kept[-lines:])

    def _daemon_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "PULSE_SERVER"}
        return {**env, "HOME": str(self.folder), "XDG_RUNTIME_DIR": str(self.folder),
                "XDG_CONFIG_HOME": str(self.folder / "config")}


def reinitialise_portaudio() -> None:
    """Make this process's PortAudio enumerate devices again (after PULSE_SERVER changes)."""
    import sounddevice as sd

    sd._terminate()
    sd._initialize()


def pulse_server_fixture(scope: str = "module"):
    """A pytest fixture (of `scope`) yielding an activated PulseServer; fails, never skips,
    when pulseaudio is missing."""
    import pytest

    @pytest.fixture(scope=scope)
    def pulse_server() -> Iterator[PulseServer]:
        server, problem = PulseServer(), ""
        try:
            server.start()
        except PulseError as exc:
            problem = str(exc)
        if problem:
            server.close()
            pytest.fail(problem, pytrace=False)
        try:
            with server.activated():
                yield server
        finally:
            server.close()

    return pulse_server


def click_track(count: int, spacing_s: float, lead_s: float = 0.05,
                rate: int = 48000) -> np.ndarray:
    """Mono float32: `count` 2 ms decaying clicks (first sample 0.8), `spacing_s` apart."""
    n = int(2e-3 * rate)
    click = (0.8 * np.exp(-np.arange(n) / (0.3e-3 * rate))).astype(np.float32)
    track = np.zeros(int((lead_s + count * spacing_s + 0.1) * rate), np.float32)
    for k in range(count):
        start = int(round((lead_s + k * spacing_s) * rate))
        track[start:start + n] = click
    return track


def find_clicks(mono: np.ndarray, threshold: float = 0.2, quiet: int = 480) -> np.ndarray:
    """Indices of samples above threshold with at least `quiet` quiet samples before."""
    loud = np.flatnonzero(np.abs(mono) > threshold)
    if len(loud) == 0:
        return loud
    return loud[np.r_[True, np.diff(loud) > quiet]]


class MonitorRecorder:
    """Records the null sink's monitor in this process (PortAudio's "default" while a
    `PulseServer` is `activated()`): each block with the perf_counter time its first sample
    was captured; `click_times()` finds the clicks (`find_clicks`) and times them."""

    def __init__(self, rate: int = 48000):
        from visualizer.audio.devices import portaudio

        self.blocks: list[tuple[np.ndarray, float]] = []
        self.rate = rate
        self.stream = portaudio().InputStream(device="default", samplerate=rate, channels=1,
                                              dtype="float32", latency="low", callback=self._record)

    def _record(self, indata, frames, times, status) -> None:
        adc = time.perf_counter() + (times.inputBufferAdcTime - times.currentTime)
        self.blocks.append((indata[:, 0].copy(), adc))

    def click_times(self) -> np.ndarray:
        blocks = list(self.blocks)
        if not blocks:
            return np.zeros(0)
        mono = np.concatenate([b for b, _ in blocks])
        starts = np.cumsum([0] + [len(b) for b, _ in blocks])[:-1]
        found = find_clicks(mono)
        owner = np.searchsorted(starts, found, side="right") - 1
        return np.array([blocks[k][1] for k in owner]) + (found - starts[owner]) / self.rate

    def __enter__(self) -> MonitorRecorder:
        self.stream.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stream.close()
