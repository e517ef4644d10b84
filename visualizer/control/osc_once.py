"""Warnings logged once per kind, with a bound on the kinds remembered, so a
flood of odd OSC traffic is one line per mistake and never grows memory."""

from __future__ import annotations

import logging

KINDS_REMEMBERED = 256
"""After this many kinds, new kinds are no longer logged (one line says so)."""


class WarnOnce:
    """Logs `message` at WARNING the first time its `kind` is seen (with the
    exception being handled, when `exc_info`)."""

    def __init__(self, logger: logging.Logger, limit: int = KINDS_REMEMBERED):
        self.logger, self.limit = logger, limit
        self._seen: set[tuple[str, str]] = set()

    def __call__(self, kind: tuple[str, str], message: str, exc_info: bool = False) -> None:
        if kind in self._seen or len(self._seen) >= self.limit:
            return
        self._seen.add(kind)
        if len(self._seen) == self.limit:
            message += f" (the {self.limit}th kind of problem: new kinds are no longer logged)"
        self.logger.warning(message, exc_info=exc_info)
