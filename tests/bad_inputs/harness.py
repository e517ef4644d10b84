"""The bad-input table's machinery: a `Case` row, the folder it runs in, and
the run itself (`python -m visualizer ...` as a user types it).

Each case gets a fresh folder `work/` (the current folder, the only one
snapshotted), a private home `home/` (HOME, XDG_DATA_HOME, XDG_CONFIG_HOME)
and `tmp/` (TMPDIR, watched for the whole run). Caches (matplotlib's fonts,
Mesa's shaders, the analysis cache) are shared by the session: they live
outside every snapshot.
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Callable

Setup = Callable[[Path, Path], None]
"""Makes something in a case's work folder: (work folder, shared inputs folder) -> None."""

Check = Callable[[Path], None]
"""An extra assertion on a case's work folder after a successful run."""

MEMORY_LIMIT = 4 << 30
"""Address-space limit (bytes) for every run: a runaway render fails instead of
taking the machine's memory (llvmpipe renders at these sizes need well under 1 GiB)."""

TINY = ("--size", "64x36", "--seconds", "0.5", "--quiet")
"""The render options most cases use: a few frames at a tiny size."""

LEFTOVERS = ("*.tmp*", "*.partial*")
"""Names a finished run must never leave behind (atomic writes' temporaries)."""


@dataclass(frozen=True)
class StuckAfter:
    """Interrupt once a file matching `glob` exists in the work folder and the process group
    has since burnt `cpu_s` seconds of CPU (stuck in a draw, not merely started)."""

    glob: str
    cpu_s: float = 1.0


@dataclass(frozen=True)
class Case:
    """One bad input, as a user types it, and what must happen."""

    id: str
    argv: tuple[str, ...]
    status: int | tuple[int, ...] = 2
    """The exit status, or the statuses allowed where the issue leaves the choice
    open (e.g. write the format `--plot x.jpg` names, or refuse it)."""
    setup: tuple[Setup, ...] = ()
    words: tuple[str, ...] = ()
    """Must appear in stderr when the run fails (the option or file the user gave)."""
    not_words: tuple[str, ...] = ()
    """Must not appear in stderr (an option the user did not give, a misleading fix)."""
    warns: tuple[str, ...] = ()
    """Must appear in stderr when the run succeeds (a one-line note or warning)."""
    stdout_has: tuple[str, ...] = ()
    not_stdout: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    """Paths (fnmatch patterns, relative to the work folder) a successful run may
    create or change; each plain name must exist afterwards, each pattern match."""
    check: Check | None = None
    env: tuple[tuple[str, str | None], ...] = ()
    """Extra environment (None removes the variable)."""
    display: bool = False
    """Run with DISPLAY set to a private Xvfb (play/edit), else with no display."""
    interrupt_when: str | float | StuckAfter | None = None
    """Send `interrupt_signal` to the process group once this name pattern appears in the
    work folder, or this many seconds after the start (a trigger, never a measurement)."""
    interrupt_signal: int = signal.SIGINT
    """SIGINT is what Ctrl-C in a terminal sends."""
    timeout: float = 60.0
    """Seconds before the run counts as a hang (a bound, never a measurement)."""
    root: bool | None = None
    """True: needs root (mknod); False: meaningless as root (permissions); None: either."""
    xfail: str | None = None
    """`<part>: <what>` while the fix of another part has not landed (strict)."""

    @property
    def statuses(self) -> tuple[int, ...]:
        return self.status if isinstance(self.status, tuple) else (self.status,)


@dataclass
class Outcome:
    """What one run did."""

    status: int
    stdout: str
    stderr: str
    temp_seen: list[str] = field(default_factory=list)
    """Names that appeared in TMPDIR at any moment of the run."""


Entry = tuple[str, int, int, str]
"""(kind, size, mtime_ns, sha256 or link target) of one path; directories keep only their kind."""


def snapshot(folder: Path) -> dict[str, Entry]:
    """Every path under `folder` (symlinks not followed): kind, size, mtime, content hash."""
    found: dict[str, Entry] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            found[path.relative_to(folder).as_posix()] = _entry(path)
    return found


def _entry(path: Path) -> Entry:
    info = path.lstat()
    if stat.S_ISDIR(info.st_mode):
        return ("dir", 0, 0, "")  # a folder's mtime moves when a temporary comes and goes
    if stat.S_ISLNK(info.st_mode):
        return ("link", 0, info.st_mtime_ns, os.readlink(path))
    if stat.S_ISREG(info.st_mode):
        return ("file", info.st_size, info.st_mtime_ns, _hash(path))
    kind = "fifo" if stat.S_ISFIFO(info.st_mode) else "socket" if stat.S_ISSOCK(info.st_mode) else "device"
    return (kind, 0, info.st_mtime_ns, "")


def _hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except PermissionError:  # a case's unreadable file (chmod 000, not as root)
        return "unreadable"


