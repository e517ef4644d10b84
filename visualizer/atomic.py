"""Files that appear whole or not at all: write beside the target, then rename.

Everything is written under a temporary name in the target's folder
(`.<name>.<random>.tmp`), flushed to disk, and moved onto the target with
`os.replace`, so a reader (the hot-reload watcher, a video player, the next
run reading a cache) sees the old file or the complete new one, never half of
one. On any failure, Ctrl-C included, the temporary is removed and the old
target is left as it was. A target that is a symbolic link is written through:
the temporary goes beside the link's target and the rename replaces that
file, never the link; a target that is not a regular file (a folder, a
device, a FIFO, a socket) is never replaced.

    with AtomicFile(path) as temp:      # commits on a clean exit
        temp.write_bytes(data)          # or hand str(temp) to ffmpeg, savefig, ...

Errors are plain `OSError`s; callers wrap them in their own `VisualizerError`.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from visualizer import guard

_TRIES = 100
TEMPORARY_EXTRA_BYTES = 14
"""How much longer a temporary's name is than its target's: `.` + `.<8 hex>.tmp`."""
_HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def signals_held() -> Iterator[None]:
    """Defer Ctrl-C and SIGTERM to the end of the block, so that a temporary is never
    made without its owner knowing of it: create it and register its cleanup inside.
    Only the main thread can hold signals; elsewhere this does nothing."""
    previous = {number: signal.getsignal(number) for number in _HELD_SIGNALS}
    if threading.current_thread() is not threading.main_thread() or None in previous.values():
        yield  # not ours to hold (or a handler set outside Python that could not be restored)
        return
    caught: list[int] = []
    for number in _HELD_SIGNALS:
        signal.signal(number, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if caught:
            signal.raise_signal(caught[0])  # now the usual handler runs (KeyboardInterrupt)


def written_path(path: Path) -> Path:
    """Where writing to `path` lands: a symbolic link's final target, else `path`."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def check_replaceable(path: Path) -> None:
    """Raise `OSError` if `path` exists and is not a regular file (a rename would destroy it)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EEXIST, "exists and is not a regular file", str(path))


def folder_of(path: Path) -> Path:
    """The folder `path` lives in ("." for a bare file name)."""
    return path.parent if str(path.parent) else Path(".")


def temporary_beside(path: Path, *, keep_suffix: bool = False) -> Path:
    """A new empty file `.<name>.<random>.tmp` in `path`'s folder, mode 0o666
    less the umask (as `open()` would make it). With `keep_suffix` the name
    ends in `path`'s suffix (`.<stem>.<random>.tmp.mp4`), for writers that
    pick a format by extension."""
    folder = folder_of(path)
    for _ in range(_TRIES):
        token = secrets.token_hex(4)
        name = f".{path.stem}.{token}.tmp{path.suffix}" if keep_suffix else f".{path.name}.{token}.tmp"
        temp = folder / name
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        guard.track(temp)  # removed by the supervisor if the process is stopped (visualizer/guard.py)
        return temp
    raise FileExistsError(f"{folder}: no free temporary name beside {path.name}")


def temporary_folder_beside(path: Path) -> Path:
    """A new empty folder `.<name>.<random>.tmp` in `path`'s folder (mode 0o700)."""
    folder = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder_of(path)))
    guard.track(folder)
    return folder


def sync_file(path: Path) -> None:
    """Flush `path`'s data to disk (fsync), whoever wrote it."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def sync_folder(folder: Path) -> None:
    """Flush `folder`'s entries (a rename) to disk; best effort, POSIX only."""
    try:
        sync_file(folder)
    except OSError:
        pass  # not every platform or file system can fsync a folder


class AtomicFile:
    """A temporary file beside `path` that replaces `path` on `commit()`.

    Write to `temp` (by path or by opening it), then `commit()`; `discard()`
    removes it. `commit` keeps the mode of the existing target, else of
    `mode_from` (a "Save as" source), else the temporary's own. `durable`
    fsyncs the data before the rename and the folder after it. As a context
    manager it yields `temp`, commits on a clean exit and discards on any
    exception, KeyboardInterrupt included.
    """

    def __init__(self, path: Path, *, mode_from: Path | None = None,
                 keep_suffix: bool = False, durable: bool = True):
        self.path = written_path(Path(path))
        self.mode_from = mode_from
        self.durable = durable
        with signals_held():  # a Ctrl-C now would leave the new temporary unknown to us
            self.temp = temporary_beside(self.path, keep_suffix=keep_suffix)

    def commit(self) -> None:
        """Move the finished temporary onto the target; on failure remove it and raise."""
        try:
            mode = _mode_of(self.path) or (_mode_of(self.mode_from) if self.mode_from else None)
            if mode is not None:
                os.chmod(self.temp, mode)
            if self.durable:
                sync_file(self.temp)
            check_replaceable(self.path)
            os.replace(self.temp, self.path)
            guard.untrack(self.temp)
        except BaseException:
            self.discard()
            raise
        if self.durable:
            sync_folder(folder_of(self.path))

    def discard(self) -> None:
        """Remove the temporary (safe to call twice, and after `commit`)."""
        self.temp.unlink(missing_ok=True)
        guard.untrack(self.temp)

    def __enter__(self) -> Path:
        return self.temp

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def write_atomic(path: Path, data: bytes | str, *, mode_from: Path | None = None) -> None:
    """Write `data` (str as UTF-8, newlines untouched) to `path` atomically and durably."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with AtomicFile(path, mode_from=mode_from) as temp:
        temp.write_bytes(payload)


def _mode_of(path: Path) -> int | None:
    """`path`'s permission bits, or None if it does not exist (or is not a file)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None


@contextmanager
def new_folder(folder: Path) -> Iterator[Path]:
    """A folder that appears whole or not at all: yields a temporary folder beside
    `folder` to fill, renamed onto `folder` (which must not exist) on a clean exit,
    removed on any failure, Ctrl-C included. Parent folders are created."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_folder_beside(folder)
    try:
        yield temporary
        temporary.chmod(0o755)
        temporary.rename(folder)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
