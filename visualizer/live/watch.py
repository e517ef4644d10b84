"""Watch a preset file and every shader it includes for saves (watchdog).

Editors save in different ways (write in place, or write a temporary file
and rename it over the original), so the folders are watched and any event
touching a watched path counts. Nothing starts until `start()`.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer


_SAVE_EVENTS = (
    {"closed", "moved"}  # inotify: a file closed after writing, or renamed into place
    if sys.platform.startswith("linux")
    else {"modified", "created", "moved"}
)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: PresetWatcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _SAVE_EVENTS:
            return
        paths = {event.src_path, getattr(event, "dest_path", "") or ""}
        self.watcher.notice({Path(str(p)).resolve() for p in paths if p})


class PresetWatcher:
    """Tells when any of `files` changed since the last `take_change()`."""

    def __init__(self, files: Iterable[Path]):
        self._files: frozenset[Path] = frozenset()
        self._lock = threading.Lock()
        self._changed_at: float | None = None
        self._pending = threading.Event()
        self._observer: Observer | None = None
        self._watched_dirs: set[Path] = set()
        self.watch(files)

    def start(self) -> PresetWatcher:
        self._observer = Observer()
        self._schedule(self._dirs())
        self._observer.start()
        return self

    def watch(self, files: Iterable[Path]) -> None:
        """Replace the set of watched files (a reload may add includes)."""
        with self._lock:
            self._files = frozenset(Path(f).resolve() for f in files)
        if self._observer is not None:
            self._schedule(self._dirs() - self._watched_dirs)

    def _dirs(self) -> set[Path]:
        return {f.parent for f in self._files}

    def _schedule(self, folders: set[Path]) -> None:
        for folder in folders:
            if folder.is_dir():
                self._observer.schedule(_Handler(self), str(folder), recursive=False)
                self._watched_dirs.add(folder)

    def notice(self, paths: set[Path]) -> None:
        with self._lock:
            if paths & self._files and self._changed_at is None:
                self._changed_at = time.perf_counter()
                self._pending.set()

    def take_change(self) -> float | None:
        """perf_counter time of the first unhandled change, or None; clears it."""
        with self._lock:
            changed, self._changed_at = self._changed_at, None
            self._pending.clear()
        return changed

    def wait_for_change(self, timeout: float) -> bool:
        """Block until a change is pending (True) or `timeout` seconds pass (False)."""
        return self._pending.wait(timeout)

    def wake(self) -> None:
        """Wake a `wait_for_change` waiter without a change: work on an earlier change
        finished elsewhere (a shader check), and the next poll applies it."""
        self._pending.set()

    def stop(self) -> None:
        """Stop watching; safe to call twice."""
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
