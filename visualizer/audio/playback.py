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
    """A file played silently at real-time pace, looping (a preview without a mixer)."""

    def __init__(self, path: Path):
        with AudioFile(path) as audio:
            self.samples = audio.read()
            self.sample_rate = float(audio.sample_rate)
        self.name = Path(path).name
        self._start = time.perf_counter()
        self._position = 0

    def read(self) -> np.ndarray:
        due = int((time.perf_counter() - self._start) * self.sample_rate)
        indices = np.arange(self._position, due) % len(self.samples)
        self._position = due
        return self.samples[indices]

    def status(self) -> str:
        return f"file {self.name}"

    def close(self) -> None:
        pass


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
