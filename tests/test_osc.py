"""OSC in and out over real UDP on 127.0.0.1: every address becomes its event,
mistakes are counted and logged once, a flood leaves the server alive with the
newest events on the bus, and the features reach another program's server.

Waiting: a push wakes the test (a Condition), never a sleep. A message that
makes no event is followed by a sentinel message; the server handles one
socket's datagrams in order, so the sentinel's event means it was handled."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pythonosc.dispatcher import Dispatcher
from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_server import BlockingOSCUDPServer
from pythonosc.udp_client import SimpleUDPClient

from visualizer.control.actions import ACTION_NAMES
from visualizer.control.bus import ControlBus
from visualizer.control.events import (
    Blackout, ControlEvent, Favourite, Freeze, LearnMidi, LoadPreset, NextPreset, PreviousPreset, RandomPreset,
    SetParam, SetTempo, SetTransitionLength, SetTransitionStyle, TapTempo, ToggleFullscreen, ToggleHud, ToggleLock,
)
from visualizer.control.osc import OscServer
from visualizer.control.osc_address import PARAM_PREFIX, ROUTES
from visualizer.control.osc_once import KINDS_REMEMBERED
from visualizer.control.osc_out import FEATURE_ADDRESSES, FeatureSender, feature_bundle, parse_host_port
from visualizer.errors import VisualizerError
from visualizer.features.frame import FrameFeatures

BOUND_S = 10.0
"""A bound on a hang, never a measurement."""
DOCS = Path(__file__).resolve().parent.parent / "docs" / "osc.md"
V = "/visualizer"


class Inbox:
    """A ControlBus (capacity 1024) whose pushes wake a waiting test."""

    def __init__(self) -> None:
        self.bus = ControlBus()
        self.last: ControlEvent | None = None
        self._pushed = threading.Condition()

    def push(self, event: ControlEvent) -> None:
        self.bus.push(event)
        with self._pushed:
            self.last = event
            self._pushed.notify_all()

    def wait_for(self, event: ControlEvent) -> None:
        with self._pushed:
            assert self._pushed.wait_for(lambda: self.last == event, BOUND_S), f"no {event} from the OSC server"


class Link:
    """A started server, its inbox and a python-osc client sending to it."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.server = OscServer(0, self.inbox.push)
        self.server.start()
        self.client = SimpleUDPClient("127.0.0.1", self.server.port)
        self._sentinels = 0

    def exchange(self, address: str, args: Any) -> list[ControlEvent]:
        """Send one message, then a sentinel; the events the message made."""
        self.client.send_message(address, args)
        return self.settle()

    def settle(self) -> list[ControlEvent]:
        """Everything sent so far has been handled: its events (sentinel left out)."""
        self._sentinels += 1
        sentinel = SetParam("sentinel", self._sentinels)
        self.client.send_message(f"{PARAM_PREFIX}sentinel", self._sentinels)
        self.inbox.wait_for(sentinel)
        return [event for event in self.inbox.bus.drain() if event != sentinel]


