"""The command line's edges (visualizer/cli/main.py, supervisor.py, guard.py): stdout going
away or full, closed standard fds, one line for every interrupt, Mesa's shader cache where
it cannot work, and a later frame that never ends.

Readiness is waited for (a temporary file), never slept for."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.test_guard import (HANG_S, FakeClock, VISUALIZER, assert_one_error_line, environment, render_command,
                              shader_preset, wait_until_stuck_in_the_first_frame)
from visualizer import guard, supervisor
from visualizer.cli.main import EXIT_BROKEN_PIPE
from visualizer.render import driver_cache

GROWING = """
#define STEP acc = sin(acc * 1.37 + iTime);
#define STEP4 STEP STEP STEP STEP
#define STEP16 STEP4 STEP4 STEP4 STEP4
#define LOOP for (int i = 0; i < 1000000; i++) { STEP16 }
#define LOOP4 LOOP LOOP LOOP LOOP
void main() {
    float acc = gl_FragCoord.x;
    for (int k = 0; k < int(iTime * 10.0); k++) { LOOP4 LOOP4 LOOP4 LOOP4 }
    fragColor = vec4(acc, 0.0, 0.0, 1.0);
}
"""
"""Frame 0 (iTime 0) draws at once; frame 1 for minutes (loops nested: llvmpipe caps each at 65535)."""


@pytest.fixture(scope="module")
def wav(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "s.wav"
    soundfile.write(path, np.zeros((22050, 2), np.float32), 44100)
    return path


def run_into_closed_pipe(args: list[str]) -> subprocess.CompletedProcess:
    """Run the command line with stdout a pipe whose reader is already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([*VISUALIZER, *args], stdout=write_end, stderr=subprocess.PIPE, text=True,
                              env=environment(), timeout=HANG_S)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["presets", "list"], []],
                         ids=["help", "version", "presets-list", "no-command"])
def test_stdout_that_went_away_ends_quietly(args):
    result = run_into_closed_pipe(args)
    assert result.returncode == EXIT_BROKEN_PIPE and result.stderr == "", result.stderr


def test_analyze_json_into_a_closed_pipe_ends_quietly(wav):
    result = run_into_closed_pipe(["analyze", str(wav), "--json"])
    assert result.returncode == EXIT_BROKEN_PIPE and result.stderr == "", result.stderr


@pytest.mark.parametrize("args", [["--version"], ["presets", "list"]], ids=["version", "presets-list"])
def test_a_full_stdout_is_one_line(args):
    with open("/dev/full", "w") as full:
        result = subprocess.run([*VISUALIZER, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                                env=environment(), timeout=HANG_S)
    assert result.returncode == 2, result.stderr
    assert_one_error_line(result.stderr, "cannot write the standard output", os.strerror(errno.ENOSPC))


def test_closed_standard_fds_are_not_reused():
    script = "import os; os.close(0); os.close(1); os.execv({0!r}, [{0!r}, '-m', 'visualizer', '--version'])"
    result = subprocess.run([sys.executable, "-c", script.format(sys.executable)], stderr=subprocess.PIPE,
                            text=True, env=environment(), timeout=HANG_S)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_once_the_output_is_done_a_stop_signal_no_longer_interrupts():
    previous = {number: signal.getsignal(number) for number in guard.STOP_SIGNALS}
    guard.output_done()
    try:
        guard.interrupt_once(signal.SIGINT, None)  # no KeyboardInterrupt: the command ends as it is
        assert all(signal.getsignal(number) == signal.SIG_IGN for number in guard.STOP_SIGNALS)
    finally:
        guard.output_pending()
        for number, handler in previous.items():
            signal.signal(number, handler)


def test_a_repeated_stop_signal_is_ignored_after_the_first():
    previous = {number: signal.getsignal(number) for number in guard.STOP_SIGNALS}
    guard.output_pending()  # an in-process command before may have finished its output
    try:
        with pytest.raises(KeyboardInterrupt):
            guard.interrupt_once(signal.SIGINT, None)
        assert all(signal.getsignal(number) == signal.SIG_IGN for number in guard.STOP_SIGNALS)
    finally:
        guard._interrupted = False
        for number, handler in previous.items():
            signal.signal(number, handler)


def start_render(tmp_path: Path, wav: Path, **limits: str) -> tuple[subprocess.Popen, Path]:
    """A render of GROWING in its own process group, once its temporary output exists."""
    preset = shader_preset(tmp_path, "growing", GROWING)
    out = tmp_path / "renders" / "clip.mp4"
    process = subprocess.Popen([*render_command(preset, wav, out)[:-2], "0.5", "--quiet"],
                               stderr=subprocess.PIPE, text=True, env=environment(**limits),
                               start_new_session=True)
    try:
        wait_until_stuck_in_the_first_frame(process, out.parent)  # frame 1 here: its draw burns CPU
    except BaseException:
        process.kill()
        raise
    return process, out


@pytest.mark.slow
def test_a_later_frame_that_never_ends_is_stopped_at_the_limit(tmp_path, wav):
    preset = shader_preset(tmp_path, "growing", GROWING)
    out = tmp_path / "renders" / "clip.mp4"
    command = [*render_command(preset, wav, out)[:-2], "0.5", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True,
                            env=environment(VISUALIZER_FRAME_LIMIT="2"), timeout=HANG_S)
    assert result.returncode == 2, result.stderr
    assert_one_error_line(result.stderr, f"{tmp_path / 'growing.glsl'}: a frame at 64x64 made no progress"
                          " for 2 s", "VISUALIZER_FRAME_LIMIT")
    assert not out.parent.exists()


@pytest.mark.slow
@pytest.mark.parametrize("times", [1, 2], ids=["once", "twice"])
def test_ctrl_c_to_the_whole_group_prints_one_line(tmp_path, wav, times):
    """As a terminal does: SIGINT to the supervisor and the worker at once (twice: a second Ctrl-C)."""
    process, out = start_render(tmp_path, wav, VISUALIZER_FRAME_LIMIT="3600")
    try:
        for _ in range(times):
            os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=HANG_S)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert_one_error_line(stderr, "interrupted; partial output was removed")
    assert not out.parent.exists()


