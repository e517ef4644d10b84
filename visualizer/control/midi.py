"""MIDI messages to control events: knobs (CC) to parameter values, pads (notes)
to actions, the MIDI clock to tempo and beats, and learn mode.

`MidiController.handle` is called from the MIDI port's thread; it only reads
the parameters through `ParamInfo` and pushes events onto the bus (applied
between frames). A lock makes `handle`, `learn` and `poll` safe from any thread.

Soft takeover ("pickup"): a knob whose position does not match the parameter
is ignored until it comes within `PICKUP_WINDOW` of the value or crosses it;
then it follows. When the value changes from elsewhere (OSC, the panel, a new
preset) the knob lets go again. "jump" follows the knob at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import mido

from visualizer.control.actions import action_event
from visualizer.control.events import ControlEvent, LearnMidi, SetParam
from visualizer.control.midi_clock import MidiClock
from visualizer.control.midi_map import (
    PARAM_PREFIX, CcBinding, MidiError, MidiMapping, NoteBinding, save_mapping,
)
from visualizer.params.state import ParamState
from visualizer.paths import shown_path
from visualizer.preset.modulation_spec import ParamSpec

log = logging.getLogger(__name__)

PICKUP_WINDOW = 0.02
"""Fraction of the knob's range within which a pickup knob takes hold."""
CC_MAX = 127


class ParamInfo(Protocol):
    """What the controller may ask of the current preset's parameters (from the MIDI thread)."""

    def range(self, name: str) -> tuple[float, float] | None:
        """(lo, hi) of a numeric parameter, None if there is no such parameter or bound."""

    def value(self, name: str) -> float | None:
        """The parameter's current base value (what pickup compares with), None if unknown."""


class ParamStateInfo:
    """`ParamInfo` over the show's `ParamState` (follows its engine across reloads):
    float, int and choice parameters with both bounds can be turned by a knob."""

    def __init__(self, state: ParamState):
        self.state = state

    def range(self, name: str) -> tuple[float, float] | None:
        spec = self._spec(name)
        low, high = spec.bounds() if spec is not None else (None, None)
        return (float(low), float(high)) if low is not None and high is not None else None

    def value(self, name: str) -> float | None:
        if self._spec(name) is None:
            return None
        value = self.state.engine.base(name)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    def whole(self, name: str) -> bool:
        spec = self._spec(name)
        return spec is not None and spec.type in ("int", "choice")

    def _spec(self, name: str) -> ParamSpec | None:
        """The numeric parameter `name` of the current engine, else None."""
        spec = next((param for param in self.state.engine.params if param.name == name), None)
        return spec if spec is not None and spec.type in ("float", "int", "choice") else None


@dataclass
class _Knob:
    """What a pickup knob remembers: where it was, and whether it holds the value."""

    position: float | None = None
    held: bool = False
    sent: float | None = None
    seen: float | None = None
    """The value we last pushed, and the value the parameter had when we pushed it
    (the frame loop may not have applied ours yet)."""


