"""Audio that libsndfile cannot read (AAC/M4A, Opus, video soundtracks),
decoded by the bundled ffmpeg and streamed through a pipe.

ffmpeg writes 32-bit float WAV to its stdout; the header gives the sample rate
and channel count, the rest is read block by block. Nothing touches the disk:
a killed run leaves nothing behind, and a full temp folder does not matter.
The path is passed as `file:<path>`, so a name like `a:b.m4a` is a file, never
a protocol.

Positions are exact to the sample: one ffmpeg process decodes from the start
of the file. A read that starts where the last one stopped (or later) goes on
with it, skipping frames as needed; a short step back (up to `REWIND` frames)
is served from the frames just read; any other start launches a new process
and skips the frames before it. (ffmpeg's `-ss` is only as exact as the
container's timestamps, and a decoder restarted mid-stream differs from a
decode from the start in its first frames.)

The frame count is exact: it is counted by a first decode to the end (about
1/300 of real time for AAC here), or taken from a read that reached the end.
"""

from __future__ import annotations

import re
import struct
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import imageio_ffmpeg
import numpy as np

from visualizer.errors import AudioError
from visualizer.printable import printable

FIX = "use WAV, FLAC, OGG or MP3, or check that the file is complete"
REWIND = 65536
"""Frames kept from the last read, so that overlapping windows read in order
(`analyze --plot`) need no new process."""
_FLOAT_FORMATS = (3, 0xFFFE)  # WAVE_FORMAT_IEEE_FLOAT, WAVE_FORMAT_EXTENSIBLE
_CHUNK_BYTES = 1 << 20


def decoder_identity() -> str:
    """Names the bundled ffmpeg build (its version is in the file name): a cached
    frame count holds for the decoder that counted it."""
    return Path(imageio_ffmpeg.get_ffmpeg_exe()).name


def ffmpeg_input(path: Path) -> str:
    """`path` as an ffmpeg input that is always a file (`a:b.m4a` is no protocol)."""
    return f"file:{path}"


