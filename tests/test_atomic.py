"""Atomic writes (visualizer/atomic.py) and the one "did you mean" (visualizer/naming.py)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from visualizer.atomic import AtomicFile, temporary_beside, write_atomic
from visualizer.errors import OutputError, PresetError
from visualizer.naming import did_you_mean, suggestion
from visualizer.output.atomic import AtomicSequence
from visualizer.output.atomic import OutputFile
from visualizer.preset.modulation_spec import ParamSpec
from visualizer.preset.save import save_params


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def test_commit_replaces_the_target_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with AtomicFile(target) as temp:
        assert temp.parent == tmp_path and temp.name.startswith(".out.txt.") and temp.name.endswith(".tmp")
        temp.write_text("new")
        assert target.read_text() == "old"  # nothing shows before the commit
    assert target.read_text() == "new"
    assert names(tmp_path) == ["out.txt"]


def test_an_exception_midway_keeps_the_old_target_and_removes_the_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with AtomicFile(target) as temp:
            temp.write_text("half of the ne")
            raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert names(tmp_path) == ["out.txt"]


_CHILD = """
import sys
from pathlib import Path
from visualizer.atomic import AtomicFile
with AtomicFile(Path(sys.argv[1])) as temp:
    with open(temp, "wb") as file:
        file.write(b"x" * 100_000)
        file.flush()
        print(temp, flush=True)
        sys.stdin.read()  # blocks until the test interrupts us
"""


def test_ctrl_c_during_a_real_write_leaves_the_old_target_and_nothing_else(tmp_path):
    target = tmp_path / "track.flac"
    target.write_bytes(b"old")
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(target)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    temp = Path(child.stdout.readline().strip())  # the write is under way
    assert temp.stat().st_size == 100_000, child.communicate(timeout=60)[1]
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode != 0 and "KeyboardInterrupt" in stderr
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["track.flac"]


def test_a_failed_rename_removes_the_temporary(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("kept")
    with pytest.raises(OSError):
        with AtomicFile(target) as temp:
            temp.write_text("new")
    assert names(tmp_path) == ["taken"] and names(target) == ["inside"]


def test_the_target_keeps_its_mode(tmp_path):
    target = tmp_path / "preset.toml"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert mode(target) == 0o640 and target.read_text() == "new"


def test_a_new_file_takes_mode_from_or_the_umask_default(tmp_path):
    source = tmp_path / "source.toml"
    source.write_text("a")
    source.chmod(0o604)
    write_atomic(tmp_path / "copy.toml", "b", mode_from=source)
    write_atomic(tmp_path / "fresh.toml", "c")
    assert mode(tmp_path / "copy.toml") == 0o604
    assert mode(tmp_path / "fresh.toml") == default_mode()


def test_text_is_written_byte_for_byte(tmp_path):
    write_atomic(tmp_path / "crlf.toml", "a = 1\r\nb = \"é\"\r\n")
    assert (tmp_path / "crlf.toml").read_bytes() == 'a = 1\r\nb = "é"\r\n'.encode()


def test_keep_suffix_lets_a_writer_pick_the_format_by_extension(tmp_path):
    temp = temporary_beside(tmp_path / "clip.mp4", keep_suffix=True)
    assert temp.name.startswith(".clip.") and temp.suffix == ".mp4" and temp.stat().st_size == 0


def test_output_file_commit_failure_is_an_output_error_and_leaves_nothing(tmp_path):
    target = tmp_path / "clip.mp4"
    output = OutputFile(target)
    Path(output.target).write_bytes(b"video")
    target.mkdir()  # something now blocks the rename
    with pytest.raises(OutputError, match="cannot move the finished file into place"):
        output.commit()
    assert names(tmp_path) == ["clip.mp4"] and target.is_dir()


def test_output_sequence_moves_every_frame_in_and_removes_its_folder(tmp_path):
    frames = AtomicSequence(tmp_path / "frames" / "%03d.png")
    for index in range(3):
        Path(frames.target % index).write_bytes(b"png")
    assert (tmp_path / "frames").is_dir() and names(tmp_path / "frames") == [frames.temp.name]
    frames.commit()
    assert names(tmp_path / "frames") == ["000.png", "001.png", "002.png"]


def test_a_preset_save_that_cannot_rename_is_a_preset_error_and_leaves_no_temporary(tmp_path):
    source = tmp_path / "p.toml"
    source.write_text("[params]\nlevel = 0.5\n")
    blocked = tmp_path / "blocked.toml"
    blocked.mkdir()
    spec = ParamSpec("level", "float", 0.5, 0.0, 1.0)
    with pytest.raises(PresetError, match="blocked.toml: cannot save the preset"):
        save_params(source, {"level": 0.25}, [spec], target=blocked)
    assert names(tmp_path) == ["blocked.toml", "p.toml"]


def test_did_you_mean_names_the_closest_option():
    assert did_you_mean("bas", ["bass", "mid", "treble"]) == 'did you mean "bass"?'
    assert suggestion("smoth", ("linear", "smooth")) == 'did you mean "smooth"?'


def test_did_you_mean_lists_the_options_when_none_is_close():
    assert did_you_mean("zzz", ["bass", "mid"]) == "known: bass, mid"
    assert did_you_mean("flip", ("random", "toggle"), listing="expected one of ") == "expected one of random, toggle"
    assert suggestion("zzz", ["bass"]) == ""


def test_a_new_folder_appears_whole_or_not_at_all(tmp_path):
    from visualizer.atomic import new_folder

    with pytest.raises(KeyboardInterrupt):
        with new_folder(tmp_path / "deep" / "bundle") as temporary:
            (temporary / "a.txt").write_text("half")
            raise KeyboardInterrupt
    assert list((tmp_path / "deep").iterdir()) == []  # nothing, not even the temporary
    with new_folder(tmp_path / "deep" / "bundle") as temporary:
        (temporary / "a.txt").write_text("whole")
    assert (tmp_path / "deep" / "bundle" / "a.txt").read_text() == "whole"
    assert [p.name for p in (tmp_path / "deep").iterdir()] == ["bundle"]


def test_a_symlinked_target_is_written_through_and_the_link_kept(tmp_path):
    (tmp_path / "real.toml").write_text("old")
    (tmp_path / "link.toml").symlink_to("real.toml")
    write_atomic(tmp_path / "link.toml", "new")
    assert os.readlink(tmp_path / "link.toml") == "real.toml"
    assert (tmp_path / "real.toml").read_text() == "new"
    assert names(tmp_path) == ["link.toml", "real.toml"]


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_target_that_is_not_a_regular_file_is_never_replaced(tmp_path, kind):
    target = tmp_path / "out.bin"
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    with pytest.raises(OSError):
        write_atomic(target, b"data")
    assert (stat.S_ISFIFO if kind == "fifo" else stat.S_ISDIR)(target.lstat().st_mode)
    assert names(tmp_path) == ["out.bin"]


def test_ctrl_c_while_signals_are_held_arrives_when_the_block_ends():
    from visualizer.atomic import signals_held

    finished = False
    with pytest.raises(KeyboardInterrupt):
        with signals_held():
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # many bytecode boundaries, where a handler would run
                pass
            finished = True
    assert finished
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
