"""Outputs the user names (`render --out`, `analyze --plot`, `play`/`edit --screenshot`):
nothing but the named output is ever replaced, and that only when complete; a refusal is
one `error:` line, exit 2, before any work, leaving the folder exactly as it was.

Refusals run in-process through `main`; what renders or is interrupted runs as a user
types it, in a subprocess."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
import soundfile

from visualizer.cli.main import main
from waiting import wait_for_files
from visualizer.errors import EncoderError, OutputError
from visualizer.output.encoder import EncoderSettings, FFmpegEncoder, ffmpeg_command, largest_height, size_problem
from visualizer.output.target import check_free_space, check_pattern, frame_name, is_sequence, space_problem

VISUALIZER = str(Path(sys.executable).parent / "visualizer")
RATE = 44100
TINY = ["--size", "64x36", "--seconds", "0.5", "--quiet"]
HANG_S = 120.0
"""Seconds before a wait for an event gives up: a bound on a hang, never a measurement."""
OLD = b"bytes the user owns\n"


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """A folder holding s.wav (2 s), the current folder of the run."""
    t = np.arange(2 * RATE) / RATE
    soundfile.write(tmp_path / "s.wav", (0.3 * np.sin(2 * np.pi * 110 * t)).astype(np.float32), RATE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under `folder`: its kind, link target, device number and content hash."""
    found = {}
    for root, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(root, name)
            info = path.lstat()
            content = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else None
            link = os.readlink(path) if path.is_symlink() else None
            found[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode), link, info.st_rdev, content)
    return found


def cli(capsys, *args: str) -> tuple[int, str]:
    """Run `visualizer args` in-process: (exit status, stderr)."""
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    return exit_.value.code, capsys.readouterr().err


def assert_refused(capsys, folder: Path, args: list[str], *fragments: str) -> str:
    """`args` exit 2 with one `error:` line holding `fragments`, and `folder` is unchanged."""
    before = snapshot(folder)
    status, stderr = cli(capsys, *args)
    assert status == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    for fragment in fragments:
        assert fragment in stderr, stderr
    assert snapshot(folder) == before
    return stderr


def make_socket(path: Path) -> socket.socket:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return server


def make_device(path: Path) -> None:
    """A character device node like /dev/full (root only)."""
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))


# --- what is at the output path ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["render", "plot"])
@pytest.mark.parametrize("kind, fragment", [
    ("fifo", "is a named pipe (FIFO), not a regular file"),
    ("socket", "is a socket, not a regular file"),
    ("folder", "is a folder, not a regular file"),
    ("device", "is a device, not a regular file"),
    ("link-to-fifo", "is a named pipe (FIFO) (the link's target"),
])
def test_an_output_that_is_not_a_regular_file_is_refused_and_left_alone(capsys, work, command, kind, fragment):
    name = "o.mp4" if command == "render" else "o.png"
    target = work / ("pipe" if kind == "link-to-fifo" else name)
    keep = None
    if kind in ("fifo", "link-to-fifo"):
        os.mkfifo(target)
    elif kind == "socket":
        keep = make_socket(target)
    elif kind == "folder":
        target.mkdir()
        (target / "inside").write_bytes(OLD)
    else:
        make_device(target)
    if kind == "link-to-fifo":
        (work / name).symlink_to("pipe")
    args = (["render", "--audio", "s.wav", "--out", name, *TINY] if command == "render"
            else ["analyze", "s.wav", "--plot", name])
    option = "--out" if command == "render" else "--plot"
    assert_refused(capsys, work, args, f"{option} {name}: {fragment}")
    if keep:
        keep.close()


