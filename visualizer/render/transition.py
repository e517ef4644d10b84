"""Transitions: a small shader blending the outgoing frame into the incoming one.

A transition file (shipped under shaders/transitions/, or the user's own .glsl)
defines `vec4 transition(vec2 uv, float progress)` and may call
`fromColor(uv)` / `toColor(uv)`; it is wrapped in `TRANSITION_PRELUDE` and
`TRANSITION_MAIN` (docs/transitions.md). Programs come from the context's
shared `ProgramCache`, so a compile error names the transition file's line.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import moderngl

from visualizer import guard
from visualizer.errors import PresetError, ShaderError
from visualizer.naming import did_you_mean
from visualizer.paths import shaders_dir, shown_path
from visualizer.render.context import bind_default_framebuffer
from visualizer.render.resources import GpuResources
from visualizer.render.shader_source import ShaderSource, SourceLine, assemble
from visualizer.render.uniforms import GLSL_VERSION

TRANSITIONS: tuple[str, ...] = (
    "dissolve", "fade", "flower_iris", "luma_wipe", "radial_iris", "red_flash_cut",
)
"""The shipped transitions, sorted: shaders/transitions/<name>.glsl."""

TRANSITION_PRELUDE = f"""{GLSL_VERSION}
precision highp float;
uniform sampler2D uFrom;
uniform sampler2D uTo;
uniform float uProgress;
uniform vec2 uResolution;
uniform float uTime;
uniform float uSeed;
out vec4 fragColor;
vec4 fromColor(vec2 uv) {{ return texture(uFrom, uv); }}
vec4 toColor(vec2 uv) {{ return texture(uTo, uv); }}
vec4 transition(vec2 uv, float progress);
"""
"""What every transition file can rely on: uProgress 0..1, uResolution (pixels),
uTime (seconds), uSeed (0..1), and the two frames through fromColor / toColor."""

TRANSITION_MAIN = """void main() {
    vec2 uv = gl_FragCoord.xy / uResolution;
    fragColor = vec4(transition(uv, uProgress).rgb, 1.0);
}"""
"""Appended after the transition file: one call per pixel, alpha forced to 1."""

_FROM_UNIT, _TO_UNIT = 0, 1
_MAIN = re.compile(r"\bvoid\s+main\s*\(")


def transitions_dir() -> Path:
    """The shipped transitions (package data)."""
    return shaders_dir() / "transitions"


def transition_file(name_or_path: str) -> Path:
    """The shader file of a shipped transition `name`, or the user's .glsl at a path.
    PresetError (one line, with a did-you-mean) for anything else."""
    if name_or_path in TRANSITIONS:
        return transitions_dir() / f"{name_or_path}.glsl"
    path = Path(name_or_path).expanduser()
    if path.suffix == ".glsl" or "/" in name_or_path:
        if path.is_file():
            return path
        raise PresetError(f"{shown_path(path)}: transition file not found; check the path")
    raise PresetError(f'unknown transition "{name_or_path}": {did_you_mean(name_or_path, TRANSITIONS)}'
                      " (or give the path of a .glsl file defining transition())")


def transition_source(path: Path) -> ShaderSource:
    """The assembled fragment shader for transition file `path`: prelude, the file
    (includes from shaders/lib expanded, each line mapped to its file), main."""
    root = shaders_dir()
    body = assemble(path, TRANSITION_PRELUDE, (path.parent, root), root)
    for line in body.lines:
        if line.file != "<prelude>" and _MAIN.search(line.text):
            raise ShaderError(f"{line.file}:{line.line}: a transition file defines transition(), not main();"
                              " remove main (the wrapper calls transition for every pixel)")
    main = [SourceLine("<transition main>", number, text)
            for number, text in enumerate(TRANSITION_MAIN.splitlines(), start=1)]
    lines = (*body.lines, *main)
    return ShaderSource("\n".join(line.text for line in lines) + "\n", lines, body.files)


@dataclass
class _Compiled:
    """One transition's program (the cache's) and its vertex array (ours)."""

    program: moderngl.Program
    vao: moderngl.VertexArray


class TransitionPass:
    """Draws transitions into a framebuffer. Owns nothing but VAOs; programs come
    from the shared ProgramCache of `resources` and go back to it on release."""

    def __init__(self, ctx: moderngl.Context, resources: GpuResources):
        self.ctx = ctx
        self.resources = resources
        self._compiled: dict[str, _Compiled] = {}

    def prepare(self, name: str) -> None:
        """Compile transition `name` (shipped name or path) ahead of its first draw, so a
        switch does not hitch. Raises PresetError / ShaderError here, naming the file."""
        if name in self._compiled:
            return
        path = transition_file(name)
        source = transition_source(path)
        with _compile_watch(path):
            program = self.resources.programs.get(source, shown_path(path))
        try:
            vao = self.ctx.vertex_array(program, [])
        except BaseException:
            self.resources.programs.put(program)
            raise
        self._compiled[name] = _Compiled(program, vao)

    def draw(self, name: str, outgoing: moderngl.Texture, incoming: moderngl.Texture, progress: float,
             target: moderngl.Framebuffer, time: float = 0.0, seed: float = 0.0) -> None:
        """Blend `outgoing` into `incoming` (8-bit RGBA at the target's size) at `progress`
        (clamped to 0..1) into `target`. `time` in seconds, `seed` 0..1."""
        self.prepare(name)
        compiled = self._compiled[name]
        outgoing.use(location=_FROM_UNIT)
        incoming.use(location=_TO_UNIT)
        width, height = target.size
        values = {"uFrom": _FROM_UNIT, "uTo": _TO_UNIT, "uProgress": min(1.0, max(0.0, float(progress))),
                  "uResolution": (float(width), float(height)), "uTime": float(time), "uSeed": float(seed)}
        for uniform, value in values.items():
            if uniform in compiled.program:  # unused ones are optimised away
                compiled.program[uniform].value = value
        target.use()
        compiled.vao.render(moderngl.TRIANGLES, vertices=3)

    @property
    def prepared(self) -> tuple[str, ...]:
        """The transitions compiled so far, in order of preparation."""
        return tuple(self._compiled)

    def release(self) -> None:
        """Release the vertex arrays and give the programs back to the cache; safe twice."""
        if self._compiled:
            bind_default_framebuffer(self.ctx)
        for compiled in self._compiled.values():
            compiled.vao.release()
            self.resources.programs.put(compiled.program)
        self._compiled.clear()


def _compile_watch(path: Path) -> AbstractContextManager[None]:
    """Under a supervisor, a watch on the driver's compile of transition file `path`."""
    if not guard.supervised():
        return nullcontext()
    limit, shown = guard.time_limit("compile"), shown_path(path)
    return guard.watch(limit, f"{shown}: the GL driver took longer than {limit:g} s to compile it;"
                              f" simplify it, or raise {guard.COMPILE_LIMIT_VARIABLE}", subject=shown)
