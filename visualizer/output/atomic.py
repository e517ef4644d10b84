"""Outputs that appear whole or not at all.

Everything is written under a temporary name in the destination folder and
renamed into place when complete (visualizer/atomic.py); on failure or
Ctrl-C it is removed. Here the writer is ffmpeg or matplotlib, handed the
temporary's path, and failures become `OutputError`s naming `--out`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from visualizer import atomic
from visualizer.errors import OutputError

_FIX = "choose a writable --out"


def is_sequence(path: Path) -> bool:
    """True for an image-sequence pattern such as frames/%05d.png."""
    return "%" in path.name


def prepare_folder(folder: Path) -> Path:
    """Create `folder` (and parents) if needed; fail with a clear message."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the output folder ({_reason(exc)}); {_FIX}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: the output folder is not writable; {_FIX}")
    return folder


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class AtomicFile:
    """A temporary file beside `path` (same suffix, so ffmpeg picks the same
    format), renamed to `path` by `commit()`."""

    def __init__(self, path: Path):
        self.path = path
        folder = prepare_folder(atomic.folder_of(path))
        try:
            self._file = atomic.AtomicFile(path, keep_suffix=True)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write in {folder} ({_reason(exc)}); {_FIX}") from exc
        self.temp = self._file.temp

    @property
    def target(self) -> str:
        """Where the writer should write."""
        return str(self.temp)

    def commit(self) -> None:
        try:
            self._file.commit()
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot move the finished file into place ({_reason(exc)}); {_FIX}") from exc

    def discard(self) -> None:
        self._file.discard()


class AtomicSequence:
    """A temporary folder beside the pattern's folder; `commit()` moves each image in."""

    def __init__(self, pattern: Path):
        self.path = pattern
        self.folder = prepare_folder(atomic.folder_of(pattern))
        try:
            self.temp = atomic.temporary_folder_beside(self.folder / "frames")
        except OSError as exc:
            raise OutputError(f"{self.folder}: cannot write there ({_reason(exc)}); {_FIX}") from exc

    @property
    def target(self) -> str:
        return str(self.temp / self.path.name)

    def commit(self) -> None:
        try:
            for image in sorted(self.temp.iterdir()):
                os.replace(image, self.folder / image.name)
        except OSError as exc:
            raise OutputError(f"{self.folder}: cannot move frames into place ({_reason(exc)}); {_FIX}") from exc
        finally:
            self.discard()
        atomic.sync_folder(self.folder)

    def discard(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)


def atomic_output(path: Path) -> AtomicFile | AtomicSequence:
    return AtomicSequence(path) if is_sequence(path) else AtomicFile(path)
