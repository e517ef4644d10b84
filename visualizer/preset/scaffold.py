"""`visualizer presets new NAME`: a preset bundle, ./presets/NAME/ with its
preset.toml and scene.glsl, from a template that renders at once."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from visualizer.atomic import new_folder
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
        with new_folder(bundle) as temporary:
            for template, target in (("scene.glsl.tmpl", "scene.glsl"), ("preset.toml.tmpl", PRESET_FILE)):
                text = Template((_TEMPLATES / template).read_text()).substitute(words)
                (temporary / target).write_text(text)
    except OSError as exc:
        raise PresetError(f"{shown_path(bundle)}: cannot create the preset there ({exc.strerror or exc})") from exc
    return bundle / PRESET_FILE, bundle / "scene.glsl"
