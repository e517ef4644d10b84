"""Recent frame times for the HUD: a fixed ring of milliseconds with its
median, 99th percentile and frame rate, computed without allocating."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np

MAX_FRAME_MS = 10_000.0
"""Longer frames are stored as this (ms): a stall of seconds still draws as a spike."""


class FrameTimes(Sequence[float]):
    """The last `capacity` frame times in ms, oldest first (a `Sequence`, so
    it can be handed to `HudModel.frame_ms` as it is). Memory is fixed: two
    float32 arrays of `capacity`. Values that are not finite numbers are
    skipped; negative ones count as 0; over `MAX_FRAME_MS`, as that."""

    def __init__(self, capacity: int = 240):
        if capacity < 1:
            raise ValueError(f"FrameTimes needs a capacity of at least 1, not {capacity}")
        self.ring = np.zeros(capacity, np.float32)
        self._sorted = np.zeros(capacity, np.float32)  # scratch for the order statistics
        self.start = 0  # index in `ring` of the oldest value
        self.count = 0

    @property
    def capacity(self) -> int:
        return len(self.ring)

    def add(self, ms: float) -> None:
        """One frame's time in milliseconds."""
        try:
            value = float(ms)
        except (TypeError, ValueError, OverflowError):
            return
        if not math.isfinite(value):
            return
        value = min(max(value, 0.0), MAX_FRAME_MS)
        end = (self.start + self.count) % self.capacity
        self.ring[end] = value
        if self.count < self.capacity:
            self.count += 1
        else:
            self.start = (self.start + 1) % self.capacity

    def clear(self) -> None:
        self.start = self.count = 0

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if not -self.count <= index < self.count:
            raise IndexError(f"frame time {index} of {self.count}")
        return float(self.ring[(self.start + index % self.count) % self.capacity])

    def __iter__(self) -> Iterator[float]:
        return (self[i] for i in range(self.count))

    def plot_view(self) -> tuple[np.ndarray, int]:
        """(values, offset) for `imgui.plot_lines`: the ring itself, read from
        `offset` and wrapping, so that the oldest value is drawn first."""
        if self.count < self.capacity:
            return self.ring[:self.count], 0
        return self.ring, self.start

    def percentile(self, q: float) -> float:
        """The `q`-th percentile (0..100) in ms, linear between ranks as
        `numpy.percentile` does; 0.0 with no frames."""
        n = self.count
        if n == 0:
            return 0.0
        ordered = self._sorted[:n]
        ordered[:] = self.ring[:n]  # the filled part (the whole ring once full): order does not matter
        ordered.sort()
        rank = min(max(q, 0.0), 100.0) / 100.0 * (n - 1)
        low = int(rank)
        high = min(low + 1, n - 1)
        return float(ordered[low]) + (rank - low) * float(ordered[high] - ordered[low])

    @property
    def median(self) -> float:
        """Median frame time (ms)."""
        return self.percentile(50.0)

    @property
    def p99(self) -> float:
        """99th-percentile frame time (ms)."""
        return self.percentile(99.0)

    @property
    def fps(self) -> float:
        """Frames per second over the ring: count / total time; 0.0 with none (or no time)."""
        total = float(self.ring[:self.count].sum(dtype=np.float64))  # the filled part: from 0 until full
        return 1000.0 * self.count / total if total > 0 else 0.0
