"""Keeping native audio libraries' chatter off the terminal.

libmpg123 prints resync notes on damaged MP3s; ALSA, JACK and PortAudio print
dozens of lines each time PortAudio enumerates devices, and ALSA more while a
device comes and goes. Our own messages say what matters in one line each.

- `silence_alsa_errors()` gives ALSA a no-op error handler (every thread,
  for good: ALSA's messages never reach stderr).
- `quiet_native_stderr()` points file descriptor 2 at /dev/null for the
  duration of a call into such a library. It is process-wide, so it is used
  only around short calls; nested and concurrent uses (the live input's
  supervisor thread, a decode) share one redirection, restored by the last.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_saved_fd: int | None = None
_alsa_handler: object | None = None  # kept alive: ALSA holds a pointer to it
_ALSA_HANDLER_TYPE = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                      ctypes.c_int, ctypes.c_char_p)


@contextmanager
def quiet_native_stderr(active: bool = True) -> Iterator[None]:
    """Silence C-level stderr (file descriptor 2) inside the block."""
    if not active:
        yield
        return
    _enter()
    try:
        yield
    finally:
        _leave()


def _enter() -> None:
    global _depth, _saved_fd
    with _lock:
        if _depth == 0:
            sys.stderr.flush()
            _saved_fd = os.dup(2)
            with open(os.devnull, "wb") as devnull:
                os.dup2(devnull.fileno(), 2)
        _depth += 1


def _leave() -> None:
    global _depth, _saved_fd
    with _lock:
        _depth -= 1
        if _depth == 0 and _saved_fd is not None:
            os.dup2(_saved_fd, 2)
            os.close(_saved_fd)
            _saved_fd = None


def silence_alsa_errors() -> bool:
    """Install a no-op ALSA error handler (once per process); False where there is
    no ALSA library (not Linux, or not installed)."""
    global _alsa_handler
    with _lock:
        if _alsa_handler is not None:
            return True
        name = ctypes.util.find_library("asound")
        if name is None:
            return False
        try:
            library = ctypes.CDLL(name)
            handler = _ALSA_HANDLER_TYPE(lambda *_: None)
            library.snd_lib_error_set_handler(handler)
        except (OSError, AttributeError):
            return False
        _alsa_handler = handler
        return True
