"""The command line's supervisor: the command runs in a child process, and this
one, a loop of pure Python that always gets to run, enforces what the child
cannot while a GL call holds its GIL (see visualizer/guard.py):

- Ctrl-C, SIGTERM and SIGHUP reach the child, which raises KeyboardInterrupt
  (once: a repeat is ignored) and cleans up as usual. If it has not exited
  `GRACE_S` later, or a second signal comes, the supervisor kills it, kills the
  processes it registered (the ffmpeg encoder), removes the temporaries it
  registered, prints `error: interrupted; partial output was removed` and
  exits 130.
  Every stop signal reaches the supervisor's handlers, installed before the fork.
- A watch still armed after its limit (a runaway shader) makes the supervisor
  kill the child, clean up the same way, print the watch's one-line failure
  and exit 2. So does a child that beat (was drawing) and then neither beat
  again for the frame limit nor answered a ping (`PING_S`): a later frame stuck.
- A child that printed its own last line (`guard.said`) gets no second one.
- A child whose output is complete (`guard.output_done`) and is then stopped on
  its way out ends with success: the output is whole, nothing was removed.
- A child that dies by a signal (killed, out of memory, a driver crash) is
  cleaned up after; the status is 128 + the signal, with one line saying so
  (after the user's Ctrl-C or SIGTERM: the `interrupted` line and 130).

Otherwise the supervisor exits with the child's status and prints nothing.
$VISUALIZER_SUPERVISE=0 runs commands in the one process (a debugger, a profiler).
`Overseer` is the supervisor's view of one process; the live app's shader
checker uses it for its probe.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from visualizer import guard
from visualizer.errors import VisualizerError

SUPERVISE_VARIABLE = "VISUALIZER_SUPERVISE"
"""Set to 0 to run a command in the `visualizer` process itself (a debugger, a profiler)."""
GRACE_S = 2.0
"""Seconds the child has to clean up and exit after Ctrl-C or SIGTERM."""
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
INTERRUPTED = "interrupted; partial output was removed"
PING_S = 2.0
"""Seconds a child that stopped beating has to answer a ping before it counts as stuck."""
_STOP_SIGNALS = guard.STOP_SIGNALS


@dataclass
class Watch:
    """A deadline (monotonic seconds) and what to report when it passes."""

    deadline: float
    failure: str
    subject: str = ""
    status: int = EXIT_USER_ERROR
    seconds: float = 0.0
    """A beat's limit (the progress watch only)."""
    pinged: bool = False


