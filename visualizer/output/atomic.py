"""Outputs that appear whole or not at all.

Everything is written under a temporary name in the destination folder and
renamed into place when complete; on failure or Ctrl-C it is removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class AtomicFile:
    """A temporary file beside `path`, renamed to `path` by `commit()`."""

    def __init__(self, path: Path):
        self.path = path
        folder = prepare_folder(path.parent if str(path.parent) else Path("."))
        try:
            handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".partial{path.suffix}", dir=folder)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write in {folder} ({_reason(exc)}); {_FIX}") from exc
        os.close(handle)
        self.temp = Path(name)

    @property
    def target(self) -> str:
        """Where the writer should write."""
        return str(self.temp)

    def commit(self) -> None:
        try:
            os.chmod(self.temp, 0o666 & ~_umask())
            os.replace(self.temp, self.path)
        except OSError as exc:
            self.discard()
            raise OutputError(f"{self.path}: cannot move the finished file into place ({_reason(exc)}); {_FIX}") from exc

    def discard(self) -> None:
        self.temp.unlink(missing_ok=True)


class AtomicSequence:
    """A temporary folder beside the pattern's folder; `commit()` moves each image in."""

    def __init__(self, pattern: Path):
        self.path = pattern
        self.folder = prepare_folder(pattern.parent if str(pattern.parent) else Path("."))
        try:
            self.temp = Path(tempfile.mkdtemp(prefix=".frames.", suffix=".partial", dir=self.folder))
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

    def discard(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)


def atomic_output(path: Path) -> AtomicFile | AtomicSequence:
    return AtomicSequence(path) if is_sequence(path) else AtomicFile(path)
