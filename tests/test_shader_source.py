"""The include preprocessor: expansion, include-once, cycles, depth, line map."""

from __future__ import annotations

import pytest

from visualizer.errors import ShaderIncludeError
from visualizer.render.shader_source import MAX_INCLUDE_DEPTH, assemble

PRELUDE = "#version 330 core\nout vec4 fragColor;\n"


def build(root, name="main.glsl"):
    return assemble(root / "shaders" / name, PRELUDE, (root / "shaders",), root / "shaders")


def test_includes_expand_in_place_with_a_line_map(write_files):
    root = write_files({
        "shaders/main.glsl": """
            // main
            #include "lib/a.glsl"
            void main() { fragColor = vec4(a()); }
        """,
        "shaders/lib/a.glsl": """
            float a() {
                return 1.0;
            }
        """,
    })
    source = build(root)
    lines = source.text.splitlines()
    assert lines[0] == "#version 330 core"
    body = [(l.file, l.line) for l in source.lines[2:]]
    assert body == [
        ("shaders/main.glsl", 1),
        ("shaders/lib/a.glsl", 1), ("shaders/lib/a.glsl", 2), ("shaders/lib/a.glsl", 3),
        ("shaders/main.glsl", 3),
    ]
    assert source.locate(5).text.strip() == "return 1.0;"
    assert [p.name for p in source.files] == ["main.glsl", "a.glsl"]


def test_each_file_is_included_once(write_files):
    root = write_files({
        "shaders/main.glsl": '#include "lib/a.glsl"\n#include "lib/b.glsl"\n#include "lib/a.glsl"\n',
        "shaders/lib/a.glsl": "float a() { return 1.0; }\n",
        "shaders/lib/b.glsl": '#include "lib/a.glsl"\nfloat b() { return a(); }\n',
    })
    text = build(root).text
    assert text.count("float a()") == 1
    assert text.index("float a()") < text.index("float b()")


def test_include_cycle_is_reported_with_its_path(write_files):
    root = write_files({
        "shaders/main.glsl": '#include "lib/a.glsl"\n',
        "shaders/lib/a.glsl": '#include "lib/b.glsl"\n',
        "shaders/lib/b.glsl": '// b\n#include "lib/a.glsl"\n',
    })
    with pytest.raises(ShaderIncludeError) as error:
        build(root)
    assert str(error.value) == (
        "shaders/lib/b.glsl:2: include cycle shaders/main.glsl -> shaders/lib/a.glsl"
        " -> shaders/lib/b.glsl -> shaders/lib/a.glsl; remove one of these includes"
    )


def test_include_depth_is_limited(write_files):
    files = {f"shaders/d{i}.glsl": f'#include "d{i + 1}.glsl"\n' for i in range(MAX_INCLUDE_DEPTH + 2)}
    files[f"shaders/d{MAX_INCLUDE_DEPTH + 2}.glsl"] = "float x;\n"
    root = write_files(files)
    with pytest.raises(ShaderIncludeError, match=f"nested deeper than {MAX_INCLUDE_DEPTH}"):
        build(root, "d0.glsl")


def test_missing_include_names_the_including_line(write_files):
    root = write_files({"shaders/main.glsl": 'float x;\n#include "lib/nope.glsl"\n'})
    with pytest.raises(ShaderIncludeError) as error:
        build(root)
    assert str(error.value).startswith('shaders/main.glsl:2: include "lib/nope.glsl" not found')


def test_include_cannot_escape_the_shader_folders(write_files):
    root = write_files({"shaders/main.glsl": '#include "../secret.glsl"\n', "secret.glsl": "float s;\n"})
    with pytest.raises(ShaderIncludeError, match="not found"):
        build(root)


def test_version_lines_are_blanked_and_main_image_gets_a_main(write_files):
    root = write_files({
        "shaders/main.glsl": "#version 450\nvoid mainImage(out vec4 c, in vec2 p) { c = vec4(1); }\n",
    })
    source = build(root)
    assert source.text.count("#version") == 1
    assert source.text.rstrip().endswith("void main() { mainImage(fragColor, gl_FragCoord.xy); }")


def test_an_assembly_is_reused_until_a_file_it_read_changes(tmp_path):
    """The live show opens its presets again and again: the assembly is kept while every
    file it read is unchanged, and an edit of an included file is seen at once."""
    import os

    from visualizer.render.program import load_shader

    (tmp_path / "lib.glsl").write_text("float shade() { return 0.25; }\n")
    main = tmp_path / "main.glsl"
    main.write_text('#include "lib.glsl"\nvoid main() { fragColor = vec4(shade()); }\n')
    first = load_shader(main, (tmp_path,), tmp_path)
    assert load_shader(main, (tmp_path,), tmp_path) is first
    (tmp_path / "lib.glsl").write_text("float shade() { return 0.75; }\n")
    stat = os.stat(tmp_path / "lib.glsl")
    os.utime(tmp_path / "lib.glsl", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # a new time, whatever the clock
    again = load_shader(main, (tmp_path,), tmp_path)
    assert again is not first and "0.75" in again.text
