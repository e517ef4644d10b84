"""Presets are data: TOML files parsed into frozen specs. No GL here."""

from visualizer.preset.spec import PassSpec, PresetSpec, TargetSpec

__all__ = ["PassSpec", "PresetSpec", "TargetSpec"]
