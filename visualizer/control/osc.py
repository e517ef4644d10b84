"""OSC control in: a UDP socket read by one daemon thread that parses each
datagram (python-osc's `OscPacket`) and pushes the event it asks for onto the
control bus. The address space is `osc_address.ROUTES` (docs/osc.md).

Why one plain loop: the thread shares the GIL with the render loop, so each
message is one receive, one parse and one dict lookup. python-osc's
`Dispatcher` builds a regex per message and tries every mapped address (about
3x the routing work) and drops unparsable datagrams silently, where these are
counted; `socketserver`'s loop adds a selector and five calls per datagram
(about 1.4x the whole cost, measured) and an unbounded `shutdown()`.
`ThreadingOSCUDPServer` would start a thread per message: 10,000 in a flood.
Bundle time tags are not waited for: a message applies at once.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from pythonosc.osc_packet import OscPacket

from visualizer.control.events import ControlEvent
from visualizer.control.osc_address import MalformedMessage, event_for
from visualizer.control.osc_once import WarnOnce
from visualizer.errors import ControlError

log = logging.getLogger(__name__)

POLL_S = 0.05
"""How often the serving loop looks for `close()`: close returns within about this."""
MAX_DATAGRAM = 65535
"""Bytes read per datagram (UDP's limit)."""
RECEIVE_BUFFER_BYTES = 4 << 20
"""Kernel receive buffer asked for, so a burst queues rather than drops (the
kernel caps it at net.core.rmem_max; `OscServer.receive_buffer` says what it gave)."""
SHOWN_ADDRESS_CHARS = 80
"""A logged address is cut to this many characters."""


def _bind_problem(host: str, port: int, error: OSError) -> str:
    """The one-line message for a socket that could not be bound."""
    if error.errno == errno.EADDRINUSE:
        return f"--osc {port}: port in use; choose another"
    if error.errno == errno.EACCES:
        return f"--osc {port}: this port needs privileges; choose one from 1024 to 65535"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"--osc-host {host}: not an address of this machine; use 127.0.0.1, or 0.0.0.0 for every network"
    return f"--osc {port} --osc-host {host}: cannot listen ({error.strerror}); choose another port or host"


def _bind(host: str, port: int) -> socket.socket:
    """A UDP socket bound to (host, port), reads timing out after POLL_S;
    ControlError with one line otherwise."""
    if not 0 <= port <= 65535:
        raise ControlError(f"--osc {port}: not a port; choose one from 1024 to 65535 (0: any free one)")
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ControlError(f'--osc-host "{host}": unknown host; use 127.0.0.1, '
                              "or 0.0.0.0 for every network") from exc
    sock = socket.socket(family, socket.SOCK_DGRAM)  # no SO_REUSEADDR: on Linux it lets two shows share a port
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ControlError(_bind_problem(host, port, exc)) from exc
    sock.settimeout(POLL_S)
    return sock


class OscServer:
    """Listens for OSC on UDP (host, port) and pushes each message's event with
    `push` (e.g. `ControlBus.push`, which never blocks). Nothing opens before
    `start()`. Counters for the HUD: `received` (messages understood),
    `ignored` (unknown addresses, wrong arguments, datagrams that are not
    OSC: each kind logged once at WARNING), `activity` (time.monotonic() of
    the last message understood, None before one)."""

    def __init__(self, port: int, push: Callable[[ControlEvent], None], host: str = "127.0.0.1"):
        self.port, self.host, self._push = port, host, push
        self.received = 0
        self.ignored = 0
        self.activity: float | None = None
        self.receive_buffer = 0
        self._warn = WarnOnce(log)
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._closed = False

    def start(self) -> None:
        """Bind the socket (port 0: a free one, then in `port`) and serve on a
        daemon thread. ControlError (one line) for a port in use or a bad host."""
        if self._socket is not None or self._closed:
            raise RuntimeError("OscServer.start: already started, or closed")
        self._socket = sock = _bind(self.host, self.port)
        self.port = sock.getsockname()[1]
        self.receive_buffer = sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
        self._thread = threading.Thread(target=self._serve, args=(sock,), name=f"osc-in {self.port}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving and free the port; returns within about POLL_S. Safe twice."""
        sock, thread, self._socket, self._closed = self._socket, self._thread, None, True
        self._stopping = True
        if thread is not None:
            thread.join(timeout=10 * POLL_S)  # a read times out every POLL_S
        if sock is not None:
            sock.close()  # a thread still reading (it cannot be) would stop at its next read

    def _serve(self, sock: socket.socket) -> None:
        while not self._stopping:
            try:
                data = sock.recv(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except OSError:  # closed
                return
            try:
                self._on_datagram(data)
            except Exception:  # a bug here, or in `push`: the show goes on
                self.ignored += 1
                self._warn(("(bug)", "handler"), "OSC: a message could not be handled (a bug; the server goes on)",
                           exc_info=True)

    @property
    def alive(self) -> bool:
        """The serving thread is running."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def cpu_s(self) -> float | None:
        """CPU seconds the serving thread has used (what OSC costs the show,
        parsing under the GIL included); None when it is not running."""
        thread = self._thread
        if thread is None or thread.ident is None or not thread.is_alive():
            return None
        try:
            return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
        except (OSError, AttributeError):  # it ended meanwhile; or a platform without thread clocks
            return None

    @property
    def status(self) -> str:
        """One line for the HUD: where it listens and its counters."""
        if self._socket is None:
            return "OSC closed" if self._closed else "OSC off"
        return f"OSC {self.host}:{self.port}: {self.received} received, {self.ignored} ignored"

    def _on_datagram(self, data: bytes) -> None:
        try:
            messages = OscPacket(data).messages
        except Exception:  # python-osc on hostile bytes: ParseError, or worse
            messages = []
        if not messages:  # python-osc skips a bundle's unreadable contents
            self._ignore("(datagram)", "not an OSC message, nor a bundle holding one")
            return
        for timed in messages:
            self._on_message(timed.message.address, timed.message.params)

    def _on_message(self, address: str, args: Sequence[Any]) -> None:
        try:
            event = event_for(address, args)
        except KeyError:
            self._ignore(address, "unknown address (see docs/osc.md)")
            return
        except MalformedMessage as exc:
            self._ignore(address, str(exc))
            return
        if event is not None:
            self._push(event)
        self.received += 1
        self.activity = time.monotonic()

    def _ignore(self, address: str, problem: str) -> None:
        self.ignored += 1
        shown = address[:SHOWN_ADDRESS_CHARS]
        self._warn((shown, problem), f"OSC {shown}: {problem}; ignored (logged once)")
