"""Where a key sits in a TOML file: `passes[2].format` -> (line, column), 1-based.

tomllib gives values but no positions, so error messages find them by a
light scan of the text: table headers, array-of-table headers, `key =`
lines and keys inside inline tables. Good enough to point at the right line
of a hand-written preset; falls back to the nearest enclosing key.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^(\s*)([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")
_INLINE_KEY = re.compile(r"([A-Za-z0-9_\-]+)\s*=")


class KeyLocator:
    """Positions of every key path in one TOML text."""

    def __init__(self, text: str):
        self.positions: dict[str, tuple[int, int]] = {}
        counts: dict[str, int] = {}
        table = ""
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                table = self._header(header, counts, number, line)
                continue
            key = _KEY.match(line)
            if key:
                self._key(table, key, line, number)

    def _header(self, match: re.Match, counts: dict[str, int], number: int, line: str) -> str:
        name = match.group(2).replace('"', "").strip()
        if match.group(1) == "[[":
            counts[name] = counts.get(name, 0) + 1
            name = f"{name}[{counts[name]}]"
        self.positions.setdefault(name, (number, line.index("[") + 1))
        return name

    def _key(self, table: str, match: re.Match, line: str, number: int) -> None:
        key = match.group(2).strip('"')
        path = f"{table}.{key}" if table else key
        self.positions.setdefault(path, (number, len(match.group(1)) + 1))
        brace = line.find("{", match.end())
        if brace >= 0:
            for inner in _INLINE_KEY.finditer(line, brace):
                self.positions.setdefault(f"{path}.{inner.group(1)}", (number, inner.start() + 1))

    def find(self, path: str) -> tuple[int, int] | None:
        """Position of `path`, or of its nearest enclosing key."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path.rpartition(".")[0]
        return None
