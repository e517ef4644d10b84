"""Outputs that appear whole or not at all.

Everything is written under a temporary name in the destination folder and
renamed into place when complete (visualizer/atomic.py); on failure or
Ctrl-C it is removed, and so are the folders made for it. Once it is in place
a Ctrl-C no longer interrupts the command (`guard.output_done`): the output is
whole, and the command ends with success. Here the writer is
ffmpeg or matplotlib, handed the temporary's path, and failures become
`OutputError`s naming the option (`--out`, `--plot`).

    with atomic_output(path) as output:    # discards on any exception
        write_to(output.target)
        output.commit()
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

from visualizer import atomic, guard
from visualizer.errors import OutputError
from visualizer.output.target import is_sequence, shown


def _fix(option: str) -> str:
    return f"choose a writable {option}"


def make_folders(folder: Path, option: str = "--out") -> list[Path]:
    """Create `folder` and its missing parents; returns those made, outermost first.
    On failure removes them again and raises `OutputError`."""
    missing: list[Path] = []
    probe = folder
    while not os.path.lexists(probe) and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    made: list[Path] = []
    try:
        for each in reversed(missing):
            each.mkdir()
            made.append(each)
            guard.track(each, only_if_empty=True)  # removed if left empty by a stopped process
    except OSError as exc:
        remove_folders(made)
        raise OutputError(f"{shown(folder)}: cannot create the output folder ({_reason(exc)}); {_fix(option)}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        remove_folders(made)
        raise OutputError(f"{shown(folder)}: the output folder is not writable; {_fix(option)}")
    return made


def remove_folders(made: list[Path]) -> None:
    """Remove the folders `make_folders` made, innermost first, if they are still empty."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty: it holds something else now
    keep_folders(made)


def keep_folders(made: list[Path]) -> None:
    """The folders `make_folders` made are dealt with (hold an output, or are gone):
    nothing for the supervisor to remove there."""
    for folder in made:
        guard.untrack(folder)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class _Output:
    """Shared by files and sequences: a context manager that discards on any exception."""

    made: list[Path]

    def discard(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> _Output:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is not None:
            self.discard()


class OutputFile(_Output):
    """A temporary file beside `path` (beside a link's target; same suffix, so ffmpeg
    picks the same format), renamed onto it by `commit()`."""

    def __init__(self, path: Path, option: str = "--out"):
        self.path, self.option = path, option
        with atomic.signals_held():  # the folders and temporary exist only once we know of them
            self.made = make_folders(atomic.folder_of(atomic.written_path(path)), option)
            try:
                self._file = atomic.AtomicFile(path, keep_suffix=True)
            except OSError as exc:
                remove_folders(self.made)
                raise OutputError(f"{shown(path)}: cannot write there ({_reason(exc)}); {_fix(option)}") from exc
        self.temp = self._file.temp

    @property
    def target(self) -> str:
        """Where the writer should write."""
        return str(self.temp)

    def commit(self) -> None:
        """Move the file into place; from then on Ctrl-C no longer interrupts the command."""
        with atomic.signals_held():  # a Ctrl-C now comes after the output is marked done
            try:
                self._file.commit()
                keep_folders(self.made)
            except OSError as exc:
                remove_folders(self.made)
                raise OutputError(f"{shown(self.path)}: cannot move the finished file into place"
                                  f" ({_reason(exc)}); {_fix(self.option)}") from exc
            guard.output_done()

    def discard(self) -> None:
        self._file.discard()
        remove_folders(self.made)


class AtomicSequence(_Output):
    """A temporary folder in the pattern's folder; `commit()` moves each image in."""

    def __init__(self, pattern: Path, option: str = "--out"):
        self.path, self.option = pattern, option
        self.folder = atomic.folder_of(pattern)
        with atomic.signals_held():
            self.made = make_folders(self.folder, option)
            try:
                self.temp = atomic.temporary_folder_beside(self.folder / "frames")
            except OSError as exc:
                remove_folders(self.made)
                raise OutputError(f"{shown(self.folder)}: cannot write there ({_reason(exc)}); {_fix(option)}") from exc

    @property
    def target(self) -> str:
        """The pattern ffmpeg fills in: a `%` in the folder's path is escaped as `%%`."""
        return os.path.join(str(self.temp).replace("%", "%%"), self.path.name)

    def commit(self) -> None:
        """Move every image into place; from then on Ctrl-C no longer interrupts the command."""
        with atomic.signals_held():  # no Ctrl-C halfway through the move
            self._move_images()
            guard.output_done()

    def _move_images(self) -> None:
        try:
            for image in sorted(self.temp.iterdir()):
                destination = self.folder / image.name
                atomic.check_replaceable(destination)
                os.replace(image, destination)
        except OSError as exc:
            raise OutputError(f"{shown(self.folder)}: cannot move frames into place ({_reason(exc)});"
                              f" {_fix(self.option)}") from exc
        finally:
            self._remove_temporary()
        keep_folders(self.made)
        atomic.sync_folder(self.folder)

    def discard(self) -> None:
        self._remove_temporary()
        remove_folders(self.made)

    def _remove_temporary(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)
        guard.untrack(self.temp)


def atomic_output(path: Path, option: str = "--out") -> OutputFile | AtomicSequence:
    """The temporary an output is written to: a file, or a folder for an image sequence."""
    return AtomicSequence(path, option) if is_sequence(path) else OutputFile(path, option)
