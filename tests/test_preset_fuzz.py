"""The preset loader under fuzzing: only PresetError ever escapes."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visualizer.errors import PresetError
from visualizer.preset.loader import load_preset

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "visualizer" / "presets" / "mimic_bloom"
VALID = (BUNDLE / "preset.toml").read_text()


def load_or_preset_error(tmp_path: Path, text: str) -> None:
    for shader in BUNDLE.glob("*.glsl"):  # the bundle's shaders beside it, as shipped
        if not (tmp_path / shader.name).exists():
            shutil.copy(shader, tmp_path)
    path = tmp_path / "fuzz.toml"
    path.write_bytes(text.encode("utf-8", errors="replace"))
    try:
        load_preset(path)
    except PresetError:
        pass


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(start=st.integers(0, len(VALID)), length=st.integers(0, 40),
       insert=st.text(alphabet=st.sampled_from(list('[]{}=",.#\n 0123456789abcdefxyz_-+trueflsTRUE\\\'')), max_size=30))
def test_mutated_valid_presets(tmp_path, start, length, insert):
    load_or_preset_error(tmp_path, VALID[:start] + insert + VALID[start + length:])


toml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def to_toml(value) -> str:
    """A rough TOML rendering of random data (invalid TOML is fine: it must fail cleanly)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {to_toml(v)}' for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '""'
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


@SETTINGS
@given(tables=st.dictionaries(st.sampled_from(["meta", "params", "passes", "modulations", "triggers", "post", "extra"]),
                              st.dictionaries(st.text(min_size=1, max_size=8), toml_values, max_size=5), max_size=5),
       arrays=st.lists(st.dictionaries(st.sampled_from(["param", "source", "shader", "target", "amount", "every",
                                                          "action", "inputs", "format", "feedback", "size"]),
                                       toml_values, max_size=6), max_size=3))
def test_random_documents(tmp_path, tables, arrays):
    lines = []
    for name, table in tables.items():
        lines.append(f"[{name}]")
        lines += [f'"{key}" = {to_toml(value)}' for key, value in table.items()]
    for entry in arrays:
        lines.append("[[passes]]" if "shader" in entry else "[[modulations]]")
        lines += [f"{key} = {to_toml(value)}" for key, value in entry.items()]
    load_or_preset_error(tmp_path, "\n".join(lines))


field_values = toml_values | st.sampled_from(["float", "int", "bool", "color", "vec2", "choice", "palette", "bass",
                                               "lfo", "random", "toggle", "step", "bar", "smooth", "a.glsl"])


@SETTINGS
@given(params=st.dictionaries(st.sampled_from(["a", "b"]),
                              st.dictionaries(st.sampled_from(["type", "default", "min", "max", "step", "choices"]),
                                              field_values, max_size=6), max_size=2),
       mods=st.lists(st.dictionaries(st.sampled_from(["param", "source", "amount", "curve", "attack", "to",
                                                        "shape", "period", "range"]), field_values, max_size=7),
                     max_size=2),
       triggers=st.lists(st.dictionaries(st.sampled_from(["param", "action", "on", "every", "min", "max"]),
                                         field_values, max_size=6), max_size=2))
def test_random_parameters_modulations_and_triggers(tmp_path, params, mods, triggers):
    lines = []
    for name, table in params.items():
        lines.append(f"[params.{name}]")
        lines += [f"{key} = {to_toml(value)}" for key, value in table.items()]
    for kind, entries in (("modulations", mods), ("triggers", triggers)):
        for entry in entries:
            lines.append(f"[[{kind}]]")
            lines += [f"{key} = {to_toml(value)}" for key, value in entry.items()]
    lines += ["[[passes]]", 'shader = "nope.glsl"', 'target = "output"']
    load_or_preset_error(tmp_path, "\n".join(lines))


@SETTINGS
@given(chain=st.lists(st.sampled_from(["bloom", "tonemap", "grain", "vignette", "chromatic", "blom", ""]) | toml_values,
                      max_size=4) | toml_values,
       settings=st.dictionaries(st.sampled_from(["bloom", "grain", "vignette", "other"]),
                                st.dictionaries(st.sampled_from(["amount", "strength", "radius", "x"]), field_values,
                                                max_size=3) | field_values, max_size=3))
def test_random_post_chains(tmp_path, chain, settings):
    lines = ["[[passes]]", 'shader = "nope.glsl"', 'target = "output"', "[post]", f"chain = {to_toml(chain)}"]
    lines += [f"{name} = {to_toml(value)}" for name, value in settings.items()]
    load_or_preset_error(tmp_path, "\n".join(lines))


@SETTINGS
@given(pieces=st.lists(st.sampled_from(["[", "]", "{", "}", "[[", "]]", '"""', "'''", '"', "'", "#", "\n", ".", "=",
                                        ",", "a", "1", "\\", " ", "x = ", "[meta]\n", "tags = "]), max_size=200),
       depth=st.integers(0, 60), opener=st.sampled_from(["[", "{a = ", "a.", "[{b = "]))
def test_bracket_soup_and_deep_nesting(tmp_path, pieces, depth, opener):
    """Strings, comments, brackets and dotted keys in any order, some nested past the
    limit: the nesting scan and the locator never fail any other way."""
    load_or_preset_error(tmp_path, "".join(pieces) + "\nx = " + opener * depth + "1\n")
