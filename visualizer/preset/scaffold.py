"""`visualizer presets new NAME`: a preset and its shader from a template that
renders at once."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from visualizer.errors import PresetError
from visualizer.paths import presets_dir, shaders_dir

_TEMPLATES = Path(__file__).parent / "templates"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,47}$")


def scaffold_preset(name: str) -> tuple[Path, Path]:
    """Write presets/NAME.toml and shaders/NAME/scene.glsl; returns their paths."""
    if not _NAME.match(name):
        raise PresetError(f'"{name}": a preset name is lower-case letters, digits and _, starting with a letter')
    preset, shader = presets_dir() / f"{name}.toml", shaders_dir() / name / "scene.glsl"
    for path in (preset, shader):
        if path.exists():
            raise PresetError(f"{path}: already exists; choose another name or edit that preset")
    words = {"name": name, "title": name.replace("_", " ").title()}
    shader.parent.mkdir(parents=True, exist_ok=True)
    shader.write_text(Template((_TEMPLATES / "scene.glsl.tmpl").read_text()).substitute(words))
    preset.write_text(Template((_TEMPLATES / "preset.toml.tmpl").read_text()).substitute(words))
    return preset, shader
