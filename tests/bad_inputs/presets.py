"""Bad presets and shaders: hostile TOML (deep nesting, wrong types, markup,
pathological lines), broken bundles, includes that are missing or cyclic,
shaders that exhaust memory or never finish, values out of any sane range."""

from __future__ import annotations

from bad_inputs.files import PASS, SHADER_OK, copy, folder, preset, toml, write
from bad_inputs.harness import Case

WAV = (copy("s.wav"),)
RENDER = ("render", "--audio", "s.wav", "--out", "o.mp4", "--size", "64x36", "--seconds", "0.5", "--quiet")


def render(name: str, *extra: str) -> tuple[str, ...]:
    return (*RENDER, "--preset", name, *extra)


def validate(name: str) -> tuple[str, ...]:
    return ("presets", "validate", f"presets/{name}")


def shader(body: str) -> str:
    return f"void mainImage(out vec4 color, in vec2 pixel) {{\n{body}\n}}\n"


DEEP = "[meta]\nname = \"Deep\"\ntags = " + "[" * 100_000 + "]" * 100_000 + "\n" + PASS
MIXED_TAGS = toml('tags = [1, {a=1}]\n')
MARKUP = toml('description = "Opens [/x] and [bold]never closes"\ntags = ["[/x]"]\n').replace(
    'name = "Bad"', 'name = "a[/x]b"')
ANSI = toml('description = "\\u001b[2J\\u001b[31mred"\n').replace('name = "Bad"', 'name = "\\u001b]0;title\\u0007x"')
LONG_BRACKET_LINE = toml('description = """\nA fine first line.\n[' + " " * 5000 + '!\n"""\n')
"""A valid preset whose multi-line description holds a long line starting with `[` (cubic header regex)."""
BIG_ARRAY = shader("    float big[16777216];\n    big[int(pixel.x)] = pixel.y;\n"
                   "    color = vec4(big[int(pixel.y)], 0.0, 0.0, 1.0);")
BIG_GLOBAL = "float big[16777216];\n" + shader("    big[int(pixel.x)] = pixel.y;\n"
                                               "    color = vec4(big[int(pixel.y)], 0.0, 0.0, 1.0);")
BIG_BLOCK = "uniform Big { vec4 items[1048576]; };\n" + shader("    color = items[int(pixel.x)];")
FOREVER = shader("    float x = pixel.x;\n    int n = 60000 + int(iTime);\n    for (int i = 0; i < n; i++) {\n"
                 + "        x = sin(x * 1.618 + 0.1);\n" * 256 + "    }\n    color = vec4(x);")
"""Some 15 million sines a pixel (llvmpipe stops any loop after 65535 turns, so the body is long):
a shader that does not finish in any reasonable time."""
PRESETS_LIST = ("presets", "list")
FAST_WATCHDOG = (("VISUALIZER_FRAME_LIMIT", "2"),)
"""Seconds the first frame may take before the watchdog stops it (default 10)."""


def with_param(line: str) -> str:
    """A preset with one parameter `gain` (this line declares it), which its shader uses."""
    return toml("history = 0\n", "\n[params]\n" + line + "\n")


GAIN_SHADER = "uniform float gain;\n" + shader("    color = vec4(gain);")


def with_pass(extra: str) -> str:
    return toml("history = 0\n").replace('target = "output"\n', 'target = "output"\n' + extra + "\n")


def bundle(name: str, text: str | bytes, **shaders: str | bytes):
    return preset(name, text, {f"{file}.glsl": src for file, src in shaders.items()})


def rendering(text: str | None = None, **shaders: str | bytes | None) -> tuple:
    """Setup for `render("p")`: the audio and a bundle ./presets/p (this TOML, these shaders)."""
    return (*WAV, bundle("p", text or toml(), **shaders))


INCLUDE = '#include "{}"\n'

