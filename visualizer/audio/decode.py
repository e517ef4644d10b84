"""Decode audio files to float32 blocks, streamed (a 3-hour mix never sits in
memory whole). WAV, FLAC, OGG and MP3 go through libsndfile; anything else
(AAC, Opus, video soundtracks) is converted by the bundled ffmpeg first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import soundfile

from visualizer.errors import AudioError

_FIX = "use WAV, FLAC, OGG or MP3, or check that the file is complete"


class AudioFile:
    """An open audio file; use as a context manager.

    `sample_rate` in Hz, `channels`, `frames` (samples per channel).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._stack = ExitStack()
        if not self.path.is_file():
            raise AudioError(f"{self.path}: audio file not found; check the path")
        try:
            self._sound = self._open()
        except BaseException:
            self._stack.close()
            raise
        if self._sound.frames <= 0:
            self.close()
            raise AudioError(f"{self.path}: the audio file holds no samples; {_FIX}")

    def _open(self) -> soundfile.SoundFile:
        try:
            with _quiet_native_stderr():
                return self._stack.enter_context(soundfile.SoundFile(self.path))
        except (soundfile.LibsndfileError, RuntimeError, TypeError):
            pass
        converted = self._convert_with_ffmpeg()
        try:
            return self._stack.enter_context(soundfile.SoundFile(converted))
        except (soundfile.LibsndfileError, RuntimeError, TypeError) as exc:
            raise AudioError(f"{self.path}: cannot decode audio ({exc}); {_FIX}") from exc

    def _convert_with_ffmpeg(self) -> Path:
        folder = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="vis-audio-")))
        out = folder / "decoded.w64"
        command = [
            imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-i", str(self.path),
            "-vn", "-c:a", "pcm_f32le", "-f", "w64", str(out),
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or not out.is_file():
            reason = _last_line(result.stderr) or "ffmpeg could not read it"
            raise AudioError(f"{self.path}: cannot decode audio ({reason}); {_FIX}")
        return out

    @property
    def sample_rate(self) -> int:
        return int(self._sound.samplerate)

    @property
    def channels(self) -> int:
        return int(self._sound.channels)

    @property
    def frames(self) -> int:
        return int(self._sound.frames)

    @property
    def duration(self) -> float:
        """Seconds."""
        return self.frames / self.sample_rate

    def blocks(self, start: int = 0, stop: int | None = None, size: int = 65536) -> Iterator[np.ndarray]:
        """Float32 blocks of shape (n, channels) covering frames [start, stop)."""
        stop = self.frames if stop is None else min(stop, self.frames)
        self._sound.seek(max(0, min(start, self.frames)))
        position = max(0, start)
        while position < stop:
            count = min(size, stop - position)
            try:
                with _quiet_native_stderr(self._sound.format == "MPEG"):
                    block = self._sound.read(count, dtype="float32", always_2d=True)
            except (soundfile.LibsndfileError, RuntimeError) as exc:
                raise AudioError(f"{self.path}: cannot decode audio ({exc}); {_FIX}") from exc
            if len(block) == 0:
                return
            position += len(block)
            yield block

    def read(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Frames [start, stop) as one (n, channels) float32 array."""
        parts = list(self.blocks(start, stop))
        return np.concatenate(parts) if parts else np.zeros((0, self.channels), np.float32)

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> AudioFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@contextmanager
def _quiet_native_stderr(active: bool = True) -> Iterator[None]:
    """Silence C-level stderr (libmpg123 prints resync notes on damaged MP3s)."""
    if not active:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