class Overseer:
    """A supervisor's view of one process: `feed` it the process's messages; it knows
    which watch runs out first (`overdue`, `time_left`) and removes what the process
    left behind (`clean_up`). Thread-safe; `clean_up` is idempotent."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.watches: dict[object, Watch] = {}
        self.paths: dict[str, bool] = {}
        """Path -> remove it only if it is an empty folder."""
        self.processes: dict[int, str | None] = {}
        """pid -> its start time in /proc (a pid reused by another process is left alone)."""
        self.progress: Watch | None = None
        """Armed by the process's beats (it draws): due when none came for the beat's seconds."""
        self._partial = b""
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        """Notified after each applied message (see `wait_running`)."""

    def feed(self, data: bytes) -> list[dict]:
        """Apply the guard's messages in `data` (JSON lines, maybe split anywhere);
        returns the other messages (a probe's replies)."""
        lines = (self._partial + data).split(b"\n")
        self._partial = lines.pop()
        others = []
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # not a message (an empty line)
            if isinstance(message, dict) and not self._apply(message):
                others.append(message)
        return others

    def _apply(self, message: dict) -> bool:
        with self._lock:
            if "arm" in message:
                deadline = self.clock() + float(message["seconds"])
                self.watches[("child", message["arm"])] = Watch(
                    deadline, str(message["failure"]), str(message.get("subject", "")))
            elif "disarm" in message:
                self.watches.pop(("child", message["disarm"]), None)
            elif "track" in message:
                self.paths[str(message["track"])] = bool(message.get("only_if_empty"))
            elif "untrack" in message:
                self.paths.pop(str(message["untrack"]), None)
            elif "process" in message:
                self.processes[int(message["process"])] = _start_time(int(message["process"]))
            elif "unprocess" in message:
                self.processes.pop(int(message["unprocess"]), None)
            elif "beat" in message:
                seconds = float(message["seconds"])
                self.progress = Watch(self.clock() + seconds, str(message["beat"]), seconds=seconds)
            elif "rest" in message:
                self.progress = None
            else:
                return False
            self._changed.notify_all()
        return True

    def arm(self, key: str, seconds: float, failure: str, status: int = EXIT_USER_ERROR) -> None:
        """A watch of the supervisor's own (the grace after a signal)."""
        with self._lock:
            self.watches[key] = Watch(self.clock() + seconds, failure, status=status)

    def disarm(self, key: str) -> None:
        with self._lock:
            self.watches.pop(key, None)

    def postpone(self, seconds: float) -> None:
        """Move every deadline `seconds` later (the process was stopped that long: Ctrl-Z)."""
        with self._lock:
            for watch in (*self.watches.values(), *([self.progress] if self.progress else [])):
                watch.deadline += seconds

    def time_left(self) -> float | None:
        """Seconds until the first deadline (0 if one passed), None without watches."""
        with self._lock:
            deadlines = [watch.deadline for watch in self.watches.values()]
        return max(0.0, min(deadlines) - self.clock()) if deadlines else None

    def progress_left(self) -> float | None:
        """Seconds until the progress watch is due (0 if it is), None when not drawing or
        while a watch of the process's own (a compile, a first draw) covers it."""
        with self._lock:
            progress = self.progress
            covered = any(isinstance(key, tuple) for key in self.watches)
        return None if progress is None or covered else max(0.0, progress.deadline - self.clock())

    def pinged(self, seconds: float) -> None:
        """The process was asked whether Python runs: it has `seconds` to answer."""
        with self._lock:
            if self.progress is not None:
                self.progress.deadline, self.progress.pinged = self.clock() + seconds, True

    def answered(self) -> None:
        """The process answered a ping: not stuck; watch its progress afresh."""
        with self._lock:
            if self.progress is not None:
                self.progress.deadline, self.progress.pinged = self.clock() + self.progress.seconds, False

    def overdue(self) -> Watch | None:
        """The watch whose deadline passed first, if any."""
        now = self.clock()
        with self._lock:
            late = [watch for watch in self.watches.values() if watch.deadline <= now]
        return min(late, key=lambda watch: watch.deadline) if late else None

    def running(self) -> str:
        """The subject (a file) of the latest watch the process armed, or ""."""
        with self._lock:
            return self._running()

    def wait_running(self, subject: str, timeout: float) -> bool:
        """Block until the latest armed watch is about `subject` (True) or `timeout` s pass."""
        with self._changed:
            return self._changed.wait_for(lambda: self._running() == subject, timeout)

    def _running(self) -> str:
        subjects = [watch.subject for key, watch in self.watches.items() if isinstance(key, tuple)]
        return subjects[-1] if subjects else ""

    def clean_up(self) -> None:
        """Kill the registered processes, then remove the registered paths (newest first)."""
        with self._lock:
            processes, self.processes = self.processes, {}
            paths, self.paths = list(self.paths.items()), {}
        for pid, started in processes.items():
            if started is None or _start_time(pid) == started:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        for path, only_if_empty in reversed(paths):
            _remove(path, only_if_empty)


def _start_time(pid: int) -> str | None:
    """Process `pid`'s start time (clock ticks after boot) from /proc, or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _remove(path: str, only_if_empty: bool) -> None:
    try:
        if only_if_empty:
            os.rmdir(path)
        elif os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


def say(message: str) -> None:
    """Print `error: message` on stderr as a last line, over a half-drawn progress bar."""
    prefix = "\r\x1b[2K\x1b[?25h" if os.isatty(2) else ""  # clear the bar's line, show the cursor
    os.write(2, f"{prefix}error: {message}\n".encode(errors="backslashreplace"))


def open_standard_fds() -> None:
    """Open /dev/null on any closed fd 0-2 (`visualizer --version >&-`), so that no file or
    pipe opened later takes its number, and give Python a stream for it."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, mode, closefd=False))


def supervise(enabled: bool = True) -> None:
    """Run the rest of the program in a child process watched by this one, which never
    returns from here: it exits with the child's status (see the module's docstring).
    Returns in the child. Without `enabled`, with $VISUALIZER_SUPERVISE=0 or where fork
    is missing it only makes SIGTERM act as Ctrl-C, here. A time limit in the environment
    that is not a number ends the program here, with one line (exit 2)."""
    try:
        for kind in guard.DEFAULT_LIMITS:
            guard.time_limit(kind)
    except VisualizerError as exc:
        say(str(exc))
        sys.exit(EXIT_USER_ERROR)
    if not enabled or os.environ.get(SUPERVISE_VARIABLE) == "0" or not hasattr(os, "fork"):
        signal.signal(signal.SIGTERM, guard.raise_interrupt)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    wake = _note_signals()  # before the fork: a signal from now on is the supervisor's to pass on
    try:
        child = os.fork()
    except OSError:
        child = -1
    if child < 0:
        _unnote_signals(wake)
        for number in _STOP_SIGNALS:
            signal.signal(number, signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL)
        signal.signal(signal.SIGTERM, guard.raise_interrupt)
        os.close(read_end)
        os.close(write_end)
        return
    if child == 0:
        guard.report_to(write_end)
        for number in _STOP_SIGNALS:  # first: a signal in between is noted for the supervisor too
            signal.signal(number, guard.interrupt_once)
        _unnote_signals(wake)
        os.close(read_end)
        signal.signal(guard.PING_SIGNAL, guard.answer_ping)
        signal.siginterrupt(guard.PING_SIGNAL, False)  # a ping never interrupts a system call
        guard.die_with_parent(signal.SIGTERM)
        return
    os.close(write_end)
    status = Supervisor(child, read_end, wake).run()
    os._exit(status)


_NOTED = (*_STOP_SIGNALS, signal.SIGCHLD, signal.SIGCONT)


def _note_signals() -> int:
    """Have the signals the supervisor acts on noted, as their numbers, in a pipe; its read end."""
    wake_read, wake_write = os.pipe()
    for end in (wake_read, wake_write):
        os.set_blocking(end, False)
    signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
    for number in _NOTED:
        signal.signal(number, lambda number, frame: None)  # noted through the wakeup fd
    return wake_read


def _unnote_signals(wake_read: int) -> None:
    """Undo `_note_signals` but for the stop signals' handlers (in the child, or where fork
    failed: the caller sets those)."""
    os.close(signal.set_wakeup_fd(-1))
    os.close(wake_read)
    for number in (signal.SIGCHLD, signal.SIGCONT):
        signal.signal(number, signal.SIG_DFL)


class Supervisor:
    """Waits for `child`, reading its messages from `messages` (a pipe's read end) and the
    signals noted in `wake` (`_note_signals`); `run()` returns the status to exit with."""

    def __init__(self, child: int, messages: int, wake: int):
        self.child, self.messages, self.wake = child, messages, wake
        self.overseer = Overseer()
        self.signals = 0
        self.said: int | None = None
        """The status the child announced with its last line, once it printed one."""
        self.done = False
        """The child's output is complete (`guard.output_done`): a stop now ends it with success."""

    def run(self) -> int:
        os.set_blocking(self.messages, False)
        readers = [self.messages, self.wake]
        while True:
            left = _earliest(self.overseer.time_left(), self.overseer.progress_left())
            if self.messages not in readers:  # the child is exiting: look for it often
                left = _earliest(left, 0.05)
            waited_from = time.monotonic()
            ready, _, _ = select.select(readers, [], [], left)
            if self.messages in ready and not self._read():
                readers.remove(self.messages)
            if self.wake in ready:
                for number in os.read(self.wake, 512):
                    if number == signal.SIGCONT:  # back from Ctrl-Z: the time stopped does not count
                        self.overseer.postpone(time.monotonic() - waited_from)
                    elif number in _STOP_SIGNALS and (status := self._signalled(number)) is not None:
                        return status
            if (status := self._reaped()) is not None:
                return status
            if (late := self.overseer.overdue()) is not None:
                return self._stop(late.failure, late.status)
            if (status := self._check_progress()) is not None:
                return status

    def _read(self) -> bool:
        """Take the child's messages; False at the end of the pipe (or when none are waiting)."""
        try:
            data = os.read(self.messages, 65536)
        except OSError:  # BlockingIOError included: the pipe is non-blocking
            return False
        for message in self.overseer.feed(data):
            if "said" in message:
                self.said = int(message["said"])
            elif "done" in message:
                self.done = True
            elif "pong" in message:
                self.overseer.answered()
        return bool(data)

    def _check_progress(self) -> int | None:
        """A child that stopped beating is pinged; one that does not answer either is stuck."""
        progress = self.overseer.progress
        if progress is None or self.overseer.progress_left() != 0:
            return None
        if progress.pinged:
            return self._stop(progress.failure, progress.status)
        self.overseer.pinged(PING_S)
        try:
            os.kill(self.child, guard.PING_SIGNAL)
        except OSError:
            pass
        return None

    def _signalled(self, number: int) -> int | None:
        """Pass a stop signal on, then give the child `GRACE_S`; a second signal stops it now."""
        self.signals += 1
        if self.signals > 1:
            return self._stop(INTERRUPTED, EXIT_INTERRUPTED)
        try:
            os.kill(self.child, signal.SIGINT if number == signal.SIGINT else signal.SIGTERM)
        except OSError:
            pass
        self.overseer.arm("interrupt", GRACE_S, INTERRUPTED, EXIT_INTERRUPTED)
        return None

    def _reaped(self) -> int | None:
        """The child's exit status once it has exited (its leftovers removed), else None."""
        pid, status = os.waitpid(self.child, os.WNOHANG)
        if pid == 0:
            return None
        while self._read():
            pass
        subject = self.overseer.running()
        self.overseer.clean_up()
        code = os.waitstatus_to_exitcode(status)
        if code >= 0:
            return code
        if self.said is not None:  # it printed its line, then died (a repeated signal at exit)
            return self.said
        if self.signals and -code in _STOP_SIGNALS and self.done:  # stopped on its way out
            return 0
        if self.signals and -code in _STOP_SIGNALS:  # the user's interrupt, passed on
            say(INTERRUPTED)
            return EXIT_INTERRUPTED
        during = f" while compiling or drawing {subject}" if subject else ""
        say(f"stopped by {signal.Signals(-code).name}{during} ({_why(-code)}); partial output was removed")
        return 128 - code

    def _stop(self, failure: str, status: int) -> int:
        """Kill the child (stuck, or its time to clean up is over), clean up after it, report
        (unless the child printed its own last line)."""
        try:
            os.kill(self.child, signal.SIGKILL)
            os.waitpid(self.child, 0)
        except OSError:
            pass
        while self._read():
            pass
        self.overseer.clean_up()
        if self.said is not None:
            return self.said
        if self.done and status == EXIT_INTERRUPTED:  # the output was whole; only its exit was slow
            return 0
        say(failure)
        return status


def _earliest(first: float | None, second: float | None) -> float | None:
    """The sooner of two timeouts (None: no timeout)."""
    return second if first is None else first if second is None else min(first, second)


def _why(number: int) -> str:
    if number == signal.SIGKILL:
        return "killed from outside, perhaps for want of memory"
    if number == signal.SIGBUS:
        return ("a crash touching a mapped file: perhaps a full disk (the cache folder?); free some space,"
                " else it is a bug in visualizer or in the GL driver; please report it")
    if number in (signal.SIGSEGV, signal.SIGABRT, signal.SIGILL, signal.SIGFPE):
        return "a crash: a bug in visualizer or in the GL driver; please report it"
    return "a signal from outside"
