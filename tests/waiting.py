"""Waiting for a command under test to reach a point: woken by file-system events
(watchdog's inotify observer), not by sleeping between looks."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

HANG_S = 120.0
"""A bound on a hang, never a measurement."""


class _Wake(FileSystemEventHandler):
    def __init__(self) -> None:
        self.event = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.event.set()


def wait_for_files(folder: Path, found: Callable[[], bool], process: subprocess.Popen, what: str) -> None:
    """Return once `found()` is true, looking again at each change under `folder` (which
    must exist); fails if `process` ends first or after `HANG_S`."""
    wake = _Wake()
    observer = Observer()
    observer.schedule(wake, str(folder), recursive=True)
    observer.start()
    try:
        deadline = time.monotonic() + HANG_S
        while True:
            wake.event.clear()
            if found():
                return
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, f"no {what}"
            wake.event.wait(1.0)  # a change wakes it at once; the bound only notices an exit
    finally:
        observer.stop()
        observer.join()


def partial_has_frames(out: Path, stem: str = "long") -> bool:
    """The encoder has written into its temporary `.<stem>.*` file under `out`: frames flow."""
    for partial in out.glob(f".{stem}.*"):
        try:
            if partial.stat().st_size > 0:
                return True
        except FileNotFoundError:  # renamed or removed meanwhile
            continue
    return False
