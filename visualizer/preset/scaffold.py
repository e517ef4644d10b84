"""`visualizer presets new NAME`: a preset bundle, ./presets/NAME/ with its
preset.toml and scene.glsl, from a template that renders at once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from string import Template

from visualizer.atomic import temporary_folder_beside
from visualizer.errors import PresetError
from visualizer.paths import project_presets_dir, shown_path
from visualizer.preset.library import PRESET_FILE

_TEMPLATES = Path(__file__).parent / "templates"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,47}$")


def scaffold_preset(name: str, folder: Path | None = None) -> tuple[Path, Path]:
    """Write FOLDER/NAME/preset.toml and FOLDER/NAME/scene.glsl (FOLDER: ./presets);
    returns their paths."""
    if not _NAME.match(name):
        raise PresetError(f'"{name}": a preset name is lower-case letters, digits and _, starting with a letter')
    bundle = (folder or project_presets_dir()) / name
    if bundle.exists():
        raise PresetError(f"{shown_path(bundle)}: already exists; choose another name or edit that preset")
    words = {"name": name, "title": name.replace("_", " ").title()}
    try:
        bundle.parent.mkdir(parents=True, exist_ok=True)
        temporary = temporary_folder_beside(bundle)
    except OSError as exc:
        raise PresetError(f"{shown_path(bundle)}: cannot create the preset there ({exc.strerror or exc})") from exc
    try:  # written whole in a temporary folder, then renamed into place
        for template, target in (("scene.glsl.tmpl", "scene.glsl"), ("preset.toml.tmpl", PRESET_FILE)):
            text = Template((_TEMPLATES / template).read_text()).substitute(words)
            (temporary / target).write_text(text)
        temporary.chmod(0o755)
        temporary.rename(bundle)
    except BaseException as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        if isinstance(exc, OSError):
            raise PresetError(f"{shown_path(bundle)}: cannot create the preset there ({exc.strerror or exc})") from exc
        raise
    return bundle / PRESET_FILE, bundle / "scene.glsl"
