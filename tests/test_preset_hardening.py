"""Hostile preset files through `visualizer presets validate|show|list` as a user
types them: a linear key locator, bounded nesting and size, every printed
field type-checked, and preset text that cannot steer the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from visualizer.cli.main import main
from visualizer.errors import PresetError
from visualizer.preset.locate import KeyLocator, table_header
from visualizer.preset.toml_guard import MAX_NESTING, MAX_PRESET_BYTES, check_nesting, scan_toml

SHADER = "void mainImage(out vec4 color, in vec2 pixel) { color = vec4(0.2, 0.4, 0.6, 1.0); }\n"
PASS = '\n[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n'


def preset_text(meta: str = "", tail: str = "") -> str:
    return '[meta]\nname = "Test"\nhistory = 0\n' + meta + PASS + tail


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project folder as the current folder (its presets/ first on the search path)."""
    (tmp_path / "presets").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def bundle(project: Path, name: str, text: str | bytes, shader: str = SHADER, shader_name: str = "scene.glsl"):
    folder = project / "presets" / name
    folder.mkdir()
    (folder / "preset.toml").write_bytes(text.encode() if isinstance(text, str) else text)
    (folder / shader_name).write_text(shader)
    return folder


@pytest.fixture
def cli(capsys):
    """Run `visualizer ARGS...` in this process: (exit status, stdout, stderr)."""
    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as stop:
            main(list(args))
        out = capsys.readouterr()
        return stop.value.code, out.out, out.err
    return run


def assert_refused(result: tuple[int, str, str], where: str) -> list[str]:
    """Exit 2, exactly one `error:` line, a line naming `where`, no traceback."""
    status, out, err = result
    lines = err.splitlines()
    assert status == 2, err
    assert "Traceback" not in err and "Traceback" not in out
    assert len([line for line in lines if line.startswith("error: ")]) == 1, err
    assert any(where in line for line in lines), err
    return lines


# The key locator: linear, and blind to the lines of multi-line strings.

PATHOLOGICAL_LINES = {
    "bracket-then-spaces": "[" + " " * 1_000_000 + "x!",
    "bracket-then-words": "[" + "a " * 500_000,
    "many-brackets": "[" * 1_000_000,
    "inline-table-of-one-long-key": "x = {" + "a" * 1_000_000,
    "key-then-spaces": "a" + " " * 1_000_000 + "b",
    "quoted-key-never-closed": '"' + "a" * 1_000_000,
}


@pytest.mark.parametrize("line", PATHOLOGICAL_LINES.values(), ids=PATHOLOGICAL_LINES.keys())
def test_the_locator_reads_megabyte_lines_that_used_to_backtrack(line):
    """Each line here took the old header regex longer than the suite's life (cubic);
    now every pattern is a single class or literal, so this returns."""
    text = f'[meta]\ndescription = """\n{line}\n"""\ntags = ["x"]\n'
    assert KeyLocator(text).find("meta.tags") == (5, 1)
    KeyLocator(line)


def test_the_locator_skips_lines_inside_multiline_strings():
    text = '[meta]\ndescription = """\n[passes]\nname = "fake"\n"""\nname = "real"\n[[passes]]\nshader = "a"\n'
    locator = KeyLocator(text)
    assert locator.find("meta.name") == (6, 1)
    assert locator.find("passes[1].shader") == (8, 1)
    assert locator.find("passes") is None


@pytest.mark.parametrize("line, header", [
    ("[meta]", ("meta", False, 1)), ("  [[passes]]  # one", ("passes", True, 3)),
    ('[params."a b"]', ("params.a b", False, 1)), ("[meta] x", None), ("[[passes]", None), ("[a[b]]", None),
])
def test_table_headers(line, header):
    assert table_header(line) == header


def test_validate_takes_a_description_with_a_100_kb_line_starting_with_a_bracket(project, cli):
    meta = 'description = """\nFine.\n[' + " x" * 50_000 + '\n"""\n'
    bundle(project, "long", preset_text(meta))
    status, out, err = cli("presets", "validate", "presets/long")
    assert status == 0, err
    assert out == "ok  presets/long\n"


