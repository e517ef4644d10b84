"""The control bus without a window: events from threads keep their order,
named keys become events, events change the show only through public methods
(the live rhythm's tap, the parameter state), and the parameter state
outlives an engine (a hot reload)."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

import pytest

from visualizer.control.apply import ShowControls, apply_events
from visualizer.control.bus import ControlBus
from visualizer.control.events import (
    BeatNow, Quit, Redo, Save, SetModulationAmount, SetParam, SetTempo, TapTempo, Undo,
)
from visualizer.control.keys import EDITOR_KEYS, PLAY_KEYS, KeyPress, chord
from visualizer.features.frame import FrameFeatures
from visualizer.features.rhythm import LiveRhythm
from visualizer.params.engine import ModulationEngine
from visualizer.params.state import ParamState, modulation_names
from visualizer.preset.modulation_spec import Modulation, ParamSpec

PARAMS = (ParamSpec("spread", "float", 0.1, min=0.0, max=1.0), ParamSpec("tint", "color", (1.0, 0.0, 0.0)))
MODS = (Modulation("spread", "bass", amount=0.5, attack=0.2),)


def engine(params=PARAMS, mods=MODS) -> ModulationEngine:
    return ModulationEngine(params, mods, (), seed=1, frame_rate=60.0)


def test_events_from_several_threads_arrive_in_each_threads_order():
    bus = ControlBus(capacity=4096)

    def sender(thread: int) -> None:
        for i in range(500):
            bus.push(SetParam(f"t{thread}", i))

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    events = []
    while any(thread.is_alive() for thread in threads):  # the frame loop drains while they push
        events += bus.drain()
    events += bus.drain()
    assert len(events) == 2000 and len(bus) == 0 and bus.dropped == 0
    for n in range(4):
        assert [e.value for e in events if e.name == f"t{n}"] == list(range(500))


def test_a_full_bus_drops_the_oldest_events():
    bus = ControlBus(capacity=3)
    for i in range(5):
        bus.push(SetParam("x", i))
    assert [e.value for e in bus.drain()] == [2, 3, 4] and bus.dropped == 2


def test_named_keys_become_events():
    keys = PLAY_KEYS | EDITOR_KEYS
    assert keys.event_for(KeyPress("t")) == TapTempo()
    assert keys.event_for(KeyPress("t", frozenset({"shift"}))) == TapTempo()  # the bare key still taps
    assert keys.event_for(KeyPress("escape")) == Quit()
    assert keys.event_for(KeyPress("z", frozenset({"ctrl"}))) == Undo()
    assert keys.event_for(KeyPress("z", frozenset({"shift", "ctrl"}))) == Redo()
    assert keys.event_for(KeyPress("q")) is None
    assert keys.event_for(KeyPress("t", repeat=True)) is None  # holding T is one tap
    assert keys.event_for(KeyPress("z", frozenset({"ctrl"}), repeat=True)) == Undo()  # undo repeats
    assert keys.event_for(KeyPress("t"), typing=True) is None  # a T typed into a text field
    assert keys.event_for(KeyPress("s", frozenset({"ctrl"})), typing=True) == Save()
    assert PLAY_KEYS.event_for(KeyPress("z", frozenset({"ctrl"}))) is None  # play has no undo
    assert chord("Shift+Ctrl+Z") == "ctrl+shift+z"
    with pytest.raises(ValueError):
        chord("ctrl+shift")


def test_tap_events_set_the_tempo_at_the_stream_time_they_are_applied():
    rhythm = LiveRhythm(48000.0)
    clock = {"now": 0.0}
    bus = ControlBus()
    controls = ShowControls(rhythm, ParamState(engine()), lambda: clock["now"], quit=lambda: None)
    assert rhythm.at(0.0)["tempo_bpm"] == 0.0
    for now in (10.0, 10.5, 11.0, 11.5):
        bus.push(TapTempo())
        clock["now"] = now  # the frame starts: the tap is applied at its stream time
        assert apply_events(bus, [controls.handle]) == 1
    assert rhythm.at(11.5)["tempo_bpm"] == pytest.approx(120.0)


def test_param_events_reach_the_engine_and_bad_ones_are_dropped(caplog):
    target = engine()
    quits = []
    controls = ShowControls(LiveRhythm(48000.0), ParamState(target), lambda: 0.0, quit=lambda: quits.append(1))
    bus = ControlBus()
    for event in (SetParam("spread", 0.7), SetParam("nope", 1.0), SetParam("spread", "wide"),
                  SetModulationAmount(0, 0.25), SetModulationAmount(3, 1.0), Quit(), Undo()):
        bus.push(event)
    with caplog.at_level(logging.WARNING):
        assert apply_events(bus, [controls.handle]) == 6  # Undo is the editor's: nobody here takes it
    assert target.base("spread") == 0.7 and target.modulations[0].amount == 0.25 and quits == [1]
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [
        "ignored SetParam(name='nope', value=1.0)", "ignored SetParam(name='spread', value='wide')",
        "ignored SetModulationAmount(index=3, amount=1.0)"]


def test_engine_set_amount_checks_the_amount_and_keeps_smoothing():
    target = engine()
    loud = replace(FrameFeatures.silent(), bass=1.0)
    before = target.step(loud)["spread"]
    target.set_amount(0, 1)
    after = target.step(loud)["spread"]
    fresh = engine(mods=(replace(MODS[0], amount=1.0),))
    fresh.step(loud)
    assert after == pytest.approx(fresh.step(loud)["spread"]) and after > before  # same smoothing state
    with pytest.raises(ValueError, match=r"modulations\[1\]\.amount: expected a number"):
        target.set_amount(0, (1.0, 2.0))
    with pytest.raises(IndexError):
        target.set_amount(1, 0.5)
    assert target.modulations[0].amount == 1


def test_the_param_state_outlives_the_engine():
    state = ParamState(engine())
    state.set("spread", 0.5)
    state.set("tint", [0, 0, 1])
    state.set_amount(0, 0.25)
    reloaded = engine()  # the same preset, saved again: a new engine at the file's values
    assert state.attach(reloaded) == []
    assert reloaded.base("spread") == 0.5 and reloaded.base("tint") == (0.0, 0.0, 1.0)
    assert reloaded.modulations[0].amount == 0.25

    # An edit that adds a modulation in front and makes tint a float: amounts follow their
    # modulation's name, and a value that no longer fits is dropped (with a message).
    edited = engine(params=(PARAMS[0], ParamSpec("tint", "float", 0.5)),
                    mods=(Modulation("spread", "mid", amount=0.1), *MODS))
    assert modulation_names(edited.modulations) == ("spread<-mid", "spread<-bass")
    dropped = state.attach(edited)
    assert [line.split(":")[0] for line in dropped] == ["tint"]
    assert edited.base("tint") == 0.5 and "tint" not in state.values and state.values["spread"] == 0.5
    assert [mod.amount for mod in edited.modulations] == [0.1, 0.25]
    assert modulation_names(MODS * 2) == ("spread<-bass", "spread<-bass#2")


def test_an_external_tempo_and_its_beats_set_tempo_and_phase():
    """A MIDI clock's SetTempo and BeatNow: the tempo is fixed, each beat lands on the
    phase's zero and counts once (a beat the tracker fired just before is not counted twice)."""
    rhythm = LiveRhythm(48000.0)
    clock = {"now": 0.0}
    bus = ControlBus()
    controls = ShowControls(rhythm, ParamState(engine()), lambda: clock["now"], quit=lambda: None)
    bus.push(SetTempo(100.0))
    apply_events(bus, [controls.handle])
    counts = []
    for beat in range(4):
        clock["now"] = 5.0 + 0.6 * beat  # 100 BPM
        bus.push(BeatNow())
        apply_events(bus, [controls.handle])
        state = rhythm.at(clock["now"] + 0.15)  # a quarter of a beat later
        assert state["tempo_bpm"] == pytest.approx(100.0)
        assert state["beat_phase"] == pytest.approx(0.25, abs=0.02)
        counts.append(state["beat_count"])
    assert counts == list(range(counts[0], counts[0] + 4))
    bus.push(SetTempo(None))
    apply_events(bus, [controls.handle])
    assert rhythm.tracker._manual is None


