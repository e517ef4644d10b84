"""OSC out: the audio features of each video frame sent to another program
(a lighting desk, Resolume, TouchDesigner) as one OSC bundle over UDP. The
socket never blocks: a frame never waits on the network, and a send that
fails is counted and logged once per kind."""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass

from pythonosc.parsing import osc_types

from visualizer.control.osc_address import PREFIX
from visualizer.control.osc_once import WarnOnce
from visualizer.errors import ControlError
from visualizer.features.frame import FrameFeatures

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeatureAddress:
    """One message per frame: `address` carries `FrameFeatures.<field>` as OSC type `tag`."""

    address: str
    field: str
    tag: str


FEATURE_ADDRESSES = (
    FeatureAddress(f"{PREFIX}/level", "level", "f"),
    FeatureAddress(f"{PREFIX}/bass", "bass", "f"),
    FeatureAddress(f"{PREFIX}/mid", "mid", "f"),
    FeatureAddress(f"{PREFIX}/high", "high", "f"),
    FeatureAddress(f"{PREFIX}/onset", "onset", "f"),
    FeatureAddress(f"{PREFIX}/bass_hit", "bass_hit", "f"),
    FeatureAddress(f"{PREFIX}/beat", "beat_pulse", "f"),
    FeatureAddress(f"{PREFIX}/beat/count", "beat_count", "i"),
    FeatureAddress(f"{PREFIX}/bpm", "tempo_bpm", "f"),
    FeatureAddress(f"{PREFIX}/section", "section", "i"),
    FeatureAddress(f"{PREFIX}/build", "build", "f"),
    FeatureAddress(f"{PREFIX}/drop", "drop", "f"),
    FeatureAddress(f"{PREFIX}/breakdown", "breakdown", "f"),
)
"""What `FeatureSender` sends each frame, in this order, then `/visualizer/preset s`."""
PRESET_ADDRESS = f"{PREFIX}/preset"

_WRITE = {"f": osc_types.write_float, "i": osc_types.write_int, "s": osc_types.write_string}
_BUNDLE_HEAD = b"#bundle\x00" + osc_types.write_date(osc_types.IMMEDIATELY)


def _head(address: str, tag: str) -> bytes:
    """A message's constant start: its address and type tag, OSC-padded."""
    return osc_types.write_string(address) + osc_types.write_string("," + tag)


_HEADS = [_head(item.address, item.tag) for item in FEATURE_ADDRESSES]
_PRESET_HEAD = _head(PRESET_ADDRESS, "s")


def feature_messages(features: FrameFeatures, preset: str) -> list[bytes]:
    """The frame's OSC messages (datagrams): FEATURE_ADDRESSES order, the preset's
    name last. The constant heads are built once (python-osc's builder parses
    each message it builds again: 0.5 ms a frame); values via python-osc's writers."""
    messages = []
    for head, item in zip(_HEADS, FEATURE_ADDRESSES):
        value = getattr(features, item.field)
        messages.append(head + _WRITE[item.tag](float(value) if item.tag == "f" else int(value)))  # numpy scalars too
    messages.append(_PRESET_HEAD + osc_types.write_string(preset))
    return messages


def feature_bundle(features: FrameFeatures, preset: str) -> bytes:
    """The frame's messages in one bundle (time tag: immediately)."""
    parts = [_BUNDLE_HEAD]
    for message in feature_messages(features, preset):
        parts += (osc_types.write_int(len(message)), message)
    return b"".join(parts)


def parse_host_port(text: str) -> tuple[str, int]:
    """ "HOST:PORT" (or "[IPv6]:PORT") -> (host, port); ControlError (one line) otherwise."""
    host, colon, port = text.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not colon or not host or not (port.isascii() and port.isdigit()) or not 1 <= int(port) <= 65535:
        raise ControlError(f'--osc-out "{text}": expected HOST:PORT with a port from 1 to 65535, '
                              "e.g. 127.0.0.1:9001")
    return host, int(port)


class FeatureSender:
    """Sends each frame's features to `host_port` ("HOST:PORT"), as one bundle
    (`bundle=True`) or as separate messages for receivers without bundles.
    `sent` counts frames sent, `errors` sends that failed. The host is resolved
    once, here: ControlError (one line) for bad text or an unknown host."""

    def __init__(self, host_port: str, bundle: bool = True):
        host, port = parse_host_port(host_port)
        try:
            family, _, _, _, self.address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
        except (socket.gaierror, UnicodeError) as exc:
            raise ControlError(f'--osc-out "{host_port}": unknown host "{host}"; '
                                  "give an address such as 127.0.0.1:9001") from exc
        self.target, self.bundle = host_port, bundle
        self.sent = 0
        self.errors = 0
        self._warn = WarnOnce(log)
        self._socket: socket.socket | None = socket.socket(family, socket.SOCK_DGRAM)
        self._socket.setblocking(False)

    def send(self, features: FrameFeatures, preset: str) -> None:
        """Send this frame's features and the preset's name; never blocks or raises
        (after `close()` it does nothing)."""
        if self._socket is None:
            return
        try:
            datagrams = [feature_bundle(features, preset)] if self.bundle else feature_messages(features, preset)
            for datagram in datagrams:
                self._socket.sendto(datagram, self.address)
        except OSError as exc:  # unreachable, buffer full (BlockingIOError), too big
            self._failed(type(exc).__name__, f"cannot send ({exc.strerror or exc})")
        except (osc_types.BuildError, OverflowError, ValueError) as exc:  # a value OSC cannot carry
            self._failed(type(exc).__name__, f"cannot encode a feature ({exc})")
        else:
            self.sent += 1

    def _failed(self, kind: str, problem: str) -> None:
        self.errors += 1
        self._warn((self.target, kind), f"--osc-out {self.target}: {problem}; the show goes on (logged once)")

    def close(self) -> None:
        """Close the socket; safe twice."""
        sock, self._socket = self._socket, None
        if sock is not None:
            sock.close()
