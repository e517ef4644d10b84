"""Triggers: stateless functions of (seed, param, beat, bar, section or drop index).

Nothing here counts frames, so a render started mid-track gets the same
values as a full one.
"""

from __future__ import annotations

import math
import zlib

from visualizer.features.frame import FrameFeatures
from visualizer.params.sources import bar_index, beat_index
from visualizer.preset.modulation_spec import ParamSpec, Trigger, Value

_MASK = (1 << 64) - 1


def _mix(x: int) -> int:
    """splitmix64's finalizer: a 64-bit integer hash."""
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9 & _MASK
    x = (x ^ (x >> 27)) * 0x94D049BB133111EB & _MASK
    return x ^ (x >> 31)


def unit_random(seed: int, name: str, index: int, salt: int = 0) -> float:
    """A deterministic uniform value in [0, 1) for (seed, name, index, salt)."""
    h = _mix((seed & _MASK) ^ 0x9E3779B97F4A7C15)
    h = _mix(h ^ zlib.crc32(name.encode("utf-8")))
    h = _mix(h ^ (index & _MASK))
    h = _mix(h ^ (salt & _MASK))
    return (h >> 11) * 2.0**-53


def firing_index(trigger: Trigger, features: FrameFeatures) -> int:
    """How many times the trigger has fired: 0 before its first event, then
    1 + index // every, so it fires on the first event and whenever the index
    (0 there) becomes a multiple of `every`.

    The index: beats or bars from the first downbeat; section changes
    (`section` - 1) or drops (`drop_count` - 1) from the first one.
    """
    index = _event_index(trigger.on, features)
    return index // trigger.every + 1 if index >= 0 else 0


def _event_index(on: str, features: FrameFeatures) -> int:
    """The 0-based index of the latest `on` event; negative before the first."""
    if on == "beat":
        return beat_index(features)
    if on == "bar":
        return bar_index(features)
    return int(features.section if on == "section" else features.drop_count) - 1


def trigger_bounds(trigger: Trigger, param: ParamSpec) -> tuple[float, float]:
    """[min, max] for random and step: the trigger's own, else the param's range."""
    low, high = param.bounds()
    if param.type in ("bool", "color"):
        low, high = 0.0, 1.0
    low = trigger.min if trigger.min is not None else low
    high = trigger.max if trigger.max is not None else high
    if low is None or high is None:
        raise ValueError(f'trigger on "{param.name}" needs min and max')
    return float(low), float(high)


def _distinct_index(seed: int, name: str, k: int, count: int, start: int) -> int:
    """Firing k's option in 0..count-1, never the same as firing k - 1's.

    Even firings draw freely (firing 0 is `start`); odd ones draw among the
    options left after excluding both even neighbours, so no state is needed.
    """
    if count < 2:
        return 0
    if count == 2:
        return start ^ (k & 1)

    def even(j: int) -> int:
        return start if j == 0 else int(unit_random(seed, name, j) * count)

    if k % 2 == 0:
        return even(k)
    excluded = sorted({even(k - 1), even(k + 1)})
    pick = int(unit_random(seed, name, k) * (count - len(excluded)))
    for value in excluded:
        pick += pick >= value
    return pick


def _random(trigger: Trigger, param: ParamSpec, value: Value, seed: int, k: int) -> Value:
    low, high = trigger_bounds(trigger, param)
    name = param.name
    if param.type == "bool":
        return unit_random(seed, name, k) < 0.5
    if param.type in ("int", "choice"):
        first, last = math.ceil(low), math.floor(high)
        count = max(1, last - first + 1)
        start = min(count - 1, max(0, int(value) - first))
        return first + _distinct_index(seed, name, k, count, start)
    if param.type in ("color", "vec2"):
        channels = range(1, len(value) + 1)
        return tuple(low + unit_random(seed, name, k, i) * (high - low) for i in channels)
    return low + unit_random(seed, name, k) * (high - low)


def _step(trigger: Trigger, param: ParamSpec, value: Value, k: int) -> int:
    low, high = trigger_bounds(trigger, param)
    increment = max(1, round(param.step)) if param.type == "int" and param.step else 1
    first = math.ceil(low)
    count = max(1, (math.floor(high) - first) // increment + 1)
    current = min(count - 1, max(0, round((int(value) - first) / increment)))
    return first + (current + k) % count * increment


def apply_trigger(trigger: Trigger, param: ParamSpec, value: Value, seed: int,
                  features: FrameFeatures) -> Value:
    """The param's value after this trigger, given its value before (the base)."""
    k = firing_index(trigger, features)
    if k == 0:
        return value
    if trigger.action == "toggle":
        return bool(value) ^ bool(k & 1)
    if trigger.action == "step":
        return _step(trigger, param, value, k)
    return _random(trigger, param, value, seed, k)
