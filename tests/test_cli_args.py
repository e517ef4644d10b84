"""Every option of every command as a user types it, run in-process through `main`:
a bad value is one `error:` line that names the option, the value and the range, exit 2,
raised while parsing (the command's own work, which would fail differently, never starts);
values at the edges of each range parse to themselves."""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import click
import numpy as np
import pytest
import soundfile

from waiting import partial_has_frames, wait_for_files
from visualizer.cli.main import cli, main
from visualizer.cli.options import Number

ROOT = Path(__file__).resolve().parent.parent
VISUALIZER = str(Path(sys.executable).parent / "visualizer")
TRIPWIRE = "missing-tripwire.wav"
"""An audio file that does not exist: a command that got past parsing fails on it instead."""
COMMANDS = {
    "render": ["render", "--audio", TRIPWIRE, "--out", "out.mp4"],
    "play": ["play", "--audio", TRIPWIRE],
    "edit": ["edit", "mimic_bloom", "--audio", TRIPWIRE],
    "listen": ["listen", "--audio-device", "no-such-tripwire-device"],
    "live": ["live", "--audio-file", TRIPWIRE],
}
NOT_NUMBERS = ["nan", "NaN", "-nan", "inf", "-inf", "+inf", "Infinity", "1e308", "-1e308", "1e999", "-1",
               "abc", "", " ", "1,5", "0x10", "1e", "--", "½", "1" * 5000]
SECONDS = "above 0, up to 86400 s"
NUMERIC = [  # command, option, the range in words, rejected values, accepted values
    ("render", "--fps", "from 1 to 240", ["0", "0.5", "0.999", "240.001", "1000"], ["1", "240", "29.97", " 60 "]),
    ("render", "--seconds", SECONDS, ["0", "-0", "1e-400", "86400.001", "1e6"], ["1e-06", "0.5", "86400"]),
    ("render", "--start", "from 0 to 86400 s", ["-1e-09", "-0.5", "86400.001", "1e6"], ["0", "-0", "86400", "60"]),
    ("render", "--ssaa", "from 1 to 4", ["0", "5", "1.5", "2.0", "2e0", "99999999999999999999999"], ["1", "4", " 2 "]),
    ("play", "--fps", "from 1 to 240", ["0", "0.5", "240.001"], ["1", "240"]),
    ("play", "--seconds", SECONDS, ["0", "86400.001"], ["1e-06", "86400"]),
    ("edit", "--fps", "from 1 to 240", ["0", "0.5", "240.001"], ["1", "240"]),
    ("edit", "--seconds", SECONDS, ["0", "86400.001"], ["1e-06", "86400"]),
    ("listen", "--seconds", SECONDS, ["0", "86400.001"], ["1e-06", "86400"]),
    ("listen", "--bpm", "from 30 to 300 BPM", ["0", "29.99", "300.01"], ["30", "300", "128.5"]),
    ("live", "--fps", "from 1 to 240", ["0", "0.5", "240.001"], ["1", "240"]),
    ("live", "--duration", SECONDS, ["0", "86400.001"], ["1e-06", "86400"]),
    ("live", "--monitor", "from 0 to 15", ["-1", "16", "1.5"], ["0", "15"]),
    ("live", "--osc", "from 0 to 65535", ["-1", "65536", "80.5"], ["0", "9000", "65535"]),
]
WHOLE = {"--ssaa", "--monitor", "--osc"}
"""Options that take whole numbers."""
PARAM_NAMES = {"--osc": "osc_port"}
"""Options whose parameter is named otherwise than the option."""


def param_name(option: str) -> str:
    return PARAM_NAMES.get(option, option.lstrip("-"))


REJECTED = [(command, option, words, value) for command, option, words, bad, _ in NUMERIC
            for value in NOT_NUMBERS + bad]
ACCEPTED = [(command, option, value) for command, option, _, _, good in NUMERIC for value in good]


def run_main(argv: list[str], capsys) -> tuple[int, str, str]:
    """`visualizer argv` in-process: (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as exited:
        main(argv)
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


def assert_one_error_line(status: int, err: str, *fragments: str) -> None:
    assert status == 2, err
    assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err


@pytest.fixture
def in_empty_folder(tmp_path, monkeypatch):
    """Runs the test in an empty folder and checks nothing was written there."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("command,option,words,value", REJECTED)
