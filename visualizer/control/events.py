"""What a performer can ask of the show, as values: a key, and later a MIDI
note or an OSC message, becomes one of these events on the `ControlBus`.

Events carry no reference to the show; they are applied between frames by
whoever handles them (see `visualizer.control.apply`).
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.preset.modulation_spec import Value

Amount = float | tuple[float, float]
"""A modulation's amount: a number, or an (x, y) pair for a vec2 parameter."""


@dataclass(frozen=True)
class TapTempo:
    """A tap of the tempo, at the stream time of the frame it is applied before."""


@dataclass(frozen=True)
class SetParam:
    """Set parameter `name`'s base value (what a slider, knob or fader sends)."""

    name: str
    value: Value


@dataclass(frozen=True)
class SetModulationAmount:
    """Set the amount of the preset's modulation number `index` (0-based, file order)."""

    index: int
    amount: Amount


@dataclass(frozen=True)
class Undo:
    """Undo the last parameter edit (the editor's history)."""


@dataclass(frozen=True)
class Redo:
    """Redo the last undone edit."""


@dataclass(frozen=True)
class Save:
    """Write the edited values back into the preset file."""


@dataclass(frozen=True)
class Snapshot:
    """Save the picture alone as a PNG in renders/."""


@dataclass(frozen=True)
class TogglePanel:
    """Show or hide the editor panel."""


@dataclass(frozen=True)
class Quit:
    """Close the window after this frame."""


ControlEvent = TapTempo | SetParam | SetModulationAmount | Undo | Redo | Save | Snapshot | TogglePanel | Quit
"""Every event the bus carries."""
