"""Shader sources under fuzzing through load, assembly and the budget (and, for a
few, the driver): only our errors (VisualizerError) ever escape, in bounded time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visualizer.errors import ShaderCompileError, VisualizerError
from visualizer.render import budget
from visualizer.render.program import ProgramCache, load_shader

SETTINGS = settings(max_examples=150, deadline=timedelta(seconds=10),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
LIB = {"lib/a.glsl": "float a() { return 1.0; }\n", "lib/loop.glsl": '#include "loop.glsl"\n'}


def assemble_or_our_error(root: Path, source: str | bytes):
    """The assembled source, or None when one of our errors refused it."""
    shaders = root / "shaders"
    for name, text in LIB.items():
        (shaders / name).parent.mkdir(parents=True, exist_ok=True)
        (shaders / name).write_text(text)
    path = shaders / "main.glsl"
    path.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass"))
    budget._PASSED.clear()
    try:
        return load_shader(path, (shaders,), shaders)
    except VisualizerError:
        return None


GLSL_PIECES = ["[", "]", "{", "}", "(", ")", ";", ",", "=", ".", "+", "-", "*", "/", "<<", "?", ":", "#", "\n", " ",
               "\\\n", "//", "/*", "*/", '"', "0x", "1", "7", "99999999999", "1e9", "3.5", "u", "float", "vec4", "int",
               "const", "uniform", "struct", "layout", "define", "undef", "if", "ifdef", "elif", "else", "endif",
               "defined", "include", '"lib/a.glsl"', '"lib/loop.glsl"', '"../x"', "main", "void", "N", "S", "f",
               "\x00", "\u202e", "é", "\t"]


@SETTINGS
@given(pieces=st.lists(st.sampled_from(GLSL_PIECES), max_size=120))
def test_token_soup(tmp_path, pieces):
    assemble_or_our_error(tmp_path, "".join(pieces))


@SETTINGS
@given(data=st.binary(max_size=400))
def test_bytes(tmp_path, data):
    assemble_or_our_error(tmp_path, data)


names = st.sampled_from(["N", "M", "K", "S", "B", "f", "g", "x"])
numbers = st.sampled_from(["0", "1", "3", "64", "4096", "4097", "65536", "0x7FFFFFFF", "1u", "99999999999999999999",
                           "2.5", "-1", "(1<<62)", "(1<<63)", "017", "09"])
expressions = st.recursive(
    numbers | names,
    lambda inner: st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%", "<<", ">>", "&&", "==", "?"]), inner).map(
        lambda t: f"({t[0]} {t[1]} {t[2]}{' : 1' if t[1] == '?' else ''})") | inner.map(lambda e: f"int({e})"),
    max_leaves=6,
)
types = st.sampled_from(["float", "vec4", "mat4", "int", "S", "bool", "sampler2D", "Unknown"])


@st.composite
def declarations(draw) -> str:
    kind = draw(st.sampled_from(["array", "define", "function-define", "const", "if", "struct", "block", "function",
                                 "uniform", "constructor"]))
    name, size, type_ = draw(names), draw(expressions), draw(types)
    if kind == "array":
        return f"{type_} {name}[{size}];"
    if kind == "define":
        return f"#define {name} {draw(expressions)}"
    if kind == "function-define":
        return f"#define {name}(a) a a {draw(expressions)}"
    if kind == "const":
        return f"const int {name} = {size};"
    if kind == "if":
        return f"#if {size}\n{type_} a{name}[{draw(expressions)}];\n#else\nfloat b{name};\n#endif"
    if kind == "struct":
        return f"struct {name} {{ {type_} m[{size}]; float x; }};"
    if kind == "block":
        return f"layout(std140) uniform Block{name} {{ {type_} items[{size}]; }} inst{name};"
    if kind == "function":
        calls = " + ".join(f"{draw(names)}(1)" for _ in range(draw(st.integers(0, 3)))) or "0.0"
        return f"float {name}(float p[{size}]) {{ {type_} local[{draw(expressions)}]; return {calls}; }}"
    if kind == "uniform":
        return f"uniform {type_} u{name}[{size}];"
    return f"float c{name} = float[{size}](1.0)[0];"


@SETTINGS
@given(parts=st.lists(declarations(), max_size=8))
def test_declarations_and_macros(tmp_path, parts):
    assemble_or_our_error(tmp_path, "\n".join(parts) + "\nvoid main() { fragColor = vec4(1.0); }\n")


@settings(max_examples=15, deadline=timedelta(seconds=30),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(parts=st.lists(declarations(), max_size=5))
def test_what_passes_the_budget_compiles_or_fails_as_a_compile_error(tmp_path, ctx, parts):
    """A few through the driver: what the budget lets pass builds, or is one ShaderCompileError."""
    source = assemble_or_our_error(tmp_path, "\n".join(parts) + "\nvoid main() { fragColor = vec4(1.0); }\n")
    if source is None:
        return
    cache = ProgramCache(ctx)
    try:
        cache.get(source, "main.glsl")
    except ShaderCompileError:
        pass
    finally:
        cache.release()