def test_bad_numbers_are_one_line_naming_the_option_and_range(in_empty_folder, capsys, command, option, words, value):
    status, out, err = run_main([*COMMANDS[command], option, value], capsys)
    assert_one_error_line(status, err, f"error: {option} ", f": choose a {'whole ' if option in WHOLE else ''}"
                          f"number {words} (see visualizer --help)")
    assert out == "" and TRIPWIRE not in err


def test_the_message_quotes_what_was_typed(in_empty_folder, capsys):
    cases = {  # what was typed: the message before " (see visualizer --help)"
        ("play", "--fps", "0.5"): "--fps 0.5: choose a number from 1 to 240",
        ("render", "--start", "1e308"): "--start 1e308: choose a number from 0 to 86400 s",
        ("listen", "--bpm", "nan"): "--bpm nan: choose a number from 30 to 300 BPM",
        ("render", "--seconds", ""): "--seconds '': choose a number above 0, up to 86400 s",
        ("render", "--ssaa", "1\n5"): "--ssaa '1\\n5': choose a whole number from 1 to 4",
        ("render", "--fps", "9" * 50): f"--fps {'9' * 40}...: choose a number from 1 to 240",
    }
    for (command, option, value), expected in cases.items():
        assert run_main([*COMMANDS[command], option, value], capsys)[2] == f"error: {expected} (see visualizer --help)\n"


def parsed(argv: list[str]) -> dict:
    """The values `argv` parses to, without running the command."""
    command = cli.commands[argv[0]]
    with command.make_context(argv[0], argv[1:]) as ctx:
        return ctx.params


def every_parameter(group: click.Group = cli) -> list[tuple[str, click.Parameter]]:
    """(command name, parameter) for every parameter of every command, groups included."""
    found = [(group.name or "", p) for p in group.params]
    for command in group.commands.values():
        found += every_parameter(command) if isinstance(command, click.Group) else [
            (command.name or "", p) for p in command.params]
    return found


def test_every_numeric_option_uses_the_one_validator():
    plain_numbers = (click.types.FloatParamType, click.types.IntParamType)  # FloatRange and IntRange too
    unchecked = [(name, p.name) for name, p in every_parameter() if isinstance(p.type, plain_numbers)]
    assert unchecked == []
    numeric = {(name, p.name) for name, p in every_parameter() if isinstance(p.type, Number)}
    assert numeric == {(command, param_name(option)) for command, option, *_ in NUMERIC}


@pytest.mark.parametrize("command,option,value", ACCEPTED)
def test_values_inside_each_range_parse_to_themselves(command, option, value):
    params = parsed([*COMMANDS[command], option, value])
    expected = int(value) if option in WHOLE else float(value)
    got = params[param_name(option)]  # a float may be a TypedFloat, remembering the text for messages
    assert got == expected and isinstance(got, type(expected)) and type(got) is not bool


@pytest.mark.parametrize("command", ["render", "play", "edit"])
@pytest.mark.parametrize("value,fragment", [
    ("big", "is not WIDTHxHEIGHT"), ("", "is not WIDTHxHEIGHT"), ("x", "is not WIDTHxHEIGHT"),
    ("1280x720x3", "is not WIDTHxHEIGHT"), ("1e3x720", "is not WIDTHxHEIGHT"), ("nanxnan", "is not WIDTHxHEIGHT"),
    ("1280.5x720", "is not WIDTHxHEIGHT"), ("9" * 5000 + "x1", "is not WIDTHxHEIGHT"),
    ("0x0", "from 1 to 16384 pixels"), ("16385x720", "from 1 to 16384 pixels"), ("-5x5", "from 1 to 16384 pixels"),
    ("1280x0", "from 1 to 16384 pixels"), ("99999999999999999999x1", "from 1 to 16384 pixels"),
])
def test_bad_sizes(in_empty_folder, capsys, command, value, fragment):
    status, _, err = run_main([*COMMANDS[command], "--size", value], capsys)
    assert_one_error_line(status, err, "error: --size ", fragment, "(see visualizer --help)")


@pytest.mark.parametrize("value,size", [("1x1", (1, 1)), ("16384x16384", (16384, 16384)), ("1280X720", (1280, 720)),
                                        (" 640 x 360 ", (640, 360))])
def test_sizes_at_the_edges_parse(value, size):
    assert parsed(["render", "--size", value])["size"] == size


