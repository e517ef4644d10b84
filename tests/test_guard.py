"""The supervisor (visualizer/supervisor.py, guard.py): a runaway shader or a signal during a long
GL call ends the command with one line, its exit status and nothing left behind.

The GL calls hold Python's GIL, so only the supervisor process can act while the
command is stuck in one; these tests run the real command line in a subprocess.
Limits come from the environment (2 s), and readiness is counted (a temporary
file, CPU seconds the stuck frame burns), never slept for.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from visualizer import supervisor

VISUALIZER = [sys.executable, "-m", "visualizer"]
HANG_S = 120.0
"""Seconds before a wait gives up: a bound on a hang, never a measurement."""

RUNAWAY = """
#define STEP acc = sin(acc * 1.37 + iTime);
#define STEP4 STEP STEP STEP STEP
#define STEP16 STEP4 STEP4 STEP4 STEP4
#define LOOP for (int i = 0; i < 1000000; i++) { STEP16 }
#define LOOP4 LOOP LOOP LOOP LOOP
void main() {
    float acc = gl_FragCoord.x;
    LOOP4 LOOP4 LOOP4 LOOP4
    fragColor = vec4(acc, 0.0, 0.0, 1.0);
}
"""
"""A first frame that draws for minutes (llvmpipe ends each loop after 65535 turns, so
sixteen loops of sixteen sines at 64x64 pixels: about four minutes here)."""

ENORMOUS = "".join(f"#define S{k + 1} S{k} S{k} S{k} S{k}\n" for k in range(7)) + """
#define S0 acc = sin(acc * 1.37 + iTime);
void main() {
    float acc = gl_FragCoord.x;
    S7
    fragColor = vec4(acc, 0.0, 0.0, 1.0);
}
"""
"""16384 statements: Mesa's GLSL compiler takes minutes over them (with little memory)."""

PRESET = '[[passes]]\nshader = "{}"\ntarget = "output"\n'


def shader_preset(folder: Path, name: str, source: str) -> Path:
    (folder / f"{name}.glsl").write_text(source)
    (folder / f"{name}.toml").write_text(PRESET.format(f"{name}.glsl"))
    return folder / f"{name}.toml"


