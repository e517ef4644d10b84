"""A MIDI input port that survives being unplugged.

`MidiInput(name, on_message)` opens the port named exactly `name`, or the one
port whose name contains it (case-insensitive: ALSA adds client numbers that
change on every plug-in), or with no name the first port that is not ALSA's
"Midi Through". Messages arrive on mido's callback thread and go to
`on_message(message, now)`. A watcher thread (`start()` .. `close()`) lists
the ports every `poll_interval` seconds: a port that disappears is reported
once ("MIDI port X lost; reconnecting") and opened again when it returns.

A MIDI system that is not there (python-rtmidi without an ALSA sequencer,
no /dev/snd/seq) counts as no ports: the show goes on without MIDI. Only a
port named at launch that cannot be found is an error (`MidiError`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import mido

from visualizer.control.midi_map import MidiError

log = logging.getLogger(__name__)

TICK = 0.25
"""Seconds between the watcher's wake-ups (each calls `on_tick`, e.g. the controller's poll)."""
BACKEND_RETRY = 30.0
"""Seconds between port listings while the MIDI system itself fails (each try may print ALSA errors)."""
JOIN_TIMEOUT = 2.0
THROUGH_PORT = "midi through"


def find_port(query: str, names: Sequence[str]) -> str:
    """The port `query` names: an exact name, else the one name containing it (any case).
    `MidiError` listing the ports when none or several match."""
    if query in names:
        return query
    matches = [name for name in names if query.lower() in name.lower()]
    if len(matches) == 1:
        return matches[0]
    if not names:
        raise MidiError(f'MIDI port "{query}": no MIDI ports on this machine; connect the device or leave out --midi')
    listed = ", ".join(f'"{name}"' for name in (matches or names))
    if matches:
        raise MidiError(f'MIDI port "{query}" matches {listed}; give more of the name')
    raise MidiError(f'MIDI port "{query}" not found; choose one of {listed}')


def first_port(names: Sequence[str]) -> str | None:
    """The port to use when none is named: the first that is not a "Midi Through" loopback."""
    return next((name for name in names if THROUGH_PORT not in name.lower()), None)


class MidiInput:
    """One input port, kept open across unplugging. `status` is the HUD's line,
    `activity` the `now()` of the last message (None before the first)."""

    def __init__(self, port_name: str | None, on_message: Callable[[mido.Message, float], None],
                 now: Callable[[], float] = time.monotonic, *, on_tick: Callable[[float], None] | None = None,
                 list_names: Callable[[], list[str]] | None = None, open_port: Callable[..., Any] | None = None,
                 poll_interval: float = 1.0):
        """`list_names` and `open_port` default to mido's (`get_input_names`, `open_input`)."""
        self.query, self.on_message, self.now, self.on_tick = port_name, on_message, now, on_tick
        self.list_names = list_names or (lambda: mido.get_input_names())
        self.open_port = open_port or (lambda name, callback: mido.open_input(name, callback=callback))
        self.poll_interval = poll_interval
        self.port_name: str | None = None
        self.activity: float | None = None
        self.status = "MIDI: none"
        self.backend_failed = False
        self._port: Any = None
        self._lost: str | None = None
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failed_kinds: set[type] = set()

    def start(self) -> None:
        """Open the port and start watching. `MidiError` if a port was named and is not there."""
        names = self._names()
        if self.query is not None:
            if self.backend_failed:
                raise MidiError(f'MIDI port "{self.query}": no MIDI ports on this machine (the MIDI system '
                                "is unavailable); connect a device or leave out --midi")
            self._open(find_port(self.query, names))
        else:
            self.check(names)
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="midi-port-watch", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop watching and close the port (safe to call twice)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(JOIN_TIMEOUT)
            self._thread = None
        with self._lock:
            self._close_port()

    def __enter__(self) -> MidiInput:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self, names: list[str] | None = None) -> None:
        """One look at the ports: notice a lost port, reopen a returned one."""
        with self._lock:
            names = self._names() if names is None else names
            if self._port is not None and self.port_name not in names:
                self._lost = self.port_name
                log.warning("MIDI port %s lost; reconnecting", self.port_name)
                self._close_port()
                self.status = f"MIDI: {self._lost} lost, retrying"
            if self._port is None:
                wanted = self._wanted(names)
                if wanted is not None:
                    self._open(wanted)

    def _wanted(self, names: list[str]) -> str | None:
        if self.query is None:
            return first_port(names)
        try:
            return find_port(self.query, names)
        except MidiError:
            matches = [name for name in names if self.query.lower() in name.lower()]
            return matches[0] if matches else None

    def _open(self, name: str) -> None:
        try:
            self._port = self.open_port(name, callback=self._receive)
        except (OSError, ImportError) as exc:
            log.debug("MIDI port %s did not open: %s", name, exc)
            return
        self.port_name = name
        self.status = f"MIDI: {name}"
        if self._lost is not None:
            log.warning("MIDI port %s reconnected", name)
            self._lost = None

    def _close_port(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (OSError, ImportError) as exc:
                log.debug("closing MIDI port %s: %s", self.port_name, exc)
        if self._lost is None:
            self.status = "MIDI: none"

    def _names(self) -> list[str]:
        """The input port names; [] (and `backend_failed`) if the MIDI system fails."""
        try:
            names = list(self.list_names())
        except (OSError, ImportError) as exc:
            if not self.backend_failed:
                log.warning("MIDI unavailable (%s); going on without it", exc)
            self.backend_failed = True
            if self._port is None and self._lost is None:
                self.status = "MIDI: none (no MIDI system)"
            return []
        if self.backend_failed and self._port is None and self._lost is None:
            self.status = "MIDI: none"
        self.backend_failed = False
        return names

    def _receive(self, message: mido.Message) -> None:
        """mido's callback thread: stamp the message and hand it on; never raises."""
        self.activity = stamp = self.now()
        try:
            self.on_message(message, stamp)
        except Exception as exc:  # a bug in a handler must not end MIDI input for the show
            if type(exc) not in self._failed_kinds:
                self._failed_kinds.add(type(exc))
                log.exception("MIDI message %s could not be handled", message)

    def _watch(self) -> None:
        next_check = self.now() + self.poll_interval
        while not self._stop.wait(TICK):
            now = self.now()
            if self.on_tick is not None:
                try:
                    self.on_tick(now)
                except Exception:  # as in _receive: log it, keep watching
                    log.exception("MIDI tick failed")
            if now >= next_check:
                self.check()
                next_check = now + (BACKEND_RETRY if self.backend_failed else self.poll_interval)