@pytest.mark.parametrize("command", ["listen", "play", "edit"])
@pytest.mark.parametrize("value,fragment", [
    ("", "give a device name or index"), ("   ", "give a device name or index"),
    ("10000", "choose an index from 0 to 9999"), ("9" * 5000, "choose an index from 0 to 9999"),
    ("²", "write an index with the digits 0-9"), ("٣", "write an index with the digits 0-9"),
    ("2²", "write an index with the digits 0-9"),
])
def test_bad_device_indexes(in_empty_folder, capsys, command, value, fragment):
    argv = [arg for arg in COMMANDS[command] if arg not in ("--audio", TRIPWIRE)]
    status, _, err = run_main([*argv, "--audio-device", value], capsys)
    assert_one_error_line(status, err, "error: --audio-device ", fragment)


@pytest.mark.parametrize("value,device", [("0", 0), (" 9999 ", 9999), ("-1", "-1"), ("pulse", "pulse"),
                                          ("USB Audio: #1", "USB Audio: #1"), ("2a", "2a")])
def test_device_indexes_and_names_parse(value, device):
    assert parsed(["listen", "--audio-device", value])["device"] == device


PATHS = [  # argv before the path, the option (None: an argument), argv after it
    (["render", "--audio", TRIPWIRE], "--preset", []), (["render"], "--audio", []),
    (["render", "--audio", TRIPWIRE], "--out", []), (["analyze"], None, []),
    (["analyze", TRIPWIRE], "--plot", []), (["play", "--audio", TRIPWIRE], "--preset", []),
    (["play"], "--audio", []), (["play", "--audio", TRIPWIRE], "--screenshot", []),
    (["edit"], None, ["--audio", TRIPWIRE]), (["edit", "mimic_bloom"], "--audio", []),
    (["edit", "mimic_bloom", "--audio", TRIPWIRE], "--screenshot", []),
    (["presets", "show"], None, []), (["presets", "validate", "."], None, []),
]
BAD_PATHS = [
    ("", "give a "), ("a\0b", "a path cannot hold a NUL character"),
    ("n" * 256, "a name in this path is 256 bytes long; names hold at most 255"),
    ("x/" + "é" * 128 + "/y", "a name in this path is 256 bytes long"),
    ("a" * 5000 + ".wav", "a name in this path is 5004 bytes long"),
    ("d/" * 2048, "this path is longer than 4095 bytes"),
]


@pytest.mark.parametrize("before,option,after", PATHS)
@pytest.mark.parametrize("value,fragment", BAD_PATHS)
def test_paths_the_system_cannot_open_are_refused(in_empty_folder, capsys, before, option, after, value, fragment):
    argv = [*before, *([option] if option else []), value, *after]
    status, _, err = run_main(argv, capsys)
    assert_one_error_line(status, err, f"error: {option} " if option else "error: ", fragment)
    assert TRIPWIRE not in err


def test_a_name_of_255_bytes_parses():
    name = "é" * 127 + "x"
    assert parsed(["render", "--audio", f"a/{name}/b.wav", "--preset", name])["audio"] == Path(f"a/{name}/b.wav")


@pytest.mark.parametrize("command", ["play", "edit"])
def test_a_file_and_a_device_together_are_refused(in_empty_folder, capsys, command):
    status, _, err = run_main([*COMMANDS[command], "--audio-device", "0"], capsys)
    assert_one_error_line(status, err, "--audio and --audio-device: give one of them")


@pytest.mark.parametrize("argv,fragment", [
    (["render", "--fps"], "Option '--fps' requires an argument"),
    (["render", "--beats", "x"], "'x' is not one of 'offline', 'live'"),
    (["render", "--hlep"], "No such option '--hlep'"),
    (["--fo\no"], "No such option '--fo\\no'"),
    (["render", "extra"], "unexpected extra argument"),
    (["analyze"], "Missing argument 'AUDIO'"),
    (["edit"], "Missing argument 'NAME|PATH'"),
    (["nosuchcommand"], "No such command 'nosuchcommand'"),
    (["presets", "show"], "Missing argument 'NAME'"),
    (["analyze", "a.wav", "--mode", "nan"], "'nan' is not one of 'offline', 'live'"),
])
def test_click_usage_errors_are_one_line(in_empty_folder, capsys, argv, fragment):
    status, _, err = run_main(argv, capsys)
    assert_one_error_line(status, err, fragment, "(see visualizer --help)")


