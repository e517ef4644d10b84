"""`save_params`: values written back into a preset TOML, nothing else touched."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from visualizer.errors import PresetError
from visualizer.preset.loader import load_preset
from visualizer.preset.save import save_params

ROOT = Path(__file__).resolve().parent.parent

FULL = """\
# A test scene: every kind of parameter.
[meta]
name = "Full"   # kept

[params]
exposure = 1    # an int literal for a float: left alone unless changed
tint = [1.0, 0.0, 0.0]   # shorthand color
offset = [0.0, 0.5]      # shorthand vec2

# The spread, in full form.
[params.spread]
type = "float"
default = 0.15   # start here
min = 0.05
max = 0.6
group = "Shape"

[params.rings]
type = "choice"
default = "few"
choices = ["few", "many", "swarm"]

[params.count]
type = "int"
default = 3
min = 1
max = 9

[params.strobe]
type = "bool"
default = false

[params.inline]
type = "float"
default = 0.5

[[passes]]
shader = "full.glsl"   # next to the preset
target = "output"
"""

SHADER = """\
uniform float exposure;
uniform vec3 tint;
uniform vec2 offset;
uniform float spread;
uniform int rings;
uniform int count;
uniform bool strobe;
uniform float inline;
void main() { fragColor = vec4(tint * exposure * spread * float(rings + count) + vec3(offset, inline), strobe ? 1.0 : 0.5); }
"""


@pytest.fixture
def mimic(tmp_path) -> Path:
    shutil.copytree(ROOT / "visualizer" / "presets" / "mimic_bloom", tmp_path / "mimic_bloom")
    return tmp_path / "mimic_bloom" / "preset.toml"


@pytest.fixture
def full(tmp_path) -> Path:
    (tmp_path / "full.glsl").write_text(SHADER)
    path = tmp_path / "full.toml"
    path.write_text(FULL)
    return path


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new) if a != b]


def test_round_trip_changes_only_the_two_values(mimic):
    before = mimic.read_text()
    spec = load_preset(mimic)
    values = {p.name: p.default for p in spec.params}  # everything, as the editor holds it
    values.update(hueJump=0.25, echoGrow=0.7, vignette_amount=0.9)  # the last a [post.vignette] setting
    save_params(mimic, values, spec.params)
    after = mimic.read_text()
    assert _changed_lines(before, after) == [
        ("default = 0.08\n", "default = 0.25\n"),  # [params.hueJump]
        ("default = 0.35\n", "default = 0.7\n"),  # [params.echoGrow]
        ("amount = 0.75\n", "amount = 0.9\n"),  # [post.vignette]
    ]
    assert "[params.hueJump]  # hue step (turns) per full-strength kick" in after
    assert "# 1. Musical state: kicks, petal spring, hue (3 texels, remembers itself)." in after
    reloaded = {p.name: p.default for p in load_preset(mimic).params}
    assert reloaded == values


def test_unchanged_values_leave_the_file_byte_identical(full):
    before = full.read_bytes()
    spec = load_preset(full)
    save_params(full, {p.name: p.default for p in spec.params}, spec.params)
    assert full.read_bytes() == before


def test_full_tables_choices_and_vectors(full):
    spec = load_preset(full)
    save_params(full, {"spread": 0.4, "rings": 2, "count": 7, "strobe": True, "tint": (0.0, 0.5, 1.0),
                       "offset": (0.25, -0.5), "exposure": 1.5}, spec.params)
    text = full.read_text()
    document = tomllib.loads(text)
    params = document["params"]
    assert params["spread"] == {"type": "float", "default": 0.4, "min": 0.05, "max": 0.6, "group": "Shape"}
    assert params["rings"]["default"] == "swarm"  # a choice is saved by name
    assert params["count"]["default"] == 7 and isinstance(params["count"]["default"], int)
    assert params["strobe"]["default"] is True
    assert params["tint"] == [0.0, 0.5, 1.0] and params["offset"] == [0.25, -0.5]
    assert params["exposure"] == 1.5
    for comment in ("# A test scene: every kind of parameter.", "# The spread, in full form.",
                    "default = 0.4   # start here", "# shorthand color", "# shorthand vec2",
                    'shader = "full.glsl"   # next to the preset'):
        assert comment in text
    loaded = {p.name: p.default for p in load_preset(full).params}
    assert loaded["spread"] == 0.4 and loaded["rings"] == 2 and loaded["tint"] == (0.0, 0.5, 1.0)


def test_choice_by_name_and_inline_tables(tmp_path):
    (tmp_path / "full.glsl").write_text(SHADER)
    path = tmp_path / "inline.toml"
    path.write_text(FULL.replace('[params.inline]\ntype = "float"\ndefault = 0.5\n', "")
                    .replace("offset = [0.0, 0.5]", 'offset = [0.0, 0.5]\ninline = { type = "float", default = 0.5 }'))
    spec = load_preset(path)
    save_params(path, {"inline": 0.75, "rings": "many"}, spec.params)
    text = path.read_text()
    assert 'inline = {type = "float", default = 0.75}' in text.replace("{ ", "{").replace(" }", "}")
    assert load_preset(path).params[[p.name for p in spec.params].index("rings")].default == 1


def test_save_as_writes_a_new_file_and_leaves_the_original(full, tmp_path):
    before = full.read_bytes()
    spec = load_preset(full)
    copy = tmp_path / "copy.toml"
    save_params(full, {"spread": 0.3}, spec.params, target=copy)
    assert full.read_bytes() == before
    assert tomllib.loads(copy.read_text())["params"]["spread"]["default"] == 0.3
    assert [p.default for p in load_preset(copy).params if p.name == "spread"] == [0.3]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []  # no temp files left


def test_crlf_line_endings_are_kept(full):
    full.write_bytes(full.read_bytes().replace(b"\n", b"\r\n"))
    spec = load_preset(full)
    save_params(full, {"count": 4}, spec.params)
    data = full.read_bytes()
    assert b"default = 4\r\n" in data and data.count(b"\n") == data.count(b"\r\n")


@pytest.mark.parametrize(("values", "message"), [
    ({"nope": 1.0}, 'unknown parameter "nope"'),
    ({"count": 2.5}, "expected a whole number"),
    ({"rings": 5}, "out of range"),
    ({"tint": (1.0, 0.0)}, "expected 3 numbers"),
])
def test_bad_values_are_errors_and_leave_the_file(full, values, message):
    before = full.read_bytes()
    spec = load_preset(full)
    with pytest.raises(PresetError, match=message):
        save_params(full, values, spec.params)
    assert full.read_bytes() == before


def test_modulation_amounts(full):
    full.write_text(FULL + '\n[[modulations]]\nparam = "spread"   # the kick opens it\nsource = "bass_hit"\n'
                           'amount = 0.5   # half way\n\n[[modulations]]\nparam = "offset"\nsource = "lfo"\n')
    spec = load_preset(full)
    save_params(full, {}, spec.params, modulation_amounts={0: 0.25, 1: (0.1, 0.2)})
    text = full.read_text()
    assert "amount = 0.25   # half way\n" in text and "# the kick opens it" in text
    assert [m.amount for m in load_preset(full).modulations] == [0.25, (0.1, 0.2)]


def test_palettes_save_by_name_or_as_rows(tmp_path):
    path = tmp_path / "pal.toml"
    path.write_text('[params.colors]  # the colours\ntype = "palette"\ndefault = "sunset"\n')
    from visualizer.preset.modulation_spec import ParamSpec

    colors = ParamSpec("colors", "palette", "sunset")
    save_params(path, {"colors": "ocean"}, [colors])
    assert tomllib.loads(path.read_text())["params"]["colors"]["default"] == "ocean"
    rows = ((0.5, 0.5, 0.5), (0.5, 0.5, 0.5), (1.0, 1.0, 1.0), (0.0, 0.1, 0.2))
    save_params(path, {"colors": rows}, [colors])
    text = path.read_text()
    assert tomllib.loads(text)["params"]["colors"]["default"] == [list(row) for row in rows]
    assert text.startswith("[params.colors]  # the colours\n")
