"""Where the editor's "Save as" writes, and the copy it makes there (no GL).

A bundle (`NAME/preset.toml` beside its shaders) is saved as a bundle: the
whole folder is copied, then the values are written into the copy. A plain
NAME goes to ./presets/NAME; a path (relative to the folder holding the
original bundle, or absolute) names the new bundle's folder; `X.toml` or
`X/preset.toml` mean the folder X. A shipped preset is package data: a
relative target always becomes ./presets/NAME.

A single-file preset is saved as a `.toml` file (".toml" added if missing),
relative to the original's folder unless absolute; its shaders must then be
found from there (the same folder, or the shared library).

Nothing here overwrites a different preset unless asked (`replaces`), and
nothing ever writes into the shipped presets.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from visualizer.errors import PresetError
from visualizer.paths import project_presets_dir, shown_path
from visualizer.preset.library import PRESET_FILE, copy_bundle, is_shipped
from visualizer.preset.loader import load_preset
from visualizer.printable import printable


@dataclass(frozen=True)
class SaveAsPlan:
    """Where "Save as" writes `path` (a bundle's preset.toml, or a .toml file)."""

    path: Path
    bundle: bool
    """The original's whole folder is copied too."""
    replaces: bool
    """A different preset is there already: writing needs the user's yes."""
    same: bool
    """`path` is the file being edited: a plain save."""


def plan_save_as(current: Path, target: str) -> SaveAsPlan:
    """The plan for saving the preset at `current` as `target` (a name or a path).

    PresetError (one line, naming the place and the fix) for an empty name, a
    path that cannot be used, a place inside the shipped presets, something
    there that is not a preset, or shaders the copy could not find."""
    name = target.strip()
    if not name:
        raise PresetError("Save as: type a name (saved as ./presets/NAME) or a path first")
    try:
        bundle = current.name == PRESET_FILE
        path = _bundle_target(current, name) if bundle else _file_target(current, name)
        same = path.resolve() == current.resolve()
        replaces = not same and _occupied(path, bundle)
    except (ValueError, OSError) as exc:  # a NUL byte, a name too long, an unreadable place
        raise PresetError(f"{printable(name)}: cannot save there ({exc}); choose another name") from exc
    if not same and is_shipped(path):
        raise PresetError(f"{shown_path(path)}: inside the shipped presets (read-only);"
                          " give a plain name to save it as ./presets/NAME")
    if not bundle and not same:
        if not path.parent.is_dir():
            raise PresetError(f"{shown_path(path.parent)}: no such folder;"
                              " create it, or choose another place")
        _check_shaders_found(current, path)
    return SaveAsPlan(path, bundle, replaces, same)


def _bundle_target(current: Path, name: str) -> Path:
    """A bundle's new preset.toml for `name`."""
    folder = Path(name).expanduser()
    if folder.name == PRESET_FILE:
        folder = folder.parent
    elif folder.suffix == ".toml":
        folder = folder.with_suffix("")
    if is_shipped(current) and not folder.is_absolute():
        folder = Path(folder.name)  # never beside a shipped preset
    if not folder.is_absolute():
        parts = folder.parts
        folder = project_presets_dir() / folder if len(parts) == 1 else current.parent.parent / folder
    if not folder.name or folder.name in (".", ".."):
        raise ValueError("no folder name")
    return folder / PRESET_FILE


def _file_target(current: Path, name: str) -> Path:
    path = Path(name).expanduser()
    if path.suffix != ".toml":
        path = path.with_name(path.name + ".toml")
    return path if path.is_absolute() else current.parent / path


def _occupied(path: Path, bundle: bool) -> bool:
    """Whether a preset is at `path` already; PresetError if something else is in the way."""
    place = path.parent if bundle else path
    if not place.exists():
        return False
    if (bundle and place.is_dir() and path.is_file()) or (not bundle and path.is_file()):
        return True
    raise PresetError(f"{shown_path(place)}: already exists and is not a preset; choose another name")


def _check_shaders_found(current: Path, path: Path) -> None:
    """A single file moved to another folder must still find its shaders there."""
    try:
        passes = load_preset(current).passes
    except PresetError:
        return  # the original is broken now: the copy will say so when it loads
    folder, new_folder = current.parent.resolve(), path.parent.resolve()
    for spec in passes:
        shader = Path(spec.shader).resolve()
        if shader.is_relative_to(folder) and folder != new_folder \
                and not (new_folder / shader.relative_to(folder)).is_file():
            raise PresetError(f"{shown_path(path)}: its shader {shader.name} would not be found there;"
                              f" save it in {shown_path(current.parent)}, or copy the shader first")


def write_bundle_copy(current: Path, plan: SaveAsPlan) -> None:
    """Copy the bundle holding `current` to `plan.path`'s folder: a new folder whole
    or not at all; over an existing bundle (`replaces`), its same-named files."""
    folder = plan.path.parent
    if not plan.replaces:
        copy_bundle(current, folder)
        return
    try:
        shutil.copytree(current.parent, folder, dirs_exist_ok=True, copy_function=shutil.copyfile,
                        ignore=shutil.ignore_patterns("__pycache__", ".*"))
    except (OSError, shutil.Error) as exc:
        raise PresetError(f"{shown_path(folder)}: cannot copy the preset there ({exc})") from exc
