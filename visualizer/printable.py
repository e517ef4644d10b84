"""Text made safe to print on a terminal: preset strings, file names, typed options.

A preset's strings (names, descriptions, keys, file names) reach the terminal
in `presets show|list` and in error lines; an ESC, a carriage return or a bidi
override in them must not move the cursor, recolour the terminal or split one
error into two lines. Rich markup is escaped where it is printed (`cli`).
"""

from __future__ import annotations

import os
import unicodedata
from os import PathLike

SHOWN_VALUE_CHARS = 60
"""A value quoted in an error line is cut to this many characters."""


def _escaped(char: str) -> str:
    """`char` as Python would write it in a string literal (`\\x1b`, `\\u202e`)."""
    return repr(char)[1:-1] if char not in "'\"" else char


def printable(text: str | PathLike[str]) -> str:
    """`text` (or a path) with every control, format or line-separator character escaped
    (`\\x1b`, `\\r`, `\\n`, `\\u202e`); other characters, spaces included, kept."""
    text = os.fspath(text)
    if text.isprintable():
        return text
    return "".join(
        _escaped(char) if unicodedata.category(char)[0] == "C" or char in "\u2028\u2029" else char
        for char in text
    )


def quoted(value: str, limit: int = SHOWN_VALUE_CHARS) -> str:
    """`"value"` for an error line: printable, and cut to `limit` characters."""
    text = printable(value)
    return f'"{text}"' if len(text) <= limit else f'"{text[:limit - 3]}..."'