@pytest.fixture(scope="module")
def short_wav(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "short.wav"
    soundfile.write(path, np.zeros((22050, 2), np.float32), 44100)
    return path


def environment(**limits: str) -> dict[str, str]:
    env = {**os.environ, **limits}
    env.pop(supervisor.SUPERVISE_VARIABLE, None)
    return env


def render_command(preset: Path, audio: Path, out: Path) -> list[str]:
    return [*VISUALIZER, "render", "--preset", str(preset), "--audio", str(audio), "--out", str(out),
            "--size", "64x64", "--fps", "10", "--seconds", "0.2", "--quiet"]


def assert_one_error_line(stderr: str, *fragments: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in stderr, stderr
    for fragment in fragments:
        assert fragment in lines[0], stderr


# --- the command line ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_first_frame_that_never_ends_is_stopped_at_the_limit(tmp_path, short_wav):
    preset = shader_preset(tmp_path, "runaway", RUNAWAY)
    out = tmp_path / "renders" / "clip.mp4"
    result = subprocess.run(render_command(preset, short_wav, out), capture_output=True, text=True,
                            env=environment(VISUALIZER_FRAME_LIMIT="2"), timeout=HANG_S)
    assert result.returncode == 2, result.stderr
    assert_one_error_line(result.stderr, f"{tmp_path / 'runaway.glsl'}: its first frame at 64x64 took longer"
                          " than 2 s", "VISUALIZER_FRAME_LIMIT")
    assert not out.parent.exists()  # the folder it made, the temporary and ffmpeg's output: gone


def test_a_compile_that_never_ends_is_stopped_at_the_limit(tmp_path):
    preset = shader_preset(tmp_path, "enormous", ENORMOUS)
    result = subprocess.run([*VISUALIZER, "presets", "validate", str(preset)], capture_output=True, text=True,
                            env=environment(VISUALIZER_COMPILE_LIMIT="2"), timeout=HANG_S)
    assert result.returncode == 2, result.stderr
    assert_one_error_line(result.stderr, f"{tmp_path / 'enormous.glsl'}: the GL driver took longer than 2 s"
                          " to compile it", "VISUALIZER_COMPILE_LIMIT")


def test_a_limit_that_is_not_a_number_is_one_line(tmp_path):
    result = subprocess.run([*VISUALIZER, "presets", "validate", "mimic_bloom"], capture_output=True,
                            text=True, env=environment(VISUALIZER_COMPILE_LIMIT="soon"), timeout=HANG_S)
    assert result.returncode == 2
    assert_one_error_line(result.stderr, "VISUALIZER_COMPILE_LIMIT='soon': expected seconds")


@pytest.mark.slow
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_a_stuck_frame_ends_the_command(tmp_path, short_wav, number):
    preset = shader_preset(tmp_path, "runaway", RUNAWAY)
    out = tmp_path / "renders" / "clip.mp4"
    process = subprocess.Popen(render_command(preset, short_wav, out), stderr=subprocess.PIPE, text=True,
                               env=environment(VISUALIZER_FRAME_LIMIT="3600"))
    try:
        wait_until_stuck_in_the_first_frame(process, out.parent)
        process.send_signal(number)
        _, stderr = process.communicate(timeout=HANG_S)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert_one_error_line(stderr, "interrupted; partial output was removed")
    assert not out.parent.exists()
    assert _children(process.pid) == []  # the stuck worker and its ffmpeg are gone


@pytest.mark.slow
def test_a_worker_killed_from_outside_is_cleaned_up_after_and_reported(tmp_path, short_wav):
    preset = shader_preset(tmp_path, "runaway", RUNAWAY)
    out = tmp_path / "renders" / "clip.mp4"
    process = subprocess.Popen(render_command(preset, short_wav, out), stderr=subprocess.PIPE, text=True,
                               env=environment(VISUALIZER_FRAME_LIMIT="3600"))
    try:
        worker = wait_until_stuck_in_the_first_frame(process, out.parent)
        os.kill(worker, signal.SIGKILL)  # as the out-of-memory killer would
        _, stderr = process.communicate(timeout=HANG_S)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGKILL, stderr
    assert_one_error_line(stderr, "stopped by SIGKILL while compiling or drawing"
                          f" {tmp_path / 'runaway.glsl'}", "partial output was removed")
    assert not out.parent.exists() and _children(process.pid) == []


def wait_until_stuck_in_the_first_frame(process: subprocess.Popen, folder: Path, cpu_s: float = 0.5) -> int:
    """Return the worker's pid once the temporary output exists and the worker has since
    burnt `cpu_s` seconds of CPU: it is inside the first frame's draw (minutes long), not in Python."""
    deadline = time.monotonic() + HANG_S
    baseline = None
    while baseline is None or cpu_seconds(worker) < baseline + cpu_s:
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the render never got stuck in its first frame"
        if baseline is None and folder.exists() and any(folder.iterdir()):
            (worker,) = [pid for pid in _children(process.pid) if "python" in _command(pid)]
            baseline = cpu_seconds(worker)
        try:  # sample the CPU count every 50 ms; an exit ends the wait at once (reported above)
            process.wait(0.05)
        except subprocess.TimeoutExpired:
            pass
    return worker


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


def test_the_supervisor_passes_the_exit_status_and_output_through(tmp_path):
    result = subprocess.run([*VISUALIZER, "presets", "validate", str(tmp_path / "missing.toml")],
                            capture_output=True, text=True, env=environment(), timeout=HANG_S)
    assert result.returncode == 2 and result.stderr.count("error: ") == 1, result.stderr
    result = subprocess.run([*VISUALIZER, "--version"], capture_output=True, text=True, env=environment(),
                            timeout=HANG_S)
    assert result.returncode == 0 and "version" in result.stdout


# --- the overseer: what a supervisor knows ----------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_watches_run_out_in_order_and_a_disarmed_one_never():
    clock = FakeClock()
    overseer = supervisor.Overseer(clock)
    messages = b'{"arm": 1, "seconds": 5, "failure": "a.glsl: slow", "subject": "a.glsl"}\n{"arm": 2, "sec'
    assert overseer.feed(messages) == []  # a message split across reads waits for its end
    assert overseer.feed(b'onds": 2, "failure": "b.glsl: slow"}\n{"reply": {"ok": true}}\n') == [
        {"reply": {"ok": True}}]  # not the guard's: handed back
    assert overseer.time_left() == 2 and overseer.overdue() is None
    clock.now += 3
    assert overseer.overdue().failure == "b.glsl: slow"
    overseer.feed(b'{"disarm": 2}\n')
    assert overseer.overdue() is None and overseer.running() == "a.glsl"
    clock.now += 3
    assert overseer.overdue().failure == "a.glsl: slow"
    overseer.postpone(5)  # the process was stopped (Ctrl-Z) that long
    assert overseer.overdue() is None and overseer.time_left() == 4


def test_clean_up_removes_what_was_tracked_and_kills_its_processes(tmp_path):
    overseer = supervisor.Overseer()
    temporary, folder = tmp_path / ".x.tmp", tmp_path / ".frames.tmp"
    made, kept = tmp_path / "made", tmp_path / "kept"
    temporary.write_text("partial")
    folder.mkdir()
    (folder / "0.png").write_text("frame")
    made.mkdir()
    kept.mkdir()
    (kept / "user.txt").write_text("mine")
    sleeper = subprocess.Popen(["sleep", "600"])
    done = tmp_path / ".done.tmp"
    for path in (temporary, folder, done):
        overseer.feed(f'{{"track": "{path}"}}\n'.encode())
    for path in (made, kept):
        overseer.feed(f'{{"track": "{path}", "only_if_empty": true}}\n'.encode())
    overseer.feed(f'{{"untrack": "{done}"}}\n{{"process": {sleeper.pid}}}\n'.encode())
    done.write_text("committed under that name after all")  # untracked: left alone
    overseer.clean_up()
    overseer.clean_up()  # twice is harmless
    assert sleeper.wait(timeout=HANG_S) == -signal.SIGKILL
    assert sorted(p.name for p in tmp_path.iterdir()) == [".done.tmp", "kept"]  # kept: not empty


@pytest.mark.slow
def test_presets_validate_draws_a_frame_so_a_runaway_shader_is_named_there(tmp_path):
    preset = shader_preset(tmp_path, "runaway", RUNAWAY)
    result = subprocess.run([*VISUALIZER, "presets", "validate", str(preset)], capture_output=True, text=True,
                            env=environment(VISUALIZER_FRAME_LIMIT="2"), timeout=HANG_S)
    assert result.returncode == 2, result.stderr
    assert_one_error_line(result.stderr, f"{tmp_path / 'runaway.glsl'}: its first frame at 16x16 took longer"
                          " than 2 s", "VISUALIZER_FRAME_LIMIT")
