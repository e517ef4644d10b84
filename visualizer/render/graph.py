"""The render graph: ordered fullscreen passes drawing into named targets.

A pass reads earlier targets (this frame), its own target's previous frame
(feedback), or the audio texture, through iChannel0..3. The last pass draws
"output"; a resolve pass then box-filters it (SSAA) into an 8-bit framebuffer
at the output size, flipped so rows read top-down.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import moderngl
import numpy as np

from visualizer import guard
from visualizer.errors import PresetError
from visualizer.paths import shaders_dir
from visualizer.preset.spec import (
    AUDIO_SOURCE,
    BANDS_SOURCE,
    BUILTIN_SOURCES,
    OUTPUT_TARGET,
    SPECTROGRAM_SOURCE,
    PassSpec,
    PresetSpec,
    TargetSpec,
    default_values,
)
from visualizer.render.context import bind_default_framebuffer
from visualizer.preset.loader import shown_path
from visualizer.preset.palettes import palette_coefficients
from visualizer.render.param_check import param_problems
from visualizer.render.program import load_shader
from visualizer.render.resources import GpuResources, Surface
from visualizer.render.shader_source import ShaderSource, assemble
from visualizer.render.targets import RenderTarget
from visualizer.render.uniforms import FrameInputs, frame_uniform_values, prelude

RESOLVE_SHADER = "internal/resolve.glsl"


class ShaderPass:
    """One program drawing into one target, with its sampler bindings."""

    def __init__(self, ctx: moderngl.Context, program: moderngl.Program, spec: PassSpec):
        self.spec = spec
        self.program = program
        self.vao = ctx.vertex_array(program, [])
        try:
            self.uniforms = {
                name: program[name] for name in program if isinstance(program[name], moderngl.Uniform)
            }
            self.bindings = _sampler_bindings(spec, self.uniforms)
        except BaseException:
            self.vao.release()
            raise
        inputs = {"iChannel0": AUDIO_SOURCE, **dict(spec.inputs)}
        self.channels = {int(name[-1]): source for name, source in inputs.items()}
        """iChannel index -> source, whether or not the shader samples it."""

    def set(self, name: str, value: object) -> None:
        """Set uniform `name` if the shader uses it (unused ones are optimised away)."""
        uniform = self.uniforms.get(name)
        if uniform is not None:
            uniform.value = value

    def draw(self, framebuffer: moderngl.Framebuffer, textures: dict[str, moderngl.Texture]):
        """Bind inputs to units 0.., set iResolution / iChannelResolution, draw."""
        for unit, (sampler, source) in enumerate(self.bindings):
            textures[source].use(location=unit)
            self.uniforms[sampler].value = unit
        channel_sizes = self.uniforms.get("iChannelResolution")
        if channel_sizes is not None:  # the driver may trim the array to the elements used
            sizes = [(*map(float, textures[self.channels[i]].size), 1.0) if i in self.channels else (0.0,) * 3
                     for i in range(max(1, channel_sizes.array_length))]
            channel_sizes.write(struct.pack(f"{3 * len(sizes)}f", *sum(sizes, ())))
        framebuffer.use()
        width, height = framebuffer.size
        self.set("iResolution", (float(width), float(height), 1.0))
        self.vao.render(moderngl.TRIANGLES, vertices=3)

    def release(self) -> None:
        """Release the vertex array (the program belongs to the context's cache)."""
        self.vao.release()


def _sampler_bindings(spec: PassSpec, uniforms: dict) -> list[tuple[str, str]]:
    bound = dict(spec.inputs)
    bound.setdefault("iChannel0", AUDIO_SOURCE)
    bound.update(uAudio=AUDIO_SOURCE, uBands=BANDS_SOURCE, uSpectrogram=SPECTROGRAM_SOURCE)
    return [(sampler, source) for sampler, source in bound.items() if sampler in uniforms]


class RenderGraph:
    """One preset at one size: its passes and targets, drawn from the context's
    shared `GpuResources` (programs, pooled surfaces, audio textures).

    `size` is the output size in pixels; passes render at `size * ssaa`.
    Without `resources` the graph makes and owns a private set. `release()`
    gives everything borrowed back (and frees a private set). `sources` are
    the preset's `checked_sources`, when the caller has them already.

    Under a supervisor (visualizer/guard.py) each driver compile and each
    pass's first draw runs under a watch, so a runaway shader is stopped and
    reported by its file.
    """

    def __init__(
        self,
        ctx: moderngl.Context,
        preset: PresetSpec,
        size: tuple[int, int],
        ssaa: int = 1,
        resources: GpuResources | None = None,
        flip_output: bool = True,
        sources: list[ShaderSource] | None = None,
    ):
        self.ctx = ctx
        self.preset = preset
        self.size = size
        self.ssaa = ssaa
        self.render_size = (size[0] * ssaa, size[1] * ssaa)
        self.flip_output = flip_output
        self._owns_resources = resources is None
        self.resources = resources or GpuResources(ctx)
        self.programs = self.resources.programs
        self.targets: dict[str, RenderTarget] = {}
        self._defaults = default_values(preset)
        self._palettes = [param.name for param in preset.params if param.type == "palette"]
        self.source_texts: tuple[str, ...] = ()
        self.source_files: tuple[Path, ...] = ()
        """Every shader file the passes read, includes too (for hot reload)."""
        self.passes: list[ShaderPass] = []
        self._state_passes: list[ShaderPass] = []
        self._drawn: set[ShaderPass] = set()
        """Passes drawn at least once (a first draw is watched)."""
        self._output: Surface | None = self.resources.surfaces.borrow(size, "rgba8")
        try:
            self._build(preset, sources)
        except BaseException:
            self.release()
            raise

    def _build(self, preset: PresetSpec, sources: list[ShaderSource] | None) -> None:
        sources = checked_sources(preset) if sources is None else sources
        root = shaders_dir()
        self.source_texts = tuple(source.text for source in sources)
        self.source_files = tuple(dict.fromkeys(f for source in sources for f in source.files))
        for spec, source in zip(preset.passes, sources):
            self.passes.append(self._shader_pass(source, spec.shader, spec))
            if spec.target.name not in self.targets:
                self.targets[spec.target.name] = RenderTarget(self.resources.surfaces, spec.target, self.render_size)
        self._state_passes = [shader_pass for shader_pass in self.passes if shader_pass.spec.keeps_state]
        self._resolve = self._build_resolve(root)

    def adopt(self, preset: PresetSpec, sources: list[ShaderSource] | None = None) -> bool:
        """Take `preset`'s parameters without rebuilding, when its passes draw the
        same targets from the same assembled sources (a parameter edit, or the same
        bundle copied elsewhere): keeps feedback state. Raises PresetError for a
        preset that does not fit its shaders. `sources`: its `checked_sources`, if known."""
        sources = checked_sources(preset) if sources is None else sources
        def shape(spec: PresetSpec) -> list:
            return [(p.target, p.inputs) for p in spec.passes]
        if shape(preset) != shape(self.preset) or tuple(s.text for s in sources) != self.source_texts:
            return False
        self.source_files = tuple(dict.fromkeys(f for source in sources for f in source.files))
        self.preset, self._defaults = preset, default_values(preset)
        self._palettes = [param.name for param in preset.params if param.type == "palette"]
        return True

    def _build_resolve(self, root: Path) -> ShaderPass:
        settings = f"#define SSAA {self.ssaa}\n#define FLIP {int(self.flip_output)}\n"
        source = assemble(root / RESOLVE_SHADER, prelude() + settings, (root,), root)
        spec = PassSpec(root / RESOLVE_SHADER, TargetSpec("resolve"), (("iChannel0", OUTPUT_TARGET),))
        return self._shader_pass(source, root / RESOLVE_SHADER, spec)

    def _shader_pass(self, source: ShaderSource, path: Path, spec: PassSpec) -> ShaderPass:
        """A pass on the cached program for `source` (from the file `path`); the program's
        use is given back if the pass fails."""
        with _compile_watch(path):
            program = self.programs.get(source, path.name)
        try:
            return ShaderPass(self.ctx, program, spec)
        except BaseException:
            self.programs.put(program)
            raise

    def reset(self) -> None:
        """Clear every target and the output: the graph draws as if new (feedback forgotten)."""
        for target in self.targets.values():
            target.clear()
        self.output.clear(0.0, 0.0, 0.0, 0.0)

    @property
    def state_passes(self) -> list[ShaderPass]:
        """Passes that keep musical state: small fixed-size feedback targets fed
        only by the audio and themselves. Cheap enough to step through every
        frame of a track, so their memory never limits an exact `--start`."""
        return self._state_passes

    def state_snapshot(self) -> dict[str, tuple[int, list[bytes]]]:
        """The state passes' targets (both copies of each ping-pong), by name: with
        `restore_state`, resumes their musical state elsewhere in the track."""
        names = dict.fromkeys(shader_pass.spec.target.name for shader_pass in self.state_passes)
        return {name: self.targets[name].snapshot() for name in names}

    def restore_state(self, snapshot: dict[str, tuple[int, list[bytes]]]) -> None:
        """Write back a `state_snapshot` of this graph's preset. ValueError (nothing
        written) when it names other targets or sizes."""
        if set(snapshot) != set(self.state_snapshot()):
            raise ValueError("the snapshot holds other state targets")
        for name, (front, pixels) in snapshot.items():
            self.targets[name].restore(front, pixels)

    def render(self, inputs: FrameInputs, params: Mapping[str, object] | None = None,
               state_only: bool = False) -> None:
        """Draw every pass for one frame, then resolve into `self.output`
        (with `state_only`, just the `state_passes`, no resolve).

        `params` are this frame's parameter values (from the modulation
        engine); parameters it leaves out keep their defaults."""
        textures = self.resources.audio.upload(inputs.features)
        values = frame_uniform_values(inputs)
        values.update(self._defaults)
        values.update(params or {})
        for name in self._palettes:
            values[name] = palette_coefficients(values[name])
        values["uSeed"] = (self.preset.seed % 9973) / 9973.0
        for shader_pass in self.state_passes if state_only else self.passes:
            target = self.targets[shader_pass.spec.target.name]
            textures.update({name: t.texture for name, t in self.targets.items()})
            for name, value in values.items():
                shader_pass.set(name, value)
            self._draw(shader_pass, target.framebuffer, textures)
            target.swap()
        if state_only:
            return
        textures[OUTPUT_TARGET] = self.targets[OUTPUT_TARGET].texture
        self._draw(self._resolve, self.output, textures)

    def _draw(self, shader_pass: ShaderPass, framebuffer: moderngl.Framebuffer,
              textures: dict[str, moderngl.Texture]) -> None:
        """Draw one pass; its first draw under a supervisor waits for the GPU under a watch,
        later ones beat (`guard.beat`: a frame that never ends is stopped too)."""
        if shader_pass in self._drawn or not guard.supervised():
            if guard.beat_due():
                guard.beat(*_progress_failure(shader_pass.spec.shader, framebuffer.size))
            shader_pass.draw(framebuffer, textures)
            return
        with _first_draw_watch(shader_pass.spec.shader, framebuffer.size):
            shader_pass.draw(framebuffer, textures)
            self.ctx.finish()  # the driver compiles and draws now, inside the watch
        self._drawn.add(shader_pass)

    def read_rgb(self) -> np.ndarray:
        """The output as (height, width, 3) uint8: top row first when `flip_output` (offline),
        bottom row first otherwise (a window's framebuffer). Synchronous."""
        width, height = self.size
        data = self.output.read(components=3, alignment=1)
        return np.frombuffer(data, np.uint8).reshape(height, width, 3)

    @property
    def output(self) -> moderngl.Framebuffer:
        """The finished frame: 8-bit rgba at `size`, rows top-down when flipped."""
        assert self._output is not None, "the graph was released"
        return self._output.framebuffer

    def release(self) -> None:
        """Release the graph's own GL objects and give borrowed surfaces back; safe twice."""
        bind_default_framebuffer(self.ctx)  # never leave a released framebuffer bound
        resolve = getattr(self, "_resolve", None)
        for shader_pass in (*self.passes, *([resolve] if resolve else [])):
            shader_pass.release()
            self.programs.put(shader_pass.program)
        self._resolve = None
        for target in self.targets.values():
            target.release()
        self.passes, self.targets = [], {}
        self._drawn.clear()
        if self._output is not None:
            self.resources.surfaces.give_back(self._output)
            self._output = None
        if self._owns_resources:
            self.resources.release()
        guard.rest()  # no more draws from this graph: the supervisor stops expecting beats


def _compile_watch(path: Path) -> AbstractContextManager[None]:
    """A watch on the driver's compile of the shader file `path` (none unsupervised)."""
    if not guard.supervised():
        return nullcontext()
    limit, shown = guard.time_limit("compile"), shown_path(path)
    failure = (f"{shown}: the GL driver took longer than {limit:g} s to compile it (too much code: deep"
               f" macros, long unrolled loops or huge arrays?); simplify it, or raise {guard.COMPILE_LIMIT_VARIABLE}")
    return guard.watch(limit, failure, subject=shown)


def _first_draw_watch(path: Path, size: tuple[int, int]) -> AbstractContextManager[None]:
    """A watch on the first draw of the pass from shader file `path` into `size` pixels."""
    limit, shown = guard.time_limit("frame"), shown_path(path)
    failure = (f"{shown}: its first frame at {size[0]}x{size[1]} took longer than {limit:g} s (a loop that"
               f" runs too long?); make it cheaper or render smaller, or raise {guard.FRAME_LIMIT_VARIABLE}")
    return guard.watch(limit, failure, subject=shown)


def checked_sources(preset: PresetSpec) -> list[ShaderSource]:
    """Every pass's assembled source, after checking the graph and the parameters."""
    _check_graph(preset)
    root = shaders_dir()
    sources = [load_shader(spec.shader, (spec.shader.parent, root), root) for spec in preset.passes]
    shown = shown_path(preset.path) if preset.path else preset.name
    problems = param_problems(preset, sources, shown)
    if problems:
        raise PresetError("\n".join(problems))
    return sources


def _check_graph(preset: PresetSpec) -> None:
    """Every input names a target written earlier (or its own, with feedback)."""
    where = preset.path or preset.name
    written: set[str] = set()
    feedback = {spec.target.name for spec in preset.passes if spec.target.feedback}
    for index, spec in enumerate(preset.passes):
        for sampler, source in spec.inputs:
            if source in BUILTIN_SOURCES or source in written or source in feedback:
                continue
            hint = (
                "set feedback = true on its pass"
                if source == spec.target.name
                else "draw it in an earlier pass, or set feedback = true on the pass that draws it"
            )
            raise PresetError(
                f"{where}: pass {index + 1} ({spec.target.name}) reads {sampler} = "
                f'"{source}" before any pass draws it; {hint}'
            )
        written.add(spec.target.name)
    if not preset.passes or preset.passes[-1].target.name != OUTPUT_TARGET:
        raise PresetError(f'{where}: the last pass must draw target "{OUTPUT_TARGET}"')


def _progress_failure(path: Path, size: tuple[int, int]) -> tuple[str, float]:
    """What to report, and after how many seconds, should drawing stop at the pass from `path`."""
    limit, shown = guard.time_limit("frame"), shown_path(path)
    return (f"{shown}: a frame at {size[0]}x{size[1]} made no progress for {limit:g} s (a loop that grows"
            f" with iTime?); make it cheaper or render smaller, or raise {guard.FRAME_LIMIT_VARIABLE}"), limit
