"""The uniforms every shader can rely on, declared once.

The GLSL prelude is generated from `STANDARD_UNIFORMS`, and docs/uniforms.md
documents the same table. Shadertoy names first, then our audio uniforms.
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.features.frame import FrameFeatures

GLSL_VERSION = "#version 330 core"


@dataclass(frozen=True)
class UniformDecl:
    """One uniform: GLSL name and type, and what it holds (with units/range)."""

    name: str
    glsl_type: str
    meaning: str


STANDARD_UNIFORMS: tuple[UniformDecl, ...] = (
    UniformDecl("iResolution", "vec3", "size of the current pass's target in pixels (x, y, 1)"),
    UniformDecl("iTime", "float", "seconds since the start of the render (frame / fps offline)"),
    UniformDecl("iTimeDelta", "float", "seconds since the previous frame"),
    UniformDecl("iFrame", "int", "frame number, from 0"),
    UniformDecl("iFrameRate", "float", "frames per second"),
    UniformDecl("iChannelResolution[4]", "vec3", "size of each iChannel texture in pixels"),
    UniformDecl("iChannel0", "sampler2D", "audio texture 512x2 unless the preset binds another"),
    UniformDecl("iChannel1", "sampler2D", "input bound by the preset"),
    UniformDecl("iChannel2", "sampler2D", "input bound by the preset"),
    UniformDecl("iChannel3", "sampler2D", "input bound by the preset"),
    UniformDecl("iSampleRate", "float", "audio sample rate in Hz"),
    UniformDecl("uAudio", "sampler2D", "audio texture 512x2: row 0 spectrum, row 1 waveform, 0..1"),
    UniformDecl("uLevel", "float", "overall loudness (RMS), adaptive-gain normalised, 0..1"),
    UniformDecl("uBass", "float", "bass band level 20-250 Hz, 0..1"),
    UniformDecl("uMid", "float", "mid band level 250-4000 Hz, 0..1"),
    UniformDecl("uHigh", "float", "high band level 4-16 kHz, 0..1"),
    UniformDecl("uSeed", "float", "per-preset random seed, 0..1 (fixed: renders are deterministic)"),
)


def prelude() -> str:
    """The GLSL text placed before every fragment shader."""
    lines = [GLSL_VERSION, "precision highp float;"]
    lines += [_declaration(u) for u in STANDARD_UNIFORMS]
    lines.append("out vec4 fragColor;")
    return "\n".join(lines) + "\n"


def _declaration(uniform: UniformDecl) -> str:
    name, _, count = uniform.name.partition("[")
    suffix = f"[{count}" if count else ""
    return f"uniform {uniform.glsl_type} {name}{suffix};"


def markdown_table() -> str:
    """The uniform table of docs/uniforms.md."""
    rows = ["| name | type | meaning |", "|---|---|---|"]
    rows += [f"| `{u.name}` | `{u.glsl_type}` | {u.meaning} |" for u in STANDARD_UNIFORMS]
    return "\n".join(rows) + "\n"


@dataclass(frozen=True)
class FrameInputs:
    """Everything one frame's uniforms are made from: the clock and the music.

    `time` and `time_delta` are seconds; `frame` counts from 0.
    """

    time: float
    time_delta: float
    frame: int
    frame_rate: float
    features: FrameFeatures
    sample_rate: float = 44100.0


def frame_uniform_values(inputs: FrameInputs) -> dict[str, float | int]:
    """Scalar standard uniforms for one frame (resolutions are set per pass)."""
    features = inputs.features
    return {
        "iTime": inputs.time,
        "iTimeDelta": inputs.time_delta,
        "iFrame": inputs.frame,
        "iFrameRate": inputs.frame_rate,
        "iSampleRate": inputs.sample_rate,
        "uLevel": features.level,
        "uBass": features.bass,
        "uMid": features.mid,
        "uHigh": features.high,
    }
