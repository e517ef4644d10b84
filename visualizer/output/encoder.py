"""The video encoder: an ffmpeg process (imageio-ffmpeg's binary) fed raw RGB
frames through a pipe by a writer thread, so encoding overlaps rendering.

Every path is handed to ffmpeg as `file:<path>`, so a name such as `a:b.wav`
is never read as a protocol. `size_problem` states the picture sizes the
bundled ffmpeg and libx264 refuse, so a render can be refused before it starts.
"""

from __future__ import annotations

import queue
import re
import subprocess
import threading
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import imageio_ffmpeg

from visualizer import guard
from visualizer.audio.samples import CLIP
from visualizer.errors import EncoderError

VIDEO_CONTAINERS = (".mp4", ".mov", ".mkv")
_STOP = None
_BT709_FILTER = (
    "scale=out_color_matrix=bt709:out_range=tv,"
    "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"
)


X264_MAX_SIDE = 16384
"""Pixels: libx264 refuses a wider or taller picture ("invalid width x height")."""
FFMPEG_PICTURE_LIMIT = 2**31 - 1
"""ffmpeg's `av_image_check_size` refuses a picture unless (8 * width + 1024) * (height + 128)
is below this (16384x16384 is refused; 16384x16128 is the tallest at that width)."""
_LOG_LINES = 20
"""How many of ffmpeg's last stderr lines are kept for an error message."""
_LOG_PREFIX = re.compile(r"^(\[[^\]]* @ 0x[0-9a-f]+\] ?)+")
"""ffmpeg's `[libx264 @ 0x5604...] ` prefixes on a log line."""


def ffmpeg_path(path: Path | str) -> str:
    """`path` as ffmpeg must be given it: a file, never a protocol (`a:b.wav`, `http:x`)."""
    return f"file:{path}"


def largest_height(width: int) -> int:
    """The tallest picture ffmpeg takes at `width` pixels (see `FFMPEG_PICTURE_LIMIT`)."""
    return (FFMPEG_PICTURE_LIMIT - 1) // (8 * width + 1024) - 128


def size_problem(size: tuple[int, int], sequence: bool) -> str | None:
    """Why the bundled encoder would refuse pictures of `size` (width, height), and the fix; or None.
    H.264 (not PNG sequences) also needs sides of at most 16384 pixels, both even."""
    width, height = size
    if not sequence:
        if max(width, height) > X264_MAX_SIDE:
            return f"H.264 (libx264) takes at most {X264_MAX_SIDE} pixels a side; lower --size"
        if width % 2 or height % 2:
            even = f"{width + width % 2}x{height + height % 2}"
            return f"H.264 needs an even width and height; use e.g. --size {even}"
    if height > largest_height(width):
        return (f"ffmpeg refuses pictures this large: at width {width} the height can be at most"
                f" {largest_height(width)}; lower --size")
    return None


@dataclass(frozen=True)
class EncoderSettings:
    """What to write. `fps` may be fractional (29.97); `audio` is muxed from
    `audio_start` seconds for the video's duration."""

    size: tuple[int, int]
    fps: float
    audio: Path | None = None
    audio_start: float = 0.0
    duration: float = 0.0
    clean_audio: bool = False
    """Replace NaN and infinite samples by silence and clip the rest while muxing (a float
    file may hold them; ffmpeg's AAC encoder refuses them)."""
    crf: int = 18
    x264_preset: str = "veryfast"


_FINITE_SAMPLES = f"aeval=exprs='if(isnan(val(ch))+isinf(val(ch)),0,clip(val(ch),-{CLIP:g},{CLIP:g}))':c=same"
"""An audio filter that turns NaN and infinite samples into zeros and clips the rest to
+-CLIP, as the analysis hears them (AAC refuses samples near 1e10; about 21 s of CPU an hour)."""


