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


@dataclass(frozen=True)
class SetTempo:
    """Fix the tempo at `bpm` (a MIDI clock, an OSC message); None: back to automatic."""

    bpm: float | None


@dataclass(frozen=True)
class BeatNow:
    """A beat falls at the stream time of the frame this is applied before (MIDI clock's quarter note)."""


@dataclass(frozen=True)
class NextPreset:
    """The playlist's next entry (in its order, or its shuffle)."""


@dataclass(frozen=True)
class PreviousPreset:
    """Back to the entry shown before this one (the history, not the list order)."""


@dataclass(frozen=True)
class RandomPreset:
    """A random entry other than the one showing."""


@dataclass(frozen=True)
class Favourite:
    """The entry marked as favourite `slot` (the number keys 1-9 and 0)."""

    slot: int


@dataclass(frozen=True)
class LoadPreset:
    """The playlist entry, or any preset, of this name (or path)."""

    name: str


@dataclass(frozen=True)
class ToggleLock:
    """Stop (or resume) automatic advances; a performer's own switches still happen."""


@dataclass(frozen=True)
class Blackout:
    """Black screen while on; None toggles."""

    on: bool | None = None


@dataclass(frozen=True)
class Freeze:
    """Hold the picture while on (the show goes on underneath); None toggles."""

    on: bool | None = None


@dataclass(frozen=True)
class ToggleHud:
    """Show or hide the heads-up display."""


@dataclass(frozen=True)
class ReloadPreset:
    """Load the current preset's files again."""


@dataclass(frozen=True)
class SetTransitionLength:
    """Transition length in beats (`beats`), or double (`step` 1) / halve (`step` -1) it."""

    beats: float | None = None
    step: int = 0


@dataclass(frozen=True)
class SetTransitionStyle:
    """The transition used from now on, by name (fade, luma_wipe, radial_iris, ...)."""

    name: str


@dataclass(frozen=True)
class ToggleFullscreen:
    """Fullscreen on the chosen monitor, or back to a window."""


@dataclass(frozen=True)
class LearnMidi:
    """Map the next MIDI control moved to `target` ("param:NAME" or an action name)."""

    target: str


ControlEvent = (TapTempo | SetParam | SetModulationAmount | Undo | Redo | Save | Snapshot | TogglePanel | Quit
                | SetTempo | BeatNow | NextPreset | PreviousPreset | RandomPreset | Favourite | LoadPreset
                | ToggleLock | Blackout | Freeze | ToggleHud | ReloadPreset | SetTransitionLength
                | SetTransitionStyle | ToggleFullscreen | LearnMidi)
"""Every event the bus carries."""
