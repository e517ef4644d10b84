"""MIDI without MIDI hardware (this machine has no ALSA sequencer): mido messages
fed to the mapping layer at fake times, the mapping file read and written, the
clock's tempo and beats from jittered pulses, and the port layer over a fake
backend that loses its port and gets it back."""

from __future__ import annotations

import logging
import random

import mido
import pytest

from visualizer.control.apply import ShowControls, apply_events
from visualizer.control.bus import ControlBus
from visualizer.control.events import BeatNow, Favourite, LearnMidi, NextPreset, SetParam, SetTempo
from visualizer.control.midi import MidiController, ParamStateInfo
from visualizer.control.midi_map import (
    CcBinding, MidiError, MidiMapping, NoteBinding, load_mapping, mapping_text, save_mapping,
)
from visualizer.control.midi_port import MidiInput
from visualizer.params.engine import ModulationEngine
from visualizer.params.state import ParamState
from visualizer.preset.modulation_spec import ParamSpec


class FakeParams:
    """`ParamInfo` over plain dicts; `apply` plays the frame loop applying SetParam."""

    def __init__(self, **values: float):
        self.values = dict(values)
        self.ranges = {name: (0.0, 10.0) for name in values}

    def range(self, name):
        return self.ranges.get(name)

    def value(self, name):
        return self.values.get(name)

    def apply(self, events):
        for event in events:
            if isinstance(event, SetParam):
                self.values[event.name] = event.value
        events.clear()


def cc(control, value, channel=1):
    return mido.Message("control_change", channel=channel - 1, control=control, value=value)


def note(number, velocity=100, channel=1, kind="note_on"):
    return mido.Message(kind, channel=channel - 1, note=number, velocity=velocity)


def controller(*ccs, notes=(), params=None, path=None):
    events = []
    params = params or FakeParams(zoom=5.0, speed=5.0)
    return MidiController(MidiMapping(tuple(ccs), tuple(notes), path), events.append, params), events, params


def sent(events):
    return [event.value for event in events if isinstance(event, SetParam)]


def test_cc_scales_into_the_params_range_or_the_bindings_own():
    midi, events, _ = controller(CcBinding(1, 7, "zoom", takeover="jump"),
                                 CcBinding(1, 8, "speed", low=4.0, high=2.0, takeover="jump"))
    for value in (0, 127, 64):
        midi.handle(cc(7, value), 0.0)
    midi.handle(cc(8, 0), 0.0)
    midi.handle(cc(8, 127), 0.0)
    assert sent(events) == pytest.approx([0.0, 10.0, 64 / 127 * 10, 4.0, 2.0])


def test_whole_number_params_get_whole_numbers():
    midi, events, _ = controller(CcBinding(1, 7, "zoom", takeover="jump"))
    midi.whole = lambda name: True
    midi.handle(cc(7, 50), 0.0)
    assert sent(events) == [4] and isinstance(events[0].value, int)


def test_pickup_ignores_the_knob_until_it_crosses_the_value_then_follows():
    midi, events, params = controller(CcBinding(1, 7, "zoom"))
    for value in (0, 20, 40):  # 0 .. 3.1: below the value 5.0, never reaching it
        midi.handle(cc(7, value), 0.0)
    assert events == []
    midi.handle(cc(7, 70), 0.0)  # 5.5: crossed 5.0
    midi.handle(cc(7, 30), 0.0)  # not yet applied by a frame: still ours
    assert sent(events) == pytest.approx([70 / 127 * 10, 30 / 127 * 10])


def test_pickup_takes_hold_within_two_percent():
    midi, events, _ = controller(CcBinding(1, 7, "zoom"))
    midi.handle(cc(7, 67), 0.0)  # 5.276: outside 2% of the range 0..10
    midi.handle(cc(7, 65), 0.0)  # 5.118
    assert sent(events) == pytest.approx([65 / 127 * 10])


def test_pickup_lets_go_after_a_value_set_elsewhere():
    midi, events, params = controller(CcBinding(1, 7, "zoom"))
    midi.handle(cc(7, 64), 0.0)
    params.apply(events)
    params.values["zoom"] = 9.0  # OSC or the panel
    midi.handle(cc(7, 80), 0.0)
    midi.handle(cc(7, 100), 0.0)  # 7.9: has not reached 9.0
    assert events == []
    midi.handle(cc(7, 120), 0.0)  # 9.45: crossed it
    params.apply(events)
    assert params.values["zoom"] == pytest.approx(120 / 127 * 10)


def test_jump_follows_the_knob_at_once():
    midi, events, _ = controller(CcBinding(1, 7, "zoom", takeover="jump"))
    midi.handle(cc(7, 0), 0.0)
    assert sent(events) == [0.0]


