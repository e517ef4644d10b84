"""Where a key sits in a TOML file: `passes[2].format` -> (line, column), 1-based.

tomllib gives values but no positions, so error messages find them by a
light scan of the text: table headers, array-of-table headers, `key =`
lines and keys inside inline tables, skipping the lines of multi-line
strings. Good enough to point at the right line of a hand-written preset;
falls back to the nearest enclosing key.

Linear in the text: headers are split with `str.find`, and no pattern below
can backtrack (no quantified group, and the inline-key pattern only starts
where a key can start).
"""

from __future__ import annotations

import re

from visualizer.preset.toml_guard import multiline_strings

_TABLE_NAME = re.compile(r'[A-Za-z0-9_.\-" ]+')
_KEY = re.compile(r'^(\s*+)([A-Za-z0-9_\-]++|"[^"\n]*+")\s*+=')
_INLINE_KEY = re.compile(r"(?<![A-Za-z0-9_\-])([A-Za-z0-9_\-]++)\s*+=")


def table_header(line: str) -> tuple[str, bool, int] | None:
    """`[name]` or `[[name]]` alone on `line` (a comment may follow): the name
    without quotes, whether it is an array of tables, and its 1-based column."""
    start = len(line) - len(line.lstrip())
    if not line.startswith("[", start):
        return None
    double = line.startswith("[[", start)
    name_start = start + (2 if double else 1)
    close = line.find("]", name_start)
    if close < 0:
        return None
    rest = line[close + 1:]
    if double:
        if not rest.startswith("]"):
            return None
        rest = rest[1:]
    rest = rest.strip()
    name = line[name_start:close].strip()
    if (rest and not rest.startswith("#")) or not _TABLE_NAME.fullmatch(name):
        return None
    return name.replace('"', "").strip(), double, start + 1


class KeyLocator:
    """Positions of every key path in one TOML text."""

    def __init__(self, text: str):
        self.positions: dict[str, tuple[int, int]] = {}
        counts: dict[str, int] = {}
        inside_strings = {number for first, last in multiline_strings(text)
                          for number in range(first + 1, last + 1)}
        table = ""
        for number, line in enumerate(text.split("\n"), start=1):
            if number in inside_strings:
                continue
            header = table_header(line)
            if header:
                table = self._header(header, counts, number)
                continue
            key = _KEY.match(line)
            if key:
                self._key(table, key, line, number)

    def _header(self, header: tuple[str, bool, int], counts: dict[str, int], number: int) -> str:
        name, double, column = header
        if double:
            counts[name] = counts.get(name, 0) + 1
            name = f"{name}[{counts[name]}]"
        self.positions.setdefault(name, (number, column))
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
