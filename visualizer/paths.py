"""Where data lives: the shipped shaders and presets (package data), the user's
presets (a search path), renders (under the current folder) and the cache
(the demo track, whole-track analyses).

Preset folders, searched in this order (the first preset of a name wins):

    ./presets                              "project": the current folder's own
    $XDG_DATA_HOME/visualizer/presets      "user" (default ~/.local/share/visualizer/presets)
    $VISUALIZER_PRESET_PATH                "env": folders separated by ":"
    <package>/presets                      "shipped"

`./presets` and the user folder may be missing; a folder named in
VISUALIZER_PRESET_PATH must exist.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from visualizer.errors import PresetError

PACKAGE_DIR = Path(__file__).resolve().parent
PRESET_PATH_VARIABLE = "VISUALIZER_PRESET_PATH"
CACHE_VARIABLE = "VISUALIZER_CACHE"


@dataclass(frozen=True)
class PresetFolder:
    """One folder of the preset search path and where it comes from."""

    path: Path
    source: str
    """"project", "user", "env" or "shipped"."""


def shaders_dir() -> Path:
    """The shared shader library root: lib/, post/ and internal/ (package data)."""
    return PACKAGE_DIR / "shaders"


def shipped_presets_dir() -> Path:
    """The presets that ship with the package, one bundle folder each."""
    return PACKAGE_DIR / "presets"


def user_presets_dir() -> Path:
    """$XDG_DATA_HOME/visualizer/presets (default ~/.local/share/visualizer/presets;
    a relative XDG_DATA_HOME is ignored, as the XDG spec says)."""
    data_home = os.environ.get("XDG_DATA_HOME", "")
    return (Path(data_home) if os.path.isabs(data_home) else Path.home() / ".local" / "share") / "visualizer" / "presets"


def cache_dir() -> Path:
    """$VISUALIZER_CACHE, else $XDG_CACHE_HOME/visualizer (if absolute: a relative one
    is ignored, as the XDG spec says), else ~/.cache/visualizer: what can be made again
    (the demo track, whole-track analyses)."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "visualizer"


def project_presets_dir() -> Path:
    """./presets under the current folder: where `presets new` writes."""
    return Path.cwd() / "presets"


def preset_folders() -> list[PresetFolder]:
    """The preset search path, first match first. Raises PresetError for a folder
    in VISUALIZER_PRESET_PATH that does not exist."""
    folders = [PresetFolder(project_presets_dir(), "project"), PresetFolder(user_presets_dir(), "user")]
    for entry in os.environ.get(PRESET_PATH_VARIABLE, "").split(os.pathsep):
        if not entry:
            continue
        path = Path(entry).expanduser()
        if not path.is_dir():
            problem, fix = (("is a file, not a folder", "name folders of presets, separated by ':'")
                            if path.exists() else ("preset folder not found", "create it or fix the variable"))
            raise PresetError(f"{shown_path(path)}: {problem} (named in {PRESET_PATH_VARIABLE}); {fix}")
        folders.append(PresetFolder(path, "env"))
    folders.append(PresetFolder(shipped_presets_dir(), "shipped"))
    found: dict[Path, PresetFolder] = {}
    for folder in folders:
        if folder.path.is_dir():
            found.setdefault(folder.path.resolve(), folder)
    return list(found.values())


def renders_dir() -> Path:
    """./renders under the current folder: renders and snapshots without --out."""
    return Path.cwd() / "renders"


def shown_path(path: Path) -> str:
    """`path` as messages show it: a shipped file as visualizer/..., a file under
    the current folder relative to it, one under the home folder as ~/..., else
    absolute."""
    absolute = Path(os.path.abspath(path))
    if absolute.is_relative_to(PACKAGE_DIR):
        return absolute.relative_to(PACKAGE_DIR.parent).as_posix()
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        if absolute.is_relative_to(base):
            return prefix + absolute.relative_to(base).as_posix()
    return str(absolute)


_KINDS = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
)


def kind_of_mode(mode: int) -> str | None:
    """What a `st_mode` is when not a regular file ("a named pipe (FIFO)"), else None."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def file_kind(path: Path) -> str | None:
    """What exists at `path` (links followed) when it is not a regular file, e.g. "a device";
    None for a regular file or nothing there. Never opens it (a FIFO would block)."""
    try:
        return kind_of_mode(os.stat(path).st_mode)
    except (OSError, ValueError):
        return None
