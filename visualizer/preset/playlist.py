"""Sets (playlists): a TOML set file, or a folder of presets, read into a `PlaylistSpec`.

    load_playlist(Path("visualizer/sets/demo.toml"))   # a set file (docs/playlists.md)
    load_playlist(Path("presets/"))                    # every preset in a folder, by name
    single_preset_playlist(path)                       # what `play --preset X` plays

Every problem of a set file is reported at once, one line each:
`sets/show.toml:9:1: entry[2].preset: unknown preset "mimc_bloom"; did you mean "mimic_bloom"? ...`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from visualizer.errors import PresetError
from visualizer.naming import did_you_mean
from visualizer.paths import file_kind, shaders_dir, shown_path
from visualizer.preset.library import PRESET_FILE, preset_name, resolve_preset
from visualizer.preset.locate import KeyLocator
from visualizer.preset.playlist_parse import parse_set
from visualizer.preset.problems import Problems, syntax_error
from visualizer.preset.playlist_spec import (
    ADVANCES, ORDERS, STARTS, AdvanceSpec, PlaylistEntry, PlaylistSpec, TransitionSpec,
)
from visualizer.preset.toml_guard import MAX_NESTING, scan_toml
from visualizer.printable import printable, quoted

__all__ = ["ADVANCES", "ORDERS", "STARTS", "AdvanceSpec", "PlaylistEntry", "PlaylistSpec", "TransitionSpec",
           "find_playlist", "load_playlist", "resolve_style", "shipped_sets", "single_preset_playlist", "transition_styles", "transitions_dir"]

MAX_SET_BYTES = 1 << 20
"""1 MiB: a set is a page of settings."""


def transitions_dir() -> Path:
    """The shipped transition shaders: shaders/transitions/NAME.glsl."""
    return shaders_dir() / "transitions"


def transition_styles() -> list[str]:
    """Names of the shipped transitions, sorted."""
    folder = transitions_dir()
    return sorted(path.stem for path in folder.glob("*.glsl")) if folder.is_dir() else []


def resolve_style(value: str, base: Path | None = None) -> str:
    """A transition style as a `TransitionSpec` holds it: a shipped name as given, or a
    path ending .glsl (relative to `base`, a folder) made absolute. PresetError (one line,
    no file named: the caller adds where it came from) when there is no such style."""
    if value.endswith(".glsl"):
        path = Path(value).expanduser()
        path = path if path.is_absolute() or base is None else base / path
        if not path.is_file():
            raise PresetError(f"{quoted(value)}: transition shader not found; give a path to a .glsl file"
                              " (relative to the set file) or a shipped style")
        return str(path.resolve())
    if (transitions_dir() / f"{value}.glsl").is_file() and "/" not in value:
        return value
    styles = transition_styles()
    raise PresetError(f"unknown transition style {quoted(value)}; {did_you_mean(value, styles)}"
                      " (or give a path to a .glsl file)")


def single_preset_playlist(preset_path: Path) -> PlaylistSpec:
    """The set of one preset (`play --preset X`): it stays until a performer loads another."""
    path = Path(preset_path)
    return PlaylistSpec(name=preset_name(path), entries=(PlaylistEntry(path, preset_name(path)),), path=path,
                        advance=AdvanceSpec(mode="manual"))


def sets_dir() -> Path:
    """The shipped sets: visualizer/sets/NAME.toml."""
    return Path(__file__).resolve().parent.parent / "sets"


def shipped_sets() -> list[str]:
    """Names of the shipped sets, sorted."""
    return sorted(path.stem for path in sets_dir().glob("*.toml"))


def find_playlist(text: str | Path) -> Path:
    """What `--playlist` names: a file or folder that exists, else a shipped set's name
    ("demo"); otherwise the path as given (`load_playlist` then says it is missing)."""
    path = Path(text).expanduser()
    if path.exists() or path.suffix or len(path.parts) > 1:
        return path
    shipped = sets_dir() / f"{path.name}.toml"
    if shipped.is_file():
        return shipped
    names = shipped_sets()
    raise PresetError(f"{quoted(str(text))}: no such set file, folder or shipped set; "
                      f"{did_you_mean(str(text), names)} (shipped: {', '.join(names)})")


def load_playlist(path: Path | str) -> PlaylistSpec:
    """A set file (TOML, docs/playlists.md), a folder of presets, or a shipped set by name;
    PresetError listing every problem, each line naming the file."""
    path = find_playlist(path)
    shown = printable(shown_path(path))
    if path.is_dir():
        return _folder_playlist(path, shown)
    text = _read_text(path, shown)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(syntax_error(shown, str(exc))) from exc
    if "passes" in document and not {"set", "entry"} & set(document):
        raise PresetError(f"{shown}: is a preset, not a set; play it with --preset, or name it in a set's [[entry]]")
    problems = Problems(shown, KeyLocator(text))
    base = path.parent
    spec = parse_set(document, path, problems, lambda value: resolve_style(value, base),
                     lambda value: _entry_preset(value, base))
    problems.raise_if_any()
    assert spec is not None
    return spec


def _read_text(path: Path, shown: str) -> str:
    """The set file's text: a regular UTF-8 file up to MAX_SET_BYTES, nested at most MAX_NESTING deep."""
    kind = file_kind(path)
    if kind:
        raise PresetError(f"{shown}: is {kind}, not a set file; give a .toml set file or a folder of presets")
    if not path.is_file():
        raise PresetError(f"{shown}: set file not found; check the path (a .toml set file or a folder of presets)")
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_SET_BYTES + 1)
        text = data.decode("utf-8-sig")
    except OSError as exc:
        raise PresetError(f"{shown}: cannot read the set ({exc.strerror or exc}); check the file") from exc
    except UnicodeDecodeError as exc:
        raise PresetError(f"{shown}: cannot read the set ({exc}); save it as UTF-8 text") from exc
    if len(data) > MAX_SET_BYTES:
        raise PresetError(f"{shown}: the set is over {MAX_SET_BYTES >> 20} MiB; a set lists presets, keep it short")
    offset = scan_toml(text, MAX_NESTING).too_deep_at
    if offset is not None:
        line = text.count("\n", 0, offset) + 1
        raise PresetError(f"{shown}:{line}: tables and arrays nest more than {MAX_NESTING} levels deep;"
                          " flatten the set")
    return text


