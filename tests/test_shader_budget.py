"""The static shader budget (render/budget.py): what would exhaust memory or crash
the GL compiler is refused at assembly, as `file:line`, before any driver call."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from visualizer.cli.main import main
from visualizer.errors import ShaderBudgetError
from visualizer.preset.loader import available_presets, load_preset
from visualizer.render import budget
from visualizer.render.graph import RenderGraph, checked_sources
from visualizer.render.shader_source import MAX_FILE_BYTES, MAX_FILES, assemble

PRELUDE = "#version 330 core\nout vec4 fragColor;\nuniform vec3 iChannelResolution[4];\n"
MAIN = "void main() { fragColor = vec4(1.0); }\n"


def build(root: Path, name: str = "main.glsl"):
    return assemble(root / "shaders" / name, PRELUDE, (root / "shaders",), root / "shaders")


def refusal(write_files, source: str, **more: str) -> str:
    """The one-line budget error for `source` (shaders/main.glsl)."""
    root = write_files({"shaders/main.glsl": source, **{f"shaders/{k}.glsl": v for k, v in more.items()}})
    with pytest.raises(ShaderBudgetError) as error:
        build(root)
    message = str(error.value)
    assert "\n" not in message
    return message


@pytest.fixture(autouse=True)
def fresh_budget():
    """Texts within budget are remembered by hash; each test checks its own afresh."""
    budget._PASSED.clear()


REFUSED = {
    "global-array": ("float big[16777216];\n" + MAIN, "shaders/main.glsl:1: float big[16777216] takes 16777216"),
    "local-array": ("void main() {\n    float big[16777216];\n    fragColor = vec4(big[0]);\n}\n",
                    "shaders/main.glsl:2: float big[16777216] takes 16777216"),
    "define": ("#define N (1 << 20)\nvec4 a[N];\n" + MAIN, "shaders/main.glsl:2: vec4 a[N] takes 4194304"),
    "const-int": ("const int W = 512;\nconst int H = W * 2;\nfloat a[W * H];\n" + MAIN,
                  "shaders/main.glsl:3: float a[W * H] takes 524288"),
    "macro-precedence": ("#define N 64 + 64\nfloat a[N * 64];\n" + MAIN, "float a[N * 64] takes 4160"),
    "hex-unsigned": ("float a[0x10000u];\n" + MAIN, "float a[0x10000u] takes 65536"),
    "two-dimensions": ("float a[100][100];\n" + MAIN, "float a[100][100] takes 10000"),
    "type-first": ("float[5000] a;\n" + MAIN, "float a[5000] takes 5000"),
    "comma-list": ("void main() { float x = 1.0, y[5000]; fragColor = vec4(y[0]); }\n", "float y[5000] takes 5000"),
    "struct-array": ("struct S { vec4 v[1024]; float x; };\n" + "void main() { S s[2]; fragColor = s[0].v[0]; }\n",
                     "shaders/main.glsl:2: S s[2] takes 8194"),
    "struct-variable": ("struct S { vec4 v[2000]; };\nS s;\n" + MAIN, "shaders/main.glsl:2: S s takes 8000"),
    "array-constructor": ("void main() { fragColor = vec4(float[100000]()[1]); }\n", "float[100000](...) takes 100000"),
    "two-calls": ("float f(int i) { float a[3000]; a[i] = 1.0; return a[0]; }\n"
                  "void main() { fragColor = vec4(f(0) + f(1)); }\n", "takes 3000 scalars per pixel (6000 in all"),
    "calls-of-calls": ("float f(int i) { float a[1000]; return a[i]; }\nfloat g(int i) { return f(i) + f(i + 1); }\n"
                       "void main() { fragColor = vec4(g(0) + g(1) + g(2)); }\n", "(6000 in all"),
    "array-parameter": ("float f(float a[3000]) { return a[0]; }\nvoid main() { float b[1]; "
                        "fragColor = vec4(f(float[3000]()) + f(float[3000]())); }\n",
                        "(12001 in all"),  # two copies of the parameter, two temporaries and b
    "uniform-array": ("uniform float u[100000];\n" + MAIN, "shaders/main.glsl:1: the uniform arrays take 100012"),
    "uniform-block": ("uniform Big { vec4 items[1048576]; };\n" + MAIN,
                      "shaders/main.glsl:1: uniform block Big takes 16777216 bytes (std140); at most 16384"),
    "block-of-floats": ("layout(std140) uniform B { float f[1025]; };\n" + MAIN, "uniform block B takes 16400 bytes"),
    "unknown-if-counts": ("#if SOMETHING(1)\nfloat a[10];\n#else\nfloat a[1000000];\n#endif\n" + MAIN,
                          "shaders/main.glsl:4: float a[1000000] takes 1000000"),
    "unknown-size": ("void main() { float a[int(sin(1.0))]; fragColor = vec4(1.0); }\n",
                     "shaders/main.glsl:1: cannot work out the size of a[int(sin(1.0))] (sin is not a constant here);"
                     " size arrays with a number, a #define or a const int"),
    "size-past-32-bits": ("float a[1 << 40];\n" + MAIN, "takes 1099511627776"),
    "constants-nested-through-parentheses": (
        "const int C0 = 1;\n" + "".join(f"const int C{i} = " + "(" * 30 + f"C{i - 1} + 1" + ")" * 30 + ";\n"
                                         for i in range(1, 12)) + "float z[C11];\n" + MAIN,
        "shaders/main.glsl:13: cannot work out the size of z[C11] (nested too deep)"),
    "define-chain": ("#define A x x x x x x x x x x\n#define B A A A A A A A A A A\n#define C B B B B B B B B B B\n"
                     "#define D C C C C C C C C C C\n#define E D D D D D D D D D D\n#define F E E E E E E E E E E\n"
                     "#define G F F F F F F F F F F\nfloat G;\n" + MAIN,
                     "shaders/main.glsl:7: the macros expand to more than 1000000 words (G is the largest)"),
    "repeated-argument": ("#define F(x) x x x\nfloat " + "F(" * 30 + "y" + ")" * 30 + ";\n" + MAIN,
                          "the macros expand to more than 1000000 words (F is the largest)"),
    "operator-chain": ("void main() {\n    float x = " + "+".join(["1.0"] * 20000) + ";\n}\n",
                       "shaders/main.glsl:2: one statement holds 19999 operators; at most 4096"),
    "swizzle-chain": ("void main() {\n    vec4 v = vec4(1.0);\n    float x = v" + ".xxxx" * 5000 + ".x;\n}\n",
                      "shaders/main.glsl:3: one statement holds 5001 operators"),
    "macro-chain": ("#define LONG " + "+".join(["1.0"] * 5000) + "\n" + MAIN,
                    "shaders/main.glsl:1: one statement holds 4999 operators"),
}


@pytest.mark.parametrize("source, expected", REFUSED.values(), ids=REFUSED.keys())
def test_refused_with_the_file_and_line(write_files, source, expected):
    assert expected in refusal(write_files, source)


ACCEPTED = {
    "at-the-limit": "float a[4096];\n" + MAIN,
    "one-call": "float f(int i) { float a[3000]; a[i] = 1.0; return a[0]; }\nvoid main() { fragColor = vec4(f(0)); }\n",
    "uncalled-function": "float f(float a[9000]) { return a[0]; }\n" + MAIN,
    "prototype": "float f(float a[3000]);\nfloat f(float a[3000]) { return a[0]; }\n" + MAIN,
    "comments": "// float big[16777216];\n/* float x[99999999];\n   vec4 y[1 << 30]; */\n" + MAIN,
    "ifdef-followed": "#define SMALL\n#ifdef SMALL\nfloat a[10];\n#else\nfloat a[1000000];\n#endif\n" + MAIN,
    "if-expression": "#define N 3\n#if N > 2 && defined(N)\nfloat a[4];\n#elif 1\nfloat a[1000000];\n#endif\n" + MAIN,
    "block-at-the-limit": "layout(std140) uniform Small { vec4 items[1024]; } inst;\n" + MAIN,
    "shadertoy-main-image": "void mainImage(out vec4 c, in vec2 p) { float a[3000]; c = vec4(a[0]); }\n"
                            "void main() { mainImage(fragColor, gl_FragCoord.xy); }\n",
    "small-unsized-constructor": "void main() { fragColor = vec4(float[](1.0, 2.0, 3.0)[1]); }\n",
    "macro-function-once": "#define ROT(a) mat2(cos(a), -sin(a), sin(a), cos(a))\n"
                           "void main() { fragColor = vec4(ROT(ROT(1.0)[0].x)[0], 0.0, 1.0); }\n",
}


@pytest.mark.parametrize("source", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted(write_files, source):
    build(write_files({"shaders/main.glsl": source}))


def test_one_more_than_the_limit_is_refused(write_files):
    assert "float a[4097] takes 4097" in refusal(write_files, "float a[4097];\n" + MAIN)
    assert "uniform block Small takes 16400" in refusal(
        write_files, "layout(std140) uniform Small { vec4 items[1025]; };\n" + MAIN)


def test_an_array_in_an_included_file_names_that_file(write_files):
    message = refusal(write_files, '#include "lib/big.glsl"\n' + MAIN,
                      **{"lib/big": "// big tables\n\nconst float table[70000] = float[70000]();\n"})
    assert message.startswith("shaders/lib/big.glsl:3: float table[70000] takes 70000 scalars per pixel;")


def test_a_shader_file_over_one_mebibyte_is_refused_unread(write_files):
    message = refusal(write_files, '#include "lib/huge.glsl"\n' + MAIN, **{"lib/huge": "//" + "x" * MAX_FILE_BYTES})
    assert message == ("shaders/main.glsl:1: shaders/lib/huge.glsl: the shader file is over 1 MiB;"
                       " a shader is code: keep data in textures or split it")


def test_a_pass_reads_a_bounded_number_of_files(write_files):
    files = {f"lib/f{i}": "" for i in range(MAX_FILES + 1)}
    source = "".join(f'#include "lib/f{i}.glsl"\n' for i in range(MAX_FILES + 1)) + MAIN
    assert f"a pass may read at most {MAX_FILES} shader files" in refusal(write_files, source, **files)


@pytest.mark.parametrize("name", available_presets())
def test_shipped_presets_are_well_within_budget(name):
    checked_sources(load_preset(name))


def test_the_driver_never_sees_a_refused_shader(write_files, counting_ctx):
    root = write_files({"big.toml": '[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n',
                        "scene.glsl": "float big[16777216];\nvoid mainImage(out vec4 c, in vec2 p) { c = vec4(big[0]); }\n"})
    with pytest.raises(ShaderBudgetError, match=r"scene\.glsl:1: float big\[16777216\]"):
        RenderGraph(counting_ctx, load_preset(root / "big.toml"), (2, 2))
    assert not [obj for obj in counting_ctx.made if type(obj).__name__ == "Program"]
    assert counting_ctx.live() == []


BIG_GLOBAL = "float big[16777216];\nvoid mainImage(out vec4 color, in vec2 pixel) {\n" \
             "    big[int(pixel.x)] = pixel.y;\n    color = vec4(big[int(pixel.y)], 0.0, 0.0, 1.0);\n}\n"
BIG_BLOCK = "uniform Big { vec4 items[1048576]; };\nvoid mainImage(out vec4 c, in vec2 p) { c = items[0]; }\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    soundfile.write(tmp_path / "s.wav", np.zeros((4410, 2), np.float32), 44100)
    return tmp_path


def bundle(project: Path, name: str, shader: str) -> None:
    folder = project / "presets" / name
    folder.mkdir(parents=True)
    (folder / "preset.toml").write_text('[meta]\nhistory = 0\n[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n')
    (folder / "scene.glsl").write_text(shader)


def cli(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stop:
        main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return stop.value.code, out.err


@pytest.mark.parametrize("shader, where", [(BIG_GLOBAL, "presets/big/scene.glsl:1: float big[16777216]"),
                                           (BIG_BLOCK, "presets/big/scene.glsl:1: uniform block Big")])
def test_presets_validate_and_render_refuse_it_in_one_line(project, capsys, shader, where):
    bundle(project, "big", shader)
    status, err = cli(capsys, "presets", "validate", "presets/big")
    assert status == 2 and err.splitlines()[0].startswith(where), err
    assert err.splitlines()[1:] == ["error: 1 of 1 presets have problems (listed above)"]
    status, err = cli(capsys, "render", "--preset", "presets/big", "--audio", "s.wav", "--out", "o.mp4",
                      "--size", "2x2", "--seconds", "0.1", "--quiet")
    assert status == 2 and err.startswith(f"error: {where}") and err.count("\n") == 1, err
    assert sorted(p.name for p in project.iterdir()) == ["presets", "s.wav"]


@pytest.mark.parametrize("source", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_what_the_budget_accepts_the_driver_compiles(write_files, ctx, source):
    """The limits sit inside what llvmpipe handles: each accepted shader builds at once."""
    from visualizer.render.program import FULLSCREEN_VERTEX

    text = build(write_files({"shaders/main.glsl": source})).text
    ctx.program(vertex_shader=FULLSCREEN_VERTEX, fragment_shader=text).release()
