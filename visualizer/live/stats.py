"""`visualizer live --stats FILE`: one JSON object per line for every frame and
every event, for benchmarks, tests and a show's post-mortem.

Frame lines: `{"frame": n, "t": s, "dt": s, "ms": work ms, "preset": name,
"blend": progress or null, "bpm": tempo, "beat": beat count, "audio_t": s}`;
event lines: `{"event": kind, "t": s, ...}` (a control event applied, a switch,
an error). `ms` is the frame's work (events, analysis, render, swap) as
measured on the show's clock; `t` is the frame clock (iTime).

Lines are queued by the frame loop and written by a thread, so a frame never
waits on the disk. The file is a temporary beside FILE until the show ends,
then moved into place (a show stopped by Ctrl-C leaves nothing behind).
"""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import asdict, is_dataclass
from pathlib import Path

from visualizer.errors import OutputError
from visualizer.output.atomic import OutputFile

STOP = None


class StatsWriter:
    """Writes queued JSON lines to `path` (a temporary until `close(commit=True)`)."""

    def __init__(self, path: Path):
        self.output = OutputFile(Path(path), "--stats")
        self._file = open(self.output.target, "w", encoding="utf-8")
        self._lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.failed: OSError | None = None
        """The write error that stopped the file (it is then removed at the end, not kept cut short)."""
        self._thread = threading.Thread(target=self._write, name="stats-writer", daemon=True)
        self._thread.start()
        self.lines = 0

    def record(self, **fields: object) -> None:
        """Queue one line (never blocks)."""
        self._lines.put(json.dumps(fields, default=_plain, separators=(",", ":")))
        self.lines += 1

    def event(self, kind: str, time: float, **fields: object) -> None:
        self.record(event=kind, t=round(time, 6), **fields)

    def _write(self) -> None:
        """Write lines until STOP; after a write error (a full disk) keep taking them, unwritten."""
        while (line := self._lines.get()) is not STOP:
            if self.failed is None:
                try:
                    self._file.write(line + "\n")
                except OSError as exc:
                    self.failed = exc

    def close(self, commit: bool = True) -> None:
        """Write what is queued, then move the file into place (or remove it); safe twice."""
        if self._file.closed:
            return
        self._lines.put(STOP)
        self._thread.join(timeout=30.0)
        try:
            self._file.close()
        except OSError as exc:
            self.failed = self.failed or exc
        if commit and self.failed is None:
            self.output.commit()
            return
        self.output.discard()
        if self.failed is not None:
            raise OutputError(f"{self.output.path}: the stats could not be written ({self.failed.strerror}); "
                              "free some space or write them elsewhere")


def _plain(value: object) -> object:
    """JSON for the values events carry (dataclasses, paths, tuples)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {"type": type(value).__name__, **asdict(value)}
    return str(value)
