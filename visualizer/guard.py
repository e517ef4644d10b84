"""What a process tells its supervisor: the temporaries and child processes to
clean up if it is stopped, and the time limits of calls that may never return.

moderngl keeps Python's GIL through a driver compile and a draw, so while
llvmpipe runs a runaway shader no Python code runs in that process: no signal
handler, no timer thread. Another process must act for it. The command line
runs each command in a child process under a supervisor (visualizer/supervisor.py);
the live app runs its shader checks in a probe process it supervises itself
(visualizer/live/checker.py). The supervised side, here, sends JSON lines on a
pipe:

- `track(path)` / `untrack(path)`: a temporary file or folder (or a folder it
  made, removed only while empty) to remove if the process is stopped;
- `track_process(pid)`: a child process (the ffmpeg encoder) to kill then;
- `with watch(seconds, failure):` a call that must end within `seconds`, else
  the supervisor stops the process and reports `failure` (one line naming the
  shader file). Compiles get `time_limit("compile")` ($VISUALIZER_COMPILE_LIMIT,
  default 30 s), each pass's first draw `time_limit("frame")`
  ($VISUALIZER_FRAME_LIMIT, default 10 s);
- `beat(failure)` when `beat_due()` (a clock read per draw, a message at most every
  `BEAT_S`): drawing goes on; a supervisor that hears no beat for the frame limit
  pings the process (SIGUSR1, answered by `answer_ping` when Python runs, i.e. no
  GL call holds it) and reports `failure` if no answer comes; `rest()`: drawing
  is over, stop that;
- `said(status)`: the process printed its last `error:` line; the supervisor
  prints nothing more.

Without a supervisor (the Python API, tests that call `main([...])`) these
calls do nothing: the watchdog is a feature of the command line and the live app.
"""

from __future__ import annotations

import ctypes
import itertools
import json
import math
import os
import sys
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from visualizer.errors import VisualizerError

COMPILE_LIMIT_VARIABLE = "VISUALIZER_COMPILE_LIMIT"
FRAME_LIMIT_VARIABLE = "VISUALIZER_FRAME_LIMIT"
DEFAULT_LIMITS = {"compile": 30.0, "frame": 10.0}
"""Seconds a driver compile of one shader, and the first draw of one pass, may take."""
_LIMIT_VARIABLES = {"compile": COMPILE_LIMIT_VARIABLE, "frame": FRAME_LIMIT_VARIABLE}


def time_limit(kind: str) -> float:
    """Seconds a driver compile ("compile") or a pass's first draw ("frame") may take."""
    name = _LIMIT_VARIABLES[kind]
    text = os.environ.get(name, "").strip()
    if not text:
        return DEFAULT_LIMITS[kind]
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= 86400:
        raise VisualizerError(f"{name}={text!r}: expected seconds, a number in (0, 86400]"
                              f" (default {DEFAULT_LIMITS[kind]:g}); set it so or unset it")
    return value


_channel: int | None = None
_channel_lock = threading.Lock()
_watch_ids = itertools.count(1)
_interrupted = False
_output_done = False
BEAT_S = 0.5
"""Seconds between two beats, at least."""
_last_beat = -math.inf
PING_SIGNAL = signal.SIGUSR1
"""The signal a supervisor sends to ask "is Python running?" (answered by `answer_ping`)."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def report_to(fd: int | None) -> None:
    """Send this process's messages to `fd` (the write end of its supervisor's pipe);
    None sends them nowhere."""
    global _channel
    with _channel_lock:
        _channel = fd


def supervised() -> bool:
    """True when a supervisor reads this process's messages."""
    return _channel is not None


def send(message: dict) -> None:
    """One message to the supervisor, as a JSON line; nothing without one. A supervisor
    that went away is forgotten (the process carries on unsupervised)."""
    global _channel
    if _channel is None:
        return
    data = (json.dumps(message) + "\n").encode()
    with _channel_lock:
        try:
            while data and _channel is not None:
                data = data[os.write(_channel, data):]
        except OSError:
            _channel = None


def track(path: Path | str, only_if_empty: bool = False) -> None:
    """Remove `path` (a file or a folder) if this process is stopped before `untrack(path)`;
    with `only_if_empty`, a folder this process made, removed only while empty."""
    send({"track": os.path.abspath(path), "only_if_empty": only_if_empty})


def untrack(path: Path | str) -> None:
    """`path` is committed or removed: nothing to clean up there any more."""
    send({"untrack": os.path.abspath(path)})


def track_process(pid: int) -> None:
    """Kill process `pid` (one this process started) if this process is stopped first."""
    send({"process": pid})


def untrack_process(pid: int) -> None:
    send({"unprocess": pid})


@contextmanager
def watch(seconds: float, failure: str, subject: str = "") -> Iterator[None]:
    """Run the block under a watch: should it last longer than `seconds`, the
    supervisor stops this process and reports `failure` (one line). `subject`
    (a file) names what was running if the process dies instead."""
    if _channel is None:
        yield
        return
    key = next(_watch_ids)
    send({"arm": key, "seconds": seconds, "failure": failure, "subject": subject})
    try:
        yield
    finally:
        send({"disarm": key})


def beat_due() -> bool:
    """True when a beat should be sent now (supervised, `BEAT_S` since the last): one clock read."""
    return _channel is not None and time.monotonic() - _last_beat >= BEAT_S


def beat(failure: str, seconds: float) -> None:
    """Drawing goes on; should no beat follow for `seconds` while Python does not run
    (a draw that never ends), the supervisor stops this process and reports `failure`."""
    global _last_beat
    _last_beat = time.monotonic()
    send({"beat": failure, "seconds": seconds})


def rest() -> None:
    """Drawing is over (for now): no beat is expected any more."""
    global _last_beat
    if _last_beat != -math.inf:
        _last_beat = -math.inf
        send({"rest": True})


def answer_ping(number: int, frame: object) -> None:
    """The `PING_SIGNAL` handler: Python runs here, so no GL call is stuck."""
    send({"pong": True})


def said(status: int) -> None:
    """This process printed its last line (`error: ...`) and exits with `status`."""
    send({"said": status})


def die_with_parent(number: int) -> None:
    """Have the kernel send signal `number` to this process when its parent exits (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(number), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it exited before the request took effect
        os.kill(os.getpid(), number)


def interrupt_once(number: int, frame: object) -> None:
    """Ctrl-C / SIGTERM / SIGHUP in a supervised child: KeyboardInterrupt, once. Every stop
    signal is ignored from then on: the terminal and the supervisor both send one, and
    the repeat can come when the interpreter has already reset its handlers (at exit)."""
    global _interrupted
    for each in STOP_SIGNALS:
        signal.signal(each, signal.SIG_IGN)
    if _interrupted or _output_done:  # a repeat, or the work is already done: let it exit
        return
    _interrupted = True
    raise KeyboardInterrupt


def output_done() -> None:
    """The command's named output is complete (committed): from now on a stop signal no
    longer interrupts. What is left is teardown, and the command exits with success
    instead of reporting the finished output as removed (the supervisor is told: a
    signal that ends the interpreter's own shutdown still counts as success)."""
    global _output_done
    _output_done = True
    send({"done": True})


def output_pending() -> None:
    """A command starts: its output is not written yet (in-process runs share this module)."""
    global _output_done
    _output_done = False


def is_output_done() -> bool:
    """Whether `output_done` was called in this process."""
    return _output_done


def raise_interrupt(number: int, frame: object) -> None:
    """A signal handler: Ctrl-C's KeyboardInterrupt, for SIGTERM."""
    raise KeyboardInterrupt
