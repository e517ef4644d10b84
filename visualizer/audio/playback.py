"""Audio for the live window: an input device, or a file heard through the output device
(silent and paced by the clock when there is none)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from visualizer.audio.decode import AudioFile
from visualizer.audio.sound_out import SoundOut


class AudioFeed(Protocol):
    sample_rate: float

    def read(self) -> np.ndarray:
        """Samples (n, channels) float32 arrived since the last call."""

    def status(self) -> str:
        """One short line for the title bar / HUD."""

    def close(self) -> None: ...


class FileFeed:
    """A file played at real-time pace, looping: through the default output device
    (`sound`), the picture following what is heard; or silently, paced by `now`.

    With sound, `read()` hands out the frames that have reached the speaker by now:
    the device's position minus its measured output latency (audio/sound_out.py), so
    the analyzer sees what the audience hears. The stream runs at the file's rate (the
    sound server resamples). With no output device it plays silently, paced by the
    clock, after one warning ("no audio output device: playing silently"). A device
    lost mid-run: the picture goes on paced by the clock from where it was, the status
    says so, and the sound comes back (from the picture's frame) when the device does.
    `device` picks an output by index or name (None: the default). `now` (seconds)
    paces silent playback.

    Streamed: a few blocks are in memory at a time, whatever the file's length.
    A read after a long stall hands out at most `MAX_READ_S` of the newest audio
    (the file still advances by all of it).
    """

    BLOCK = 8192
    MAX_READ_S = 2.0

    def __init__(self, path: Path, sound: bool = True, device: str | int | None = None,
                 now: Callable[[], float] = time.perf_counter):
        self._audio = AudioFile(path)
        self.sample_rate = float(self._audio.sample_rate)
        self.name = Path(path).name
        self._now = now
        self._blocks = self._audio.blocks(0, size=self.BLOCK)
        self._pending = np.zeros((0, self._audio.channels), np.float32)
        self._position = 0  # frames handed out so far
        self.sound: SoundOut | None = None
        self._wanted: tuple[Path, str | int | None] | None = (Path(path), device) if sound else None
        self._silent_reason = "sound off" if not sound else "starting"
        self._clock: tuple[int, float] | None = None
        self._started = False

    def start(self) -> None:
        """Start playing (the first `read` does): the sound opens now, so nothing plays
        (or warns) before the show's first frame asks for it."""
        if self._started:
            return
        self._started = True
        if self._wanted is not None:
            path, device = self._wanted
            self.sound = SoundOut.open_or_none(path, self.sample_rate, self._audio.channels, device)
        self._silent_reason = "" if self.sound is not None else ("silent" if self._wanted else "sound off")
        self._clock = None if self.sound else (0, self._now())

    def read(self) -> np.ndarray:
        """The frames due since the last read, (n, channels) float32: heard by now (with
        sound), or due by the clock (silent, or while the device is lost). The first
        read starts the playing."""
        self.start()
        due = self._due()
        samples = self.take(due - self._position)
        self._position = due
        return samples

    def _due(self) -> int:
        """Absolute frame up to which the picture may go now (never backwards)."""
        sound = self.sound
        if sound is not None:
            sound.check()
            heard = sound.heard()
            if heard is not None:
                self._clock = None
                return max(heard, self._position)
            if self._clock is None and sound.losses == 0:
                return self._position  # starting: nothing heard yet
            if self._clock is None:  # just lost: go on by the clock from here
                self._clock = (self._position, self._now())
            sound.retry(self.clock_position)
        return self.clock_position()

    def clock_position(self) -> int:
        """The frame the clock has reached (the current one while sound drives)."""
        clock = self._clock
        if clock is None:
            return self._position
        frame, since = clock
        return max(frame + int((self._now() - since) * self.sample_rate), self._position)

    def take(self, count: int) -> np.ndarray:
        """The next `count` frames of the looped file, (n, channels) float32; of a
        longer stretch only the last `MAX_READ_S` seconds."""
        keep = int(self.MAX_READ_S * self.sample_rate)
        parts: list[np.ndarray] = []
        kept = 0
        while count > 0:
            if not len(self._pending):
                self._pending = self._next_block()
            piece, self._pending = self._pending[:count], self._pending[count:]
            count -= len(piece)
            parts.append(piece)
            kept += len(piece)
            while parts and kept - len(parts[0]) >= keep:
                kept -= len(parts.pop(0))
        samples = np.concatenate(parts) if parts else self._pending[:0]
        return samples[-keep:]

    def _next_block(self) -> np.ndarray:
        block = next(self._blocks, None)
        if block is None:  # the end: loop from the start (a file holds samples, AudioFile checks)
            self._blocks = self._audio.blocks(0, size=self.BLOCK)
            block = next(self._blocks)
        return block

    def status(self) -> str:
        """"file NAME" and the sound's state: its device, "LOST: reconnecting", or why
        it is silent."""
        if not self._started:
            return f"file {self.name} (not started)"
        if self.sound is None:
            return f"file {self.name} ({self._silent_reason})"
        return f"file {self.name}, {self.sound.status()}"

    def close(self) -> None:
        if self.sound is not None:
            self.sound.close()
        self._audio.close()

    def __enter__(self) -> FileFeed:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class DeviceFeed:
    """A live input device (reconnects by itself when it disappears)."""

    def __init__(self, device: str | None):
        from visualizer.audio.live import LiveInput

        self._input = LiveInput(device).start()
        self.sample_rate = float(self._input.sample_rate)

    def read(self) -> np.ndarray:
        return self._input.read().samples

    def status(self) -> str:
        return self._input.status_text

    def close(self) -> None:
        self._input.stop()
