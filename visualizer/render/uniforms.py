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
    """One uniform: GLSL name and type, what it holds (units, range), and the
    `FrameFeatures` field that feeds it, if any."""

    name: str
    glsl_type: str
    meaning: str
    feature: str | None = None


def _audio(name: str, feature: str, meaning: str, glsl_type: str = "float") -> UniformDecl:
    return UniformDecl(name, glsl_type, meaning, feature)


SHADERTOY_UNIFORMS: tuple[UniformDecl, ...] = (
    UniformDecl("iResolution", "vec3", "size of the current pass's target in pixels (x, y, 1)"),
    UniformDecl("iTime", "float",
                "seconds: frame / fps from the start of the audio (live: the measured clock)"),
    UniformDecl("iTimeDelta", "float",
                "seconds since the previous frame (live: measured, same clock as iTime)"),
    UniformDecl("iFrame", "int", "frame number: n, drawn at n / fps (live: frames shown so far)"),
    UniformDecl("iFrameRate", "float", "frames per second"),
    UniformDecl("iChannelResolution[4]", "vec3", "size of each iChannel texture in pixels"),
    UniformDecl("iChannel0", "sampler2D", "audio texture 512x2 unless the preset binds another"),
    UniformDecl("iChannel1", "sampler2D", "input bound by the preset"),
    UniformDecl("iChannel2", "sampler2D", "input bound by the preset"),
    UniformDecl("iChannel3", "sampler2D", "input bound by the preset"),
    UniformDecl("iSampleRate", "float", "audio sample rate in Hz"),
)

AUDIO_UNIFORMS: tuple[UniformDecl, ...] = (
    UniformDecl("uAudio", "sampler2D", "audio texture 512x2: row 0 spectrum, row 1 waveform, 0..1"),
    UniformDecl("uBands", "sampler2D", "64x1 log-spaced band levels 30 Hz-16 kHz, 0..1 in .x"),
    UniformDecl("uSpectrogram", "sampler2D", "64x128 band history, .x 0..1; y = 0 newest row, 1 oldest"),
    _audio("uLevel", "level", "overall loudness (RMS), adaptive gain, attack/release, 0..1"),
    _audio("uBass", "bass", "bass band level 20-200 Hz, 0..1"),
    _audio("uMid", "mid", "mid band level 200-4000 Hz, 0..1"),
    _audio("uHigh", "high", "high band level 4-16 kHz, 0..1"),
    _audio("bass", "bass_rel", "MilkDrop bass: this frame's bass energy / its long-term average, ~1.0"),
    _audio("mid", "mid_rel", "MilkDrop mid, ~1.0 on average"),
    _audio("treb", "treb_rel", "MilkDrop treb, ~1.0 on average"),
    _audio("bass_att", "bass_att", "MilkDrop bass_att: bass smoothed (~0.12 s), ~1.0"),
    _audio("mid_att", "mid_att", "MilkDrop mid_att, ~1.0"),
    _audio("treb_att", "treb_att", "MilkDrop treb_att, ~1.0"),
    _audio("uOnsetStrength", "onset_strength", "onset strength (spectral flux), normalised 0..1"),
    _audio("uOnset", "onset", "pulse: jumps to 1 on any onset, decays, 0..1"),
    _audio("uBassHit", "bass_hit", "pulse on a bass onset (kick), 0..1"),
    _audio("uMidHit", "mid_hit", "pulse on a mid onset (snare, chords), 0..1"),
    _audio("uHighHit", "high_hit", "pulse on a high onset (hats), 0..1"),
    _audio("uTempo", "tempo_bpm", "tempo in beats per minute (0 until known)"),
    _audio("uTempoConfidence", "tempo_confidence", "confidence of the tempo, 0..1"),
    _audio("uBeatPhase", "beat_phase", "position within the beat: 0 on the beat, rising to 1"),
    _audio("uBeatCount", "beat_count", "beats counted so far (a float holding an integer)"),
    _audio("uBarPhase", "bar_phase", "position within the bar (uBeatsPerBar beats), 0..1"),
    _audio("uBeatsPerBar", "beats_per_bar", "beats per bar, the meter (4 by default)"),
    _audio("uBeatPulse", "beat_pulse", "pulse: 1 on each beat, decaying, 0..1"),
    _audio("uIntensity", "intensity", "slow energy envelope of the song (build-ups, drops), 0..1"),
    _audio("uBassPresence", "bass_presence", "is there bass in the music now, 0..1 (slow)"),
    _audio("uMidPresence", "mid_presence", "are there mids now, 0..1 (slow)"),
    _audio("uHighPresence", "high_presence", "are there highs now, 0..1 (slow)"),
    _audio("uBuild", "build", "how far into a build-up, 0..1: 0 outside one, back to 0 at the drop"),
    _audio("uDrop", "drop", "pulse: 1 at a drop, decaying (0.3 s), 0..1"),
    _audio("uSinceDrop", "since_drop", "seconds since the last drop (10000 before the first)"),
    _audio("uDropCount", "drop_count", "drops so far (a float holding an integer)"),
    _audio("uBreakdown", "breakdown", "in a breakdown, 0..1, eased in and out"),
    _audio("uSection", "section",
           "section number: 0 at the start, +1 at each new one (a float holding an integer)"),
    _audio("uSectionChange", "section_change",
           "pulse: 1 at a new section (not at the start), decaying (0.3 s), 0..1"),
    _audio("uSectionPhase", "section_phase", "position within the section, 0..1"),
    UniformDecl("uSeed", "float", "per-preset random seed, 0..1 (fixed: renders are deterministic)"),
)

STANDARD_UNIFORMS: tuple[UniformDecl, ...] = SHADERTOY_UNIFORMS + AUDIO_UNIFORMS


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


def markdown_table(uniforms: tuple[UniformDecl, ...] = STANDARD_UNIFORMS) -> str:
    """A markdown table of `uniforms` (docs/uniforms.md, docs/audio.md)."""
    rows = ["| name | type | meaning |", "|---|---|---|"]
    rows += [f"| `{u.name}` | `{u.glsl_type}` | {u.meaning} |" for u in uniforms]
    return "\n".join(rows) + "\n"


@dataclass(frozen=True)
class FrameInputs:
    """Everything one frame's uniforms are made from: the clock and the music.

    `time` and `time_delta` are seconds; `frame` counts from 0; `sample_rate`
    (Hz) is the audio's own (iSampleRate).
    """

    time: float
    time_delta: float
    frame: int
    frame_rate: float
    features: FrameFeatures
    sample_rate: float


def frame_uniform_values(inputs: FrameInputs) -> dict[str, float | int]:
    """Scalar standard uniforms for one frame (resolutions are set per pass)."""
    values: dict[str, float | int] = {
        "iTime": inputs.time,
        "iTimeDelta": inputs.time_delta,
        "iFrame": inputs.frame,
        "iFrameRate": inputs.frame_rate,
        "iSampleRate": inputs.sample_rate,
    }
    for uniform in _FED_BY_FEATURES:
        values[uniform.name] = float(getattr(inputs.features, uniform.feature))
    return values


_FED_BY_FEATURES = tuple(u for u in STANDARD_UNIFORMS if u.feature is not None)