@pytest.mark.parametrize("argv", [[], ["presets"]])
def test_no_command_prints_the_help_on_stdout_and_exits_0(capsys, argv):
    status, out, err = run_main(argv, capsys)
    assert (status, err) == (0, "")
    assert out.startswith(f"Usage: visualizer {' '.join(argv)}".rstrip() + " [OPTIONS] COMMAND [ARGS]...")
    assert "Commands:" in out


def test_help_states_each_range(capsys):
    status, out, _ = run_main(["render", "--help"], capsys)
    assert status == 0
    flat = " ".join(out.split())
    for fragment in ("Frames per second: from 1 to 240.", "above 0, up to 86400 s.", "begin: from 0 to 86400 s.",
                     "Supersampling factor: from 1 to 4."):
        assert fragment in flat


def readme_commands() -> list[list[str]]:
    """Each `visualizer ...` command of the README's shell examples, as argv (comments dropped)."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    found = []
    for line in (line for block in blocks for line in block.splitlines()):
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if words and words[0].endswith("bin/visualizer"):
                found.append(words[1:])
    return found


def test_readme_commands_parse_and_fit_the_demo_track():
    from visualizer.audio.decode import AudioFile
    from visualizer.audio.demo import demo_track_path

    commands = readme_commands()
    assert len(commands) >= 12
    with AudioFile(demo_track_path()) as demo:
        demo_seconds = demo.duration
    for argv in commands:
        if argv[0] == "presets" and len(argv) > 1:
            params = cli.commands["presets"].commands[argv[1]].make_context(argv[1], argv[2:]).params
        else:
            params = cli.commands[argv[0]].make_context(argv[0], argv[1:]).params
        if argv[0] == "render" and params["audio"] is None:  # on the demo track
            assert params["start"] + (params["seconds"] or 0.0) <= demo_seconds, argv


@pytest.mark.slow
def test_ctrl_c_during_a_render_is_one_line(tmp_path):
    """SIGINT once frames flow (progress bar on): exactly one line on stderr, nothing left."""
    out = tmp_path / "out"
    process = subprocess.Popen([VISUALIZER, "render", "--out", str(out / "long.mp4"), "--size", "640x360",
                                "--fps", "60", "--ssaa", "2"], stderr=subprocess.PIPE, text=True)  # minutes
    wait_for_files(tmp_path, lambda: partial_has_frames(out), process, "frames in the partial file")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr == "error: interrupted; partial output was removed\n"
    assert [p for p in tmp_path.rglob("*") if not p.is_dir()] == []


@pytest.fixture
def one_second_wav(in_empty_folder):
    """s.wav, 1 s of quiet noise at 8 kHz, in the (otherwise empty) current folder; removed after."""
    soundfile.write("s.wav", np.random.default_rng(0).normal(0, 0.1, 8000).astype("float32"), 8000)
    yield "s.wav"
    Path("s.wav").unlink()


def test_numbers_in_messages_read_as_typed_not_as_python_prints_them(one_second_wav, capsys):
    status, _, err = run_main(["render", "--audio", "s.wav", "--out", "o.mp4", "--seconds", "1e-9"], capsys)
    assert_one_error_line(status, err, "error: --seconds 1e-9 is shorter than one frame at 30 fps")


def test_a_start_rounded_to_the_end_says_which_frame_it_begins_at(one_second_wav, capsys):
    status, _, err = run_main(["render", "--audio", "s.wav", "--out", "o.mp4", "--start", "0.99"], capsys)
    assert_one_error_line(status, err, "s.wav: --start 0.99 begins at frame 30 (1.00 s at 30 fps), the end of the"
                          " audio (1.00 s); choose an earlier start")
    status, _, err = run_main(["render", "--audio", "s.wav", "--out", "o.mp4", "--start", "2"], capsys)
    assert_one_error_line(status, err, "--start 2 is past the end of the audio (1.00 s)")


@pytest.mark.parametrize("option", ["--audio", "--out"])
def test_a_url_is_refused_as_typed_not_folded_into_a_path(in_empty_folder, capsys, option):
    argv = ["render", "--audio", TRIPWIRE, "--out", "o.mp4", option, "http://example.com/song.wav"]
    status, _, err = run_main(argv, capsys)
    assert_one_error_line(status, err, f"error: {option} http://example.com/song.wav: is a URL; give a local file")
