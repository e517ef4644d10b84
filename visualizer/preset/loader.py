"""Read a preset TOML file into a `PresetSpec`, reporting every problem at once.

Errors read `presets/x/preset.toml:12:1: passes[1].format: expected one of ..., got "rgb"`.
Which file a name means: `visualizer.preset.library`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from visualizer.errors import PresetError
from visualizer.paths import file_kind, shaders_dir, shown_path
from visualizer.preset.library import DEFAULT_PRESET, available_presets, preset_name, resolve_preset
from visualizer.preset.locate import KeyLocator
from visualizer.preset.toml_guard import check_nesting, read_preset_text
from visualizer.preset.post import post_chain
from visualizer.preset.problems import Problems, syntax_error
from visualizer.printable import printable, quoted
from visualizer.preset.params_parse import parse_modulations, parse_params, parse_triggers, semantic_problems
from visualizer.preset.spec import (
    BUILTIN_SOURCES,
    OUTPUT_TARGET,
    SAMPLER_NAMES,
    TARGET_FORMATS,
    PassSpec,
    PresetSpec,
    TargetSpec,
)

__all__ = ["DEFAULT_PRESET", "available_presets", "load_preset", "resolve_preset", "shown_path"]
"""Also re-exported: names and paths (`library`, `paths`) for callers that load presets."""

MAX_HISTORY_SECONDS = 600.0
_TOP_KEYS = ("meta", "params", "modulations", "triggers", "post", "passes")
_META_KEYS = ("name", "description", "author", "tags", "seed", "history")
_PASS_KEYS = ("shader", "target", "format", "scale", "size", "feedback", "inputs")


def load_preset(name_or_path: str | Path | None = None) -> PresetSpec:
    """Load and check a preset (a `Path` is always a path, even `big`: a folder
    here); raises `PresetError` listing every problem."""
    if isinstance(name_or_path, Path) and not name_or_path.is_absolute():
        name_or_path = os.path.join(".", name_or_path)  # resolve_preset reads "./big" as a path
    path = resolve_preset(str(name_or_path) if name_or_path is not None else None)
    shown = printable(shown_path(path))
    text = read_preset_text(path, shown)
    check_nesting(text, shown)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(syntax_error(shown, str(exc))) from exc
    problems = Problems(shown, KeyLocator(text))
    spec = _parse(document, path, problems)
    problems.raise_if_any()
    return spec


def _parse(document: dict[str, Any], path: Path, problems: Problems) -> PresetSpec:
    problems.unknown_keys(document, _TOP_KEYS, "")
    meta = _table(document, "meta", problems)
    problems.unknown_keys(meta, _META_KEYS, "meta.")
    passes_raw = document.get("passes")
    if not isinstance(passes_raw, list) or not passes_raw:
        problems.add("passes", "expected at least one [[passes]] table")
        passes_raw = []
    passes = tuple(
        spec
        for index, raw in enumerate(passes_raw)
        if (spec := _parse_pass(raw, index, path, problems)) is not None
    )
    if passes and passes[-1].target.name != OUTPUT_TARGET:
        problems.add(f"passes[{len(passes)}].target", f'the last pass must draw "{OUTPUT_TARGET}"')
    post_params: list = []
    if "post" in document:
        passes, post_params = post_chain(_table(document, "post", problems), passes, problems)
    return PresetSpec(
        name=_typed(meta, "name", str, preset_name(path), "meta.", problems),
        description=_typed(meta, "description", str, "", "meta.", problems),
        author=_typed(meta, "author", str, "", "meta.", problems),
        tags=_tags(meta, problems),
        seed=_typed(meta, "seed", int, 0, "meta.", problems),
        history=_history(meta, problems),
        **_parse_music(document, problems, post_params),
        passes=passes,
        path=path,
    )


def _tags(meta: dict, problems: Problems) -> tuple[str, ...]:
    """`meta.tags`: a list of strings (shown by presets list and show)."""
    tags = _typed(meta, "tags", list, [], "meta.", problems)
    wrong = next((tag for tag in tags if not isinstance(tag, str)), None)
    if wrong is not None:
        problems.add("meta.tags", f"expected a list of strings, got {_describe(wrong)} among them")
        return ()
    return tuple(tags)


def _history(meta: dict, problems: Problems) -> float | None:
    """`meta.history`: seconds of past frames the preset's feedback remembers, 0..600."""
    if "history" not in meta:
        return None
    value = _typed(meta, "history", float, None, "meta.", problems)
    if value is not None and not 0.0 <= value <= MAX_HISTORY_SECONDS:
        problems.add("meta.history", f"expected seconds from 0 to {MAX_HISTORY_SECONDS:g}, got {value:g}")
        return None
    return value


