"""Where statements and top-level braces lie in preprocessed GLSL, found once
with numpy (one pass over the characters) and looked up by bisection."""

from __future__ import annotations

import bisect

import numpy as np

_SEMICOLON, _OPEN, _CLOSE = ord(";"), ord("{"), ord("}")


class Layout:
    """Statement boundaries (`;`, `{`, `}`) of `code` and the top-level brace pairs."""

    def __init__(self, code: str) -> None:
        self.length = len(code)
        chars = np.frombuffer(code.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        marks = np.flatnonzero((chars == _SEMICOLON) | (chars == _OPEN) | (chars == _CLOSE))
        kinds = chars[marks]
        steps = (kinds == _OPEN).astype(np.int64) - (kinds == _CLOSE)
        after = np.cumsum(steps)
        before = after - steps
        self.bounds: list[int] = marks.tolist()
        opens = marks[(kinds == _OPEN) & (before == 0)].tolist()
        closes = marks[(kinds == _CLOSE) & (after == 0)].tolist()
        self.top_level: list[tuple[int, int]] = []
        """(open, close) offsets of each top-level `{...}` (close: the end when unbalanced)."""
        for open_ in opens:
            index = bisect.bisect_left(closes, open_)
            self.top_level.append((open_, closes[index] if index < len(closes) else self.length))

    def statement(self, position: int) -> tuple[int, int]:
        """(start, end) offsets of the statement holding `position` (between boundaries)."""
        index = bisect.bisect_left(self.bounds, position)
        start = self.bounds[index - 1] + 1 if index > 0 else 0
        end = self.bounds[index] if index < len(self.bounds) else self.length
        return start, end

    def inner_statements(self, open_: int, close: int) -> list[tuple[int, int]]:
        """(start, end) of each statement between braces at `open_` and `close`."""
        first = bisect.bisect_right(self.bounds, open_)
        last = bisect.bisect_left(self.bounds, close)
        edges = [open_, *self.bounds[first:last], close]
        return [(a + 1, b) for a, b in zip(edges, edges[1:]) if b > a + 1]

    def long_statements(self, length: int) -> list[tuple[int, int]]:
        """(start, end) of every statement longer than `length` characters."""
        edges = np.array([-1, *self.bounds, self.length], dtype=np.int64)
        gaps = np.flatnonzero(np.diff(edges) - 1 > length)
        return [(int(edges[i]) + 1, int(edges[i + 1])) for i in gaps]
