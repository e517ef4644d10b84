"""Audio for the live window: an input device, or a file paced by the clock."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Protocol

import numpy as np

from visualizer.audio.decode import AudioFile


class AudioFeed(Protocol):
    sample_rate: float

    def read(self) -> np.ndarray:
        """Samples (n, channels) float32 arrived since the last call."""

    def status(self) -> str:
        """One short line for the title bar / HUD."""

    def close(self) -> None: ...


class FileFeed:
    """A file played silently at real-time pace, looping (a preview without a mixer).

    Streamed: a few blocks are in memory at a time, whatever the file's length.
    A read after a long stall hands out at most `MAX_READ_S` of the newest audio
    (the file still advances by all of it).
    """

    BLOCK = 8192
    MAX_READ_S = 2.0

    def __init__(self, path: Path):
        self._audio = AudioFile(path)
        self.sample_rate = float(self._audio.sample_rate)
        self.name = Path(path).name
        self._blocks = self._audio.blocks(0, size=self.BLOCK)
        self._pending = np.zeros((0, self._audio.channels), np.float32)
        self._start = time.perf_counter()
        self._position = 0

    def read(self) -> np.ndarray:
        due = int((time.perf_counter() - self._start) * self.sample_rate)
        samples = self.take(due - self._position)
        self._position = due
        return samples

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
        return f"file {self.name}"

    def close(self) -> None:
        self._audio.close()


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
