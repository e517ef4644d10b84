"""Decode audio files to float32 blocks, streamed (a 3-hour mix never sits in
memory or on disk whole). WAV, FLAC, OGG and MP3 go through libsndfile;
anything else (AAC, Opus, video soundtracks) is streamed from the bundled
ffmpeg through a pipe (`audio.pipe`).

Samples that are NaN or infinite become 0 here, once, for every consumer (the
analysis, the preview); the first read that meets any says how many on
stderr, once per file.
"""

from __future__ import annotations

import hashlib
import stat
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import numpy as np
import soundfile

from visualizer import cache
from visualizer.audio.native import quiet_native_stderr
from visualizer.audio.pipe import FIX, PipedAudio, decoder_identity
from visualizer.errors import AudioError
from visualizer.printable import printable

_HASH_CHUNK = 1 << 20
_warned: set[Path] = set()  # files whose non-finite samples were reported in this process


class _Source(Protocol):
    sample_rate: int
    channels: int

    @property
    def frames(self) -> int: ...

    def blocks(self, start: int, stop: int | None, size: int) -> Iterator[np.ndarray]: ...

    def close(self) -> None: ...


class SoundFileAudio:
    """A file libsndfile reads (seekable, frame count in its header)."""

    def __init__(self, path: Path):
        self.path = path
        with quiet_native_stderr():
            self._sound = soundfile.SoundFile(path)
        self.sample_rate, self.channels = int(self._sound.samplerate), int(self._sound.channels)
        self.frames, self.subtype = int(self._sound.frames), str(self._sound.subtype)
        if self.frames <= 0:
            self._sound.close()
            raise AudioError(f"{printable(path)}: the audio file holds no samples; {FIX}")

    def blocks(self, start: int, stop: int | None, size: int) -> Iterator[np.ndarray]:
        stop = self.frames if stop is None else min(stop, self.frames)
        self._sound.seek(min(start, self.frames))
        position = start
        while position < stop:
            try:
                with quiet_native_stderr(self._sound.format == "MPEG"):
                    block = self._sound.read(min(size, stop - position), dtype="float32", always_2d=True)
            except (soundfile.LibsndfileError, RuntimeError) as exc:
                raise AudioError(f"{printable(self.path)}: cannot decode audio ({exc}); {FIX}") from exc
            if len(block) == 0:
                return
            position += len(block)
            yield block

    def close(self) -> None:
        self._sound.close()


MIN_SAMPLE_RATE = 8000
"""Hz. The analysis bands reach 16 kHz; below telephone rate nothing is left to hear."""


def _check_is_a_file(path: Path) -> None:
    """Refuse a missing path, a folder, or a FIFO or device (which could block forever)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        raise AudioError(f"{printable(path)}: audio file not found; check the path") from None
    if stat.S_ISDIR(mode):
        raise AudioError(f"{printable(path)}: is a folder, not an audio file; give one file inside it")
    if not stat.S_ISREG(mode):
        raise AudioError(f"{printable(path)}: is not a regular file (a pipe or a device);"
                         " save the audio to a file first")


_NONFINITE = "nonfinite"
"""Cache kind: how many NaN/Inf samples a file holds (by content)."""


class AudioFile:
    """An open audio file; use as a context manager.

    `sample_rate` in Hz, `channels`, `frames` (samples per channel, exact).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        _check_is_a_file(self.path)
        self._source = _open(self.path)
        if self._source.sample_rate < MIN_SAMPLE_RATE:
            rate = self._source.sample_rate
            self._source.close()
            raise AudioError(f"{printable(self.path)}: a sample rate of {rate} Hz is too low to analyse;"
                             f" resample it to {MIN_SAMPLE_RATE} Hz or more")
        self._digest: str | None = None

    @property
    def sample_rate(self) -> int:
        return int(self._source.sample_rate)

    @property
    def channels(self) -> int:
        return int(self._source.channels)

    @property
    def frames(self) -> int:
        """Exact. A file ffmpeg decodes is counted by a first pass, remembered in the
        cache (by content) for the next run."""
        source = self._source
        if isinstance(source, PipedAudio) and source.known_frames() is None:
            key = cache.entry_key("frames", self.digest(), decoder_identity())
            payload = cache.load("frames", key)
            if payload is not None and len(payload) == 8:
                source.remember_frames(struct.unpack("<q", payload)[0])
            else:
                cache.store("frames", key, struct.pack("<q", source.frames))
        return int(source.frames)

    @property
    def duration(self) -> float:
        """Seconds."""
        return self.frames / self.sample_rate

    @property
    def stores_floats(self) -> bool:
        """The file stores float samples, which may be NaN or infinite (a float WAV, W64,
        CAF, AIFF-C): whoever hands the file itself to another decoder (ffmpeg muxing
        the soundtrack) must clean them too. Files ffmpeg decodes here report False
        (lossy codecs decode to finite samples)."""
        source = self._source
        return isinstance(source, SoundFileAudio) and source.subtype in ("FLOAT", "DOUBLE")

    def digest(self) -> str:
        """SHA-256 (hex) of the file's bytes: names what is cached about this audio."""
        if self._digest is None:
            hasher = hashlib.sha256()
            with open(self.path, "rb") as file:
                while chunk := file.read(_HASH_CHUNK):
                    hasher.update(chunk)
            self._digest = hasher.hexdigest()
            self._warn_if_known_nonfinite()
        return self._digest

    def _warn_if_known_nonfinite(self) -> None:
        """Repeat a whole read's NaN/Inf count, remembered by content: a run that takes its
        analysis from the cache may never read the samples that hold them."""
        payload = cache.load(_NONFINITE, cache.entry_key(_NONFINITE, self._digest))
        if payload is not None and len(payload) == 8:
            self._report_nonfinite(struct.unpack("<q", payload)[0], whole=True)

    def blocks(self, start: int = 0, stop: int | None = None, size: int = 65536) -> Iterator[np.ndarray]:
        """Float32 blocks of shape (n, channels) covering frames [start, stop), every
        sample finite (NaN and infinities read as 0)."""
        cleaned, finished = 0, False
        try:
            for block in self._source.blocks(max(0, start), stop, size):
                bad = ~np.isfinite(block)
                if bad.any():
                    block[bad] = 0.0
                    cleaned += int(bad.sum())
                yield block
            finished = True
        finally:
            if cleaned:
                whole = finished and start <= 0 and stop is None
                if whole and self._digest is not None:
                    cache.store(_NONFINITE, cache.entry_key(_NONFINITE, self._digest), struct.pack("<q", cleaned))
                self._report_nonfinite(cleaned, whole)

    def _report_nonfinite(self, count: int, whole: bool) -> None:
        key = self.path.resolve()
        if key in _warned:
            return
        _warned.add(key)
        amount = f"{count}" if whole else f"at least {count}"
        print(f"warning: {printable(self.path)}: {amount} samples were NaN or infinite and were replaced by silence",
              file=sys.stderr, flush=True)

    def read(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Frames [start, stop) as one (n, channels) float32 array."""
        parts = list(self.blocks(start, stop))
        return np.concatenate(parts) if parts else np.zeros((0, self.channels), np.float32)

    def close(self) -> None:
        self._source.close()

    def __enter__(self) -> AudioFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _open(path: Path) -> _Source:
    """libsndfile if it reads the file, else ffmpeg through a pipe."""
    try:
        return SoundFileAudio(path)
    except (soundfile.LibsndfileError, RuntimeError, TypeError):
        pass
    return PipedAudio(path)
