"""One output stream playing a file (sounddevice), and when each frame is heard.

`OutputSession` is one open `sd.OutputStream` playing a file (looped) from an
absolute frame `start`: a feeder thread decodes ahead into an `OutputRing`,
and the PortAudio callback only copies the ring into the device's buffer and
records, for the block it just took, its first frame and the moment that frame
reaches the speaker (`outputBufferDacTime`, moved onto `time.perf_counter`).
`heard(t)` extrapolates from that anchor at the sample rate, never past the
frames the device has taken: the frame being heard at time t.

The stream runs at the file's sample rate; the sound server (PulseAudio,
PipeWire) resamples to the device's. A device that refuses the rate fails to
open, and the caller plays silently.

Devices (`find_output_device`) are looked up in PortAudio's current list; a
device gone with its sound server keeps its index, and reopens without
re-initialising PortAudio (which would close every other stream of the
process). A dead stream is closed in a throwaway thread: closing one whose
driver is wedged may never return.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualizer.audio.decode import AudioFile
from visualizer.audio.devices import portaudio
from visualizer.audio.native import quiet_native_stderr
from visualizer.audio.out_ring import OutputRing
from visualizer.errors import AudioError

DEFAULT_LATENCY_S = 0.25
"""Output latency asked of PortAudio: room for a Python callback delayed by a long frame
(moderngl holds the GIL through a GL call: a slow frame delays the callback by as much), so
the sound does not underrun. It is measured and compensated, not guessed: the picture still
follows what is heard."""


@dataclass(frozen=True)
class OutputDevice:
    """One playback device: PortAudio index, name, max output channels."""

    index: int
    name: str
    channels: int


def find_output_device(spec: str | int | None = None) -> OutputDevice | None:
    """The output device for an index or (partial) name, or the default for None; None
    when PortAudio lists no output at all. AudioError for a spec that matches nothing."""
    sd = portaudio()
    try:
        devices = list(sd.query_devices())
    except sd.PortAudioError:
        return None
    outputs = [i for i, d in enumerate(devices) if d["max_output_channels"] > 0]
    if not outputs:
        return None
    if spec is None:
        try:
            index = int(sd.query_devices(kind="output")["index"])
        except (sd.PortAudioError, KeyError, TypeError, ValueError):
            index = outputs[0]
    else:
        try:
            index = int(sd.query_devices(spec, "output")["index"])
        except (ValueError, sd.PortAudioError) as exc:
            names = ", ".join(f"{i} {devices[i]['name']!r}" for i in outputs)
            raise AudioError(f"no output device matches {spec!r} ({exc}); "
                             f"available: {names}") from exc
    info = devices[index]
    return OutputDevice(index, str(info["name"]), int(info["max_output_channels"]))


def close_in_background(stream) -> threading.Thread:
    """Close `stream` in a daemon thread (a wedged driver blocks only that thread)."""
    thread = threading.Thread(target=stream.close, kwargs={"ignore_errors": True},
                              name="sound-out-close", daemon=True)
    thread.start()
    return thread


class OutputSession:
    """`path` (looped) played on `device` from absolute frame `start`, at `rate` Hz with
    `channels` (a file with more channels than the device is mixed to mono on each)."""

    def __init__(self, path: Path, device: OutputDevice, rate: float, channels: int,
                 start: int = 0, latency: float | str = DEFAULT_LATENCY_S):
        sd = portaudio()
        self.device, self.rate, self.start = device, float(rate), int(start)
        self.file_channels = channels
        self.channels = min(channels, device.channels)
        self.callbacks = 0
        self.anchor: tuple[int, float] | None = None  # (frame, perf_counter s it is heard)
        self.stream_anchor: tuple[int, float] | None = None  # (frame, stream-clock s it is heard)
        self.latency_s = 0.0  # of the last block: its DAC time - the callback's time
        self.opened_at = self.last_callback = time.perf_counter()
        self.error = ""  # why the feeder stopped, if it did
        self._stop = threading.Event()
        self._pending = np.zeros((0, self.channels), np.float32)
        with quiet_native_stderr():
            self.stream = sd.OutputStream(device=device.index, samplerate=self.rate,
                                          channels=self.channels, dtype="float32",
                                          latency=latency, callback=self._callback)
        capacity = max(int(self.rate * 0.5), 4 * int(self.stream.latency * self.rate))
        self.ring = OutputRing(capacity, self.channels, first=self.start)
        try:
            self._start_feeder(path)
            self.stream.start()
        except BaseException:
            self.close()
            raise

    def _start_feeder(self, path: Path) -> None:
        """Open the file at `start` (modulo its length), prefill the ring (the first
        callback has audio), and start the feeder thread."""
        self._audio = AudioFile(path)
        frames = self._audio.frames if self.start else 1  # a piped file is counted once
        self._blocks = self._audio.blocks(self.start % frames, size=2048)
        self._feed()
        self._feeder = threading.Thread(target=self._run_feeder, name="sound-out-feed",
                                        daemon=True)
        self._feeder.start()

    def heard(self, now: float) -> int | None:
        """The absolute frame reaching the speaker at `now` (perf_counter s); None before
        the first callback."""
        stream_anchor = self.stream_anchor
        if stream_anchor is not None:  # on the stream's own clock: a callback the GIL delayed is no matter
            frame, dac = stream_anchor
            try:
                stream_now = float(self.stream.time)
            except Exception:  # noqa: BLE001 - a stream going away: the perf_counter anchor below
                stream_now = None
            if stream_now:
                return min(frame + int((stream_now - dac) * self.rate), self.ring.taken)
        anchor = self.anchor
        if anchor is None:
            return None
        frame, dac = anchor
        return min(frame + int((now - dac) * self.rate), self.ring.taken)

    @property
    def block_s(self) -> float:
        """Seconds of audio one callback asks for, at most (PortAudio's latency)."""
        return float(self.stream.latency)

    def quiet_for(self, now: float) -> float:
        """Seconds since the last callback (since opening, before the first)."""
        return now - self.last_callback

    @property
    def active(self) -> bool:
        """PortAudio still runs the stream (False once a lost server ended it)."""
        try:
            return bool(self.stream.active)
        except Exception:  # noqa: BLE001 - a vanished device may fail in any way
            return False

    def close(self) -> threading.Thread | None:
        """Stop the feeder and close the stream (in a daemon thread, returned)."""
        self._stop.set()
        feeder = getattr(self, "_feeder", None)
        if feeder is None and hasattr(self, "_audio"):
            self._audio.close()
        return close_in_background(self.stream) if hasattr(self, "stream") else None

    # -- threads ---------------------------------------------------------------------------

    def _callback(self, outdata: np.ndarray, frames: int, times, status) -> None:
        """PortAudio's audio thread: copy from the ring, note when it is heard; never raises."""
        try:
            first = self.ring.taken
            self.ring.take_into(outdata)
            now = time.perf_counter()
            dac = times.outputBufferDacTime
            latency = dac - times.currentTime if dac else 0.0
            self.latency_s = latency
            self.anchor = (first, now + latency)
            self.stream_anchor = (first, dac) if dac else None
            self.last_callback = now
            self.callbacks += 1
        except Exception:  # noqa: BLE001 - the audio thread must never raise
            outdata.fill(0.0)

    def _run_feeder(self) -> None:
        try:
            while not self._stop.is_set():
                if not self._feed():
                    self._stop.wait(min(0.02, self.stream.latency / 4))
        except Exception as exc:  # noqa: BLE001 - the device then underruns to silence
            self.error = f"{type(exc).__name__}: {exc}"
            self._stop.set()
        finally:
            self._audio.close()

    def _feed(self) -> bool:
        """Decode into the ring until it is full; False when it was already full."""
        wrote = False
        while self.ring.free > 0 and not self._stop.is_set():
            block = self._pending if len(self._pending) else self._next_block()
            done = self.ring.write(block)
            self._pending = block[done:]
            wrote = wrote or done > 0
        return wrote

    def _next_block(self) -> np.ndarray:
        block = next(self._blocks, None)
        if block is None:  # the end: loop from the start
            self._blocks = self._audio.blocks(0, size=2048)
            block = next(self._blocks)
        if block.shape[1] != self.channels:  # more channels than the device: mono on each
            block = np.repeat(block.mean(axis=1, keepdims=True), self.channels, axis=1)
        return block
