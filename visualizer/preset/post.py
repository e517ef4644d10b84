"""The post chain: reusable effects appended after a preset's passes.

    [post]
    chain = ["bloom", "tonemap", "vignette", "grain"]   # in this order
    [post.grain]
    amount = 0.05                                       # a setting: param grain_amount

Each effect is a shader in shaders/post/ reading the previous image through
iChannel1; its settings become float parameters `<effect>_<setting>` (group
"Post"), so the editor shows them and modulations can drive them.
"""

from __future__ import annotations

from dataclasses import replace

from visualizer.naming import did_you_mean
from visualizer.paths import shaders_dir
from visualizer.preset.modulation_spec import ParamSpec
from visualizer.preset.spec import OUTPUT_TARGET, PassSpec

POST_EFFECTS: dict[str, dict[str, tuple[float, float, float]]] = {
    "bloom": {"strength": (0.6, 0.0, 3.0), "threshold": (0.7, 0.0, 2.0), "radius": (6.0, 1.0, 32.0)},
    "tonemap": {"exposure": (1.0, 0.1, 4.0)},
    "chromatic": {"amount": (0.002, 0.0, 0.02)},
    "vignette": {"amount": (0.6, 0.0, 1.5)},
    "grain": {"amount": (0.03, 0.0, 0.2)},
}
"""Effect -> setting -> (default, min, max)."""


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
    return _append(passes, chain), params


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


def _append(passes: tuple[PassSpec, ...], chain: list[str]) -> tuple[PassSpec, ...]:
    last = passes[-1]
    head = replace(last, target=replace(last.target, name="post_0", format="rgba16f"))
    result = [*passes[:-1], head]
    for index, effect in enumerate(chain, start=1):
        name = OUTPUT_TARGET if index == len(chain) else f"post_{index}"
        target = replace(last.target, name=name, format="rgba8" if name == OUTPUT_TARGET else "rgba16f",
                         feedback=False, size=None, scale=1.0)
        result.append(PassSpec(shaders_dir() / "post" / f"{effect}.glsl", target, (("iChannel1", f"post_{index - 1}"),)))
    return tuple(result)