def ffmpeg_command(settings: EncoderSettings, target: str, sequence: bool) -> list[str]:
    """The ffmpeg argument list: raw rgb24 on stdin, H.264+AAC or PNGs out."""
    width, height = settings.size
    rate = str(Fraction(settings.fps).limit_denominator(1001))
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-y", "-v", "error",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-framerate", rate,
        "-i", "pipe:0",
    ]
    if sequence:
        return command + ["-c:v", "png", "-start_number", "0", "-f", "image2", ffmpeg_path(target)]
    if settings.audio is not None:
        command += ["-ss", f"{settings.audio_start:.6f}", "-t", f"{settings.duration:.6f}",
                    "-i", ffmpeg_path(settings.audio), "-map", "0:v:0", "-map", "1:a:0",
                    *(["-af", _FINITE_SAMPLES] if settings.clean_audio else []),
                    "-c:a", "aac", "-b:a", "192k"]
    command += [
        "-c:v", "libx264", "-preset", settings.x264_preset, "-crf", str(settings.crf),
        "-vf", _BT709_FILTER, "-pix_fmt", "yuv420p",
        "-movflags", "+faststart", "-f", _container(target), ffmpeg_path(target),
    ]
    return command


def _container(target: str) -> str:
    return {".mp4": "mp4", ".mov": "mov", ".mkv": "matroska"}[Path(target).suffix.lower()]


class FFmpegEncoder:
    """Runs ffmpeg; `write()` queues one frame of bytes, a thread pipes it in.

    `display_name` is the user's output path, used in error messages. ffmpeg's
    stderr is read by a second thread that keeps its last lines in memory (no
    temporary file: a full or missing TMPDIR does not matter).
    """

    def __init__(self, command: list[str], display_name: str, queue_depth: int = 4):
        self.display_name = display_name
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as exc:
            raise EncoderError(f"{display_name}: cannot start ffmpeg ({exc}); reinstall imageio-ffmpeg") from exc
        guard.track_process(self._process.pid)  # killed by the supervisor if this process is stopped
        self._log: deque[str] = deque(maxlen=_LOG_LINES)
        self._log_reader = threading.Thread(target=self._read_log, name="ffmpeg-log", daemon=True)
        self._log_reader.start()
        self._queue: queue.Queue[bytes | memoryview | None] = queue.Queue(maxsize=queue_depth)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._pump, name="ffmpeg-writer", daemon=True)
        self._thread.start()

    def _read_log(self) -> None:
        """Keep ffmpeg's last stderr lines until it closes stderr (exits)."""
        stderr = self._process.stderr
        assert stderr is not None
        with stderr:
            for line in stderr:
                self._log.append(line.decode(errors="replace"))

    def _pump(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        while (frame := self._queue.get()) is not _STOP:
            if self._failure is not None:
                continue  # drain so the producer never blocks
            try:
                stdin.write(frame)
            except (BrokenPipeError, OSError) as exc:
                self._failure = exc

    def write(self, frame: bytes | memoryview) -> None:
        """Queue one frame (blocks while the queue is full); raises if ffmpeg died."""
        if self._failure is not None or self._process.poll() is not None:
            self._raise_failure()
        self._queue.put(frame)

    def close(self) -> None:
        """Flush, wait for ffmpeg to finish the file; raise `EncoderError` on failure."""
        self._queue.put(_STOP)
        self._thread.join()
        try:
            if self._process.stdin:
                self._process.stdin.close()
        except OSError:
            pass
        code = self._process.wait()
        if code != 0 or self._failure is not None:
            self._raise_failure()
        self._log_reader.join()

    def abort(self) -> None:
        """Stop ffmpeg at once (failure or Ctrl-C); safe to call twice."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._failure = self._failure or EncoderError("aborted")
        try:
            self._queue.put_nowait(_STOP)
        except queue.Full:
            pass
        self._thread.join(timeout=5)
        self._log_reader.join(timeout=5)

    def _raise_failure(self) -> None:
        code = self._process.wait()
        reason = self._last_log_line()
        if not reason:
            reason = f"killed by signal {-code}" if code < 0 else f"exited with status {code}"
        hint = "; free some disk space" if "No space left" in reason else ""
        raise EncoderError(f"{self.display_name}: the encoder failed mid-way (ffmpeg: {reason});"
                           f" nothing was written{hint}")

    def _last_log_line(self) -> str:
        """ffmpeg's last line on stderr, without its `[codec @ 0x...]` prefix ("" if none)."""
        self._log_reader.join(timeout=5)  # ffmpeg has exited: its stderr ends
        lines = [_LOG_PREFIX.sub("", line).strip() for line in list(self._log)]
        lines = [line for line in lines if line]
        return lines[-1] if lines else ""
