"""Checks a changed preset in a probe process before the show compiles it.

moderngl holds the GIL through a compile and a draw, so a runaway shader
compiled in the show's own context would freeze the show for good. The
`ShaderChecker` keeps a probe process warm (`python -m visualizer.render.probe`,
started with the show) and asks it to build the preset and draw one frame at
the window's size. The probe reports each compile and first draw as a watch
(visualizer/guard.py); one that outlives its time limit gets the probe killed
and its failure (naming the shader file) becomes the check's error. A dead
probe is replaced at the next check; a save that arrives while a check runs is
checked after it.

Checks run in the background: `submit` returns at once, `take` hands over
the outcome when it is in, and `on_result` is called (from the reader thread)
when it is.
"""

from __future__ import annotations

import itertools
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from visualizer import guard
from visualizer.paths import shown_path
from visualizer.supervisor import Overseer

SLACK_S = 10.0
"""Seconds a whole check may take beyond its compile and frame limits (loading, starting up)."""
POLL_S = 0.5
"""Seconds between looks at the deadlines while the probe is silent."""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: `sources` (a digest of what the probe compiled) when the
    preset builds and draws, else `error` (one or more lines, as the show would show them),
    or `unavailable` when no probe can run here. `seconds`: from submit to outcome."""

    request: int
    sources: str | None = None
    error: str | None = None
    unavailable: str | None = None
    seconds: float = 0.0


class _Probe:
    """One probe process, the thread reading its messages and the overseer of its watches."""

    def __init__(self, deliver: Callable[[CheckResult], None]):
        self.deliver = deliver
        self.overseer = Overseer()
        self.pending: tuple[int, str, float] | None = None
        """(request, preset as shown, perf_counter at submit) of the check under way."""
        self._lock = threading.Lock()
        self.process = subprocess.Popen([sys.executable, "-m", "visualizer.render.probe"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._thread = threading.Thread(target=self._read, name="shader-probe", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: int, preset: Path, size: tuple[int, int]) -> None:
        shown = shown_path(preset)
        limit = guard.time_limit("compile") + guard.time_limit("frame") + SLACK_S
        with self._lock:
            self.pending = (request, shown, time.perf_counter())
        self.overseer.arm("check", limit, f"{shown}: checking it took longer than {limit:g} s; simplify its"
                                          " shaders (the last good version keeps running)")
        line = json.dumps({"id": request, "preset": str(preset), "size": list(size)}) + "\n"
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(line.encode())
            self.process.stdin.flush()
        except OSError:
            self.stop()  # the reader sees the end of its output and reports the check as failed

    def _read(self) -> None:
        """Take the probe's messages until its output ends; kill it when a watch runs out."""
        assert self.process.stdout is not None
        stdout = self.process.stdout.fileno()
        try:
            while True:  # ends at the end of the probe's output: it exited or was killed
                left = self.overseer.time_left()  # capped: a check sent meanwhile arms a deadline
                left = POLL_S if left is None else min(left, POLL_S)
                if select.select([stdout], [], [], left)[0]:
                    data = os.read(stdout, 65536)
                    if not data:
                        break
                    for message in self.overseer.feed(data):
                        if isinstance(message.get("reply"), dict):
                            self.overseer.disarm("check")
                            self._finish(**message["reply"])
                elif (late := self.overseer.overdue()) is not None:
                    self.stop()
                    self._finish(error=late.failure)
        finally:
            self._finish(error=self._death())
            self.process.stdout.close()

    def _death(self) -> str:
        """Why the probe ended, naming the shader it was compiling or drawing."""
        subject = self.overseer.running() or (self.pending[1] if self.pending else "the shader check")
        code = self.process.wait()
        if code >= 0:
            return f"{subject}: the shader check ended (status {code}); the last good version keeps running"
        name = signal.Signals(-code).name
        return (f"{subject}: checking it crashed the probe ({name}: out of memory or a driver crash?);"
                " simplify the shader (the last good version keeps running)")

    def _finish(self, id: int | None = None, **outcome: str) -> None:
        """Deliver the outcome of the check under way (a reply for an older one is dropped)."""
        with self._lock:
            pending = self.pending
            if pending is None or (id is not None and id != pending[0]):
                return
            self.pending = None
        self.deliver(CheckResult(pending[0], seconds=time.perf_counter() - pending[2], **outcome))

    def stop(self) -> None:
        """Kill the probe (it holds nothing worth a clean exit); safe to call twice.
        Its reader thread then sees the end of its output and finishes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
        except OSError:
            pass


class ShaderChecker:
    """Checks presets at `size` (pixels) in a warm probe process, one check at a time.

    The latest `submit` wins: a save that arrives while a check runs waits for it
    (a check ends within its time limits; the probe stays warm), then is checked,
    and the older outcome is dropped."""

    def __init__(self, size: tuple[int, int], on_result: Callable[[], None] = lambda: None, warm: bool = True):
        self.size = size
        self.on_result = on_result
        self._ids = itertools.count(1)
        self._latest = 0
        self._queued: Path | None = None
        self._result: CheckResult | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._probe: _Probe | None = None
        if warm:
            with self._lock:
                self._probe = self._start()  # warm before the first save (else: started by it)

    def _start(self) -> _Probe | None:
        try:
            return _Probe(self._deliver)
        except OSError:
            return None

    def submit(self, preset: Path) -> None:
        """Check `preset` next: now, or when the check under way ends."""
        with self._lock:
            self._latest = next(self._ids)
            self._result = None
            self._done.clear()
            if self._probe is not None and self._probe.pending is not None and self._probe.alive:
                self._queued = preset
                return
            self._queued = None
            missing = self._dispatch(preset)
        if missing is not None:
            self._deliver(missing)

    def _dispatch(self, preset: Path) -> CheckResult | None:
        """Send the latest request to the probe, started anew if it died (holding `_lock`);
        the outcome at once when no probe can start."""
        if self._probe is None or not self._probe.alive:
            if self._probe is not None:
                self._probe.stop()
            self._probe = self._start()
        if self._probe is None:
            return CheckResult(self._latest, unavailable="the probe process cannot start")
        self._probe.send(self._latest, preset, self.size)
        return None

    def _deliver(self, result: CheckResult) -> None:
        """A check ended (on a reader thread): keep it if it is the latest, else send the
        queued one to the probe. A probe that died is restarted by `take`, on the caller's
        thread: a process started from a reader thread would die with it (PR_SET_PDEATHSIG)."""
        with self._lock:
            latest = result.request == self._latest
            if latest:
                self._result = result
            elif self._queued is None:
                return  # an abandoned check
            elif self._probe is not None and self._probe.alive:
                self._probe.send(self._latest, self._queued, self.size)
                self._queued = None
                return
        self.on_result()  # before `wait` returns, so a waiter's next poll sees this wake-up too
        self._done.set()

    def take(self) -> CheckResult | None:
        """The latest check's outcome once it is in (once), else None. Starts a queued
        check whose probe died."""
        with self._lock:
            result, self._result = self._result, None
            self._done.clear()
            queued, missing = self._queued, None
            if result is None and queued is not None and (self._probe is None or self._probe.pending is None):
                self._queued = None
                missing = self._dispatch(queued)
        if missing is not None:
            self._deliver(missing)
        return result

    @property
    def busy_with(self) -> str:
        """The shader file the probe is compiling or drawing now (as shown), or ""."""
        probe = self._probe
        return probe.overseer.running() if probe is not None and probe.pending is not None else ""

    def wait_busy_with(self, shown: str, timeout: float) -> bool:
        """Block until the probe is compiling or drawing `shown` (True) or `timeout` s pass."""
        probe = self._probe
        return probe is not None and probe.overseer.wait_running(shown, timeout)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the latest check's outcome is in (True) or `timeout` seconds pass."""
        return self._done.wait(timeout)

    def close(self) -> None:
        """Stop the probe; safe to call twice."""
        with self._lock:
            probe, self._probe, self._queued = self._probe, None, None
        if probe is not None:
            probe.stop()
