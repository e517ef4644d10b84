"""The song's structure drawn over one panel of the `analyze --plot` figure.

Sections: alternating shaded spans, a dashed line at each boundary and the
section's number at its top left. Builds: hatched ramps rising from the
build's start to its end. Drops: thick red lines marked "drop" at the top.
Breakdowns: blue spans. Times in seconds on the x axis.
"""

from __future__ import annotations

from typing import Any

from visualizer.features.structure import SongStructure

BUILD_COLOR = "#f0a000"
DROP_COLOR = "#ff1a1a"
BREAKDOWN_COLOR = "#2f7fff"


def draw_structure(axis: Any, song: SongStructure, dark: bool) -> None:
    """Draw `song` over `axis` (a matplotlib Axes); `dark`: its background is dark
    (the spectrogram), so shading and lines are light."""
    from matplotlib.patches import Polygon
    from matplotlib.transforms import blended_transform_factory

    ink = "white" if dark else "black"
    across = blended_transform_factory(axis.transData, axis.transAxes)  # x in s, y 0..1
    for number, (start, end) in enumerate(song.sections):
        if number % 2:
            axis.axvspan(start, end, color=ink, alpha=0.12 if dark else 0.08, lw=0, zorder=0.5)
        if number:
            axis.axvline(start, color=ink, ls="--", lw=1.0, alpha=0.8)
        axis.text(start, 0.97, f" {number}", transform=across, color=ink, fontsize=8,
                  fontweight="bold", va="top", ha="left")
    for start, end in song.breakdowns:
        axis.axvspan(start, end, color=BREAKDOWN_COLOR, alpha=0.3 if dark else 0.2, lw=0)
    for start, end in song.builds:
        axis.add_patch(Polygon([(start, 0.0), (end, 0.0), (end, 0.9)], closed=True, transform=across,
                               facecolor="none", edgecolor=BUILD_COLOR, hatch="///", lw=1.2))
    for time in song.drops:
        axis.axvline(time, color=DROP_COLOR, lw=2.2)
        if not dark:
            axis.text(time, 0.97, "drop ", transform=across, color=DROP_COLOR, fontsize=8,
                      fontweight="bold", va="top", ha="right",
                      bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1})


def structure_legend(axis: Any) -> None:
    """A one-row legend of the structure marks, above `axis`."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor="black", alpha=0.15, label="sections (numbered, alternating)"),
        Line2D([], [], color="black", ls="--", lw=1.0, label="section boundary"),
        Patch(facecolor="none", edgecolor=BUILD_COLOR, hatch="///", label="build-up (ramp)"),
        Line2D([], [], color=DROP_COLOR, lw=2.2, label="drop"),
        Patch(facecolor=BREAKDOWN_COLOR, alpha=0.3, label="breakdown"),
    ]
    axis.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=len(handles),
                fontsize=8, frameon=False, borderaxespad=0.2)