def test_the_live_key_map_and_the_named_actions_agree():
    from visualizer.control.actions import ACTION_NAMES, action_event
    from visualizer.control.events import Blackout, Favourite, LoadPreset, NextPreset, PreviousPreset
    from visualizer.control.keys import LIVE_KEYS

    assert LIVE_KEYS.event_for(KeyPress("right")) == NextPreset() == action_event("next")
    assert LIVE_KEYS.event_for(KeyPress("left")) == PreviousPreset() == action_event("Previous")
    assert LIVE_KEYS.event_for(KeyPress("3")) == Favourite(3) == action_event("favourite:3")
    assert LIVE_KEYS.event_for(KeyPress("space")) == TapTempo() == action_event("tap")
    assert LIVE_KEYS.event_for(KeyPress("b")) == Blackout() == action_event("blackout")
    assert LIVE_KEYS.event_for(KeyPress("r", frozenset({"ctrl"}))) != LIVE_KEYS.event_for(KeyPress("r"))
    assert LIVE_KEYS.event_for(KeyPress("right_bracket", repeat=True)) is not None  # held: keeps doubling
    assert action_event("load: darol ") == LoadPreset("darol")
    for bad in ("nope", "favourite:12", "favourite:", "load:"):
        with pytest.raises(ValueError, match="favourite|unknown action"):
            action_event(bad)
    assert "next" in ACTION_NAMES and "favourite:" in ACTION_NAMES