CASES = [
    # Hostile TOML (the cases, then ours).
    Case("preset-nested-100000-deep-validate", validate("deep"),
         setup=(bundle("deep", DEEP),), words=("preset.toml",)),
    Case("preset-nested-100000-deep-show", ("presets", "show", "deep"), setup=(bundle("deep", DEEP),),
         words=("preset.toml",)),
    Case("preset-nested-100000-deep-render", render("deep"), setup=(*WAV, bundle("deep", DEEP),),
         words=("preset.toml",)),
    Case("preset-nested-100000-deep-list", PRESETS_LIST, status=0, setup=(bundle("deep", DEEP),),
         stdout_has=("deep",)),
    Case("preset-tags-of-mixed-types-validate", validate("mixed"),
         setup=(bundle("mixed", MIXED_TAGS),), words=("tags",)),
    Case("preset-tags-of-mixed-types-show", ("presets", "show", "mixed"), setup=(bundle("mixed", MIXED_TAGS),),
         words=("tags",)),
    Case("preset-tags-of-mixed-types-list", PRESETS_LIST, status=0, setup=(bundle("mixed", MIXED_TAGS),),
         stdout_has=("mixed",)),
    Case("preset-name-with-markup-show", ("presets", "show", "markup"), status=0,
         setup=(bundle("markup", MARKUP),), stdout_has=("a[/x]b", "Opens [/x]")),
    Case("preset-name-with-markup-list", PRESETS_LIST, status=0, setup=(bundle("markup", MARKUP),),
         stdout_has=("[/x]",)),
    Case("preset-terminal-escapes-show", ("presets", "show", "ansi"), status=0, setup=(bundle("ansi", ANSI),),
         not_stdout=("\x1b", "\x07")),
    Case("preset-terminal-escapes-list", PRESETS_LIST, status=0, setup=(bundle("ansi", ANSI),),
         not_stdout=("\x1b", "\x07")),
    Case("preset-long-bracket-line-validate", validate("longline"), status=0,
         setup=(bundle("longline", LONG_BRACKET_LINE),), timeout=20),
    Case("preset-not-utf8", validate("latin"),
         setup=(bundle("latin", toml('description = "caf\xe9"\n').encode("latin-1")),), words=("preset.toml",)),
    Case("preset-utf8-bom", validate("bom"), status=0,
         setup=(bundle("bom", b"\xef\xbb\xbf" + toml("history = 0\n").encode()),)),
    Case("preset-crlf", validate("crlf"), status=0,
         setup=(bundle("crlf", toml("history = 0\n").replace("\n", "\r\n")),)),
    Case("preset-empty-file", validate("empty"), setup=(bundle("empty", ""),),
         words=("preset.toml",)),
    Case("preset-binary-garbage", validate("junk"),
         setup=(bundle("junk", bytes(range(256)) * 4),), words=("preset.toml",)),
    Case("preset-duplicate-key", validate("dup"),
         setup=(bundle("dup", toml('name = "again"\n')),), words=("preset.toml",)),
    Case("preset-toml-is-a-directory-render", render("dirpreset"),
         setup=(*WAV, folder("presets/dirpreset/preset.toml")), words=("preset.toml",)),
    Case("preset-toml-is-a-directory-validate", validate("dirpreset"),
         setup=(folder("presets/dirpreset/preset.toml"),), words=("preset.toml",)),
    Case("preset-toml-is-a-directory-list", PRESETS_LIST, status=0, setup=(folder("presets/dirpreset/preset.toml"),)),
    # Names that are paths, or nothing.
    Case("preset-name-escapes-upwards", render("../../etc/passwd"), setup=WAV, words=("passwd",)),
    Case("preset-absolute-path-not-toml", render("/etc/hostname"), setup=WAV, words=("hostname",)),
    Case("preset-folder-without-toml", render("/etc"), setup=WAV, words=("/etc",)),
    Case("preset-unknown-name", render("nosuch"), setup=WAV, words=("nosuch",)),
    Case("presets-show-path-name", ("presets", "show", "../x"), words=("../x",)),
    Case("presets-validate-missing-path", ("presets", "validate", "nowhere/preset.toml"), words=("nowhere",)),
    Case("presets-new-path-name", ("presets", "new", "../escape"), words=("../escape",)),
    Case("presets-new-empty-name", ("presets", "new", ""), words=("name",)),
    Case("presets-new-existing", ("presets", "new", "ok"), setup=(preset("ok", toml()),), words=("ok",)),
    Case("presets-new-when-presets-is-a-file", ("presets", "new", "fresh"), setup=(write("presets", "x"),),
         words=("presets",)),
    Case("presets-new-name-too-long", ("presets", "new", "n" * 300), words=("nnnn",)),
    # Values out of any sane range.
    Case("preset-param-default-nan", validate("p"), setup=(bundle("p", with_param("gain = nan"), scene=GAIN_SHADER),),
         words=("gain",)),
    Case("preset-param-default-inf", validate("p"), setup=(bundle("p", with_param("gain = inf"), scene=GAIN_SHADER),),
         words=("gain",)),
    Case("preset-param-min-above-max", validate("p"),
         setup=(bundle("p", with_param('gain = { type = "float", default = 1.0, min = 2.0, max = 0.0 }'),
                       scene=GAIN_SHADER),),
         words=("gain",)),
    Case("preset-history-nan", render("p"), setup=rendering(toml("history = nan\n")), words=("history",)),
    Case("preset-history-negative", render("p"), setup=rendering(toml("history = -1\n")), words=("history",)),
    Case("preset-history-1e308", render("p", "--start", "1"), setup=rendering(toml("history = 1e308\n")),
         words=("history",), timeout=30),
    Case("preset-seed-huge", render("p"), status=(0, 2), setup=rendering(toml("seed = 99999999999999999999999\n")),
         changes=("o.mp4",)),
    Case("preset-pass-size-huge", render("p"), setup=rendering(with_pass("size = [100000, 100000]")),
         words=("size",)),
    Case("preset-pass-scale-zero", render("p"), setup=rendering(with_pass("scale = 0.0")), words=("scale",)),
    Case("preset-pass-scale-huge", render("p"), setup=rendering(with_pass("scale = 1e9")), words=("scale",)),
    Case("preset-pass-scale-nan", render("p"), setup=rendering(with_pass("scale = nan")), words=("scale",)),
    Case("post-effect-unknown", render("p"), setup=rendering(toml("history = 0\n", "\n[post]\nsparkle = 1.0\n")),
         words=("sparkle",)),
    # Shaders: budgets and the watchdog.
    Case("shader-huge-local-array-validate", validate("big"),
         setup=(bundle("big", toml(), scene=BIG_ARRAY),), words=("scene.glsl",), timeout=30),
    Case("shader-huge-global-array-render", ("render", "--audio", "s.wav", "--out", "o.mp4", "--size", "2x2",
                                             "--seconds", "0.1", "--quiet", "--preset", "p"),
         setup=rendering(scene=BIG_GLOBAL), words=("scene.glsl",), timeout=30, env=FAST_WATCHDOG),
    Case("shader-huge-uniform-block", validate("block"),
         setup=(bundle("block", toml(), scene=BIG_BLOCK),), words=("scene.glsl",)),
    Case("shader-endless-loop-render", render("p"), setup=rendering(scene=FOREVER), words=("scene.glsl",),
         timeout=30, env=FAST_WATCHDOG),
    Case("shader-compile-error", render("p"), setup=rendering(scene=shader("color = nope;")), words=("scene.glsl",)),
    Case("shader-empty", render("p"), setup=rendering(scene=""), words=("scene.glsl",)),
    Case("shader-not-utf8", render("p"), setup=rendering(scene=b"// caf\xe9\n" + SHADER_OK.encode()),
         status=(0, 2), changes=("o.mp4",)),
    Case("shader-nul-byte", render("p"), setup=rendering(scene=b"\x00" + SHADER_OK.encode()), words=("scene.glsl",)),
    Case("shader-missing", render("p"), setup=rendering(scene=None), words=("scene.glsl",)),
    Case("shader-is-a-directory", render("p"), setup=(*rendering(scene=None), folder("presets/p/scene.glsl")),
         words=("scene.glsl",)),
    Case("include-missing", render("p"), setup=rendering(scene=INCLUDE.format("gone.glsl") + SHADER_OK),
         words=("gone.glsl",)),
    Case("include-cycle", render("p"), setup=rendering(scene=INCLUDE.format("a.glsl") + SHADER_OK,
                                                       a=INCLUDE.format("b.glsl"), b=INCLUDE.format("a.glsl")),
         words=("a.glsl",)),
    Case("include-itself", render("p"), setup=rendering(scene=INCLUDE.format("scene.glsl") + SHADER_OK),
         words=("scene.glsl",)),
    Case("include-a-directory", render("p"),
         setup=(*rendering(scene=INCLUDE.format("lib") + SHADER_OK), folder("presets/p/lib")), words=("lib",)),
    Case("include-absolute-path", render("p"), setup=rendering(scene=INCLUDE.format("/etc/passwd") + SHADER_OK),
         words=("/etc/passwd",)),
    Case("include-chain-200-deep", render("p"),
         setup=rendering(scene=INCLUDE.format("i1.glsl") + SHADER_OK, i200="// the end\n",
                         **{f"i{n}": INCLUDE.format(f"i{n + 1}.glsl") for n in range(1, 200)}),
         words=("glsl",)),
]
