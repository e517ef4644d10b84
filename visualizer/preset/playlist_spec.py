"""What a set (a playlist) says, as frozen values: its entries, order, advance and transitions.

Read from TOML by `visualizer.preset.playlist`; played by `visualizer.params.director`.
The file format is documented in docs/playlists.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ORDERS = ("sequence", "shuffle")
"""`sequence`: file order, round and round; `shuffle`: each entry once per round, seeded."""
ADVANCES = ("manual", "bars", "sections", "seconds")
"""When the show moves on by itself (`manual`: never)."""
STARTS = ("beat", "bar", "drop", "now")
"""Where a performer's move (and a `seconds` advance) starts: the next beat, bar line, drop, or at once."""
DEFAULT_BPM = 120.0
"""The tempo beats are converted with when the music has none (silence)."""
DEFAULT_BARS = 16
"""`advance = "bars"` without `bars`: a change every 16 bars."""


@dataclass(frozen=True)
class TransitionSpec:
    """How one preset gives way to the next."""

    style: str = "fade"
    """A shipped transition's name (shaders/transitions/NAME.glsl) or an absolute path to a .glsl file."""
    beats: float | None = 4.0
    """Length in beats (0: a cut), converted with the tempo when the transition starts."""
    seconds: float | None = None
    """Length in seconds instead of beats (when not None, `beats` is unused)."""
    on: str = "bar"
    """Where a performer's move starts: one of STARTS."""

    def length_seconds(self, tempo_bpm: float) -> float:
        """The transition's length in seconds at `tempo_bpm` (DEFAULT_BPM when <= 0)."""
        if self.seconds is not None:
            return self.seconds
        tempo = tempo_bpm if tempo_bpm > 0.0 else DEFAULT_BPM
        return (self.beats or 0.0) * 60.0 / tempo


@dataclass(frozen=True)
class AdvanceSpec:
    """When the show moves to the next entry by itself."""

    mode: str = "sections"
    """One of ADVANCES."""
    bars: int | None = None
    """`bars`: change every this many bars; `sections`: also change after this many bars without a
    section change (None: wait for one)."""
    seconds: tuple[float, float] = (20.0, 40.0)
    """`seconds`: each entry stays a random duration in [min, max] seconds (drawn with the seed)."""
    min_dwell_bars: int = 4
    """No automatic advance (drop cuts included) before an entry has shown this many bars."""
    cut_on_drop: bool = False
    """On a drop (after the minimum dwell), cut to the next entry with the set's drop transition."""


@dataclass(frozen=True)
class PlaylistEntry:
    """One preset of the set."""

    preset: Path
    """The preset's TOML file (a bundle's preset.toml or a single .toml), resolved."""
    name: str
    """How it is shown and loaded by name: the bundle folder's name or the file's stem."""
    favourite: int | None = None
    """The number key (0-9) that jumps to it, or None."""
    transition: TransitionSpec | None = None
    """The transition used when coming INTO this entry (its length: the set's when
    both `beats` and `seconds` are None); None: the set's."""


@dataclass(frozen=True)
class PlaylistSpec:
    """A whole set, checked: every entry's preset file exists, every style is known."""

    name: str
    entries: tuple[PlaylistEntry, ...]
    path: Path | None = None
    """The set file or preset folder it was read from (None: made in code)."""
    order: str = "sequence"
    seed: int = 0
    advance: AdvanceSpec = field(default_factory=AdvanceSpec)
    transition: TransitionSpec = field(default_factory=TransitionSpec)
    drop_transition: TransitionSpec = field(
        default_factory=lambda: TransitionSpec(style="red_flash_cut", beats=1.0, on="drop"))
    """What a drop cut uses (`drop_style`, `drop_beats`)."""

    def styles(self) -> list[str]:
        """Every transition style the set names (its own, the drop's, the entries'), once each."""
        specs = [self.transition, self.drop_transition,
                 *(entry.transition for entry in self.entries if entry.transition is not None)]
        return list(dict.fromkeys(spec.style for spec in specs))

    def favourite_entry(self, slot: int) -> int | None:
        """The index of the entry on number key `slot`, or None."""
        return next((index for index, entry in enumerate(self.entries) if entry.favourite == slot), None)