def test_notes_fire_their_actions_on_press_only():
    midi, events, _ = controller(notes=[NoteBinding(10, 36, "next"), NoteBinding(10, 37, "favourite:3")])
    midi.handle(note(36, channel=10), 0.0)
    midi.handle(note(37, channel=10), 0.0)
    midi.handle(note(36, velocity=0, channel=10), 0.0)  # a release, as note_on velocity 0
    midi.handle(note(36, velocity=64, channel=10, kind="note_off"), 0.0)
    midi.handle(note(36, channel=1), 0.0)  # another channel
    assert events == [NextPreset(), Favourite(3)]


def test_unbound_and_irrelevant_messages_are_ignored():
    midi, events, _ = controller(CcBinding(1, 7, "zoom", takeover="jump"), CcBinding(1, 9, "gone", takeover="jump"))
    for message in (cc(8, 10), cc(7, 10, channel=2), cc(9, 10), mido.Message("pitchwheel", pitch=300),
                    mido.Message("program_change", program=3), mido.Message("sysex", data=[1, 2]),
                    mido.Message("aftertouch", value=3), mido.Message("active_sensing")):
        midi.handle(message, 0.0)
    assert events == []


def test_learn_binds_the_next_cc_replacing_that_controls_binding(tmp_path):
    path = tmp_path / "map.toml"
    midi, events, _ = controller(CcBinding(1, 7, "zoom"), CcBinding(2, 7, "zoom"), path=path)
    assert midi.handle_event(LearnMidi("param:speed")) and not midi.handle_event(NextPreset())
    assert "learn param:speed" in midi.status
    midi.handle(cc(7, 64), 0.0)
    assert events == [] and midi.learning is None
    assert midi.mapping.ccs == (CcBinding(2, 7, "zoom"), CcBinding(1, 7, "speed"))
    assert midi.last_learned == CcBinding(1, 7, "speed") and "learned param:speed <- CC 7 ch 1" in midi.status
    assert load_mapping(path) == midi.mapping
    midi.handle(cc(7, 64), 0.0)
    assert events == [SetParam("speed", 64 / 127 * 10)]


def test_learn_binds_the_next_note_to_an_action_and_knobs_still_work(tmp_path):
    path = tmp_path / "map.toml"
    midi, events, _ = controller(CcBinding(1, 7, "zoom", takeover="jump"),
                                 notes=[NoteBinding(1, 40, "next")], path=path)
    midi.learn("favourite:2")
    midi.handle(cc(7, 0), 0.0)
    midi.handle(note(40), 0.0)
    assert events == [SetParam("zoom", 0.0)]
    assert midi.mapping.notes == (NoteBinding(1, 40, "favourite:2"),) and load_mapping(path) == midi.mapping
    midi.handle(note(40), 0.0)
    assert events[-1] == Favourite(2)


def test_learn_refuses_unknown_targets_and_can_be_cancelled():
    midi, events, _ = controller()
    midi.learn("param:nope")
    assert midi.learning is None and 'no knob-able parameter "nope"' in midi.status
    midi.learn("dance")
    assert midi.learning is None and 'unknown action "dance"' in midi.status
    midi.learn("next")
    midi.learn(None)
    midi.handle(note(40), 0.0)
    assert midi.mapping.notes == () and midi.status == "MIDI learn cancelled"


def test_learning_without_a_file_saves_to_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    midi, _, _ = controller()
    midi.learn("tap")
    midi.handle(note(50), 0.0)
    assert load_mapping(tmp_path / "visualizer" / "midi.toml").notes == (NoteBinding(1, 50, "tap"),)


def test_mapping_file_round_trip(tmp_path):
    mapping = MidiMapping((CcBinding(1, 21, "zoom", 0.5, 2.0, "jump"), CcBinding(16, 0, "hue")),
                          (NoteBinding(10, 36, "load:darol"),))
    path = save_mapping(mapping, tmp_path / "a" / "m.toml")
    assert load_mapping(path) == mapping and mapping_text(load_mapping(path)) == path.read_text()
    assert [p.name for p in path.parent.iterdir()] == ["m.toml"]  # no temporary left behind


