"""One error hierarchy. The CLI turns any `VisualizerError` into one line on
stderr and exit status 2; anything else is a bug in this program (exit 1)."""

from __future__ import annotations


class VisualizerError(Exception):
    """A problem the user can fix (bad input, missing file, unusable device)."""


class PresetError(VisualizerError):
    """A preset file is missing, unreadable or invalid."""


class ShaderError(VisualizerError):
    """A shader could not be loaded or built."""


class ShaderIncludeError(ShaderError):
    """An `#include` is missing, cyclic or nested too deep."""


class ShaderCompileError(ShaderError):
    """The GL driver rejected a shader; the message names file:line."""


class ShaderBudgetError(ShaderError):
    """A shader asks for more than the static resource budget (render/budget.py) allows."""


class AudioError(VisualizerError):
    """An audio file or device could not be read."""


class RenderError(VisualizerError):
    """The GL context or a render target could not be created."""


class EncoderError(VisualizerError):
    """The video encoder (ffmpeg) failed or the output cannot be written."""


class OutputError(EncoderError):
    """The output path is unusable (folder missing or not writable)."""


class ControlError(VisualizerError):
    """A control connection or file the user named is unusable (an OSC port, a MIDI port or map)."""