def test_dev_full_is_never_replaced(capsys, tmp_path):
    if os.geteuid() != 0 or not os.access("/dev/full", os.W_OK):
        pytest.skip("/dev/full is replaceable only by root")
    before = os.stat("/dev/full")
    assert_refused(capsys, tmp_path, ["analyze", "s.wav", "--plot", "/dev/full"], "is a device")
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_symlink_to_a_file_is_followed_the_target_replaced_and_the_link_kept(work):
    (work / "t.mp4").write_bytes(OLD)
    (work / "o.mp4").symlink_to("t.mp4")
    result = subprocess.run([VISUALIZER, "render", "--audio", "s.wav", "--out", "o.mp4", *TINY],
                            capture_output=True, text=True, timeout=HANG_S, cwd=work)
    assert result.returncode == 0, result.stderr
    assert os.readlink(work / "o.mp4") == "t.mp4"
    assert (work / "t.mp4").read_bytes()[4:8] == b"ftyp"  # an mp4 now
    assert sorted(p.name for p in work.iterdir()) == ["o.mp4", "s.wav", "t.mp4"]


@pytest.mark.parametrize("links, fragment", [
    ({"o.mp4": "missing.mp4"}, "is a symbolic link to missing.mp4, which does not exist"),
    ({"o.mp4": "p.mp4", "p.mp4": "o.mp4"}, "cannot follow the symbolic link"),
])
def test_a_dangling_or_looping_link_is_refused(capsys, work, links, fragment):
    for name, target in links.items():
        (work / name).symlink_to(target)
    assert_refused(capsys, work, ["render", "--audio", "s.wav", "--out", "o.mp4", *TINY], fragment)


# --- the output is an input --------------------------------------------------------------------


@pytest.mark.parametrize("setup, args, fragment", [
    ("hard", ["render", "--audio", "s.wav", "--out", "h.mp4"], "--out h.mp4: is the same file as --audio s.wav"),
    ("links", ["render", "--audio", "la.wav", "--out", "lb.mp4"], "--out lb.mp4: is the same file as --audio"),
    ("none", ["analyze", "s.wav", "--plot", "s.wav"], "--plot s.wav: is the same file as the audio file"),
    ("none", ["analyze", "s.wav", "--plot", "./sub/../s.wav"], "is the same file as the audio file"),
    ("hard", ["render", "--audio", "s.wav", "--out", "f/%05d.png"], "f/00000.png: is the same file as --audio"),
    ("preset", ["render", "--preset", "p.toml", "--audio", "s.wav", "--out", "p.mp4"], "is the same file as --preset"),
])
def test_an_output_that_is_an_input_is_refused(capsys, work, setup, args, fragment):
    (work / "sub").mkdir()
    if setup == "hard":
        os.link(work / "s.wav", work / "h.mp4")
        (work / "f").mkdir()
        os.link(work / "s.wav", work / "f" / "00000.png")
    elif setup == "links":
        (work / "la.wav").symlink_to("s.wav")
        (work / "lb.mp4").symlink_to("s.wav")
    elif setup == "preset":
        (work / "p.toml").write_text('[[passes]]\nshader = "x.glsl"\ntarget = "output"\n')
        (work / "x.glsl").write_text("void mainImage(out vec4 c, in vec2 p) { c = vec4(1.0); }\n")
        (work / "p.mp4").symlink_to("p.toml")
    assert_refused(capsys, work, [*args, *TINY] if args[0] == "render" else args, fragment)


# --- names, patterns and sizes, refused before any work ------------------------------------------


@pytest.mark.parametrize("out, fragment", [
    ("%s.png", "--out %s.png: %s is not a frame-number field"),
    ("f%05d_%05d.png", "2 frame-number fields"),
    ("f%n.png", "%n is not a frame-number field"),
    ("f/%05d.jpg", "image sequences are written as PNG"),
    ("n" * 245 + ".mp4", "the name is too long: with the 14 bytes its temporary adds it exceeds"),
    ("f/%0252d.png", "exceed the file system's 255-byte limit"),
    ("s.wav/o.mp4", "cannot create the output folder (s.wav is not a folder)"),
    (".", "--out .: is a folder"),
])
def test_names_and_patterns_that_cannot_work_are_refused(capsys, work, out, fragment):
    stderr = assert_refused(capsys, work, ["render", "--audio", "s.wav", "--out", out, *TINY], fragment)
    assert "disk space" not in stderr