# --- the overseer's progress watch -------------------------------------------------------------


def test_beats_arm_the_progress_watch_and_rest_or_own_watches_suspend_it():
    clock = FakeClock()
    overseer = supervisor.Overseer(clock)
    assert overseer.progress_left() is None  # not drawing: nothing expected
    overseer.feed(b'{"beat": "a.glsl: stuck", "seconds": 10}\n')
    clock.now += 4
    assert overseer.progress_left() == 6
    overseer.feed(b'{"arm": 1, "seconds": 30, "failure": "compile"}\n')
    assert overseer.progress_left() is None  # a compile under its own watch
    overseer.feed(b'{"disarm": 1}\n')
    clock.now += 7
    assert overseer.progress_left() == 0
    overseer.pinged(2)
    assert overseer.progress_left() == 2 and overseer.progress.pinged
    overseer.answered()  # Python runs: not stuck, watched afresh
    assert overseer.progress_left() == 10 and not overseer.progress.pinged
    overseer.postpone(5)
    assert overseer.progress_left() == 15
    overseer.feed(b'{"rest": true}\n')
    assert overseer.progress_left() is None and overseer.overdue() is None


def test_sigbus_names_a_full_disk():
    assert "full disk" in supervisor._why(signal.SIGBUS)


# --- Mesa's shader cache ---------------------------------------------------------------------------


def plenty(path: Path) -> int:
    return 2**40


def test_the_mesa_cache_follows_mesa_s_order(tmp_path):
    assert driver_cache.mesa_cache_folder({"MESA_SHADER_CACHE_DIR": str(tmp_path), "XDG_CACHE_HOME": "/x"}) == (
        tmp_path / "mesa_shader_cache")
    assert driver_cache.mesa_cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "mesa_shader_cache"
    assert driver_cache.mesa_cache_folder({"XDG_CACHE_HOME": "relative/cache"}) is None


@pytest.mark.parametrize("case", ["relative", "file", "unwritable", "full"])
def test_an_unusable_mesa_cache_is_disabled(tmp_path, case):
    cache = tmp_path / "cache"
    environ = {"XDG_CACHE_HOME": str(cache)}
    free = plenty
    if case == "relative":
        environ["XDG_CACHE_HOME"] = "cache"
    elif case == "file":
        cache.write_text("not a folder")
    elif case == "unwritable":
        cache.mkdir()
        cache.chmod(0o500)
        if os.access(cache, os.W_OK):
            pytest.skip("root writes to any folder")
    else:
        free = lambda path: 1 << 20  # noqa: E731 - 1 MiB free
    assert driver_cache.disable_if_unusable(environ, free) is True
    assert environ[driver_cache.DISABLE_VARIABLE] == "true"


def test_a_usable_mesa_cache_or_a_choice_made_is_left_alone(tmp_path):
    environ = {"XDG_CACHE_HOME": str(tmp_path / "new" / "cache")}  # Mesa makes the missing folders
    assert driver_cache.disable_if_unusable(environ, plenty) is False and driver_cache.DISABLE_VARIABLE not in environ
    chosen = {"XDG_CACHE_HOME": "relative", driver_cache.DISABLE_VARIABLE: "false"}
    assert driver_cache.disable_if_unusable(chosen, plenty) is False and chosen[driver_cache.DISABLE_VARIABLE] == "false"


def test_a_file_as_the_cache_home_gives_no_mesa_warning(tmp_path):
    home = tmp_path / "cache"
    home.write_text("a file")
    result = subprocess.run([*VISUALIZER, "presets", "validate", "mimic_bloom"], capture_output=True, text=True,
                            env={**environment(), "XDG_CACHE_HOME": str(home)}, timeout=HANG_S)
    assert "shader cache" not in result.stderr, result.stderr
