"""Named cosine palettes: color(t) = a + b * cos(2 pi (c t + d)).

A `palette` parameter is a name from `PALETTES` or four [r, g, b] rows
(a, b, c, d) inline; shaders receive `uniform vec3 NAME[4]` and call
`palette(NAME, t)` from lib/palette.glsl.
"""

from __future__ import annotations

from visualizer.naming import did_you_mean

Coefficients = tuple[tuple[float, float, float], ...]

PALETTES: dict[str, Coefficients] = {
    "rainbow": ((0.5, 0.5, 0.5), (0.5, 0.5, 0.5), (1.0, 1.0, 1.0), (0.0, 0.33, 0.67)),
    "neon": ((0.5, 0.5, 0.5), (0.6, 0.6, 0.6), (1.0, 1.0, 1.0), (0.3, 0.2, 0.2)),
    "sunset": ((0.6, 0.35, 0.35), (0.4, 0.35, 0.3), (1.0, 1.0, 0.5), (0.0, 0.1, 0.2)),
    "ocean": ((0.2, 0.45, 0.6), (0.2, 0.35, 0.4), (1.0, 1.0, 1.0), (0.5, 0.3, 0.25)),
    "iridescent": ((0.55, 0.5, 0.6), (0.45, 0.5, 0.4), (2.0, 1.0, 1.0), (0.5, 0.2, 0.25)),
    "blood": ((0.5, 0.05, 0.05), (0.5, 0.05, 0.05), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)),
    "white_void": ((0.92, 0.92, 0.95), (0.08, 0.08, 0.05), (1.0, 1.0, 1.0), (0.0, 0.1, 0.2)),
}


def palette_coefficients(value: object) -> Coefficients:
    """The (a, b, c, d) rows of a palette name or inline rows; ValueError if neither."""
    if isinstance(value, str):
        if value in PALETTES:
            return PALETTES[value]
        raise ValueError(f'unknown palette "{value}"; {did_you_mean(value, PALETTES)}')
    rows = value if isinstance(value, (list, tuple)) else ()
    if len(rows) == 4 and all(isinstance(r, (list, tuple)) and len(r) == 3 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in r) for r in rows):
        return tuple(tuple(float(v) for v in row) for row in rows)  # type: ignore[return-value]
    raise ValueError(f"expected a palette name or four [r, g, b] rows (a, b, c, d), got {value!r}")