def _ours(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The server's log records (python-osc logs a few of its own on the root logger)."""
    return [record for record in caplog.records if record.name == "visualizer.control.osc"]


@pytest.fixture
def link() -> Iterator[Link]:
    link = Link()
    yield link
    link.server.close()


CASES: list[tuple[str, Any, ControlEvent]] = [
    (f"{V}/next", [], NextPreset()),
    (f"{V}/next", 1.0, NextPreset()),  # a button's press
    (f"{V}/previous", [], PreviousPreset()),
    (f"{V}/random", [], RandomPreset()),
    (f"{V}/preset", "Bloom Tunnel", LoadPreset("Bloom Tunnel")),
    (f"{V}/favourite", 3, Favourite(3)),
    (f"{V}/favourite", 7.0, Favourite(7)),
    (f"{V}/param/speed", 0.25, SetParam("speed", 0.25)),
    (f"{V}/param/count", 7, SetParam("count", 7)),
    (f"{V}/param/mirror", True, SetParam("mirror", True)),
    (f"{V}/param/palette", "sunset", SetParam("palette", "sunset")),
    (f"{V}/param/center", [0.25, 0.75], SetParam("center", (0.25, 0.75))),
    (f"{V}/param/tint", [0.25, 0.5, 1.0], SetParam("tint", (0.25, 0.5, 1.0))),
    (f"{V}/param/rgba", [[0.0, 0.5, 1.0, 0.75]], SetParam("rgba", (0.0, 0.5, 1.0, 0.75))),  # an OSC array
    (f"{V}/tap", [], TapTempo()),
    (f"{V}/bpm", 128.0, SetTempo(128.0)),
    (f"{V}/bpm", 0, SetTempo(None)),
    (f"{V}/bpm", [], SetTempo(None)),
    (f"{V}/blackout", [], Blackout(None)),
    (f"{V}/blackout", 1, Blackout(True)),
    (f"{V}/blackout", 0, Blackout(False)),
    (f"{V}/freeze", [], Freeze(None)),
    (f"{V}/freeze", 1.0, Freeze(True)),
    (f"{V}/lock", [], ToggleLock()),
    (f"{V}/hud", [], ToggleHud()),
    (f"{V}/transition/length", 8.0, SetTransitionLength(beats=8.0)),
    (f"{V}/transition/style", "luma_wipe", SetTransitionStyle("luma_wipe")),
    (f"{V}/midi/learn", "param:speed", LearnMidi("param:speed")),
    (f"{V}/action", "fullscreen", ToggleFullscreen()),
    (f"{V}/action", "favourite:2", Favourite(2)),
]


@pytest.mark.parametrize(("address", "args", "event"), CASES, ids=lambda case: str(case))
def test_each_address_pushes_its_event(link: Link, address: str, args: Any, event: ControlEvent):
    assert link.exchange(address, args) == [event]
    assert link.server.ignored == 0
    assert link.server.activity is not None


def test_every_address_has_a_case_and_a_row_in_the_docs():
    tested = {address for address, _, _ in CASES}
    assert set(ROUTES) <= tested
    docs = DOCS.read_text()
    assert [address for address in ROUTES if f"`{address}" not in docs] == []
    assert f"`{PARAM_PREFIX}<name>" in docs
    assert [name for name in ACTION_NAMES if f"`{name}" not in docs] == []
    out = docs[docs.index("## Features out"):]
    assert [item.address for item in FEATURE_ADDRESSES if f"| `{item.address}` |" not in out] == []


def test_a_button_release_does_nothing(link: Link):
    assert link.exchange(f"{V}/next", 0.0) == []
    assert (link.server.received, link.server.ignored) == (2, 0)  # the release and the sentinel


MALFORMED = [
    (f"{V}/preset", []), (f"{V}/preset", 3), (f"{V}/preset", ""),
    (f"{V}/favourite", 12), (f"{V}/favourite", 2.5), (f"{V}/favourite", "one"),
    (f"{V}/bpm", -5.0), (f"{V}/bpm", "fast"), (f"{V}/bpm", float("nan")),
    (f"{V}/param/tint", [1.0, 2.0, 3.0, 4.0, 5.0]), (f"{V}/param/tint", [1.0, "red"]),
    (f"{V}/param/speed", []), (f"{V}/param/speed", float("inf")), (f"{V}/param/", 1.0), (f"{V}/param/a/b", 1.0),
    (f"{V}/next", "now"), (f"{V}/blackout", [1, 2]), (f"{V}/transition/length", -1.0),
    (f"{V}/transition/style", []), (f"{V}/midi/learn", 5), (f"{V}/action", "explode"),
    (f"{V}/nothing", []), ("/other/program", 1.0), (V, []),
]


@pytest.mark.parametrize(("address", "args"), MALFORMED, ids=lambda case: str(case))
def test_malformed_and_unknown_messages_are_ignored_counted_and_logged_once(link: Link, caplog, address, args):
    caplog.set_level(logging.WARNING, logger="visualizer.control.osc")
    link.client.send_message(address, args)
    link.client.send_message(address, args)
    assert link.settle() == []
    assert link.server.ignored == 2
    assert link.server.received == 1  # the sentinel
    warnings = [record for record in _ours(caplog) if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and address in warnings[0].getMessage(), caplog.text


def test_a_kind_is_an_address_and_a_problem(link: Link, caplog):
    caplog.set_level(logging.WARNING, logger="visualizer.control.osc")
    for address, args in [(f"{V}/bpm", "fast"), (f"{V}/bpm", -1.0), (f"{V}/freeze", "x"),
                          (f"{V}/nothing", []), (f"{V}/nothing", 2.0)]:
        link.client.send_message(address, args)
    assert link.settle() == []
    assert link.server.ignored == 5
    logged = [record.getMessage().split(":")[0] for record in _ours(caplog)]
    assert logged == [f"OSC {V}/bpm", f"OSC {V}/freeze", f"OSC {V}/nothing"], caplog.text


def test_kinds_remembered_are_bounded(link: Link, caplog):
    caplog.set_level(logging.WARNING, logger="visualizer.control.osc")
    for n in range(KINDS_REMEMBERED + 44):
        link.client.send_message(f"{V}/unknown/{n}", [])
    assert link.settle() == []
    assert link.server.ignored == KINDS_REMEMBERED + 44
    logged = _ours(caplog)
    assert len(logged) == KINDS_REMEMBERED and "no longer logged" in logged[-1].getMessage()


def test_a_push_that_fails_leaves_the_server_serving(caplog):
    pushed: list[ControlEvent] = []
    done = threading.Event()

    def push(event: ControlEvent) -> None:
        if event == NextPreset():
            raise RuntimeError("a bug downstream")
        pushed.append(event)
        done.set()

    server = OscServer(0, push)
    server.start()
    try:
        client = SimpleUDPClient("127.0.0.1", server.port)
        with caplog.at_level(logging.WARNING, logger="visualizer.control.osc"):
            client.send_message(f"{V}/next", [])
            client.send_message(f"{V}/next", [])
            client.send_message(f"{V}/hud", [])
            assert done.wait(BOUND_S)
        assert pushed == [ToggleHud()] and server.alive
        assert len(_ours(caplog)) == 1 and "a bug downstream" in caplog.text  # with its traceback
    finally:
        server.close()


GARBAGE = [b"", b"hello", b"/visualizer/next", b"#bundle\x00" + b"\xff" * 12, bytes(range(256)) * 4,
           b"/visualizer/param/x\x00,fff"]  # the last: a type tag with no end


def test_datagrams_that_are_not_osc_are_ignored_counted_and_logged_once(link: Link, caplog):
    caplog.set_level(logging.WARNING, logger="visualizer.control.osc")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as raw:
        for datagram in GARBAGE:
            raw.sendto(datagram, ("127.0.0.1", link.server.port))
        # the sentinel from this socket, so it comes after the garbage
        raw.sendto(b"/visualizer/hud\x00,\x00\x00\x00", ("127.0.0.1", link.server.port))
        link.inbox.wait_for(ToggleHud())
    assert link.server.ignored == len(GARBAGE)
    assert link.server.alive
    assert [record.getMessage() for record in _ours(caplog)] == [
        "OSC (datagram): not an OSC message, nor a bundle holding one; ignored (logged once)"]
    assert link.exchange(f"{V}/next", []) == [ToggleHud(), NextPreset()]


FLOOD_SENDER = """
import sys, time
from pythonosc.udp_client import SimpleUDPClient
client, count = SimpleUDPClient("127.0.0.1", int(sys.argv[1])), int(sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
started = time.perf_counter()
for i in range(count):
    client.send_message("/visualizer/param/speed", i)
    if i % 100 == 99:  # the issue's flood: 10,000 in a second (a burst in microseconds overflows
        time.sleep(max(0.0, started + (i + 1) / count - time.perf_counter()))  # the kernel buffer)
"""


FRAME_S, WORK_S = 1 / 60, 0.010
"""The stand-in render loop: 10 ms of Python work a frame, then the wait for the next
frame's due time, as `Show.run` paces a show that keeps up."""


def _count_until(done: Callable[[], bool], seconds: float | None = None) -> tuple[int, float, float]:
    """Run frames of a counting loop (a stand-in for the render thread's work, paced
    like a show) until `done()` or `seconds`: (iterations, seconds, longest gap between
    two iterations within a frame's work, seconds)."""
    count, start = 0, time.perf_counter()
    longest = 0.0
    while not done() and time.perf_counter() - start < (seconds or BOUND_S):
        frame = time.perf_counter()
        last = frame
        while (now := time.perf_counter()) - frame < WORK_S:
            longest, last = max(longest, now - last), now
            count += 1
        time.sleep(max(0.0, FRAME_S - (time.perf_counter() - frame)))
    return count, time.perf_counter() - start, longest


def test_a_flood_of_10000_messages_keeps_the_newest_on_the_bus(link: Link, capsys):
    """10,000 in a second, sent from another process, so the counting loop here (paced
    like a show: 10 ms of work a 60 fps frame) competes with the server's thread alone
    for the GIL, as the render loop would."""
    messages, last = 10_000, SetParam("speed", 9_999)
    sender = subprocess.Popen([sys.executable, "-c", FLOOD_SENDER, str(link.server.port), str(messages)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert sender.stdout is not None and sender.stdin is not None
        assert sender.stdout.readline() == "ready\n"
        idle = _count_until(lambda: False, seconds=0.2)
        cpu_before = link.server.cpu_s
        sender.stdin.write("go\n")
        sender.stdin.flush()
        flood = _count_until(lambda: link.inbox.last == last)
        cpu = link.server.cpu_s - cpu_before
        assert sender.wait(BOUND_S) == 0
    finally:
        sender.kill()
    received, bus = link.server.received, link.inbox.bus
    assert link.inbox.last == last, (f"the last message never came ({received}/{messages} did): the "
                                      f"{link.server.receive_buffer}-byte kernel buffer overflowed; "
                                      "raise net.core.rmem_max (docs/osc.md)")
    assert link.server.alive and link.server.ignored == 0
    assert len(bus) == bus.capacity == 1024
    assert bus.dropped == received - bus.capacity  # the oldest went
    values = [event.value for event in bus.drain() if isinstance(event, SetParam)]
    assert len(values) == bus.capacity and values[-1] == last.value
    assert values == sorted(set(values))  # the newest that came, in order (a small kernel buffer loses some)
    assert link.exchange(f"{V}/next", []) == [NextPreset()]
    with capsys.disabled():
        rate = (flood[0] / flood[1]) / (idle[0] / idle[1])
        print(f"\nOSC flood: {received}/{messages} received in {flood[1] * 1e3:.0f} ms from the first send; "
              f"the server thread used {cpu * 1e3:.0f} ms of CPU ({cpu / messages * 1e6:.0f} us a message); "
              f"a counting loop ran at {rate:.0%} of its idle rate meanwhile, longest stall "
              f"{flood[2] * 1e3:.1f} ms (idle: {idle[2] * 1e3:.1f} ms); the bus dropped {bus.dropped}; "
              f"receive buffer {link.server.receive_buffer} bytes")


def test_a_port_in_use_is_one_line(link: Link):
    other = OscServer(link.server.port, lambda event: None)
    with pytest.raises(VisualizerError) as error:
        other.start()
    assert str(error.value) == f"--osc {link.server.port}: port in use; choose another"
    other.close()


@pytest.mark.parametrize(("host", "port", "says"), [
    ("", 0, "unknown host"),
    ("192.0.2.1", 0, "not an address of this machine"),  # TEST-NET-1: no machine has it
    ("127.0.0.1", 70000, "not a port"),
    ("127.0.0.1", -1, "not a port"),
])
def test_a_bad_host_or_port_is_one_line(host: str, port: int, says: str):
    server = OscServer(port, lambda event: None, host=host)
    with pytest.raises(VisualizerError, match=says) as error:
        server.start()
    assert "\n" not in str(error.value)
    assert server.status == "OSC off"


def test_close_twice_is_fine_and_frees_the_port():
    server = OscServer(0, lambda event: None)
    server.close()  # before start, too
    server = OscServer(0, lambda event: None)
    server.start()
    assert server.alive and server.status.startswith(f"OSC 127.0.0.1:{server.port}: 0 received")
    server.close()
    server.close()
    assert not server.alive and server.status == "OSC closed"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as again:
        again.bind(("127.0.0.1", server.port))


FEATURES = FrameFeatures(  # values a float32 holds exactly
    12.5, level=0.5, bass=0.25, mid=0.125, high=0.75, onset=1.0, bass_hit=0.5, beat_pulse=0.875, beat_count=42,
    tempo_bpm=128.0, section=3, build=0.25, drop=1.0, breakdown=0.0625)
SENT = {
    f"{V}/level": [0.5], f"{V}/bass": [0.25], f"{V}/mid": [0.125], f"{V}/high": [0.75], f"{V}/onset": [1.0],
    f"{V}/bass_hit": [0.5], f"{V}/beat": [0.875], f"{V}/beat/count": [42], f"{V}/bpm": [128.0],
    f"{V}/section": [3], f"{V}/build": [0.25], f"{V}/drop": [1.0], f"{V}/breakdown": [0.0625],
    f"{V}/preset": ["Bloom Tunnel"],
}


class Receiver:
    """Another program: python-osc's own server, handling one datagram at a time here."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[Any]]] = []
        dispatcher = Dispatcher()
        dispatcher.set_default_handler(lambda address, *args: self.messages.append((address, list(args))))
        self.server = BlockingOSCUDPServer(("127.0.0.1", 0), dispatcher)
        self.server.timeout = BOUND_S  # handle_request returns at a datagram, or fails the test after this
        self.server.handle_timeout = lambda: pytest.fail("nothing arrived")  # type: ignore[method-assign]
        self.host_port = f"127.0.0.1:{self.server.server_address[1]}"

    def handle(self, datagrams: int) -> dict[str, list[Any]]:
        for _ in range(datagrams):
            self.server.handle_request()
        return dict(self.messages)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.server.server_close()


def test_features_arrive_in_one_bundle_with_their_values(receiver: Receiver):
    sender = FeatureSender(receiver.host_port)
    sender.send(FEATURES, "Bloom Tunnel")
    assert receiver.handle(1) == SENT
    assert [address for address, _ in receiver.messages] == list(SENT)  # in the documented order
    assert (sender.sent, sender.errors) == (1, 0)
    sender.close()


def test_features_as_separate_messages_and_numpy_scalars(receiver: Receiver):
    features = replace(FEATURES, level=np.float32(0.5), beat_count=np.int64(42))
    sender = FeatureSender(receiver.host_port, bundle=False)
    sender.send(features, "Bloom Tunnel")
    assert receiver.handle(len(SENT)) == SENT
    sender.close()


def test_the_bundle_is_what_python_osc_builds():
    built = OscBundleBuilder(IMMEDIATELY)
    for address, args in SENT.items():
        message = OscMessageBuilder(address)
        message.add_arg(args[0], "i" if address in (f"{V}/beat/count", f"{V}/section") else None)
        built.add_content(message.build())
    assert feature_bundle(FEATURES, "Bloom Tunnel") == built.build().dgram


def test_a_failed_send_is_counted_and_logged_once(caplog):
    sender = FeatureSender("255.255.255.255:9001")  # broadcast without SO_BROADCAST: the kernel refuses
    with caplog.at_level(logging.WARNING, logger="visualizer.control.osc_out"):
        for _ in range(3):
            sender.send(FEATURES, "darol")
    assert (sender.sent, sender.errors) == (0, 3)
    assert len(caplog.records) == 1 and "255.255.255.255:9001" in caplog.text
    sender.close()
    sender.close()
    sender.send(FEATURES, "darol")  # closed: nothing, no error
    assert sender.errors == 3


@pytest.mark.parametrize("text", ["", "9001", "localhost", "localhost:", ":9001", "host:port", "127.0.0.1:0",
                                  "127.0.0.1:70000", "127.0.0.1:-1", "127.0.0.1:９００１", "[::1]"])
def test_bad_host_port_text_is_one_line(text: str):
    with pytest.raises(VisualizerError, match="--osc-out .*expected HOST:PORT") as error:
        FeatureSender(text)
    assert "\n" not in str(error.value)


def test_host_port_forms():
    assert parse_host_port("127.0.0.1:9001") == ("127.0.0.1", 9001)
    assert parse_host_port(" localhost:9001 ") == ("localhost", 9001)
    assert parse_host_port("[::1]:9001") == ("::1", 9001)
    with pytest.raises(VisualizerError, match="unknown host"):
        FeatureSender("no host:9001")
