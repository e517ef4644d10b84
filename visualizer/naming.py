"""One "did you mean" for every unknown name a user types.

    did_you_mean("bas", ["bass", "mid"])     -> 'did you mean "bass"?'
    did_you_mean("xyz", ["bass", "mid"])     -> 'known: bass, mid'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest_name(value: str, options: Iterable[str]) -> str | None:
    """The option most like `value` (difflib ratio >= 0.6), or None."""
    close = difflib.get_close_matches(value, list(options), n=1)
    return close[0] if close else None


def suggestion(value: str, options: Iterable[str]) -> str:
    """`did you mean "x"?` for the closest option, or "" when none is close."""
    close = closest_name(value, options)
    return f'did you mean "{close}"?' if close is not None else ""


def did_you_mean(value: str, options: Iterable[str], *, listing: str = "known: ") -> str:
    """`did you mean "x"?`, or when nothing is close every option after
    `listing` (e.g. `known: a, b, c`)."""
    names = list(options)
    return suggestion(value, names) or f"{listing}{', '.join(names)}"