# Nesting and size, refused before tomllib sees them.

DEEP = {
    "arrays": ("x = " + "[" * 100_000 + "]" * 100_000, 4, 36),
    "inline-tables": ("x = " + "{a = " * 100_000 + "1" + "}" * 100_000, 4, 160),
    "dotted-key": ("a" + ".a" * 100_000 + " = 1", 4, 64),
    "table-header": ("[a" + ".a" * 100_000 + "]", 4, 65),
    "array-of-tables-header": ("[[a" + ".a" * 100_000 + "]]", 4, 66),
    "arrays-of-inline-tables": ("x = " + "[{a = " * 50_000, 4, 96),
}
"""Each under [meta] (one level already); the column is where the 33rd level opens."""


@pytest.mark.parametrize("command", ["validate", "show"])
@pytest.mark.parametrize("line, row, column", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_one_line_naming_where(project, cli, command, line, row, column):
    bundle(project, "deep", '[meta]\nname = "Deep"\nhistory = 0\n' + line + "\n" + PASS)
    target = "presets/deep" if command == "validate" else "deep"
    lines = assert_refused(cli("presets", command, target), f"presets/deep/preset.toml:{row}:{column}:")
    assert any(f"nest more than {MAX_NESTING} levels deep" in line for line in lines)


def test_a_deep_preset_is_listed_as_not_loading(project, cli):
    bundle(project, "deep", preset_text(tail="x = " + "[" * 100_000 + "]" * 100_000 + "\n"))
    status, out, err = cli("presets", "list")
    assert status == 0, err
    row = next(line for line in out.splitlines() if line.startswith("deep "))
    assert "does not load" in row and "nest more than" in row


def test_nesting_up_to_the_limit_is_fine_and_one_more_is_not():
    fine = "x = " + "[" * MAX_NESTING + "]" * MAX_NESTING
    check_nesting(fine, "p.toml")
    with pytest.raises(PresetError, match=r"^p\.toml:1:37: tables, arrays and dotted keys nest more than 32"):
        check_nesting("x = " + "[" * (MAX_NESTING + 1), "p.toml")


def test_brackets_in_strings_and_comments_do_not_count():
    text = ('a = "' + "[" * 1000 + '"\nb = \'' + "{" * 1000 + "'\n# " + "[" * 1000 + '\nc = """\n' + "[" * 1000
            + '\n"""\nd = \'\'\'' + "[" * 1000 + "'''\ne = \"\\\"[[[[\"\nf = \"\"\"x\"\"\"\"\ng = [[1]]\n")
    assert scan_toml(text).deepest == 2
    check_nesting(text, "p.toml")


def test_the_shipped_preset_nests_shallowly():
    text = (Path(__file__).resolve().parent.parent / "visualizer/presets/mimic_bloom/preset.toml").read_text()
    assert scan_toml(text).deepest <= 3


def test_a_preset_over_one_mebibyte_is_refused_unread(project, cli):
    bundle(project, "huge", preset_text() + "# " + "x" * MAX_PRESET_BYTES + "\n")
    lines = assert_refused(cli("presets", "validate", "presets/huge"), "presets/huge/preset.toml: the preset is over 1 MiB")
    assert len(lines) == 2


# Every field show and list print is type-checked.

WRONG_TYPES = {
    "tags-mixed": ('tags = [1, {a=1}]\n', "", "meta.tags: expected a list of strings, got 1 among them"),
    "tags-a-string": ('tags = "x"\n', "", 'meta.tags: expected a list, got "x"'),
    "name-a-number": ("", "", None),
    "description-a-list": ('description = [1]\n', "", "meta.description: expected a string, got a list"),
    "author-a-table": ("author = {a = 1}\n", "", "meta.author: expected a string, got a table"),
    "param-label": ("", '[params.gain]\ntype = "float"\ndefault = 1.0\nlabel = 1\n', "params.gain.label: expected a string, got 1"),
    "param-group": ("", '[params.gain]\ntype = "float"\ndefault = 1.0\ngroup = [1]\n', "params.gain.group: expected a string, got a list"),
    "param-choices": ("", '[params.mode]\ntype = "choice"\ndefault = 0\nchoices = [1, 2]\n', "params.mode.choices: expected a list of names"),
    "param-name-markup": ("", '[params]\n"a[/x]" = 1.0\n', "params.a[/x]: a parameter's name is the name of its uniform"),
    "param-name-space": ("", '[params]\n"a b" = 1.0\n', "params.a b: a parameter's name is the name of its uniform"),
}


@pytest.mark.parametrize("meta, tail, message", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_wrong_types_of_printed_fields_are_refused_by_validate_show_and_list(project, cli, meta, tail, message):
    text = preset_text(meta, tail)
    if message is None:
        text, message = text.replace('name = "Test"', "name = 3"), "meta.name: expected a string, got 3"
    bundle(project, "wrong", text)
    lines = assert_refused(cli("presets", "validate", "presets/wrong"), "presets/wrong/preset.toml:")
    assert any(message in line for line in lines), lines
    assert_refused(cli("presets", "show", "wrong"), message)
    status, out, _ = cli("presets", "list")
    assert status == 0 and "does not load" in next(line for line in out.splitlines() if line.startswith("wrong "))


def test_an_input_that_is_not_a_name_is_refused(project, cli):
    text = preset_text().replace('target = "output"', 'target = "output"\ninputs = { iChannel0 = 1 }')
    bundle(project, "inputs", text)
    lines = assert_refused(cli("presets", "validate", "presets/inputs"), "presets/inputs/preset.toml:8:12:")
    assert any("passes[1].inputs.iChannel0: expected a target name or audio, bands, spectrogram, got 1" in line
               for line in lines)


# Preset text is printed, never interpreted by the terminal or by rich.

HOSTILE = "[/x][bold]\x1b[2J\x1b[31mred\x1b]0;title\x07\rback\u202egnp.exe\x08"
STEERING = ("\x1b", "\x07", "\r", "\u202e", "\x08")


def toml_string(text: str) -> str:
    """`text` inside a TOML basic string: control characters as \\uXXXX escapes."""
    return "".join(f"\\u{ord(c):04x}" if ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or c in '"\\\u202e' else c
                   for c in text)


def hostile_preset() -> str:
    toml = toml_string(HOSTILE)
    meta = f'description = "{toml}"\nauthor = "{toml}"\ntags = ["{toml}", "fine"]\n'
    tail = (f'[params.gain]\ntype = "float"\ndefault = 1.0\nmin = 0.0\nmax = 2.0\ngroup = "{toml}"\n'
            f'[params.mode]\ntype = "choice"\ndefault = 0\nchoices = ["{toml}", "b"]\n')
    return preset_text(meta, tail).replace('name = "Test"', f'name = "{toml}"')


def test_show_prints_every_field_literally(project, cli):
    shader = "uniform float gain;\nuniform int mode;\n" + SHADER
    bundle(project, "hostile", hostile_preset(), shader=shader)
    status, out, err = cli("presets", "show", "hostile")
    assert status == 0, err
    assert not any(char in out for char in STEERING)
    # the name, a tag, the description, a parameter's group and a choice: as written, escaped
    assert out.count("[/x][bold]\\x1b[2J\\x1b[31mred\\x1b]0;title") == 5


def test_list_prints_names_tags_descriptions_and_paths_literally(project, cli):
    folder = bundle(project, "hostile", hostile_preset(), shader="uniform float gain;\nuniform int mode;\n" + SHADER)
    folder.rename(project / "presets" / "odd[bold]\x1bname")
    status, out, err = cli("presets", "list")
    assert status == 0, err
    assert not any(char in out for char in STEERING)
    row = next(line for line in out.splitlines() if line.startswith("odd[bold]\\x1bname "))
    assert "presets/odd[bold]\\x1bname/preset.toml" in row and "[/x][bold]\\x1b[2J" in row


def test_a_shader_file_named_with_markup_is_shown_as_named(project, cli):
    text = preset_text().replace('shader = "scene.glsl"', 'shader = "[red]x[bold].glsl"')
    bundle(project, "named", text, shader_name="[red]x[bold].glsl")
    status, out, err = cli("presets", "show", "named")
    assert status == 0, err
    assert "[red]x[bold].glsl" in out


def test_error_lines_escape_what_they_quote(project, cli):
    bad_key = "\\u001b[31mkey\\r"
    text = preset_text(f'"{bad_key}" = 1\ntags = ["\\u001b[2J", 3]\n')
    bundle(project, "escapes", text)
    status, out, err = cli("presets", "validate", "presets/escapes")
    assert status == 2 and not any(char in err for char in STEERING), err
    assert 'presets/escapes/preset.toml:1:1: meta.\\x1b[31mkey\\r: unknown key; known: name,' in err
    assert 'presets/escapes/preset.toml:5:1: meta.tags: expected a list of strings, got 3 among them' in err


def test_long_values_are_cut_in_error_lines(project, cli):
    bundle(project, "long", preset_text(f'tags = ["{"x" * 5000}", 1]\nseed = "{"y" * 5000}"\n'))
    status, _, err = cli("presets", "validate", "presets/long")
    assert status == 2
    assert max(len(line) for line in err.splitlines()) < 200
    assert 'meta.seed: expected an integer, got "yyyy' in err and 'yyy..."' in err


def test_unknown_preset_names_are_escaped(cli):
    _, _, err = cli("presets", "show", "nosuch\x1b[2J")
    assert 'unknown preset "nosuch\\x1b[2J"' in err and "\x1b" not in err


# Numbers stay finite, and int parameters inside a GLSL int (an upload past 32 bits was a
# traceback mid-render).

INT_CASES = {
    "default": ('[params.count]\ntype = "int"\ndefault = 99999999999999999999\n',
                "params.count.default: 99999999999999999999 is past the 32-bit range of a GLSL int"),
    "max": ('[params.count]\ntype = "int"\ndefault = 1\nmin = 0\nmax = 1e20\n',
            "params.count.max: 1e+20 is past the 32-bit range of a GLSL int"),
    "modulated-without-range": ('[params.count]\ntype = "int"\ndefault = 1\n'
                                '[[modulations]]\nparam = "count"\nsource = "lfo"\namount = 1e10\n',
                                "params.count: modulations can move it to 1e+10, past the 32-bit range of a GLSL int;"
                                " give it min and max"),
    "nan-default": ("[params]\ncount = nan\n", "params.count.default: expected a number, got nan"),
    "infinite-colour": ("[params]\ncount = [1.0, inf, 0.0]\n", "params.count.default: expected 3 numbers"),
    "infinite-bound": ('[params.count]\ntype = "float"\ndefault = 1.0\nmax = inf\n',
                       "params.count.max: expected a finite number, got inf"),
    "trigger-range": ('[params.count]\ntype = "int"\ndefault = 1\n'
                      '[[triggers]]\nparam = "count"\naction = "random"\nmin = 0\nmax = 1e12\n',
                      "triggers[1].action: min and max must stay in the 32-bit range of a GLSL int"),
}


@pytest.mark.parametrize("tail, message", INT_CASES.values(), ids=INT_CASES.keys())
def test_numbers_are_finite_and_ints_inside_32_bits(project, cli, tail, message):
    bundle(project, "ints", preset_text(tail=tail), shader="uniform int count;\n" + SHADER)
    lines = assert_refused(cli("presets", "validate", "presets/ints"), "presets/ints/preset.toml:")
    assert any(message in line for line in lines), lines


def test_a_byte_order_mark_is_dropped_from_presets_and_shaders(tmp_path):
    from visualizer.preset.loader import load_preset
    from visualizer.render.shader_source import assemble

    bundle = tmp_path / "bom"
    bundle.mkdir()
    (bundle / "preset.toml").write_bytes(
        b'\xef\xbb\xbf[meta]\nname = "bom"\nhistory = 0\n[[passes]]\nshader = "s.glsl"\ntarget = "output"\n')
    (bundle / "s.glsl").write_bytes(b"\xef\xbb\xbfvoid main() { fragColor = vec4(1.0); }\n")
    spec = load_preset(bundle)
    assert spec.name == "bom"
    assert "\ufeff" not in assemble(spec.passes[0].shader, "", (bundle,), bundle).text
