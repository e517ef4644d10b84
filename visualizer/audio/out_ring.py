"""A lock-free single-producer / single-consumer ring that feeds an output device.

A feeder thread writes decoded frames in; the PortAudio callback copies them
straight into the device's buffer (`take_into`): no allocation of sample
memory, no lock, no exception. Frames carry absolute indices (`first` is the
index of the first frame ever written), so the callback can say which frame of
the file the device has just taken.

Safety without locks: the producer copies, then publishes `written`; the
consumer copies, then publishes `taken`. Each only reads the other's counter,
and a write never overwrites frames the consumer has not taken.
"""

from __future__ import annotations

import numpy as np


class OutputRing:
    """`capacity` frames x `channels`, float32; absolute frame indices from `first`."""

    def __init__(self, capacity: int, channels: int, first: int = 0):
        if capacity < 1 or channels < 1:
            raise ValueError("capacity and channels must be >= 1")
        self.capacity, self.channels = int(capacity), int(channels)
        self._buffer = np.zeros((self.capacity, self.channels), np.float32)
        self.written = int(first)  # one past the last frame written (producer's counter)
        self.taken = int(first)  # one past the last frame the device took (consumer's counter)
        self.short = 0  # frames the device asked for while the ring was empty (underruns)

    @property
    def free(self) -> int:
        """Frames a write can take now."""
        return self.capacity - (self.written - self.taken)

    def write(self, frames: np.ndarray) -> int:
        """Producer: copy in as many of `frames` ((n, channels) float32) as fit; returns how
        many did."""
        n = min(len(frames), self.free)
        if n <= 0:
            return 0
        pos = self.written % self.capacity
        first = min(n, self.capacity - pos)
        self._buffer[pos:pos + first] = frames[:first]
        self._buffer[:n - first] = frames[first:n]
        self.written += n
        return n

    def take_into(self, out: np.ndarray) -> int:
        """Consumer (the audio callback): fill `out` ((n, channels)) with the next frames,
        silence after the last one written; returns the frames that were real."""
        n = min(len(out), self.written - self.taken)
        pos = self.taken % self.capacity
        first = min(n, self.capacity - pos)
        out[:first] = self._buffer[pos:pos + first]
        out[first:n] = self._buffer[:n - first]
        out[n:] = 0.0
        self.short += len(out) - n
        self.taken += n
        return n
