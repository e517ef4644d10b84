"""The post chain: the shared post effects, appended after a preset's passes.

    [post]
    chain = ["bloom", "tonemap", "vignette", "grain"]   # in this order
    [post.grain]
    amount = 0.05                                       # a setting: param grain_amount

Each effect is a shader in shaders/post/ (built from shaders/lib/post.glsl)
reading the previous image through iChannel1; bloom first draws its glow in
three small passes. Effects run at the size of the picture the preset's last
pass draws; when that is smaller than the output, a final pass stretches it.
Settings become float parameters `<effect>_<setting>` (group "Post"), so the
editor shows them and modulations can drive them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from visualizer.naming import did_you_mean
from visualizer.paths import shaders_dir
from visualizer.preset.modulation_spec import ParamSpec
from visualizer.preset.spec import OUTPUT_TARGET, PassSpec, TargetSpec

POST_EFFECTS: dict[str, dict[str, tuple[float, float, float]]] = {
    "bloom": {"strength": (0.6, 0.0, 3.0), "threshold": (0.5, 0.0, 2.0), "radius": (6.0, 1.0, 32.0),
              "saturation": (1.0, 0.0, 3.0)},
    "tonemap": {"exposure": (1.0, 0.1, 4.0)},
    "chromatic": {"amount": (0.002, 0.0, 0.02)},
    "vignette": {"amount": (0.6, 0.0, 1.5), "softness": (0.6, 0.05, 1.0)},
    "grain": {"amount": (0.03, 0.0, 0.2)},
}
"""Effect -> setting -> (default, min, max). Bloom: strength of the glow, threshold
in light (display value squared, largest channel), radius (blur sigma) in pixels of
the picture, saturation of the glow. Vignette: amount at the corners, softness of
its edge. Grain and chromatic amounts in display values and uv."""

_BLOOM_PASSES: tuple[tuple[str, str, str], ...] = (
    ("bloom_bright", "bright", ""),
    ("bloom_blur_h", "blur_h", "bright"),
    ("bloom_blur_v", "glow", "blur_h"),
)
"""Bloom's small passes before its own: (shader, target, input; "" = the picture).
Each also reads the picture on iChannel2, whose size gives their scale."""


def post_chain(table: dict, passes: tuple[PassSpec, ...], problems) -> tuple[tuple[PassSpec, ...], list[ParamSpec]]:
    """`passes` with the chain appended (the last pass now draws "post_0"), and
    the effects' parameters."""
    chain = table.get("chain", [])
    problems.unknown_keys(table, ("chain", *POST_EFFECTS), "post.")
    if not isinstance(chain, list) or not all(isinstance(name, str) for name in chain):
        problems.add("post.chain", "expected a list of effect names")
        return passes, []
    for effect in POST_EFFECTS:
        if isinstance(table.get(effect), dict):
            problems.unknown_keys(table[effect], tuple(POST_EFFECTS[effect]), f"post.{effect}.")
    unknown = [name for name in chain if name not in POST_EFFECTS]
    for name in unknown:
        problems.add("post.chain", f'unknown effect "{name}"; {did_you_mean(name, POST_EFFECTS)}')
    if unknown or not chain or not passes:
        return passes, []
    params = [param for name in chain for param in _effect_params(name, table.get(name, {}), problems)]
    return _append(passes, chain, params), params


def _effect_params(effect: str, settings: object, problems) -> list[ParamSpec]:
    if not isinstance(settings, dict):
        problems.add(f"post.{effect}", "expected a table of settings")
        settings = {}
    params = []
    for setting, (default, low, high) in POST_EFFECTS[effect].items():
        value = settings.get(setting, default)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
            problems.add(f"post.{effect}.{setting}", f"expected a number in {low:g}..{high:g}, got {value!r}")
            value = default
        params.append(ParamSpec(f"{effect}_{setting}", "float", float(value), low, high, None,
                                f"{effect} {setting}", "Post"))
    return params


def _append(passes: tuple[PassSpec, ...], chain: list[str], params: list[ParamSpec]) -> tuple[PassSpec, ...]:
    """The chain after `passes`. The last pass now draws "post_0" (passes that read
    its target follow the name); each effect runs at that picture's size, and a
    final present pass stretches it to the output when it is smaller."""
    last = passes[-1]
    picture = replace(last.target, feedback=False)
    present = picture.size is not None or picture.scale != 1.0
    result = [_renamed(spec, last.target.name) for spec in passes]
    for index, effect in enumerate(chain, start=1):
        image = f"post_{index - 1}"
        final = index == len(chain) and not present
        name = OUTPUT_TARGET if final else f"post_{index}"
        inputs: tuple[tuple[str, str], ...] = (("iChannel1", image),)
        if effect == "bloom":
            radius = next(p.default for p in params if p.name == "bloom_radius")
            result.extend(_bloom_passes(picture, image, name, float(radius)))  # type: ignore[arg-type]
            inputs = (*inputs, ("iChannel2", f"{name}_glow"))
        hdr = "tonemap" in chain[index:]  # HDR until the tone map has run; display values fit 8 bits
        target = replace(picture, name=name, format="rgba16f" if hdr else "rgba8")
        result.append(PassSpec(_shader(effect), target, inputs))
    if present:
        last_effect = (("iChannel1", f"post_{len(chain)}"),)
        result.append(PassSpec(_shader("present"), TargetSpec(OUTPUT_TARGET), last_effect))
    return tuple(result)


def _renamed(spec: PassSpec, old: str) -> PassSpec:
    """`spec` with target `old` renamed "post_0" (rgba16f) where it draws or reads it."""
    inputs = tuple((sampler, "post_0" if source == old else source) for sampler, source in spec.inputs)
    target = replace(spec.target, name="post_0", format="rgba16f") if spec.target.name == old else spec.target
    return replace(spec, target=target, inputs=inputs)


def _bloom_passes(picture: TargetSpec, image: str, name: str, radius: float) -> list[PassSpec]:
    """Bloom's small passes, at the size where the blur's taps sit one texel apart
    at the preset's `radius` (sigma 2.4 texels = radius pixels of the picture)."""
    factor = min(0.5, max(1.0 / 16.0, 2.4 / radius))
    size = picture.size and (max(1, round(picture.size[0] * factor)), max(1, round(picture.size[1] * factor)))
    small = replace(picture, format="rgba16f", scale=picture.scale * factor, size=size or None)
    return [
        PassSpec(_shader(shader), replace(small, name=f"{name}_{target}"),
                 (("iChannel1", f"{name}_{source}" if source else image), ("iChannel2", image)))
        for shader, target, source in _BLOOM_PASSES
    ]


def _shader(name: str) -> Path:
    return shaders_dir() / "post" / f"{name}.glsl"
