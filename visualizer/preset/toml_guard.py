"""Limits a preset's TOML text must keep before `tomllib` parses it.

`tomllib` recurses once per nested array or inline table (100,000 `[` raise
RecursionError) and keeps every prefix of a dotted key (a key of 100,000
parts takes gigabytes). `scan_toml` walks the text once, outside strings and
comments, and measures how deep arrays, inline tables, table headers and
dotted keys nest; the scan is linear (every regex below is a single character
class or a fixed string, so nothing backtracks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from visualizer.errors import PresetError

MAX_PRESET_BYTES = 1 << 20
"""1 MiB: the shipped Mimic Bloom is 4 KiB; a preset is hand-written settings."""
MAX_NESTING = 32
"""Levels of tables, arrays, inline tables and dotted-key parts (Mimic Bloom uses 3)."""

_NORMAL = re.compile(r"\"\"\"|'''|[\"'#\n\[\]{}=,.]")
_STRINGS_ONLY = re.compile(r"\"\"\"|'''|[\"'#]")
_INSIDE = {
    '"': re.compile(r'\\[^\n]|["\n]'),
    "'": re.compile(r"['\n]"),
    '"""': re.compile(r'\\[\s\S]|"{3,5}'),
    "'''": re.compile(r"'{3,5}"),
    "#": re.compile(r"\n"),
}
"""Where each string or comment ends. A multi-line string ends at three quotes
and takes up to two more (TOML: `\"\"\"a\"\"\"\"` holds `a"`), as tomllib reads it."""


@dataclass
class TomlShape:
    """What one scan learnt: the deepest nesting and where the multi-line strings lie."""

    deepest: int = 0
    too_deep_at: int | None = None
    """Offset of the first character nested deeper than the limit, if any."""
    string_lines: list[tuple[int, int]] = field(default_factory=list)
    """(first, last) 1-based lines of each multi-line string."""


class _Scan:
    """The state of one pass over TOML text (see `scan_toml`)."""

    def __init__(self, text: str, limit: int | None, structure: bool = True) -> None:
        self.text, self.limit = text, limit
        self.tokens = _NORMAL if structure else _STRINGS_ONLY
        self.shape = TomlShape()
        self.stack: list[tuple[str, int]] = []  # open "[" or "{" and the depth before it
        self.depth = self.header_depth = 0
        self.key_mode, self.in_header = True, False
        self.line, self.line_counted_to = 1, 0

    def line_at(self, offset: int) -> int:
        """1-based line of `offset` (offsets only grow, so counting is linear)."""
        self.line += self.text.count("\n", self.line_counted_to, offset)
        self.line_counted_to = offset
        return self.line

    def run(self) -> TomlShape:
        position = 0
        while (match := self.tokens.search(self.text, position)) is not None:
            position = match.end()
            token = match.group()
            if token in _INSIDE:
                position = self.skip(token, match.start(), position)
            else:
                self.structure(token)
                if self.depth > self.shape.deepest:
                    self.shape.deepest = self.depth
                    if self.limit is not None and self.depth > self.limit:
                        self.shape.too_deep_at = match.start()
                        break
        return self.shape

    def skip(self, opener: str, start: int, position: int) -> int:
        """Past the string or comment opened by `opener`; remembers multi-line strings."""
        end = _INSIDE[opener].search(self.text, position)
        while end is not None and end.group().startswith("\\"):
            end = _INSIDE[opener].search(self.text, end.end())
        stop = end.end() if end is not None else len(self.text)
        if end is not None and end.group() == "\n":
            stop = end.start()  # the newline ends the line for the structure too
        if len(opener) == 3:
            self.shape.string_lines.append((self.line_at(start), self.line_at(stop)))
        return stop

    def structure(self, token: str) -> None:
        if token == "\n":
            if not self.stack:
                self.depth, self.key_mode, self.in_header = self.header_depth, True, False
        elif token == "[" and not self.stack and (self.key_mode or self.in_header):
            if not self.in_header:
                self.in_header, self.depth = True, 1
        elif token in "[{":
            self.stack.append((token, self.depth))
            self.depth += 1
            self.key_mode = token == "{"
        elif token in "]}":
            self.close()
        elif token == ",":
            if self.stack:
                opener, before = self.stack[-1]
                self.depth, self.key_mode = before + 1, opener == "{"
        elif token == "=":
            self.key_mode = False
        elif token == "." and (self.key_mode or self.in_header):
            self.depth += 1

    def close(self) -> None:
        if self.stack:
            _, self.depth = self.stack.pop()
            self.key_mode = False
        elif self.in_header:
            self.in_header, self.header_depth = False, self.depth


def scan_toml(text: str, limit: int | None = None) -> TomlShape:
    """One linear pass over `text`; stops at the first place nested deeper than `limit`."""
    return _Scan(text, limit).run()


def multiline_strings(text: str) -> list[tuple[int, int]]:
    """(first, last) 1-based lines of each multi-line string in `text` (one linear pass)."""
    return _Scan(text, None, structure=False).run().string_lines


def read_preset_text(path: Path, shown: str) -> str:
    """The preset's text, refused above MAX_PRESET_BYTES or when not UTF-8."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_PRESET_BYTES + 1)
    except OSError as exc:
        raise PresetError(f"{shown}: cannot read the preset ({exc.strerror or exc}); check the file") from exc
    if len(data) > MAX_PRESET_BYTES:
        raise PresetError(f"{shown}: the preset is over {MAX_PRESET_BYTES >> 20} MiB; a preset holds settings,"
                          " keep data in its shaders or split it")
    try:
        return data.decode("utf-8-sig")  # a byte-order mark (Windows editors) is not TOML: drop it
    except UnicodeDecodeError as exc:
        raise PresetError(f"{shown}: cannot read the preset ({exc}); save it as UTF-8 text") from exc


def check_nesting(text: str, shown: str) -> None:
    """PresetError naming file:line:column where `text` nests deeper than MAX_NESTING."""
    offset = scan_toml(text, MAX_NESTING).too_deep_at
    if offset is None:
        return
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    raise PresetError(f"{shown}:{line}:{column}: tables, arrays and dotted keys nest more than {MAX_NESTING}"
                      " levels deep here; flatten the preset")
