"""A lock-free single-producer / single-consumer ring of float32 audio frames.

The producer (a PortAudio callback) only copies into preallocated memory and
publishes counters; it never blocks, allocates buffers or raises. When the
consumer falls behind by more than `capacity` frames, the oldest frames are
overwritten: the consumer skips them and learns how many were dropped.

Frames carry absolute indices: frame k is the k-th frame ever written. Each
write may also record a timestamp for its first frame (e.g. PortAudio's
`inputBufferAdcTime`), which `anchor(k)` finds again for any recent frame.

Safety without locks: the producer announces the range it is about to fill
(`_claimed`), copies, then publishes it (`_written`). The consumer copies only
published frames and afterwards discards any that a concurrent write claimed.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np


class RingRead(NamedTuple):
    """Frames read: `samples` (n, channels) float32; `first_sample` is the absolute
    index of samples[0]; `dropped` frames were overwritten just before it."""

    samples: np.ndarray
    first_sample: int
    dropped: int


class SampleRing:
    """`capacity` frames x `channels`, float32; up to `stamps` write timestamps kept."""

    def __init__(self, capacity: int, channels: int, stamps: int = 4096):
        if capacity < 1 or channels < 1 or stamps < 2:
            raise ValueError("capacity, channels must be >= 1 and stamps >= 2")
        self.capacity, self.channels = int(capacity), int(channels)
        self._buffer = np.zeros((self.capacity, self.channels), np.float32)
        self._stamp_index = np.zeros(stamps, np.int64)
        self._stamp_time = np.full(stamps, math.nan, np.float64)
        self._stamps = 0  # timestamps written so far
        self._claimed = 0  # one past the last frame a write has started to fill
        self._written = 0  # one past the last frame fully written (published)
        self._read = 0  # one past the last frame handed to the consumer
        self._dropped = 0
        self.write_errors = 0  # writes that failed (wrong shape...): counted, never raised

    # -- producer ----------------------------------------------------------------------

    def write(self, frames: np.ndarray, timestamp: float = math.nan) -> None:
        """Copy frames ((n, channels) or (n,) when channels == 1) in; never raises."""
        try:
            n = len(frames)
            start = self._written
            if n == 0:
                return
            if frames.ndim == 1:
                frames = frames.reshape(n, 1)
            keep = min(n, self.capacity)  # a write larger than the ring keeps its tail
            self._claimed = max(self._claimed, start + n)
            pos = (start + n - keep) % self.capacity
            first = min(keep, self.capacity - pos)
            self._buffer[pos:pos + first] = frames[n - keep:n - keep + first]
            if keep > first:
                self._buffer[:keep - first] = frames[n - keep + first:]
            slot = self._stamps % len(self._stamp_index)
            self._stamp_index[slot] = start
            self._stamp_time[slot] = timestamp
            self._stamps += 1
            self._written = start + n
        except Exception:  # noqa: BLE001 - the audio thread must never raise
            self.write_errors += 1

    # -- consumer ----------------------------------------------------------------------

    @property
    def written(self) -> int:
        """Absolute index one past the last frame written (frames written so far)."""
        return self._written

    @property
    def available(self) -> int:
        """Frames a read would return now (at most `capacity`)."""
        return min(self._written - self._read, self.capacity)

    @property
    def dropped(self) -> int:
        """Total frames overwritten before the consumer read them (overruns)."""
        return self._dropped

    def read(self, max_frames: int | None = None) -> RingRead:
        """Copy out the oldest unread frames (all of them, or at most max_frames)."""
        written, start = self._written, self._read
        start = max(start, written - self.capacity)
        stop = written if max_frames is None else min(written, start + max(0, max_frames))
        out = self._copy(start, stop)
        overwritten = self._claimed - self.capacity  # frames below this may be clobbered
        if overwritten > start:
            skip = min(overwritten, stop) - start
            out, start = out[skip:], start + skip
        dropped = start - self._read
        self._dropped += dropped
        self._read = stop
        return RingRead(out, start, dropped)

    def skip_to_end(self) -> int:
        """Discard every unread frame (counted as dropped); returns the next index."""
        written = self._written
        self._dropped += written - self._read
        self._read = written
        return written

    def anchor(self, index: int) -> tuple[int, float] | None:
        """(first index, timestamp) of the latest recent write starting at or before
        `index`; None when no such write is still remembered."""
        count = self._stamps
        size = len(self._stamp_index)
        if count == 0:
            return None
        # The oldest remembered slot may be under rewrite: leave it out.
        slots = np.arange(max(0, count - size + 1), count) % size
        starts = self._stamp_index[slots]
        times = self._stamp_time[slots]
        ok = np.flatnonzero(starts <= index)
        if len(ok) == 0:
            return None
        best = ok[np.argmax(starts[ok])]
        return int(starts[best]), float(times[best])

    def _copy(self, start: int, stop: int) -> np.ndarray:
        n = max(0, stop - start)
        out = np.empty((n, self.channels), np.float32)
        if n:
            pos = start % self.capacity
            first = min(n, self.capacity - pos)
            out[:first] = self._buffer[pos:pos + first]
            out[first:] = self._buffer[:n - first]
        return out