@pytest.mark.parametrize("size, out, fragment", [
    ("16384x16384", "o.mp4", "--size 16384x16384: ffmpeg refuses pictures this large: at width 16384 the height"
                             " can be at most 16128"),
    ("16384x16384", "f/%05d.png", "at width 16384 the height can be at most 16128"),
    ("63x35", "o.mp4", "H.264 needs an even width and height"),
])
def test_sizes_the_encoder_refuses_are_refused_before_rendering(capsys, work, size, out, fragment):
    stderr = assert_refused(capsys, work, ["render", "--audio", "s.wav", "--out", out, "--size", size,
                                           "--seconds", "0.04", "--quiet"], fragment)
    assert "mid-way" not in stderr


def _ffmpeg_opens(*args: str) -> bool:
    """Whether the bundled ffmpeg accepts this input (and, with libx264, opens the encoder)."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", *args, "-f", "null", "-"]
    return subprocess.run(command, capture_output=True, timeout=60).returncode == 0


def test_the_size_limits_are_the_bundled_ffmpegs():
    width = 16384
    tallest = largest_height(width)
    for height, accepted in ((tallest, True), (tallest + 1, False)):
        raw = ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-i", "/dev/null"]
        assert _ffmpeg_opens(*raw) is accepted, height
        assert (size_problem((width, height), sequence=True) is None) is accepted
    for side, accepted in ((16384, True), (16386, False)):
        color = ["-f", "lavfi", "-i", f"color=s={side}x16:d=0.04", "-frames:v", "1", "-c:v", "libx264"]
        assert _ffmpeg_opens(*color) is accepted, side
        assert (size_problem((side, 16), sequence=False) is None) is accepted


def test_patterns_take_one_number_field_filled_in_as_ffmpeg_does():
    assert [is_sequence(Path(name)) for name in ("f/%05d.png", "%d.png", "100%.mp4", "%s.png", "a%%.png")] == [
        True, True, False, False, False]
    assert frame_name("a%%b%05d.png", 12) == "a%b00012.png" and frame_name("x%3d.png", 7) == "x007.png"
    check_pattern(Path("50%%/f%%%05d.png"))
    with pytest.raises(OutputError, match="0 frame-number fields"):
        check_pattern(Path("a%%.png"))


def test_too_little_free_space_is_refused_with_the_estimate(tmp_path):
    free = __import__("shutil").disk_usage(tmp_path).free
    with pytest.raises(OutputError, match=r"--out .*o.mp4: only .* MB free in .*, and 9 frames needs at least about"):
        check_free_space(tmp_path / "new" / "o.mp4", "--out", free + (1 << 30), "9 frames")
    check_free_space(tmp_path / "o.mp4", "--out", 0, "nothing")  # room enough: passes


def test_the_free_space_floor_is_not_presented_as_what_a_small_render_needs():
    problem = space_problem(300_000, 16_000, "15 frames at 64x36", "small")
    assert problem == ("only 0.3 MB free in small; keep at least 1.0 MB free"
                       " (the output, 15 frames at 64x36, is estimated at 16 KB)")
    assert "needs" not in problem
    assert "needs at least about 5.0 MB" in space_problem(3_000_000, 5_000_000, "9 frames", "big")
    assert space_problem(2_000_000, 16_000, "9 frames", "roomy") is None


@pytest.mark.skipif(not os.path.isdir("/sys") or os.statvfs("/sys").f_blocks != 0,
                    reason="needs /sys as a file system that reports no size")
def test_a_file_system_without_a_size_is_not_blamed_on_free_space(capsys, work):
    check_free_space(Path("/sys/x.mp4"), "--out", 1 << 20, "9 frames")  # unknown room: passes
    status, stderr = cli(capsys, "render", "--audio", "s.wav", "--out", "/sys/x.mp4", *TINY)
    assert status == 2 and "free" not in stderr and "/sys/x.mp4" in stderr, stderr


# --- --plot and --screenshot --------------------------------------------------------------------


@pytest.mark.parametrize("name, magic", [
    ("p.png", b"\x89PNG"), ("p.jpg", b"\xff\xd8\xff"), ("p.JPEG", b"\xff\xd8\xff"), ("p.svg", b"<?xml"),
    ("p.pdf", b"%PDF"),
])
def test_plot_writes_the_format_its_suffix_names(capsys, work, name, magic):
    status, stderr = cli(capsys, "analyze", "s.wav", "--plot", f"new/{name}")
    assert status == 0, stderr
    assert (work / "new" / name).read_bytes().startswith(magic)
    assert sorted(p.name for p in (work / "new").iterdir()) == [name]


def test_plot_refuses_other_suffixes_with_the_list(capsys, work):
    assert_refused(capsys, work, ["analyze", "s.wav", "--plot", "p.gif"],
                   "--plot p.gif: unknown figure type '.gif'; use one of .png, .jpg, .jpeg, .svg, .pdf")


@pytest.mark.parametrize("command", ["play", "edit"])
@pytest.mark.parametrize("shot, fragment", [
    ("missing/dir/s.png", "--screenshot missing/dir/s.png: the folder missing/dir does not exist"),
    ("shots", "--screenshot shots: is a folder"),
    ("s.wav", "--screenshot s.wav: is the same file as --audio s.wav"),
    ("pipe.png", "is a named pipe (FIFO)"),
    ("s.jpg", "screenshots are PNG images; name it s.png"),
])
def test_a_screenshot_path_is_checked_before_the_window_opens(capsys, work, command, shot, fragment):
    (work / "shots").mkdir()
    os.mkfifo(work / "pipe.png")
    preset = ["--preset", "mimic_bloom"] if command == "play" else ["mimic_bloom"]
    assert_refused(capsys, work, [command, *preset, "--audio", "s.wav", "--screenshot", shot], fragment)


# --- what render says ---------------------------------------------------------------------------


def test_audio_shorter_than_one_frame_names_the_audio_not_seconds(capsys, work):
    soundfile.write(work / "short.wav", np.zeros(100, np.float32), RATE)
    stderr = assert_refused(capsys, work, ["render", "--audio", "short.wav", "--out", "new/o.mp4", "--quiet"],
                            "short.wav: the audio is 0.002 s long, shorter than one frame at 30 fps")
    assert "--seconds" not in stderr


@pytest.mark.slow
def test_seconds_past_the_end_say_so_and_warm_up_frames_are_counted(work):
    result = subprocess.run([VISUALIZER, "render", "--audio", "s.wav", "--out", "o.mp4", "--size", "64x36",
                             "--fps", "10", "--start", "1", "--seconds", "60"],
                            capture_output=True, text=True, timeout=HANG_S, cwd=work)
    assert result.returncode == 0, result.stderr
    assert "note: s.wav ends at 2.00 s; rendering 1.00 s instead of 60 s\n" in result.stderr
    assert "o.mp4: 10 frames (+ 10 warm-up) in " in result.stderr  # Mimic Bloom: 10 s of history, 1 s before


@pytest.mark.slow
def test_a_colon_in_names_and_a_percent_in_the_folder_are_files_to_ffmpeg(work):
    os.rename(work / "s.wav", work / "a:b.wav")
    for out in ("c:d.mp4", "50%/%05d.png"):
        result = subprocess.run([VISUALIZER, "render", "--audio", "a:b.wav", "--out", out, *TINY],
                                capture_output=True, text=True, timeout=HANG_S, cwd=work)
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["50%", "a:b.wav", "c:d.mp4"]
    assert len(list((work / "50%").iterdir())) == 15


def test_an_ffmpeg_failure_shows_its_last_line_without_blaming_the_disk(tmp_path):
    command = ffmpeg_command(EncoderSettings((64, 36), 30.0), str(tmp_path / "o.mp4"), sequence=False)
    command[command.index("libx264")] = "no-such-codec"
    encoder = FFmpegEncoder(command, "o.mp4")
    with pytest.raises(EncoderError) as error:
        encoder.close()
    message = str(error.value)
    assert message.startswith("o.mp4: the encoder failed mid-way (ffmpeg: ") and "Encoder not found" in message
    assert "disk" not in message and "\n" not in message


# --- Ctrl-C and late failures leave nothing -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("out", ["new/deep/o.mp4", "new/deep/%05d.png"])
def test_ctrl_c_once_the_output_is_being_written_leaves_nothing(work, out):
    samples, _ = soundfile.read(work / "s.wav", dtype="float32")
    soundfile.write(work / "long.wav", np.tile(samples, 30), RATE)  # 60 s: minutes of frames
    process = subprocess.Popen([VISUALIZER, "render", "--audio", "long.wav", "--out", out, "--size", "64x36",
                                "--quiet"], cwd=work, stderr=subprocess.PIPE, text=True)
    deep = work / "new" / "deep"
    def temporary_appeared() -> bool:
        return deep.is_dir() and any(p.name.endswith((".tmp", ".tmp.mp4")) for p in deep.iterdir())

    wait_for_files(work, temporary_appeared, process, "temporary output")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=HANG_S)
    assert process.returncode == 130, stderr
    assert stderr == "error: interrupted; partial output was removed\n"
    assert sorted(p.name for p in work.iterdir()) == ["long.wav", "s.wav"]  # not even the folders


_PLOT_CHILD = """
import sys
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
from matplotlib import pyplot as plt
from matplotlib.artist import Artist
from visualizer.output.plot import save_figure

