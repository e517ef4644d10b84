"""`visualizer render` end to end, as a user types it: real EGL, real ffmpeg."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import imageio_ffmpeg
import numpy as np
import pytest
import soundfile

from waiting import partial_has_frames, wait_for_files
from visualizer.audio.decode import AudioFile

VISUALIZER = str(Path(sys.executable).parent / "visualizer")
RATE = 44100
SMALL = ["--size", "160x90", "--fps", "15", "--quiet"]
HANG_S = 120.0
"""Seconds before a wait for an event gives up: a bound on a hang, never a measurement."""


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([VISUALIZER, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def beat_wav(tmp_path_factory) -> Path:
    """3 s of a 120 BPM bass kick over quiet noise."""
    t = np.arange(3 * RATE) / RATE
    since_beat = t % 0.5
    kick = np.sin(2 * np.pi * 55 * t) * np.exp(-since_beat * 12) * 0.8
    noise = np.random.default_rng(0).standard_normal(len(t)) * 0.02
    path = tmp_path_factory.mktemp("audio") / "beat.wav"
    soundfile.write(path, np.stack([kick + noise] * 2, axis=1).astype(np.float32), RATE)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def assert_user_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.mark.slow
def test_mp4_has_the_frames_size_rate_and_audio_asked_for(tmp_path, beat_wav):
    out = tmp_path / "out" / "clip.mp4"
    result = run("render", "--audio", str(beat_wav), "--out", str(out), "--seconds", "2", *SMALL)
    assert result.returncode == 0, result.stderr
    assert leftovers(out.parent) == ["clip.mp4"]
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert frames == 30
    meta = _video_meta(out)
    assert meta["size"] == (160, 90) and meta["fps"] == 15.0
    with AudioFile(out) as audio:  # decodes the AAC track through ffmpeg
        assert audio.sample_rate == RATE
        assert abs(audio.duration - 2.0) < 0.05


def _video_meta(path: Path) -> dict:
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    reader.close()
    return meta


@pytest.mark.slow
def test_png_sequence_and_renders_are_deterministic(tmp_path, beat_wav):
    images = []
    for name in ("a", "b"):
        pattern = tmp_path / name / "%05d.png"
        result = run("render", "--audio", str(beat_wav), "--out", str(pattern), "--seconds", "1", *SMALL)
        assert result.returncode == 0, result.stderr
        files = leftovers(pattern.parent)
        assert files == [f"{i:05d}.png" for i in range(15)]
        images.append(np.stack([iio.imread(pattern.parent / f) for f in files]))
    assert images[0].shape == (15, 90, 160, 3)
    assert np.array_equal(images[0], images[1])


@pytest.mark.slow
def test_visuals_move_with_the_music(tmp_path, beat_wav):
    pattern = tmp_path / "f" / "%05d.png"
    # 30 fps, 1 s from t=1: beats land on frames 0 and 15, the gaps on frames 10 and 25
    result = run("render", "--audio", str(beat_wav), "--out", str(pattern), "--start", "1",
                 "--seconds", "1", "--size", "160x90", "--fps", "30", "--quiet")
    assert result.returncode == 0, result.stderr
    frames = [iio.imread(pattern.parent / f"{i:05d}.png").astype(float) for i in range(30)]
    on_beat = np.mean([frames[i].mean() for i in (1, 16)])
    between = np.mean([frames[i].mean() for i in (12, 27)])
    assert on_beat > between * 1.05
    assert np.abs(frames[1] - frames[12]).mean() > 2.0


def test_missing_audio_file(tmp_path):
    out = tmp_path / "out"
    result = run("render", "--audio", str(tmp_path / "nope.wav"), "--out", str(out / "x.mp4"), *SMALL)
    assert_user_error(result, "nope.wav: audio file not found")
    assert leftovers(out) == []


def test_corrupt_audio_file(tmp_path):
    bad = tmp_path / "bad.flac"
    bad.write_bytes(b"fLaC" + os.urandom(4000))
    out = tmp_path / "out"
    result = run("render", "--audio", str(bad), "--out", str(out / "x.mp4"), *SMALL)
    assert_user_error(result, "bad.flac: cannot decode audio")
    assert leftovers(out) == []


def test_unknown_preset(tmp_path, beat_wav):
    result = run("render", "--preset", "nosuch", "--audio", str(beat_wav), "--out", str(tmp_path / "x.mp4"), *SMALL)
    assert_user_error(result, 'unknown preset "nosuch"', "available: ")
    assert leftovers(tmp_path) == []


def test_shader_that_does_not_compile(tmp_path, beat_wav):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "shape.glsl").write_text("// shape\nfloat shape(vec2 p) {\n    return length(p) - radius;\n}\n")
    (tmp_path / "broken.glsl").write_text('#include "lib/shape.glsl"\nvoid main() { fragColor = vec4(shape(vec2(0))); }\n')
    (tmp_path / "broken.toml").write_text('[[passes]]\nshader = "broken.glsl"\ntarget = "output"\n')
    out = tmp_path / "out"
    result = run("render", "--preset", str(tmp_path / "broken.toml"), "--audio", str(beat_wav),
                 "--out", str(out / "x.mp4"), *SMALL)
    assert_user_error(result)
    first, second = result.stderr.splitlines()[:2]
    assert first.startswith("error: ") and first.endswith("lib/shape.glsl:3: error: `radius' undeclared")
    assert second == "    return length(p) - radius;"
    assert leftovers(out) == []


def test_output_folder_that_cannot_be_written(tmp_path, beat_wav):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("render", "--audio", str(beat_wav), "--out", str(blocker / "x.mp4"), *SMALL)
    assert_user_error(result, "cannot create the output folder", "choose a writable --out")
    assert blocker.read_text() == "not a folder"


def test_odd_size_for_h264_and_unknown_container(tmp_path, beat_wav):
    assert_user_error(run("render", "--audio", str(beat_wav), "--out", str(tmp_path / "x.mp4"), "--size", "161x90"),
                      "H.264 needs an even width and height")
    assert_user_error(run("render", "--audio", str(beat_wav), "--out", str(tmp_path / "x.gif")),
                      "unsupported output type")
    assert_user_error(run("render", "--audio", str(beat_wav), "--size", "big"), "is not WIDTHxHEIGHT")
    assert_user_error(run("render", "--audio", str(beat_wav), "--start", "10"), "past the end of the audio")
    assert leftovers(tmp_path) == []


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _ffmpeg_children(pid: int) -> list[int]:
    found = []
    workers = _children(pid)  # the command runs in a child of the supervisor (visualizer/supervisor.py)
    for child in workers + [grandchild for worker in workers for grandchild in _children(worker)]:
        try:
            command = Path(f"/proc/{child}/cmdline").read_text()
            if "ffmpeg" in command and "pipe:0" in command:  # the encoder, not a version probe
                found.append(child)
        except OSError:
            continue
    return found


def _start_long_render(tmp_path, beat_wav) -> tuple[subprocess.Popen, Path, int]:
    """A render that takes minutes; returns once ffmpeg runs and frames flow."""
    long_wav = tmp_path / "long.wav"
    samples, rate = soundfile.read(beat_wav, dtype="float32")
    soundfile.write(long_wav, np.tile(samples, (20, 1)), rate)  # 60 s
    out = tmp_path / "out"
    process = subprocess.Popen(
        [VISUALIZER, "render", "--audio", str(long_wav), "--out", str(out / "long.mp4"),
         "--size", "640x360", "--fps", "60", "--ssaa", "2", "--quiet"],
        stderr=subprocess.PIPE, text=True,
    )
    wait_for_files(tmp_path, lambda: bool(_ffmpeg_children(process.pid)) and partial_has_frames(out), process,
                   "frames in the partial file")
    return process, out, _ffmpeg_children(process.pid)[0]


@pytest.mark.slow
def test_ffmpeg_dying_mid_way_leaves_nothing(tmp_path, beat_wav):
    process, out, ffmpeg = _start_long_render(tmp_path, beat_wav)
    os.kill(ffmpeg, signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert "long.mp4: the encoder failed mid-way (ffmpeg: killed by signal 9); nothing was written" in stderr
    assert "disk space" not in stderr
    assert not out.exists()  # the folder made for the output goes with it


@pytest.mark.slow
def test_ctrl_c_removes_the_partial_file(tmp_path, beat_wav):
    process, out, _ = _start_long_render(tmp_path, beat_wav)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert not out.exists()  # the folder made for the output goes with it


@pytest.mark.slow
def test_defaults_use_the_demo_track_and_default_preset(tmp_path):
    out = tmp_path / "demo.mp4"
    result = run("render", "--out", str(out), "--seconds", "0.5", "--size", "160x90", "--fps", "10")
    assert result.returncode == 0, result.stderr
    assert "demo.mp4: 5 frames in" in result.stderr and f"wrote {out}" in result.stderr
    with AudioFile(out) as audio:
        assert abs(audio.duration - 0.5) < 0.05


@pytest.mark.slow
def test_a_render_starting_mid_track_matches_the_same_frames_of_a_full_render(tmp_path, beat_wav, write_files):
    """From the command line, past the preset's history: --start 2 gives frames 30.. of a full render
    (trails that fade within 6 frames, 0.5 s of history: frames 0-21 are never drawn)."""
    from test_exact_start import TRAILS

    short = {"history = 2.5": "history = 0.5", "past * 0.9 - 2.0 / 255.0": "past * 0.5 - 8.0 / 255.0"}
    files = dict(TRAILS)
    for old, new in short.items():
        files = {name: text.replace(old, new) for name, text in files.items()}
    folder = write_files(files)
    preset = str(folder / "trails.toml")
    whole, part = tmp_path / "whole" / "%05d.png", tmp_path / "part" / "%05d.png"
    result = run("render", "--preset", preset, "--audio", str(beat_wav), "--out", str(whole), "--seconds", "2.5", *SMALL)
    assert result.returncode == 0, result.stderr
    result = run("render", "--preset", preset, "--audio", str(beat_wav), "--out", str(part), "--start", "2",
                 "--seconds", "0.5", *SMALL)
    assert result.returncode == 0, result.stderr
    for index in range(7):
        assert np.array_equal(iio.imread(part.parent / f"{index:05d}.png"),
                              iio.imread(whole.parent / f"{30 + index:05d}.png")), index


def test_the_summary_counts_warm_up_frames_apart():
    from visualizer.cli.progress import summary

    assert summary("clip.mp4", 93, 90, 5.5) == "clip.mp4: 3 frames (+ 90 warm-up) in 5.5 s (16.9 fps)"
    assert summary("clip.mp4", 5, 0, 0.5) == "clip.mp4: 5 frames in 0.5 s (10.0 fps)"
