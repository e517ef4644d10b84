"""Problems of a TOML file (a preset, a set), collected as `file:line:col: key: message`
lines and raised together as one PresetError; and tomllib's syntax errors in the same form."""

from __future__ import annotations

import re

from visualizer.errors import PresetError
from visualizer.naming import did_you_mean
from visualizer.preset.locate import KeyLocator
from visualizer.printable import printable, quoted

MAX_SHOWN_KEY = 80
MAX_MESSAGE = 400
"""Keys and messages longer than these are cut in error lines (a value may be a megabyte)."""


def syntax_error(shown: str, message: str) -> str:
    """`file:line:col: message; fix the TOML syntax` from tomllib's message."""
    where = re.search(r"\(at line (\d+), column (\d+)\)", message)
    detail = printable(message[: where.start()].strip() if where else message)
    position = f"{where.group(1)}:{where.group(2)}:" if where else ""
    return f"{shown}:{position} TOML syntax error: {detail}; fix the TOML syntax"


class Problems:
    """Collects `file:line:col: key: message` lines, raised together."""

    def __init__(self, shown: str, locator: KeyLocator) -> None:
        self.shown = shown
        self.locator = locator
        self.lines: list[str] = []

    def add(self, key: str, message: str) -> None:
        """One problem at `key` (a TOML path); keys and values are made printable."""
        position = self.locator.find(key) or self.locator.find(f"{key}[1]")  # [[key]]: its first header
        where = f"{self.shown}:{position[0]}:{position[1]}" if position else self.shown
        shown_key = printable(key) if len(key) <= MAX_SHOWN_KEY else quoted(key, MAX_SHOWN_KEY)
        message = printable(message)
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE - 3] + "..."
        self.lines.append(f"{where}: {shown_key}: {message}")

    def unknown_keys(self, table: dict, allowed: tuple[str, ...], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                self.add(f"{prefix}{key}", f"unknown key; {did_you_mean(key, allowed)}")

    def raise_if_any(self) -> None:
        if self.lines:
            raise PresetError("\n".join(self.lines))