def _parse_music(document: dict, problems: Problems, post_params: list) -> dict:
    """Parameters (the preset's and its post chain's), modulations and triggers,
    checked against each other."""
    params = parse_params(_table(document, "params", problems), problems)
    taken = {param.name for param in params}
    for param in post_params:
        if param.name in taken:
            problems.add(f"params.{param.name}", "is also a post-chain setting; rename the parameter")
    params = (*params, *(param for param in post_params if param.name not in taken))
    modulations = parse_modulations(document.get("modulations"), problems)
    triggers = parse_triggers(document.get("triggers"), problems)
    semantic_problems(params, modulations, triggers, problems)
    return {"params": params, "modulations": modulations, "triggers": triggers}


def _table(document: dict, key: str, problems: Problems) -> dict:
    value = document.get(key, {})
    if not isinstance(value, dict):
        problems.add(key, f"expected a table, got {_describe(value)}")
        return {}
    return value


def _typed(table: dict, key: str, kind: type, default: Any, prefix: str, problems: Problems):
    value = table.get(key, default)
    ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not ok:
        problems.add(f"{prefix}{key}", f"expected {_KIND_NAMES[kind]}, got {_describe(value)}")
        return default
    return value


_KIND_NAMES = {str: "a string", list: "a list", int: "an integer", float: "a number",
               bool: "true or false", dict: "a table"}


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _parse_pass(raw: Any, index: int, path: Path, problems: Problems) -> PassSpec | None:
    prefix = f"passes[{index + 1}]."
    if not isinstance(raw, dict):
        problems.add(f"passes[{index + 1}]", "expected a table")
        return None
    problems.unknown_keys(raw, _PASS_KEYS, prefix)
    shader = _shader_path(_typed(raw, "shader", str, "", prefix, problems), path, prefix, problems)
    target = _typed(raw, "target", str, "", prefix, problems)
    fmt = _typed(raw, "format", str, "rgba8", prefix, problems)
    if fmt not in TARGET_FORMATS:
        problems.add(f"{prefix}format", f"expected one of {', '.join(TARGET_FORMATS)}, got \"{fmt}\"")
        fmt = "rgba8"
    scale = _typed(raw, "scale", float, 1.0, prefix, problems)
    if not 0.0 < scale <= 4.0:
        problems.add(f"{prefix}scale", f"expected a number in (0, 4], got {scale}")
    if not target:
        problems.add(f"{prefix}target", 'expected a target name such as "output"')
    inputs = _parse_inputs(_typed(raw, "inputs", dict, {}, prefix, problems), prefix, problems)
    size = _parse_size(raw.get("size"), prefix, problems)
    feedback = _typed(raw, "feedback", bool, False, prefix, problems)
    if shader is None:
        return None
    return PassSpec(shader, TargetSpec(target, fmt, scale, size, feedback), inputs)  # type: ignore[arg-type]


def _parse_inputs(table: dict, prefix: str, problems: Problems) -> tuple[tuple[str, str], ...]:
    problems.unknown_keys(table, SAMPLER_NAMES, f"{prefix}inputs.")
    for key, value in table.items():
        if key in SAMPLER_NAMES and not isinstance(value, str):
            problems.add(f"{prefix}inputs.{key}", f"expected a target name or {', '.join(BUILTIN_SOURCES)},"
                                                  f" got {_describe(value)}")
    return tuple((k, v) for k, v in table.items() if k in SAMPLER_NAMES and isinstance(v, str))


def _parse_size(value: Any, prefix: str, problems: Problems) -> tuple[int, int] | None:
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 16384 for v in value)
    ):
        return value[0], value[1]
    problems.add(f"{prefix}size", f"expected [width, height] in pixels, got {_describe(value)}")
    return None


def _not_a_shader(given: Path, real: Path, root: Path) -> str | None:
    """Why `given` (resolving to `real`), which exists, is no shader file of `root`; None if
    nothing is there. A FIFO is never opened (it would block)."""
    if not os.path.lexists(given):
        return None
    if not real.is_relative_to(root):
        return (f"is a link to {printable(shown_path(real))}, outside the preset's folder; shaders must stay"
                " inside the preset's folder or the shader library" if given.is_symlink() else None)
    kind = file_kind(real)
    return f"is {kind}, not a regular file" if kind else None


def _shader_path(value: str, preset: Path, prefix: str, problems: Problems) -> Path | None:
    """Shader paths resolve inside the preset's folder, then the shared shader
    library (shaders/ of the package), never outside them."""
    if not value:
        problems.add(f"{prefix}shader", "expected a shader file path relative to the preset's folder")
        return None
    roots = (preset.parent.resolve(), shaders_dir().resolve())
    reasons = []
    for root in roots:
        candidate = (root / value).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
        reasons.append(_not_a_shader(root / value, candidate, root))
    escapes = all(not (root / value).resolve().is_relative_to(root) for root in roots)
    reason = next((r for r in reasons if r), None) or (
        "must stay inside the preset's folder or the shader library" if escapes else "file not found")
    problems.add(f"{prefix}shader", f'{quoted(value)}: {reason}; paths are relative to the preset\'s folder'
                 " or the shader library")
    return None
