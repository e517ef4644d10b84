"""MIDI clock in: 24 pulses per quarter note set the show's tempo and beat phase.

The tempo is the median slope over pairs of pulses half a window apart (a
Theil-Sen style estimate over the last few beats), so late or early pulses
(USB and scheduler jitter of a few ms) move it by far less than they move
one interval. `SetTempo(bpm)` is pushed when it moves by more than
`TEMPO_STEP` BPM and again every `REFRESH_BEATS` beats; `BeatNow()` on every
quarter note counted from `start` (or `songpos`) while the transport runs;
`SetTempo(None)` when the pulses stop for `LOST_AFTER` seconds.

Pure: times come in as arguments (seconds, monotonic), nothing here sleeps or
starts a thread; the caller serialises calls (`MidiController` holds a lock).
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Callable

import mido

from visualizer.control.events import BeatNow, ControlEvent, SetTempo

PULSES_PER_BEAT = 24
WINDOW_PULSES = 4 * PULSES_PER_BEAT + 1
"""Pulse times kept for the estimate: four beats."""
MIN_PULSES = 3 * PULSES_PER_BEAT + 1
"""Pulses needed before a first estimate (three beats: with +-2 ms of jitter at
174 BPM it is then within 0.4 BPM, after four within 0.25)."""
TEMPO_STEP = 0.5
"""BPM: a smaller change is not pushed until the next refresh."""
REFRESH_BEATS = 4
LOST_AFTER = 1.0
"""Seconds without a pulse after which the clock counts as lost."""
BPM_RANGE = (20.0, 400.0)
"""Estimates outside this are noise (a stalled or doubled clock) and are not pushed."""
_PULSES_PER_SONG_POSITION = 6
"""A song position pointer counts sixteenth notes: 6 pulses each."""


class MidiClock:
    """Turns clock, start, continue, stop and songpos messages into tempo and beat events."""

    def __init__(self, push: Callable[[ControlEvent], None]):
        self.push = push
        self.running = False
        self.bpm: float | None = None
        """The current estimate (None: no clock heard, or lost)."""
        self.pushed_bpm: float | None = None
        self._times: deque[float] = deque(maxlen=WINDOW_PULSES)
        self._pulse = 0
        """Pulses since start / the song position (the next pulse's index)."""
        self._pulses_since_push = 0

    def handle(self, message: mido.Message, now: float) -> bool:
        """Take a clock or transport message (True), else leave it (False)."""
        match message.type:
            case "clock":
                self._on_pulse(now)
            case "start":
                self.running, self._pulse = True, 0
            case "continue":
                self.running = True
            case "stop":
                self.running = False
            case "songpos":
                self._pulse = message.pos * _PULSES_PER_SONG_POSITION
            case _:
                return False
        return True

    def poll(self, now: float) -> None:
        """Call often (a few times a second): notices a clock that has stopped."""
        if self._times and now - self._times[-1] > LOST_AFTER:
            self._lose()

    def _on_pulse(self, now: float) -> None:
        self.poll(now)
        self._times.append(now)
        if self.running:
            if self._pulse % PULSES_PER_BEAT == 0:
                self.push(BeatNow())
            self._pulse += 1
        self._pulses_since_push += 1
        self._update_tempo()

    def _update_tempo(self) -> None:
        bpm = estimate_bpm(list(self._times))
        if bpm is None or not BPM_RANGE[0] <= bpm <= BPM_RANGE[1]:
            return
        self.bpm = bpm
        moved = self.pushed_bpm is None or abs(bpm - self.pushed_bpm) > TEMPO_STEP
        if moved or self._pulses_since_push >= REFRESH_BEATS * PULSES_PER_BEAT:
            self.pushed_bpm = round(bpm, 2)
            self._pulses_since_push = 0
            self.push(SetTempo(self.pushed_bpm))

    def _lose(self) -> None:
        """The pulses stopped: forget them, stop the beats, hand the tempo back."""
        self._times.clear()
        self.running = False
        self.bpm = None
        if self.pushed_bpm is not None:
            self.pushed_bpm = None
            self.push(SetTempo(None))


def estimate_bpm(times: list[float]) -> float | None:
    """Beats per minute from pulse times (seconds, oldest first, 24 per beat): the median
    of the slopes between pulses i and i + n/2, so a few late pulses cannot move it.
    None for fewer than `MIN_PULSES` pulses or no time passing."""
    if len(times) < MIN_PULSES:
        return None
    span = len(times) // 2
    slopes = [(times[i + span] - times[i]) / span for i in range(len(times) - span)]
    seconds_per_pulse = statistics.median(slopes)
    if seconds_per_pulse <= 0:
        return None
    return 60.0 / (seconds_per_pulse * PULSES_PER_BEAT)