class DecoderProcess:
    """One ffmpeg decoding `path` from its first sample to float32 frames on a pipe."""

    def __init__(self, path: Path):
        self.path = path
        command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error",
                   "-i", ffmpeg_input(path), "-vn", "-sn", "-dn", "-map_metadata", "-1",
                   "-c:a", "pcm_f32le", "-f", "wav", "-bitexact", "pipe:1"]
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE)
        except OSError as exc:
            raise AudioError(f"{printable(path)}: cannot start ffmpeg to decode it ({exc}); "
                             "reinstall imageio-ffmpeg") from exc
        self._errors: list[str] = []  # ffmpeg's first error lines
        self._drain = threading.Thread(target=self._drain_errors, name="ffmpeg-stderr", daemon=True)
        self._drain.start()
        self.position = 0
        """Frames handed out (or skipped) so far."""
        try:
            self.sample_rate, self.channels = self._read_header()
        except BaseException:
            self.close()
            raise
        self._frame_bytes = 4 * self.channels

    def _drain_errors(self) -> None:
        assert self._process.stderr is not None
        for line in self._process.stderr:
            text = line.decode(errors="replace").strip()
            if text and len(self._errors) < 8:
                self._errors.append(text)

    def _exact(self, count: int) -> bytes:
        assert self._process.stdout is not None
        data = self._process.stdout.read(count)
        if len(data) < count:
            raise self.failure("ffmpeg could not read it")
        return data

    def _read_header(self) -> tuple[int, int]:
        """(sample rate, channels) from the WAV header; the pipe is then at the samples."""
        if self._exact(12)[8:12] != b"WAVE":
            raise self.failure("ffmpeg wrote no WAV header")
        rate = channels = 0
        while True:
            kind, size = struct.unpack("<4sI", self._exact(8))
            if kind == b"data":
                break
            body = self._exact(size + (size & 1))
            if kind == b"fmt ":
                tag, channels, rate = struct.unpack("<HHI", body[:8])
                bits = struct.unpack("<H", body[14:16])[0]
                if tag not in _FLOAT_FORMATS or bits != 32:
                    raise self.failure(f"unexpected sample format {tag}/{bits} bits from ffmpeg")
        if rate <= 0 or channels <= 0:
            raise self.failure("ffmpeg found no audio in it")
        return rate, channels

    def failure(self, fallback: str) -> AudioError:
        """An AudioError naming ffmpeg's last error line (once it has exited) or `fallback`."""
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._drain.join(timeout=1)
        reason = _cause(self._errors[0]) if self._errors else fallback
        return AudioError(f"{printable(self.path)}: cannot decode audio ({reason}); {FIX}")

    def read(self, count: int) -> np.ndarray:
        """Up to `count` frames, (n, channels) float32, writable; fewer only at the end."""
        assert self._process.stdout is not None
        data = self._process.stdout.read(count * self._frame_bytes)
        usable = len(data) - len(data) % self._frame_bytes
        if len(data) < count * self._frame_bytes:
            self._check_exit()
        frames = np.frombuffer(bytearray(data[:usable]), "<f4").reshape(-1, self.channels)
        self.position += len(frames)
        return frames

    def skip(self, count: int) -> int:
        """Decode and drop `count` frames; returns how many there were."""
        assert self._process.stdout is not None
        skipped = 0
        while skipped < count:
            want = min(count - skipped, _CHUNK_BYTES // self._frame_bytes)
            got = len(self._process.stdout.read(want * self._frame_bytes)) // self._frame_bytes
            skipped += got
            if got < want:
                self._check_exit()
                break
        self.position += skipped
        return skipped

    def _check_exit(self) -> None:
        """At the end of the pipe: raise if ffmpeg failed rather than finished."""
        if self._process.wait() != 0:
            raise self.failure(f"ffmpeg exited with status {self._process.returncode}")

    def close(self) -> None:
        """Stop ffmpeg (safe to call twice)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()
        self._drain.join(timeout=1)


def _cause(line: str) -> str:
    """ffmpeg's first error line as a reason: without its `[muxer @ 0x...]` prefix."""
    text = re.sub(r"^(\[[^]]*\]\s*)+", "", line)
    return "it holds no audio stream" if "does not contain any stream" in text else text


class PipedAudio:
    """A file decoded by ffmpeg on demand; `frames` is exact (see the module doc)."""

    def __init__(self, path: Path):
        self.path = path
        self._decoder: DecoderProcess | None = DecoderProcess(path)
        self.sample_rate, self.channels = self._decoder.sample_rate, self._decoder.channels
        self._recent = np.zeros((0, self.channels), np.float32)  # frames just before the decoder's position
        self._frames: int | None = None
        if len(self._take(0, 1)) == 0:
            self.close()
            raise AudioError(f"{printable(path)}: the audio file holds no samples; {FIX}")

    @property
    def frames(self) -> int:
        """Samples per channel (a first pass decodes the file to count them)."""
        if self._frames is None:
            counter = DecoderProcess(self.path)
            try:
                self._frames = counter.skip(1 << 62)
            finally:
                counter.close()
        return self._frames

    def known_frames(self) -> int | None:
        """The frame count if a pass has counted it, else None (nothing is decoded)."""
        return self._frames

    def remember_frames(self, frames: int) -> None:
        """Set the frame count from elsewhere (a count remembered for the same bytes)."""
        self._frames = frames

    def blocks(self, start: int, stop: int | None, size: int) -> Iterator[np.ndarray]:
        """(n, channels) float32 blocks covering frames [start, stop) (stop None: to the end)."""
        position = start
        while stop is None or position < stop:
            count = size if stop is None else min(size, stop - position)
            block = self._take(position, count)
            if len(block) == 0:
                return
            position += len(block)
            yield block

    def _take(self, start: int, count: int) -> np.ndarray:
        """Frames [start, start + count), fewer at the end of the file."""
        decoder = self._decoder_at(start)
        behind = decoder.position - start  # > 0: some come from `_recent`
        parts = [self._recent[len(self._recent) - behind:][:count].copy()] if behind > 0 else []
        if behind < 0:
            decoder.skip(-behind)
            self._recent = self._recent[:0]
        wanted = count - sum(len(p) for p in parts)
        if wanted > 0:
            fresh = decoder.read(wanted)
            if len(fresh) < wanted:
                self._frames = decoder.position
            self._recent = np.concatenate([self._recent, fresh])[-REWIND:]
            parts.append(fresh)
        return np.concatenate(parts) if len(parts) != 1 else parts[0]

    def _decoder_at(self, start: int) -> DecoderProcess:
        """A decoder that can deliver frame `start`: the current one, or a new one."""
        decoder = self._decoder
        if decoder is None or start < decoder.position - len(self._recent):
            if decoder is not None:
                decoder.close()
            decoder = self._decoder = DecoderProcess(self.path)
            self._recent = self._recent[:0]
        return decoder

    def close(self) -> None:
        if self._decoder is not None:
            self._decoder.close()
            self._decoder = None
