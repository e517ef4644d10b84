"""Loudness features per frame: normalised levels, MilkDrop-style relative
levels, a slow intensity envelope and per-band presence."""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.features.smoothing import AdaptiveGain, AttackRelease, coefficient, smoothstep

LEVEL_NAMES = ("level", "bass", "mid", "high")


@dataclass(frozen=True)
class LevelConfig:
    """Time constants in seconds; `silence_db` in dBFS."""

    attack: float = 0.008
    release: float = 0.15
    gain_release: float = 6.0
    silence_db: float = -60.0
    relative_average: float = 4.0  # MilkDrop's long-term average
    relative_attenuation: float = 0.12  # MilkDrop's *_att smoothing
    intensity_time: float = 2.5
    intensity_gain_release: float = 45.0
    presence_time: float = 0.6
    presence_gain_release: float = 60.0


class NormalisedLevels:
    """level/bass/mid/high in 0..1: adaptive gain, then attack/release."""

    def __init__(self, config: LevelConfig, dt: float):
        floor = 10.0 ** (config.silence_db / 20.0)
        self._gain = {n: AdaptiveGain(config.gain_release, dt, floor) for n in LEVEL_NAMES}
        self._smooth = {n: AttackRelease(config.attack, config.release, dt) for n in LEVEL_NAMES}

    def step(self, raw: dict[str, float]) -> dict[str, float]:
        return {n: self._smooth[n].step(self._gain[n].step(raw[n])) for n in LEVEL_NAMES}


class RelativeLevels:
    """MilkDrop's bass/mid/treb: this frame's band energy over its long-term
    average (about 1.0 is average, 2.0 twice as loud), and *_att, the same
    smoothed. Below the silence floor they read 0."""

    NAMES = {"bass": "bass", "mid": "mid", "high": "treb"}

    def __init__(self, config: LevelConfig, dt: float):
        self._long = coefficient(config.relative_average, dt)
        self._att = coefficient(config.relative_attenuation, dt)
        self._floor = (10.0 ** (config.silence_db / 20.0)) ** 2
        self._average = {band: 0.0 for band in self.NAMES}
        self._attenuated = {band: 0.0 for band in self.NAMES}

    def step(self, raw: dict[str, float]) -> dict[str, float]:
        values = {}
        for band, name in self.NAMES.items():
            energy = raw[band] ** 2
            self._average[band] += (energy - self._average[band]) * self._long
            self._attenuated[band] += (energy - self._attenuated[band]) * self._att
            average = max(self._average[band], self._floor)
            values[f"{name}_rel"] = energy / average if energy > self._floor else 0.0
            values[f"{name}_att"] = self._attenuated[band] / average if self._average[band] > self._floor else 0.0
        return values


class SongLevels:
    """Slow song-level features, 0..1: `intensity` (the energy envelope against
    the song's loudest passage) and `presence` of each band (is there bass now)."""

    def __init__(self, config: LevelConfig, dt: float):
        floor = 10.0 ** (config.silence_db / 20.0)
        self._envelope = AttackRelease(config.intensity_time, config.intensity_time, dt)
        self._intensity = AdaptiveGain(config.intensity_gain_release, dt, floor)
        self._band_env = {b: AttackRelease(config.presence_time, config.presence_time, dt) for b in LEVEL_NAMES[1:]}
        self._band_gain = {b: AdaptiveGain(config.presence_gain_release, dt, floor) for b in LEVEL_NAMES[1:]}

    def step(self, raw: dict[str, float]) -> dict[str, float]:
        values = {"intensity": self._intensity.step(self._envelope.step(raw["level"]))}
        for band in LEVEL_NAMES[1:]:
            relative = self._band_gain[band].step(self._band_env[band].step(raw[band]))
            values[f"{band}_presence"] = smoothstep(0.12, 0.4, relative)
        return values
