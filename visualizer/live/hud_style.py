"""The HUD's look (colours, font size) and the guards that turn a value it
cannot show into "?" (no ImGui here)."""

from __future__ import annotations

import math

import numpy as np


def rgba(r: float, g: float, b: float, a: float = 1.0) -> int:
    """ImGui's packed colour (IM_COL32) for components 0..1."""
    return int(a * 255) << 24 | int(b * 255) << 16 | int(g * 255) << 8 | int(r * 255)


WHITE, DIM, FAINT = rgba(1, 1, 1), rgba(0.62, 0.64, 0.7), rgba(1, 1, 1, 0.14)
RED, AMBER, GREEN, CYAN = rgba(1, 0.3, 0.25), rgba(1, 0.72, 0.2), rgba(0.35, 1, 0.5), rgba(0.3, 0.8, 1)
PINK = rgba(1, 0.45, 0.85)
BAND_COLOURS = (rgba(0.95, 0.95, 1), rgba(1, 0.3, 0.5), rgba(0.4, 1, 0.5), rgba(0.35, 0.75, 1),
                rgba(0.75, 0.45, 1), rgba(1, 0.85, 0.3))
BUILD_COLOUR, DROP_COLOUR = rgba(1, 0.6, 0.15), rgba(1, 0.15, 0.15)
PANEL_EM, MARGIN_EM = 17.0, 0.5  # panel width and its distance from the window's edges, in em
BACKDROP_ALPHA = 0.8  # the panel over the picture: dark enough to read over a white void
MAX_BARS = 8
MAX_BEATS = 16


def font_px(height: int) -> float:
    """The HUD's font size for a window `height` pixels high: 1/40 of it, 13..48 px."""
    return min(max(height / 40.0, 13.0), 48.0)


def small_px(em: float) -> float:
    """The size of labels and badges for a font of `em` px: 0.8 em, at least 11 px."""
    return max(0.8 * em, 11.0)


# --- guards: a value the HUD cannot show becomes "?" (or None) ----------------------------------

def unit(value: object) -> float | None:
    """`value` clamped to 0..1, or None if it is not a finite number."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(number, 0.0), 1.0) if math.isfinite(number) else None


def whole(value: object, limit: int = 10**9) -> int | None:
    """`value` as an int within +-`limit`, or None."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return int(number) if math.isfinite(number) and abs(number) <= limit else None


def number(value: object, digits: int = 1, limit: float = 1e6) -> str:
    """`value` with `digits` decimals, or "?" if it is not a finite number within +-`limit`."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return "?"
    return f"{x:.{digits}f}" if math.isfinite(x) and abs(x) <= limit else "?"


def switched_on(value: object) -> bool:
    """True only for a true bool (numpy's included): NaN or a string lights nothing."""
    return isinstance(value, (bool, np.bool_)) and bool(value)


def line(value: object, limit: int = 64) -> str:
    """The first line of `value` as text, cut to `limit` characters."""
    text = value if isinstance(value, str) else ("" if value is None else repr(value))
    first = text.split("\n", 1)[0]
    return first if len(first) <= limit else first[:limit - 3] + "..."