def environment(case_dir: Path, cache: Path, display: str | None, extra) -> dict[str, str]:
    """The run's environment: a private home and TMPDIR, the session's caches, no display
    unless asked, no user presets."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "VISUALIZER_CACHE", "VISUALIZER_PRESET_PATH")}
    home = case_dir / "home"
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(cache),
               MPLCONFIGDIR=str(cache / "matplotlib"), TMPDIR=str(case_dir / "tmp"),
               PYTHONDONTWRITEBYTECODE="1")
    if display:
        env["DISPLAY"] = display
    for key, value in extra:
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


LAUNCHER = (
    "import resource, runpy, sys\n"
    f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
    "resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
    "sys.argv[0] = 'visualizer'\n"
    "runpy.run_module('visualizer', run_name='__main__', alter_sys=True)\n"
)
"""`python -m visualizer` with bounded memory and no core files (set in the child
itself: cases run from several threads, where preexec_fn is unsafe)."""


def run(case: Case, work: Path, env: dict[str, str]) -> Outcome:
    """Run the case's command in `work`; kill its whole process group on a hang."""
    command = [sys.executable, "-c", LAUNCHER, *case.argv]
    temp = Path(env["TMPDIR"])
    process = subprocess.Popen(command, cwd=work, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    watcher = _Watcher(process, work, temp, case)
    try:
        stdout, stderr = watcher.communicate(case.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError(f"hang: still running after {case.timeout:g} s (killed)") from None
    finally:
        _reap(process.pid)
    return Outcome(process.returncode, stdout.decode(errors="replace"), stderr.decode(errors="replace"),
                   sorted(watcher.temp_seen))


class _Watcher:
    """Waits for the process while watching TMPDIR, and interrupts it when the case says."""

    POLL_S = 0.01

    def __init__(self, process: subprocess.Popen, work: Path, temp: Path, case: Case):
        self.process, self.work, self.temp = process, work, temp
        self.when, self.signal = case.interrupt_when, case.interrupt_signal
        self.started = time.monotonic()
        self.temp_seen: set[str] = set()
        self.interrupted = False
        self.baseline: float | None = None

    def communicate(self, timeout: float) -> tuple[bytes, bytes]:
        done = threading.Event()
        poller = threading.Thread(target=self._poll, args=(done,), daemon=True)
        poller.start()
        try:
            return self.process.communicate(timeout=timeout)
        finally:
            done.set()
            poller.join()

    def _poll(self, done: threading.Event) -> None:
        while not done.wait(self.POLL_S):
            self.temp_seen.update(_names(self.temp))
            if not self.interrupted and self._due():
                self.interrupted = True
                try:
                    os.killpg(self.process.pid, self.signal)  # the whole group, as a terminal's Ctrl-C
                except ProcessLookupError:
                    pass

    def _due(self) -> bool:
        if self.when is None:
            return False
        if isinstance(self.when, float):
            return time.monotonic() - self.started >= self.when
        if isinstance(self.when, StuckAfter):
            return self._stuck(self.when)
        return any(fnmatch(name, self.when) for name in _names(self.work))

    def _stuck(self, when: StuckAfter) -> bool:
        """True once `when.glob` has appeared and the group has since burnt `when.cpu_s` of CPU:
        it is inside a long C call (a draw), not in Python."""
        if self.baseline is None:
            if any(fnmatch(name, when.glob) for name in _names(self.work)):
                self.baseline = group_cpu_seconds(self.process.pid)
            return False
        return group_cpu_seconds(self.process.pid) >= self.baseline + when.cpu_s


def group_cpu_seconds(group: int) -> float:
    """CPU seconds (user + system) of the live processes in process group `group`."""
    total = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group:
                total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:  # a case's TMPDIR that does not exist
        return []


def _reap(group: int) -> None:
    """Kill whatever the run left in its process group (an orphaned ffmpeg)."""
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass
class Result:
    """One case, run: its outcome (or why it has none) and the work folder around it."""

    work: Path
    outcome: Outcome | None
    failure: str | None
    """Why there is no outcome (a hang)."""
    before: dict[str, Entry]
    after: dict[str, Entry]
    left: list[str]
    """Temporaries left in the work folder or the home."""


def execute(case: Case, case_dir: Path, inputs: Path, cache: Path, display: str | None) -> Result:
    """Make the case's folders and files, run it, and record what changed."""
    work, home, temp = (case_dir / name for name in ("work", "home", "tmp"))
    for path in (work, home, temp):
        path.mkdir()
    for step in case.setup:
        step(work, inputs)
    before = snapshot(work)
    outcome, failure = None, None
    try:
        outcome = run(case, work, environment(case_dir, cache, display, case.env))
    except AssertionError as exc:
        failure = str(exc)
    after = snapshot(work)
    _writable(work)
    return Result(work, outcome, failure, before, after, leftovers(work, home))


def _writable(work: Path) -> None:
    """Undo a case's chmod so that its folder can be removed."""
    for root, dirs, _ in os.walk(work):
        for name in dirs:
            path = Path(root, name)
            if not path.is_symlink():
                path.chmod(0o755)


def leftovers(*folders: Path) -> list[str]:
    """Temporaries (LEFTOVERS) anywhere under the folders."""
    found = []
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            found += [str(Path(root, name)) for name in dirs + files
                      if any(fnmatch(name, pattern) for pattern in LEFTOVERS)]
    return found


def changed(before: dict[str, Entry], after: dict[str, Entry]) -> dict[str, tuple]:
    """Paths whose entry differs: {path: (before or None, after or None)}."""
    return {path: (before.get(path), after.get(path)) for path in sorted(before.keys() | after.keys())
            if before.get(path) != after.get(path)}


def allowed(path: str, patterns: tuple[str, ...]) -> bool:
    return any(path == pattern or fnmatch(path, pattern) for pattern in patterns)