class MidiController:
    """Bindings of `mapping` applied to incoming messages, events pushed with `push`.

    `status` is a line for the HUD (learning, learned, or save errors);
    `last_learned` the binding learn made last.
    """

    def __init__(self, mapping: MidiMapping, push: Callable[[ControlEvent], None], params: ParamInfo,
                 whole: Callable[[str], bool] | None = None):
        """`whole(name)`: True for a parameter that takes whole numbers (int, choice), whose
        values are then rounded; default `params.whole` if it has one, else never."""
        self.mapping = mapping
        self.push, self.params = push, params
        self.whole = whole or getattr(params, "whole", None) or (lambda name: False)
        self.clock = MidiClock(push)
        self.learning: str | None = None
        self.status = ""
        self.last_learned: CcBinding | NoteBinding | None = None
        self._knobs: dict[CcBinding, _Knob] = {}
        self._lock = threading.Lock()

    def handle(self, message: mido.Message, now: float) -> None:
        """Act on one message at time `now` (seconds, monotonic); anything unbound is ignored."""
        with self._lock:
            if self.clock.handle(message, now):
                return
            channel = getattr(message, "channel", -1) + 1
            if message.type == "control_change":
                self._control(channel, message.control, message.value)
            elif message.type == "note_on" and message.velocity > 0:
                self._note(channel, message.note)

    def poll(self, now: float) -> None:
        """Call a few times a second (the port's watcher does): notices a lost MIDI clock."""
        with self._lock:
            self.clock.poll(now)

    def learn(self, target: str | None) -> None:
        """Bind the next control moved to `target`: "param:NAME" takes the next CC,
        an action name the next note. None or "" cancels."""
        with self._lock:
            target = (target or "").strip()
            if not target:
                self.learning, self.status = None, "MIDI learn cancelled"
                return
            problem = self._target_problem(target)
            if problem:
                self.learning, self.status = None, f"MIDI learn: {problem}"
                return
            self.learning = target
            kind = "a knob or fader" if target.startswith(PARAM_PREFIX) else "a pad or key"
            self.status = f"MIDI learn {target}: move {kind}"

    def handle_event(self, event: ControlEvent) -> bool:
        """A bus handler: takes `LearnMidi` (arms learn), leaves every other event."""
        if isinstance(event, LearnMidi):
            self.learn(event.target)
            return True
        return False

    def _target_problem(self, target: str) -> str | None:
        if target.startswith(PARAM_PREFIX):
            name = target[len(PARAM_PREFIX):].strip()
            return None if name and self.params.range(name) is not None else f'no knob-able parameter "{name}"'
        try:
            action_event(target)
        except ValueError as exc:
            return str(exc)
        return None

    def _control(self, channel: int, control: int, cc_value: int) -> None:
        if self.learning and self.learning.startswith(PARAM_PREFIX):
            name = self.learning[len(PARAM_PREFIX):].strip()
            self._learned(self.mapping.with_cc(CcBinding(channel, control, name)), f"CC {control}", channel)
            return
        for binding in self.mapping.ccs:
            if (binding.channel, binding.control) == (channel, control):
                self._turn(binding, cc_value)

    def _note(self, channel: int, note: int) -> None:
        if self.learning and not self.learning.startswith(PARAM_PREFIX):
            self._learned(self.mapping.with_note(NoteBinding(channel, note, self.learning)), f"note {note}", channel)
            return
        for binding in self.mapping.notes:
            if (binding.channel, binding.note) == (channel, note):
                self.push(action_event(binding.action))

    def _learned(self, mapping: MidiMapping, control: str, channel: int) -> None:
        """Keep the new mapping (its last binding is the learned one) and save it."""
        self.mapping, target, self.learning = mapping, self.learning, None
        self.last_learned = mapping.ccs[-1] if control.startswith("CC") else mapping.notes[-1]
        self._knobs.clear()
        try:
            path = save_mapping(mapping)
        except MidiError as exc:
            log.warning("%s", exc)
            self.status = f"MIDI learned {target} <- {control} ch {channel}, not saved: {exc}"
            return
        self.mapping = MidiMapping(mapping.ccs, mapping.notes, path)
        self.status = f"MIDI learned {target} <- {control} ch {channel} (saved to {shown_path(path)})"

    def _turn(self, binding: CcBinding, cc_value: int) -> None:
        """A knob moved: push its value if it holds the parameter (or takes hold now)."""
        bounds = self._bounds(binding)
        current = self.params.value(binding.param)
        if bounds is None or current is None:
            return
        low, high = bounds
        value = low + (high - low) * cc_value / CC_MAX
        if self.whole(binding.param):
            value = round(value)
        if binding.takeover == "pickup" and not self._picks_up(binding, value, current, abs(high - low)):
            return
        self.push(SetParam(binding.param, value))

    def _bounds(self, binding: CcBinding) -> tuple[float, float] | None:
        own = self.params.range(binding.param)
        if own is None and (binding.low is None or binding.high is None):
            return None
        low = binding.low if binding.low is not None else own[0]
        high = binding.high if binding.high is not None else own[1]
        return (low, high) if low != high else None

    def _picks_up(self, binding: CcBinding, value: float, current: float, span: float) -> bool:
        """Soft takeover: True if the knob at `value` holds the parameter now at `current`."""
        knob = self._knobs.setdefault(binding, _Knob())
        window = PICKUP_WINDOW * span
        if knob.held and not any(mine is not None and abs(current - mine) <= window
                                 for mine in (knob.sent, knob.seen)):
            knob.held = False  # set elsewhere since we last sent: let go until the knob finds it again
        previous, knob.position = knob.position, value
        if not knob.held:
            crossed = previous is not None and min(previous, value) <= current <= max(previous, value)
            knob.held = crossed or abs(value - current) <= window
        if knob.held:
            knob.sent, knob.seen = value, current
        return knob.held
