"""Which entry comes next: the set's order (sequence or seeded shuffle) and the history of what was shown."""

from __future__ import annotations

import random
from collections import deque

HISTORY_LIMIT = 256
"""Entries remembered for "previous" (hours of a show keep memory flat)."""


class EntryOrder:
    """The automatic order over entries 0..count-1 (entries loaded later are outside it).

    `sequence`: after the last entry of the order shown, the one after it (round and round).
    `shuffle`: rounds that each hold every entry once, drawn from `rng`; a round never
    starts with the entry the previous one ended on, and an entry showing already
    (reached by a favourite, say) is passed over.
    """

    def __init__(self, count: int, shuffle: bool, rng: random.Random) -> None:
        self.count, self.shuffle, self.rng = count, shuffle, rng
        self._position = 0
        self._queue: deque[int] = deque()
        self._last_queued: int | None = None

    def first(self) -> int:
        """The entry the show opens with (consumed from a shuffle)."""
        return self.take(-1) if self.shuffle else 0

    def peek(self, current: int) -> int:
        """The entry `take(current)` would give, without taking it."""
        if not self.shuffle:
            return (self._position + 1) % self.count
        self._fill(2)
        return self._queue[1] if self._queue[0] == current and self.count > 1 else self._queue[0]

    def take(self, current: int) -> int:
        """The next entry after `current` (which is showing now), moving the order on."""
        if not self.shuffle:
            self._position = (self._position + 1) % self.count
            return self._position
        self._fill(2)
        if self._queue[0] == current and self.count > 1:
            self._queue.popleft()
            self._fill(1)
        return self._queue.popleft()

    def shown(self, entry: int) -> None:
        """Entry `entry` is showing now: a sequence goes on from there."""
        if entry < self.count:
            self._position = entry

    def _fill(self, size: int) -> None:
        """Queue whole shuffled rounds until `size` entries wait."""
        while len(self._queue) < size:
            round_ = self.rng.sample(range(self.count), self.count)
            if self.count > 1 and round_[0] == self._last_queued:
                round_[0], round_[1] = round_[1], round_[0]
            self._queue.extend(round_)
            self._last_queued = round_[-1]


class History:
    """What was shown before the current entry, newest last (bounded)."""

    def __init__(self) -> None:
        self._shown: deque[int] = deque(maxlen=HISTORY_LIMIT)

    def push(self, entry: int) -> None:
        self._shown.append(entry)

    def peek(self) -> int | None:
        return self._shown[-1] if self._shown else None

    def pop(self) -> int | None:
        return self._shown.pop() if self._shown else None

    def __len__(self) -> int:
        return len(self._shown)
