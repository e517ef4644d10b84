"""The song-structure fields of `FrameFeatures`, and their offline values.

Eight fields, the same names live and offline (docs/audio.md, "Song structure"):
`build`, `drop`, `since_drop`, `drop_count`, `breakdown`, `section`,
`section_change`, `section_phase`. `offline_fields` reads them at one time
from a whole-track `SongStructure`; the live detector produces the same keys.
Nothing here imports the rhythm module, which imports this one.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

from visualizer.features.smoothing import pulse, smoothstep

if TYPE_CHECKING:
    from visualizer.features.structure import SongStructure

STRUCTURE_DECAY = 0.3
"""Seconds for the `drop` and `section_change` pulses to fall to 1/e."""
NO_DROP_S = 10000.0
"""`since_drop` before the first drop: longer than any song, so `since_drop < x` is false."""
BREAKDOWN_FADE_S = 0.5
"""Seconds `breakdown` takes to ease from 0 to 1 after a breakdown starts, and back
to 0 before it ends (less in a breakdown shorter than twice this)."""

STRUCTURE_FIELDS: tuple[str, ...] = (
    "build", "drop", "since_drop", "drop_count", "breakdown", "section", "section_change",
    "section_phase",
)
"""The `FrameFeatures` fields that describe the song's structure."""

Interval = tuple[float, float]


def no_structure_fields() -> dict[str, float | int]:
    """The fields' values when nothing is known: all 0 but `since_drop` = NO_DROP_S."""
    return {"build": 0.0, "drop": 0.0, "since_drop": NO_DROP_S, "drop_count": 0, "breakdown": 0.0,
            "section": 0, "section_change": 0.0, "section_phase": 0.0}


def structure_pulse(since: float) -> float:
    """The `drop` / `section_change` pulse `since` seconds after its event."""
    return pulse(since, STRUCTURE_DECAY)


def offline_fields(structure: SongStructure, time: float) -> dict[str, float | int]:
    """The eight structure fields at `time` (seconds) of a whole-track structure.

    O(log n) in the number of sections and events (bisection), so cheap per frame.
    """
    values = {"build": build_at(structure.builds, time),
              "breakdown": breakdown_at(structure.breakdowns, time)}
    values.update(drop_fields(structure.drops, time))
    values.update(section_fields(structure.sections, time))
    return values


def _interval_at(intervals: Sequence[Interval], time: float) -> Interval | None:
    """The interval of ordered, disjoint `intervals` with start <= time < end, if any."""
    index = bisect.bisect_right(intervals, time, key=lambda interval: interval[0]) - 1
    if index >= 0 and time < intervals[index][1]:
        return intervals[index]
    return None


def build_at(builds: Sequence[Interval], time: float) -> float:
    """0 -> 1 linearly across the build containing `time`; 0 outside, 0 from its end on."""
    build = _interval_at(builds, time)
    if build is None:
        return 0.0
    start, end = build
    return min(1.0, (time - start) / max(end - start, 1e-9))


def breakdown_at(breakdowns: Sequence[Interval], time: float,
                 fade: float = BREAKDOWN_FADE_S) -> float:
    """0..1 in the breakdown containing `time`: smoothstep up over its first `fade`
    seconds and down over its last (fade = half of a shorter breakdown), 0 outside."""
    breakdown = _interval_at(breakdowns, time)
    if breakdown is None:
        return 0.0
    start, end = breakdown
    fade = max(min(fade, (end - start) / 2.0), 1e-9)
    return smoothstep(0.0, 1.0, min((time - start) / fade, (end - time) / fade))


def drop_fields(drops: Sequence[float], time: float) -> dict[str, float | int]:
    """`drop` (pulse), `since_drop` (s; NO_DROP_S before the first) and `drop_count`
    (drops at or before `time`) from the ordered drop times (s)."""
    count = bisect.bisect_right(drops, time)
    if count == 0:
        return {"drop": 0.0, "since_drop": NO_DROP_S, "drop_count": 0}
    since = time - drops[count - 1]
    return {"drop": structure_pulse(since), "since_drop": since, "drop_count": count}


def section_fields(sections: Sequence[Interval], time: float) -> dict[str, float | int]:
    """`section` (0-based index; before 0 the first, past the end the last),
    `section_change` (pulse from the start of every section but the first) and
    `section_phase` ((time - start) / length, clipped to 0..1)."""
    if not sections:
        return {"section": 0, "section_change": 0.0, "section_phase": 0.0}
    index = bisect.bisect_right(sections, time, key=lambda section: section[0]) - 1
    index = min(max(index, 0), len(sections) - 1)
    start, end = sections[index]
    change = structure_pulse(time - start) if index > 0 else 0.0
    phase = min(1.0, max(0.0, (time - start) / max(end - start, 1e-9)))
    return {"section": index, "section_change": change, "section_phase": phase}