class Waits(Artist):
    def draw(self, renderer):  # savefig is under way: the temporary exists
        print("drawing", flush=True)
        sys.stdin.read()  # until the test interrupts us

figure = plt.figure()
figure.add_artist(Waits())
save_figure(figure, Path(sys.argv[1]), "png")
"""


def test_ctrl_c_while_a_plot_is_saved_leaves_no_partial_file(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", _PLOT_CHILD, str(tmp_path / "new" / "p.png")],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "drawing\n", child.communicate(timeout=HANG_S)[1]
    assert [p.name for p in (tmp_path / "new").iterdir()][0].endswith(".tmp.png")
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=HANG_S)
    assert "KeyboardInterrupt" in stderr
    assert list(tmp_path.iterdir()) == []  # neither the temporary nor the folder made for it


@pytest.mark.slow
def test_a_float_wav_with_nan_and_absurd_samples_renders_with_its_soundtrack(work, capsys):
    """ffmpeg's AAC encoder refuses NaN and samples near 1e10: the muxed soundtrack is cleaned too."""
    t = np.arange(RATE) / RATE
    samples = (0.3 * np.sin(2 * np.pi * 110 * t)).astype(np.float32)
    samples[100:200], samples[300], samples[400:500] = np.nan, np.inf, 1e30
    soundfile.write(work / "bad.wav", samples, RATE, subtype="FLOAT")
    status, stderr = cli(capsys, "render", "--audio", "bad.wav", "--out", "o.mp4", "--size", "64x36",
                         "--seconds", "0.5", "--quiet")
    assert status == 0, stderr
    assert "101 samples were NaN or infinite" in stderr
    probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-i", "o.mp4"], capture_output=True, text=True)
    assert "Audio: aac" in probe.stderr


def test_the_soundtrack_is_cleaned_only_when_asked():
    plain = ffmpeg_command(EncoderSettings((64, 36), 30.0, audio=Path("a.wav")), "o.mp4", sequence=False)
    cleaned = ffmpeg_command(EncoderSettings((64, 36), 30.0, audio=Path("a.wav"), clean_audio=True), "o.mp4",
                             sequence=False)
    assert "-af" not in plain and any("isnan" in part for part in cleaned)
