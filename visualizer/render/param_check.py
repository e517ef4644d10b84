"""Preset parameters against the uniforms their shaders declare.

A parameter no shader declares, one declared with another GLSL type, and a
uniform no parameter (or standard uniform) feeds are all errors, each naming
the file and line on both sides. Pure text: no GL needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from visualizer.preset.locate import KeyLocator
from visualizer.preset.spec import PresetSpec
from visualizer.render.shader_source import ShaderSource, SourceLine
from visualizer.render.uniforms import STANDARD_UNIFORMS

_UNIFORM = re.compile(r"^\s*uniform\s+(?:(?:lowp|mediump|highp)\s+)?(\w+)\s+(\w+)\s*(\[\s*\d+\s*\])?\s*;")
_STANDARD = {u.name.partition("[")[0] for u in STANDARD_UNIFORMS}
_SAMPLERS = {"sampler2D", "sampler3D", "samplerCube"}
_INTERNAL = {"uSSAA", "uFlip"}


def declared_uniforms(source: ShaderSource) -> dict[str, tuple[str, SourceLine]]:
    """Uniforms the preset's own files declare: name -> (GLSL type, where)."""
    found: dict[str, tuple[str, SourceLine]] = {}
    for line in source.lines:
        match = _UNIFORM.match(line.text)
        if match and line.file != "<prelude>" and match.group(2) not in _STANDARD:
            array = re.sub(r"\s", "", match.group(3) or "")
            found.setdefault(match.group(2), (match.group(1) + array, line))
    return found


GLSL_TYPES = {"float": "float", "int": "int", "bool": "bool", "color": "vec3", "vec2": "vec2", "choice": "int",
              "palette": "vec3[4]"}
"""The GLSL uniform type each parameter type feeds."""


def param_problems(preset: PresetSpec, sources: Iterable[ShaderSource], shown: str) -> list[str]:
    """Every mismatch between `preset.params` and the shaders' uniforms."""
    declared: dict[str, tuple[str, SourceLine]] = {}
    for source in sources:
        for name, entry in declared_uniforms(source).items():
            declared.setdefault(name, entry)
    locate = _locator(preset)
    params = {param.name: param for param in preset.params}
    problems = []
    for name, param in params.items():
        where = _where(shown, locate, f"params.{name}")
        expected = GLSL_TYPES.get(param.type, param.type)
        if name not in declared:
            problems.append(f'{where}: params.{name}: no shader declares it; add "uniform {expected} {name};"'
                            " to a shader or remove the parameter")
        elif declared[name][0] != expected:
            glsl, line = declared[name]
            problems.append(f"{where}: params.{name}: gives a {expected} but {line.file}:{line.line} declares"
                            f" {glsl}; make the two agree")
    for name, (glsl, line) in declared.items():
        if name not in params and name not in _INTERNAL and glsl not in _SAMPLERS:
            problems.append(f"{line.file}:{line.line}: uniform {glsl} {name} has no value: add {name} to"
                            f" [params] in {shown}")
    return problems


def _locator(preset: PresetSpec) -> KeyLocator | None:
    try:
        return KeyLocator(preset.path.read_text(encoding="utf-8")) if preset.path else None
    except (OSError, UnicodeDecodeError):
        return None


def _where(shown: str, locate: KeyLocator | None, key: str) -> str:
    position = locate.find(key) if locate else None
    return f"{shown}:{position[0]}:{position[1]}" if position else shown
