"""What a user-named output may be, checked before any work starts.

Every command that writes a file the user named (`render --out`, `analyze
--plot`, `play`/`edit --screenshot`) passes its path through here first:

- the name is new, or a regular file (which the finished output replaces);
  a folder, device, FIFO or socket is refused, never replaced;
- a symbolic link is judged by its target, which is what gets replaced
  (a link to nothing, or a loop of links, is refused);
- it is not the same file (device and inode) as any input;
- its folder exists or can be created, and is writable;
- the temporary written beside it has a name the file system accepts;
- there is room for it, where the free space can be known.

Failures are one-line `OutputError`s that name the option, the path and the fix.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from pathlib import Path

from visualizer.atomic import TEMPORARY_EXTRA_BYTES, folder_of
from visualizer.paths import kind_of_mode
from visualizer.printable import printable
from visualizer.errors import OutputError

Inputs = Mapping[str, "Path | None"]
"""The files a command reads, by how the user gave them: {"--audio": Path("song.wav")}."""

FREE_SPACE_FLOOR = 1_000_000
"""Bytes: below this much free space no output is attempted (1 MB), however small the output."""
_DEFAULT_NAME_MAX = 255
_FIELD = re.compile(r"%(%|\d*d)?")
"""A `%` of an image-sequence pattern: `%%` (a literal %), `%d`/`%05d` (the frame number), else stray."""



def shown(path: Path | str) -> str:
    """`path` as one printable line (control characters escaped)."""
    return printable(str(path))


def refuse(option: str, path: Path, problem: str) -> OutputError:
    """The one-line error `--option path: problem`."""
    return OutputError(f"{option} {shown(path)}: {problem}")


# --- image-sequence patterns ------------------------------------------------------------------


def _fields(name: str) -> tuple[list[str], list[str]]:
    """The frame-number fields (`%05d`) and the stray `%`s (`%s`) of a file name."""
    fields, strays = [], []
    for match in _FIELD.finditer(name):
        if match.group(1) is None:
            strays.append(name[match.start():match.start() + 2])
        elif match.group(1) != "%":
            fields.append(match.group(0))
    return fields, strays


def is_sequence(path: Path) -> bool:
    """True for an image-sequence pattern such as frames/%05d.png (a name with a `%d` field)."""
    return bool(_fields(path.name)[0])


def check_pattern(pattern: Path, option: str = "--out") -> None:
    """Exactly one `%d`-style field (`%05d`) and no other `%` than `%%` in the file name."""
    hint = "a pattern takes one frame-number field such as %05d (write %% for a literal %)"
    fields, strays = _fields(pattern.name)
    if strays:
        raise refuse(option, pattern, f"{shown(strays[0])} is not a frame-number field; {hint}")
    if len(fields) != 1:
        raise refuse(option, pattern, f"{len(fields)} frame-number fields; {hint}")


def frame_name(name: str, index: int) -> str:
    """Pattern `name` with frame `index` filled in, as ffmpeg does (`%5d` pads with zeros too)."""
    def fill(match: re.Match[str]) -> str:
        kind = match.group(1) or "%"
        return "%" if kind == "%" else f"{index:0{int(kind[:-1] or 0)}d}"
    return _FIELD.sub(fill, name)


def _frame_names(name: str) -> re.Pattern[str]:
    """A regular expression matching every name pattern `name` gives a frame (its number in group 1)."""
    parts = [re.escape("%") if match.group(1) == "%" else r"(\d+)" for match in _FIELD.finditer(name)]
    literal = _FIELD.split(name)[::2]
    pieces = [re.escape(literal[0])]
    for part, text in zip(parts, literal[1:]):
        pieces += [part, re.escape(text)]
    return re.compile("".join(pieces))


# --- the output path ----------------------------------------------------------------------------


def check_output_path(path: Path, option: str, inputs: Inputs | None = None, *, create_folder: bool = True) -> Path:
    """Refuse what must not be written to (see the module's docstring); returns the path
    written, a link's target. `create_folder`: a missing folder will be made, else refused."""
    if not path.name:
        raise refuse(option, path, "is a folder; give a file name inside it")
    real = _followed(path, option)
    kind = _kind_of(path, real, option)
    if kind is not None:
        where = "" if real == path else f" (the link's target {shown(real)})"
        fix = "give a file name inside it" if kind == "a folder" else f"it is left alone; choose another {option}"
        raise refuse(option, path, f"is {kind}{where}, not a regular file; {fix}")
    _check_not_an_input(path, real, option, inputs or {})
    existing = check_folder(path, folder_of(real), option, create_folder)
    name_max = _name_max(existing)
    if len(os.fsencode(real.name)) + TEMPORARY_EXTRA_BYTES > name_max:
        raise refuse(option, path, f"the name is too long: with the {TEMPORARY_EXTRA_BYTES} bytes its temporary"
                     f" adds it exceeds the file system's {name_max}-byte limit; choose a shorter name")
    return real


def check_sequence_path(pattern: Path, option: str, inputs: Inputs, frames: int) -> None:
    """The folder of image-sequence `pattern`, and each of its `frames` names that already
    exists, as `check_output_path` would judge a single file (links among frames refused)."""
    check_pattern(pattern, option)
    folder = folder_of(pattern)
    existing = check_folder(pattern, folder, option, create=True)
    longest = frame_name(pattern.name, max(frames - 1, 0))
    name_max = _name_max(existing)
    if len(os.fsencode(longest)) > name_max:
        raise refuse(option, pattern, f"frame names such as {shown(longest[:40])}... exceed the file system's"
                     f" {name_max}-byte limit; choose a shorter pattern")
    if existing != folder:
        return  # a new folder: no frame is there yet
    for name in _frames_present(folder, pattern.name, frames):
        frame = folder / name
        kind = "a symbolic link" if os.path.islink(frame) else _kind_of(pattern, frame, option)
        if kind is not None:
            raise refuse(option, pattern, f"{shown(frame)} is {kind}, which a frame would replace; remove it or"
                         " choose another folder")
        _check_not_an_input(frame, frame, option, inputs)


def _frames_present(folder: Path, name: str, frames: int) -> list[str]:
    """Names in `folder` that frames 0 .. frames - 1 of pattern `name` would take."""
    names = _frame_names(name)
    present = []
    with os.scandir(folder) as entries:
        for entry in entries:
            match = names.fullmatch(entry.name)
            if match and int(match.group(1)) < frames and frame_name(name, int(match.group(1))) == entry.name:
                present.append(entry.name)
    return present


def _followed(path: Path, option: str) -> Path:
    """`path`, or the final target of the link it is; a link to nothing or a loop is refused."""
    if not os.path.islink(path):
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        target = shown(os.readlink(path))
        raise refuse(option, path, f"is a symbolic link to {target}, which does not exist; not writing"
                     " through a dangling link: remove the link or give the target's path") from None
    except OSError as exc:
        raise refuse(option, path, f"cannot follow the symbolic link ({exc.strerror or exc})") from None


def _kind_of(path: Path, real: Path, option: str) -> str | None:
    """What `real` is if it exists and is not a regular file ("a named pipe (FIFO)"), else None:
    a rename onto it would destroy it."""
    try:
        mode = os.stat(real).st_mode
    except (FileNotFoundError, NotADirectoryError):  # a new name (the folder check comes next)
        return None
    except OSError as exc:
        raise refuse(option, path, f"cannot be examined ({exc.strerror or exc})") from None
    return kind_of_mode(mode)


def _check_not_an_input(path: Path, real: Path, option: str, inputs: Inputs) -> None:
    """Not the same file (device and inode, through any links) as an input."""
    try:
        written = os.stat(real)
    except OSError:
        return
    for given, source in inputs.items():
        if source is None:
            continue
        try:
            read = os.stat(source)
        except OSError:
            continue
        if (read.st_dev, read.st_ino) == (written.st_dev, written.st_ino):
            raise refuse(option, path, f"is the same file as {given} {shown(source)}; writing it would destroy"
                         f" the input: choose another {option}")


def check_folder(path: Path, folder: Path, option: str, create: bool) -> Path:
    """The nearest existing folder at or above `folder`, checked writable; a missing
    `folder` is refused unless `create`, or if something else than a folder is in the way."""
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if existing != folder and not create:
        raise refuse(option, path, f"the folder {shown(folder)} does not exist; create it or choose another {option}")
    if not os.path.isdir(existing):
        raise refuse(option, path, f"cannot create the output folder ({shown(existing)} is not a folder);"
                     f" choose a writable {option}")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise refuse(option, path, f"the folder {shown(existing)} is not writable; choose a writable {option}")
    return existing


def check_free_space(path: Path, option: str, need: int, what: str) -> None:
    """Refuse when the file system holding `path` clearly has too little room: less than
    `need` bytes (a low estimate of `what`) or `FREE_SPACE_FLOOR`. Unknown space passes,
    and so does a file system that reports no size at all (/sys, /proc: not a space matter)."""
    existing = folder_of(path)
    while not os.path.isdir(existing) and existing != existing.parent:
        existing = existing.parent
    try:
        usage = os.statvfs(existing)
    except OSError:
        return
    if usage.f_blocks == 0:
        return
    problem = space_problem(usage.f_bavail * usage.f_frsize, int(need), what, shown(existing))
    if problem:
        raise refuse(option, path, f"{problem}; free some space or choose another {option}")


def space_problem(free: int, need: int, what: str, folder: str) -> str | None:
    """Why `free` bytes in `folder` are too few for `what` (estimated at `need` bytes), or None.
    The floor and the estimate are told apart: a 16 KB video is not said to need 1 MB."""
    if free < need and need >= FREE_SPACE_FLOOR:
        return f"only {_size(free)} free in {folder}, and {what} needs at least about {_size(need)}"
    if free < FREE_SPACE_FLOOR:
        estimate = f" (the output, {what}, is estimated at {_size(need)})" if need > 0 else ""
        return f"only {_size(free)} free in {folder}; keep at least {_size(FREE_SPACE_FLOOR)} free{estimate}"
    return None


def _size(count: int) -> str:
    """Bytes as one short figure: "16 KB", "1.1 MB" (decimal units; rounded up)."""
    if count < 1e5:
        return f"{math.ceil(count / 1e3):.0f} KB"
    return f"{math.ceil(count / 1e5) / 10:.1f} MB"


def _name_max(folder: Path) -> int:
    """The longest file name (bytes) `folder`'s file system takes."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return _DEFAULT_NAME_MAX