def _entry_preset(value: str, base: Path) -> Path:
    """An entry's preset: a path relative to the set's folder, a preset beside the set file
    (NAME/ or NAME.toml), else a name on the preset search path."""
    looks_like_path = value.endswith(".toml") or "/" in value or os.sep in value or value.startswith((".", "~"))
    base = base.resolve()  # absolute: resolve_preset reads any string with a "/" as a path
    if looks_like_path:
        return resolve_preset(str(base / Path(value).expanduser()))
    for beside in (base / value, base / f"{value}.toml"):
        if (beside / PRESET_FILE).is_file() or (beside.suffix == ".toml" and beside.is_file()):
            return resolve_preset(str(beside))
    return resolve_preset(value)


def _folder_playlist(folder: Path, shown: str) -> PlaylistSpec:
    """Every preset in `folder` (NAME/preset.toml bundles and NAME.toml files), sorted by
    name, with the default settings of a set file."""
    presets: dict[str, Path] = {}
    for child in sorted(folder.iterdir()):
        if child.name.startswith((".", "__")):
            continue
        if child.is_dir() and (child / PRESET_FILE).is_file():
            presets.setdefault(child.name, child / PRESET_FILE)
        elif child.suffix == ".toml" and child.is_file():
            presets.setdefault(child.stem, child)
    if not presets:
        raise PresetError(f"{shown}: no presets in this folder (NAME/{PRESET_FILE} bundles or NAME.toml files);"
                          " give a folder of presets or a .toml set file")
    entries = tuple(PlaylistEntry(path, name) for name, path in sorted(presets.items()))
    return PlaylistSpec(name=folder.resolve().name, entries=entries, path=folder)
