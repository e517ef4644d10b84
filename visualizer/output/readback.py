"""Asynchronous pixel readback through a ring of pixel buffer objects."""

from __future__ import annotations

from collections import deque

import moderngl


class ReadbackRing:
    """Reads a framebuffer into one of `depth` PBOs; frames come back in order.

    With several reads in flight the GPU keeps rendering while older frames are
    copied out; `collect()` maps the oldest and returns rgb24 bytes
    (height * width * 3, top row first when the graph flips its output).
    """

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int], depth: int = 3):
        self.frame_bytes = size[0] * size[1] * 3
        self._buffers = [ctx.buffer(reserve=self.frame_bytes) for _ in range(depth)]
        self._free = deque(self._buffers)
        self._pending: deque[moderngl.Buffer] = deque()

    @property
    def full(self) -> bool:
        return not self._free

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(self, framebuffer: moderngl.Framebuffer) -> None:
        """Start reading `framebuffer` (rgb, byte-aligned) into a free PBO."""
        buffer = self._free.popleft()
        framebuffer.read_into(buffer, components=3, alignment=1)
        self._pending.append(buffer)

    def collect(self) -> bytes:
        """The oldest submitted frame's bytes; frees its PBO."""
        buffer = self._pending.popleft()
        data = buffer.read()
        self._free.append(buffer)
        return data

    def release(self) -> None:
        for buffer in self._buffers:
            buffer.release()
        self._buffers, self._free, self._pending = [], deque(), deque()
