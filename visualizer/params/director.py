"""The set's director: which entry shows, and the cue that changes it, frame by frame.

Causal and deterministic: one `step` per video frame, driven only by the frame's
features (their `time`, beats, bars, sections and drops; never a wall clock), so
a live show and an offline render of the same set behave alike, and offline the
cues land exactly on the whole-track analysis's beats, bars and sections.

    director = Director(load_playlist(path))
    director.request("next")                 # a key, a MIDI note, an OSC message
    cue = director.step(features)            # every frame: a Cue starts a transition
    if cue: deck.start(director.entries[cue.entry], cue.style, cue.seconds)

Performer moves wait for the set's `transition.on` (the next beat, bar line or
drop, or "now"; at once when the music has no tempo). Automatic advances (bars,
sections, seconds, drop cuts) stop while `locked` and never come before
`min_dwell_bars` on an entry. Rules in full: docs/playlists.md.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from visualizer.errors import PresetError
from visualizer.features.frame import FrameFeatures
from visualizer.params.director_clock import Moment, MusicClock
from visualizer.params.director_order import EntryOrder, History
from visualizer.preset.library import preset_name, resolve_preset
from visualizer.preset.playlist import resolve_style
from visualizer.preset.playlist_spec import DEFAULT_BPM, PlaylistEntry, PlaylistSpec, TransitionSpec
from visualizer.printable import printable, quoted

MOVES = ("next", "previous", "random", "favourite", "load")
"""What a performer can ask for (`Director.request`)."""
MAX_BEATS = 64.0


@dataclass(frozen=True)
class Cue:
    """A change of entry that starts on the frame `Director.step` returned it for."""

    entry: int
    """Index into `Director.entries` (the set's entries, then any loaded later)."""
    style: str
    """Transition style: a shipped name or an absolute .glsl path."""
    seconds: float
    """Transition length (0: a cut); beats converted with the tempo at the cue (120 BPM when unknown)."""
    reason: str
    """"next" | "previous" | "random" | "favourite" | "load" | "bars" | "section" | "seconds" | "drop"."""


@dataclass
class _Stay:
    """How long the current entry has shown."""

    start: float | None = None
    """Feature time (s) of its first frame; None until the first step."""
    bars: int = 0
    """Bar lines crossed since (a start on a bar line does not count it)."""
    seconds: float = 0.0
    """`advance = "seconds"`: how long it stays (drawn when it starts)."""


class Director:
    """Plays a `PlaylistSpec`: `current` is the entry showing; `step` says when to change."""

    def __init__(self, playlist: PlaylistSpec, seed: int | None = None) -> None:
        if not playlist.entries:
            raise PresetError(f"{printable(playlist.name)}: the set has no entries; add presets to it")
        seed = playlist.seed if seed is None else seed
        self.playlist = playlist
        self.entries: list[PlaylistEntry] = list(playlist.entries)
        self.locked = False
        self._order = EntryOrder(len(playlist.entries), playlist.order == "shuffle", random.Random(f"{seed}:order"))
        self._random = random.Random(f"{seed}:random")
        self._durations = random.Random(f"{seed}:seconds")
        self._history = History()
        self._clock = MusicClock()
        self._pending: tuple[str, int | None] | None = None
        self._style: str | None = None
        self._beats: float | None = None
        self.current = self._order.first()
        self._stay = _Stay(seconds=self._draw_seconds())
        self._moment: Moment | None = None

    # --- the performer ----------------------------------------------------------------------
    def request(self, move: str, argument: int | str | None = None) -> None:
        """Ask for a move ("next", "previous", "random", "favourite" with a slot 0-9, "load"
        with a preset name or path), made at the set's `transition.on`; a later request
        replaces one still waiting. PresetError for a slot no entry has or a preset not
        found (a preset outside the set is added to `entries`); ValueError for another move."""
        if move not in MOVES:
            raise ValueError(f"unknown move {move!r}; choose one of {', '.join(MOVES)}")
        target: int | None = None
        if move == "random":
            choices = [index for index in range(len(self.playlist.entries)) if index != self.current]
            if not choices:
                return
            target = self._random.choice(choices)
        elif move == "favourite":
            target = self._favourite(int(argument if argument is not None else -1))
        elif move == "load":
            target = self._loaded(str(argument or ""))
        self._pending = (move, target)

    def toggle_lock(self) -> bool:
        """Stop (or resume) automatic advances; returns whether now locked."""
        self.locked = not self.locked
        return self.locked

    def set_transition(self, style: str | None = None, beats: float | None = None) -> None:
        """From now on, performer moves and automatic advances (not drop cuts) use `style`
        and last `beats` beats (0: a cut), whatever the set and its entries say.
        PresetError for an unknown style or a length outside 0..64 beats."""
        if style is not None:
            base = self.playlist.path.parent if self.playlist.path is not None else None
            self._style = resolve_style(style, base)
        if beats is not None:
            if not 0.0 <= beats <= MAX_BEATS:
                raise PresetError(f"transition length {beats:g} beats: give 0 to {MAX_BEATS:g} beats")
            self._beats = float(beats)

    @property
    def transition_beats(self) -> float:
        """The length performer moves use now, in beats (a length in seconds counted at 120 BPM)."""
        if self._beats is not None:
            return self._beats
        spec = self.playlist.transition
        return spec.beats if spec.seconds is None and spec.beats is not None else (spec.seconds or 0.0) * 2.0

    # --- each frame -----------------------------------------------------------------------
    def step(self, features: FrameFeatures) -> Cue | None:
        """The cue that starts on this frame, if any (call once per frame, times never going back)."""
        moment = self._clock.update(features)
        self._moment = moment
        if self._stay.start is None:
            self._stay.start = moment.time
        if moment.bar:
            self._stay.bars += 1
        cue = self._requested(moment) or self._automatic(moment, features)
        if cue is not None:
            self._enter(cue, moment.time)
        return cue

    def cue_now(self) -> Cue | None:
        """Between frames: a waiting request that may start at once (`on = "now"`, or no tempo
        to wait for), as the cue it makes, so what follows it (a parameter set right after a
        load) reaches the new entry. None when it must wait for its boundary."""
        if self._pending is None:
            return None
        moment = self._moment or Moment(0.0, 0.0)  # before the first frame: the start
        now = Moment(moment.time, moment.tempo_bpm)  # no boundary is crossed between frames
        cue = self._requested(now)
        if cue is not None:
            self._enter(cue, now.time)
        return cue

    def upcoming(self) -> int:
        """The entry most likely to show next (to compile ahead): a waiting request's, else the order's."""
        if self._pending is not None:
            move, target = self._pending
            if move == "previous":
                return self._history.peek() if len(self._history) else self.current
            if target is not None:
                return target
        return self._order.peek(self.current)

    # --- inside -----------------------------------------------------------------------------
    def _requested(self, moment: Moment) -> Cue | None:
        if self._pending is None or not _due(self.playlist.transition.on, moment):
            return None
        (move, target), self._pending = self._pending, None
        if move == "next":
            target = self._order.take(self.current)
        elif move == "previous":
            target = self._history.peek()
        if target is None or target == self.current:
            return None
        return self._cue(target, move, moment)

    def _automatic(self, moment: Moment, features: FrameFeatures) -> Cue | None:
        advance = self.playlist.advance
        if self.locked or not self._dwelt(moment, features):
            return None
        reason = None
        if moment.drop and advance.cut_on_drop:
            reason = "drop"
        elif advance.mode == "sections" and moment.section:
            reason = "section"
        elif advance.mode in ("bars", "sections") and advance.bars and moment.bar and self._stay.bars >= advance.bars:
            reason = "bars"
        elif advance.mode == "seconds" and self._seconds_up(moment):
            reason = "seconds"
        if reason is None or self._order.peek(self.current) == self.current:
            return None
        return self._cue(self._order.take(self.current), reason, moment)

    def _dwelt(self, moment: Moment, features: FrameFeatures) -> bool:
        """The current entry has shown `min_dwell_bars` bars (in silence: that long at 120 BPM)."""
        needed = self.playlist.advance.min_dwell_bars
        if self._stay.bars >= needed:
            return True
        bar_seconds = max(1, features.beats_per_bar) * 60.0 / DEFAULT_BPM
        return moment.tempo_bpm <= 0.0 and moment.time - (self._stay.start or 0.0) >= needed * bar_seconds

    def _seconds_up(self, moment: Moment) -> bool:
        """Its drawn duration is over and this frame is a place to start (`on`; a drop waits for a bar)."""
        on = self.playlist.transition.on
        elapsed = moment.time - (self._stay.start or 0.0)
        return elapsed >= self._stay.seconds - 1e-9 and _due("bar" if on == "drop" else on, moment)

    def _cue(self, target: int, reason: str, moment: Moment) -> Cue:
        if reason == "drop":
            drop = self.playlist.drop_transition
            return Cue(target, drop.style, drop.length_seconds(moment.tempo_bpm), reason)
        usual, own = self.playlist.transition, self.entries[target].transition
        style = self._style or (own.style if own is not None else usual.style)
        if self._beats is not None:
            length = TransitionSpec(style, self._beats)
        elif own is not None and (own.beats is not None or own.seconds is not None):
            length = own
        else:
            length = usual
        return Cue(target, style, length.length_seconds(moment.tempo_bpm), reason)

    def refused(self, cue: Cue, shown: int) -> None:
        """The show could not switch to `cue` (its preset is broken) and still shows entry
        `shown`: the director follows, so next and previous go on from what is on screen."""
        if cue.entry != self.current:
            return
        if cue.reason == "previous":
            self._history.push(cue.entry)
        else:
            self._history.pop()
        self.current = shown

    def _enter(self, cue: Cue, time: float) -> None:
        if cue.reason == "previous":
            self._history.pop()
        else:
            self._history.push(self.current)
        self.current = cue.entry
        self._order.shown(cue.entry)
        self._stay = _Stay(start=time, seconds=self._draw_seconds())

    def _draw_seconds(self) -> float:
        low, high = self.playlist.advance.seconds
        return self._durations.uniform(low, high)

    def _favourite(self, slot: int) -> int:
        index = self.playlist.favourite_entry(slot)
        if index is None:
            raise PresetError(f"{self._shown()}: no entry on number key {slot}; set favourite = {slot}"
                              " on an [[entry]] of the set")
        return index

    def _loaded(self, name: str) -> int:
        """The entry of preset `name` (a name or a path); a preset outside the set is appended."""
        for index, entry in enumerate(self.entries):
            if name in (entry.name, str(entry.preset)):
                return index
        path = resolve_preset(name) if name else None
        if path is None:
            raise PresetError(f"{quoted(name)}: no preset to load; give a preset name or path")
        for index, entry in enumerate(self.entries):
            if entry.preset.resolve() == path.resolve():
                return index
        self.entries.append(PlaylistEntry(path, preset_name(path)))
        return len(self.entries) - 1

    def _shown(self) -> str:
        return printable(str(self.playlist.path) if self.playlist.path is not None else self.playlist.name)


def _due(on: str, moment: Moment) -> bool:
    """Whether `moment` is where a move set to start `on` ("beat", "bar", "drop", "now") may start;
    beats and bars are not waited for when the music has no tempo."""
    if on == "now" or (on in ("beat", "bar") and moment.tempo_bpm <= 0.0):
        return True
    return {"beat": moment.beat, "bar": moment.bar, "drop": moment.drop}.get(on, False)
