"""Presets by name, on the search path of `visualizer.paths.preset_folders`.

A preset is a bundle, `NAME/preset.toml` with its own shaders beside it, or a
single `NAME.toml` whose shaders come from its folder or the shared library.
The first folder that has a name wins; `presets list` shows every one found.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from visualizer.errors import PresetError
from visualizer.naming import suggestion
from visualizer.atomic import new_folder
from visualizer.paths import file_kind, preset_folders, shipped_presets_dir, shown_path
from visualizer.printable import printable, quoted

DEFAULT_PRESET = "mimic_bloom"
PRESET_FILE = "preset.toml"


@dataclass(frozen=True)
class PresetEntry:
    """One preset found on the search path."""

    name: str
    path: Path
    """Its TOML file; for a bundle without one, the bundle folder."""
    source: str
    """The search folder it came from: "project", "user", "env" or "shipped"."""
    hidden: bool = False
    """An earlier folder has a preset of the same name."""
    problem: str = ""
    """Why it cannot load by name (a bundle without preset.toml), else ""."""


def preset_name(path: Path) -> str:
    """The name a preset file goes by: its bundle folder's, or the file's stem."""
    path = Path(path)
    return path.parent.name if path.name == PRESET_FILE else path.stem


def bundle_file(folder: Path) -> Path:
    """The preset.toml of bundle `folder`; PresetError naming the folder when missing."""
    path = folder / PRESET_FILE
    kind = file_kind(path)
    if kind:
        raise PresetError(f"{printable(shown_path(path))}: is {kind}, not a regular file; make it a preset's TOML text")
    if not path.is_file():
        raise PresetError(_missing_file(folder))
    return path


def _missing_file(folder: Path) -> str:
    return (f"{printable(shown_path(folder))}: preset bundle has no {PRESET_FILE};"
            f" add one (visualizer presets new NAME writes a template)")


def find_presets() -> list[PresetEntry]:
    """Every preset on the search path, in search order (later ones of a name hidden)."""
    entries: list[PresetEntry] = []
    seen: set[str] = set()
    for folder in preset_folders():
        for child in sorted(folder.path.iterdir()):
            entry = _entry(child, folder.source)
            if entry is not None:
                entries.append(replace(entry, hidden=entry.name in seen))
                seen.add(entry.name)
    return entries


def _entry(child: Path, source: str) -> PresetEntry | None:
    if child.name.startswith((".", "__")):
        return None
    if child.is_dir():
        toml = child / PRESET_FILE
        if toml.is_file():
            return PresetEntry(child.name, toml, source)
        return PresetEntry(child.name, child, source, problem=_missing_file(child))
    if child.suffix == ".toml" and child.is_file():
        return PresetEntry(child.stem, child, source)
    return None


def available_presets() -> list[str]:
    """Names of the presets that load by name, sorted."""
    return sorted({entry.name for entry in find_presets() if not entry.problem and not entry.hidden})


def resolve_preset(name_or_path: str | None) -> Path:
    """The TOML file of a preset name from the search path, or of a path: a
    .toml file or a bundle folder. A bare name found nowhere on the search path
    that is a preset here (`p` for ./p/preset.toml or ./p) is read as that path."""
    value = name_or_path or DEFAULT_PRESET
    path = Path(value).expanduser()
    if value.endswith(".toml") or "/" in value or os.sep in value or value.startswith((".", "~")):
        return _preset_at(path, value)
    for folder in preset_folders():
        if (folder.path / value).is_dir():
            return bundle_file(folder.path / value)
        if (folder.path / f"{value}.toml").is_file():
            return folder.path / f"{value}.toml"
    if (path / PRESET_FILE).exists() or path.is_file():
        return _preset_at(path, value)
    names = available_presets()
    hint = suggestion(value, names)
    hint = f"{hint} " if hint else ""
    raise PresetError(
        f'unknown preset {quoted(value)}; {printable(hint)}available: {", ".join(names) or "none"}'
        " (or give a path to a preset folder or .toml file)"
    )


def _preset_at(path: Path, value: str) -> Path:
    """The TOML file of preset path `path` (as the user gave it: `value`): a bundle folder's,
    or the file itself. Never opens it: a FIFO or device is refused by what it is."""
    if path.is_dir():
        return bundle_file(path)
    kind = file_kind(path)
    if kind:
        raise PresetError(f"{printable(value)}: is {kind}, not a preset file; give a .toml file or a preset folder")
    if not path.is_file():
        raise PresetError(f"{printable(value)}: preset file not found; check the path")
    return path


def is_shipped(path: Path) -> bool:
    """True for a file inside the shipped presets (package data: never edited in place)."""
    return Path(path).resolve().is_relative_to(shipped_presets_dir().resolve())


def copy_bundle(preset_file: Path, folder: Path) -> Path:
    """Copy the bundle holding `preset_file` (its whole folder) to `folder`, which
    must not exist; returns the copy's preset.toml. The copy appears whole or not at all."""
    source = Path(preset_file).parent
    if Path(preset_file).name != PRESET_FILE:
        raise PresetError(f"{shown_path(preset_file)}: not a bundle ({PRESET_FILE} in its own folder)")
    if folder.exists():
        raise PresetError(f"{shown_path(folder)}: already exists; choose another name or edit that preset")
    try:
        with new_folder(folder) as temporary:
            # copyfile, not copy2: an installed package's read-only modes must not follow the copy
            shutil.copytree(source, temporary, dirs_exist_ok=True, copy_function=shutil.copyfile,
                            ignore=shutil.ignore_patterns("__pycache__", ".*"))
    except OSError as exc:
        raise PresetError(f"{shown_path(folder)}: cannot copy the preset there ({exc.strerror or exc})") from exc
    return folder / PRESET_FILE
