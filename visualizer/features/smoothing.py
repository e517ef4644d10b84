"""Envelope followers: adaptive gain and attack/release smoothing, per frame."""

from __future__ import annotations

import math


def pulse(since: float, decay: float, strength: float = 1.0) -> float:
    """An exponential pulse `since` seconds after its event (0 before it): `strength`
    there, falling to 1/e of it in `decay` seconds."""
    return strength * math.exp(-since / decay) if since >= 0.0 else 0.0


def smoothstep(low: float, high: float, x: float) -> float:
    """0 at or below `low`, 1 at or above `high`, a smooth cubic (3t^2 - 2t^3) between."""
    t = min(1.0, max(0.0, (x - low) / (high - low)))
    return t * t * (3.0 - 2.0 * t)


def coefficient(time_constant: float, dt: float) -> float:
    """One-pole smoothing factor for a time constant and step, both seconds."""
    return 1.0 - math.exp(-dt / time_constant) if time_constant > 0 else 1.0


class AttackRelease:
    """Follows rises within `attack` seconds and falls within `release` seconds."""

    def __init__(self, attack: float, release: float, dt: float) -> None:
        self.attack, self.release, self.dt = attack, release, dt
        self.up = coefficient(attack, dt)
        self.down = coefficient(release, dt)
        self.value = 0.0

    def step(self, target: float, dt: float | None = None) -> float:
        """Move toward `target` by one step of `dt` seconds (default: the step given at creation)."""
        rising = target > self.value
        if dt is None or dt == self.dt:
            rate = self.up if rising else self.down
        else:
            rate = coefficient(self.attack if rising else self.release, dt)
        self.value += (target - self.value) * rate
        return self.value


class AdaptiveGain:
    """Divides by a slowly decaying peak, so quiet and loud tracks read alike.

    Values below `floor` (the same units as the input) count as silence: the
    output is 0..1 and reaches 1 at the recent peak.
    """

    def __init__(self, release: float, dt: float, floor: float) -> None:
        self.decay = math.exp(-dt / release)
        self.floor = floor
        self.peak = floor

    def step(self, value: float) -> float:
        self.peak = max(value, self.peak * self.decay, self.floor)
        return max(0.0, value - self.floor) / (self.peak - self.floor) if self.peak > self.floor else 0.0