@pytest.mark.parametrize(("text", "expected"), [
    ("[[cc]\nchannel = 1", "not valid TOML"),
    ("[[cc]]\nchannel = 0\ncontrol = 7\ntarget = 'param:a'", "cc[0].channel = 0: use a whole number from 1 to 16"),
    ("[[cc]]\nchannel = 1\ncontrol = 128\ntarget = 'param:a'", "cc[0].control = 128"),
    ("[[cc]]\nchannel = 1\ncontrol = 7", "cc[0].target: missing; add target = ..."),
    ("[[cc]]\nchannel = 1\ncontrol = 7\ntarget = 'zoom'", 'write "param:NAME"'),
    ("[[cc]]\nchannel = 1\ncontrol = 7\ntarget = 'param:a'\ntakeover = 'soft'", 'choose "pickup" or "jump"'),
    ("[[cc]]\nchannel = 1\ncontrol = 7\ntarget = 'param:a'\nmin = 'low'", "cc[0].min = 'low': use a number"),
    ("[[cc]]\nchannel = 1\ncontrol = 7\ntarget = 'param:a'\nmin = 1\nmax = 1", "equals min"),
    ("[[cc]]\nchanel = 1", 'cc[0]: unknown key "chanel"'),
    ("[[note]]\nchannel = 1\nnote = 3\naction = 'fly'", 'note[0].action: unknown action "fly"'),
    ("[[note]]\nchannel = 1\nnote = 3\naction = 'favourite:12'", "choose a slot from 0 to 9"),
    ("cc = 3", "cc: expected [[cc]] tables"),
    ("[knobs]", 'unknown key "knobs"'),
])
def test_bad_mapping_files_name_the_file_the_key_and_the_fix(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(MidiError) as caught:
        load_mapping(path)
    message = str(caught.value)
    assert expected in message and "bad.toml" in message and "\n" not in message


def test_a_missing_mapping_file_is_an_error_unless_learning_may_create_it(tmp_path):
    with pytest.raises(MidiError, match="MIDI map not found; fix the path"):
        load_mapping(tmp_path / "none.toml")
    assert load_mapping(tmp_path / "none.toml", missing_ok=True) == MidiMapping()


def pulses(midi, bpm, beats, start=0.0, jitter=0.002, seed=1):
    """Feed `beats` beats of clock at `bpm` with +-jitter seconds; returns the time after."""
    rng, period = random.Random(seed), 60.0 / bpm / 24
    for i in range(beats * 24):
        midi.handle(mido.Message("clock"), start + i * period + rng.uniform(-jitter, jitter))
    return start + beats * 24 * period


@pytest.mark.parametrize("bpm", [120.0, 174.0])
def test_clock_sets_the_tempo_and_a_beat_every_24_pulses(bpm):
    midi, events, _ = controller()
    midi.handle(mido.Message("start"), 0.0)
    period, rng, beat_pulses = 60.0 / bpm / 24, random.Random(2), []
    for i in range(16 * 24):
        midi.handle(mido.Message("clock"), i * period + rng.uniform(-0.002, 0.002))  # +-2 ms jitter
        if BeatNow() in events:
            beat_pulses.append(i)
            events.remove(BeatNow())
    assert beat_pulses == list(range(0, 16 * 24, 24))
    tempos = [event.bpm for event in events]
    assert abs(tempos[-1] - bpm) < 0.5 and all(abs(t - bpm) < 0.5 for t in tempos)
    assert len(tempos) <= 2 + 16 // 4  # on a change or every 4 beats, not on every pulse


def test_clock_follows_a_tempo_change_and_stop_start_songpos():
    midi, events, _ = controller()
    now = pulses(midi, 120, 4)
    assert BeatNow() not in events  # no start heard: tempo only
    midi.handle(mido.Message("start"), now)
    now = pulses(midi, 140, 8, start=now)
    tempos = [event.bpm for event in events if isinstance(event, SetTempo)]
    assert abs(tempos[0] - 120) < 0.5 and abs(tempos[-1] - 140) < 0.5 and events.count(BeatNow()) == 8
    midi.handle(mido.Message("stop"), now)
    now = pulses(midi, 140, 2, start=now)
    assert events.count(BeatNow()) == 8
    midi.handle(mido.Message("songpos", pos=2), now)  # 12 pulses into a beat
    midi.handle(mido.Message("continue"), now)
    events.clear()
    pulses(midi, 140, 1, start=now)
    assert events.count(BeatNow()) == 1 and midi.clock._pulse == 36


def test_a_lost_clock_hands_the_tempo_back_once():
    midi, events, _ = controller()
    now = pulses(midi, 120, 4)
    events.clear()
    midi.poll(now + 0.5)
    assert events == []
    midi.poll(now + 1.1)
    midi.poll(now + 2.0)
    assert events == [SetTempo(None)] and midi.clock.bpm is None


class FakeBackend:
    """`get_input_names` and `open_input` over a list of names; ports remember their callback."""

    def __init__(self, *names):
        self.names, self.ports, self.fail = list(names), [], False

    def list_names(self):
        if self.fail:
            raise OSError("MidiInAlsa::initialize: error creating ALSA sequencer client object.")
        return list(self.names)

    def open_port(self, name, callback):
        port = type("Port", (), {"name": name, "callback": staticmethod(callback), "closed": False})()
        port.close = lambda: setattr(port, "closed", True)
        self.ports.append(port)
        return port


def test_a_lost_port_is_reported_once_and_reopened_when_back(caplog):
    backend, received, clock = FakeBackend("Midi Through 14:0", "nanoKONTROL2 20:0"), [], [5.0]
    port = MidiInput("nanokontrol", lambda m, t: received.append((m, t)), lambda: clock[0],
                     list_names=backend.list_names, open_port=backend.open_port)
    with caplog.at_level(logging.WARNING):
        port.check(backend.list_names())  # without the watcher thread: tests drive `check`
        backend.ports[0].callback(cc(7, 1))
        backend.names = ["Midi Through 14:0"]
        port.check()
        port.check()
        assert port.status == "MIDI: nanoKONTROL2 20:0 lost, retrying" and backend.ports[0].closed
        backend.names.append("nanoKONTROL2 24:0")  # back, under a new ALSA client number
        port.check()
    assert port.status == "MIDI: nanoKONTROL2 24:0" and len(backend.ports) == 2
    assert received == [(cc(7, 1), 5.0)] and port.activity == 5.0
    assert [r.getMessage() for r in caplog.records] == [
        "MIDI port nanoKONTROL2 20:0 lost; reconnecting", "MIDI port nanoKONTROL2 24:0 reconnected"]


@pytest.mark.parametrize(("names", "query", "expected"), [
    (["A 1", "B 2"], "C", 'MIDI port "C" not found; choose one of "A 1", "B 2"'),
    (["Korg 1", "Korg 2"], "korg", 'matches "Korg 1", "Korg 2"; give more of the name'),
    ([], "Korg", 'MIDI port "Korg": no MIDI ports on this machine'),
])
def test_a_named_port_missing_at_launch_is_a_one_line_error(names, query, expected):
    backend = FakeBackend(*names)
    with pytest.raises(MidiError, match=expected):
        MidiInput(query, print, list_names=backend.list_names, open_port=backend.open_port).start()


def test_no_midi_system_means_no_ports_not_a_traceback():
    backend = FakeBackend("nano")
    backend.fail = True
    with MidiInput(None, print, list_names=backend.list_names, open_port=backend.open_port) as port:
        assert port.status == "MIDI: none (no MIDI system)" and port.backend_failed
        backend.fail = False  # the MIDI system comes back (a sequencer module loaded)
        port.check()
        assert port.status == "MIDI: nano" and not port.backend_failed
    backend.fail = True
    with pytest.raises(MidiError, match="MIDI system is unavailable"):
        MidiInput("nano", print, list_names=backend.list_names, open_port=backend.open_port).start()


def test_the_watcher_thread_stops_and_the_port_closes():
    backend = FakeBackend("Midi Through 14:0", "pads")
    port = MidiInput(None, print, list_names=backend.list_names, open_port=backend.open_port)
    port.start()
    thread = port._thread
    assert port.status == "MIDI: pads" and thread.daemon and thread.is_alive()
    port.close()
    port.close()
    assert not thread.is_alive() and backend.ports[0].closed and port.status == "MIDI: none"


def test_a_failing_handler_does_not_escape_the_midi_thread():
    backend = FakeBackend("pads")
    port = MidiInput(None, lambda m, t: 1 / 0, list_names=backend.list_names, open_port=backend.open_port)
    port.check()
    backend.ports[0].callback(cc(1, 1))
    assert port.activity is not None


def test_this_machines_real_midi_system_does_not_raise():
    with MidiInput(None, print) as port:  # mido.get_input_names() and rtmidi, as the show calls them
        assert port.status.startswith("MIDI: ")


def test_knobs_reach_the_show_through_the_bus():
    state = ParamState(ModulationEngine((ParamSpec("zoom", "float", 1.0, 0.5, 2.0), ParamSpec("count", "int", 3, 1, 8)),
                                        (), (), seed=0, frame_rate=60.0))
    bus, info = ControlBus(), ParamStateInfo(state)
    midi = MidiController(MidiMapping((CcBinding(1, 1, "zoom", takeover="jump"), CcBinding(1, 2, "count"))),
                          bus.push, info)
    controls = ShowControls(type("Rhythm", (), {"tap": lambda self, t: None})(), state, lambda: 0.0, lambda: None)
    midi.handle(cc(1, 127), 0.0)
    midi.handle(cc(2, 37), 0.0)  # 1 + 7 * 37/127 = 3.04 -> 3: picks up at the current 3
    midi.handle(cc(2, 127), 0.0)
    assert apply_events(bus, [midi.handle_event, controls.handle]) == 3
    assert state.engine.base("zoom") == 2.0 and state.engine.base("count") == 8
    assert info.range("count") == (1.0, 8.0) and info.value("nothing") is None
