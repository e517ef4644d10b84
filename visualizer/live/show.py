"""The live show: `visualizer live`, `play` and `edit` all run one `Show`.

A `Show` composes the parts: the window host (layers: the picture, the error
overlay, the HUD), the deck (the shown preset and a transition to the next,
`visualizer.frames.deck`), the presets on it (`SlotBank`: hot-reloading
`LiveGraph`s, one compiled ahead), the director (which entry plays next and
when: `visualizer.params.director`), the streaming analyzer, and the control
bus, stepped through the one frame loop on a measured clock (`iTime` and
`iTimeDelta` come from it). `play` is a show of a one-preset playlist; the
editor attaches to a show (`visualizer.live.editor`) rather than subclassing it.

Nothing in a frame waits on audio, MIDI, OSC or disk: those arrive through
the feed's buffer and the bus. A preset that fails (at load, at a switch, on
hot reload) leaves the last good picture showing and its error in the HUD.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualizer.audio.playback import AudioFeed
from visualizer.control.apply import Handler, ShowControls, apply_events
from visualizer.control.bus import ControlBus
from visualizer.control.keys import PLAY_KEYS, KeyMap, KeyPress
from visualizer.errors import VisualizerError
from visualizer.features.analyzer import AnalyzerConfig, StreamingAnalyzer
from visualizer.features.frame import FrameFeatures
from visualizer.frames.clock import FrameTick, MeasuredClock
from visualizer.frames.deck import Deck
from visualizer.frames.loop import FrameLoop
from visualizer.live.reload import LiveGraph
from visualizer.live.slots import LiveSlot, SlotBank
from visualizer.output.error_overlay import ErrorOverlay
from visualizer.output.png import write_png
from visualizer.output.window import PictureLayer, WindowHost
from visualizer.params.director import Cue, Director
from visualizer.render.mixer import Mixer
from visualizer.params.state import ParamState
from visualizer.preset.playlist import PlaylistSpec, single_preset_playlist

log = logging.getLogger(__name__)

TITLE_EVERY = 30
"""Frames between window title updates."""
STANDBY_DELAY_S = 0.5
"""Seconds after a transition ends before the next entry is compiled ahead (not on a switch's frames)."""


@dataclass(frozen=True)
class PlaySettings:
    """What to show and how. `size`: the window's pixels at start (the picture is drawn at
    the window's size, whatever it becomes); `seconds` ends the show (None: until closed)."""

    preset: str | Path | None
    size: tuple[int, int] = (1280, 720)
    fps: float = 60.0
    seconds: float | None = None
    screenshot: Path | None = None
    playlist: PlaylistSpec | None = None
    fullscreen: bool = False
    monitor: int | None = None


class Show:
    """audio -> features -> director -> deck -> layers -> screen, one `step` a frame.

    `now` (seconds, monotonic) is the clock the frames are measured and paced
    by; tests pass a fake one.
    """

    def __init__(self, settings: PlaySettings, feed: AudioFeed, now: Callable[[], float] = time.perf_counter):
        self.settings, self.feed, self.now = settings, feed, now
        self.error: str | None = None
        """The last preset that failed to load or switch (its first line), for the HUD."""
        self._pending: tuple[LiveSlot, Cue] | None = None
        """A cued preset, opened, starting its transition on the next frame."""
        self.playlist = settings.playlist or single_preset_playlist(Path(settings.preset))
        self.host = WindowHost(settings.size, "visualizer", settings.fullscreen, settings.monitor)
        self.ctx = self.host.ctx
        self.bank: SlotBank | None = None
        try:
            self.director = Director(self.playlist)
            self.bank = SlotBank(self.ctx, self.host.size, settings.fps, feed.sample_rate)
            mixer = Mixer(self.ctx, self.bank.resources, self.host.size)
            try:
                self.deck = Deck(mixer, self._first_slot(), self._retire, feed.sample_rate)
            except BaseException:
                mixer.release()
                raise
            self._prepare_styles()
        except BaseException:
            if self.bank is not None:
                self.bank.release()
            self.host.release()
            raise
        self.analyzer = StreamingAnalyzer(feed.sample_rate, settings.fps, AnalyzerConfig(lookahead=False))
        self.features = FrameFeatures.silent()
        self.loop = FrameLoop(MeasuredClock(settings.fps, now), feed.sample_rate)
        self.tick: FrameTick | None = None
        self.frame = 0
        self.bus = ControlBus()
        self.keys: KeyMap = PLAY_KEYS
        controls = ShowControls(self.analyzer.rhythm, lambda: self.params, lambda: self.features.time,
                                self.host.request_close)
        self.handlers: list[Handler] = [controls.handle]
        self.reload_listeners: list[Callable[[], None]] = []
        self.frame_listeners: list[Callable[[FrameTick], None]] = []
        self.switch_listeners: list[Callable[[Cue, str], None]] = []
        self.last_frame_ms = 0.0
        """The last frame's work (events, audio, render, swap) in milliseconds (perf_counter:
        the real cost, whatever clock paces the show)."""
        self.title_marks: list[Callable[[], str]] = []
        self._reloads = (id(self.live), self.live.reloads)
        self._blend_ended_at: float | None = -STANDBY_DELAY_S
        self._standby_for: int | None = None
        """The entry the standby was last prepared for (prepared again when `upcoming` changes)."""
        self.error_overlay = ErrorOverlay(lambda: self.live.error)
        self.host.layers.append(PictureLayer(lambda: self.deck.output))
        self.host.gui_layers.append(self.error_overlay)
        self.host.on_key = self.key_pressed

    def _prepare_styles(self) -> None:
        """Compile every transition the set names now (a broken one: logged, fade instead)."""
        for style in self.playlist.styles():
            self._style_or_fade(style)

    def _style_or_fade(self, style: str) -> str:
        """`style` compiled, or "fade" when it does not compile (the error for the HUD)."""
        try:
            self.deck.mixer.prepare(style, warm_with=self.deck.current.graph.output)
            return style
        except VisualizerError as exc:
            self.error = str(exc).splitlines()[0]
            log.error("transition %s: %s (fading instead)", style, exc)
            return "fade"

    def _first_slot(self) -> LiveSlot:
        """The director's first entry; a broken one is skipped (an error when none loads)."""
        first_error: VisualizerError | None = None
        for _ in self.playlist.entries:
            entry = self.director.current
            try:
                return self.bank.open(self.playlist.entries[entry].preset, entry)
            except VisualizerError as exc:
                first_error = first_error or exc
                log.error("%s (skipped)", exc)
                self.error = str(exc).splitlines()[0]
                self.director.request("next")
                self.director.cue_now()
        assert first_error is not None
        raise first_error

    # --- what a performer steers -----------------------------------------------------------------

    @property
    def slot(self) -> LiveSlot:
        """The preset a performer steers: the one cued for this frame, the incoming one
        during a transition, else the one shown."""
        if self._pending is not None:
            return self._pending[0]
        return self.deck.newest  # type: ignore[return-value]

    def cue_waiting(self) -> None:
        """A move asked for between frames that may start at once starts now (its preset is
        opened, and steered by what follows it on the bus)."""
        cue = self.director.cue_now()
        if cue is not None:
            self._cue(cue)

    @property
    def live(self) -> LiveGraph:
        return self.slot.live

    @property
    def params(self) -> ParamState:
        return self.slot.params

    def key_pressed(self, key: str, modifiers: frozenset[str], repeat: bool) -> None:
        """A key by name (from the window host): its event, if bound, onto the bus."""
        event = self.keys.event_for(KeyPress(key, modifiers, repeat), typing=self.host.typing)
        if event is not None:
            self.bus.push(event)

    # --- frames ----------------------------------------------------------------------------------

    def run(self, sleep: Callable[[float], None] = time.sleep) -> int:
        """Show frames until the window closes or `seconds` pass; returns frames shown.

        Frame n is due n / fps seconds (on `now`) after the start: `sleep` (seconds)
        waits out what is left of each frame; a late frame is caught up, not added.
        """
        period = 1.0 / self.settings.fps
        started = self.now()
        while not self.host.should_close:
            if self.settings.seconds is not None and self.now() - started >= self.settings.seconds:
                break
            self.step()
            sleep(max(0.0, self.frame * period - (self.now() - started)))  # pace to fps
        if self.settings.screenshot is not None:
            self.save_screenshot(self.settings.screenshot)
        return self.frame

    def step(self) -> FrameTick:
        """One frame: reloads, window size, control events, audio, cues, render, layers, swap."""
        began = time.perf_counter()
        self._follow_reload()
        self._follow_size()
        apply_events(self.bus, self.handlers)
        for features in self.analyzer.feed(self.feed.read()):
            self.features = features
        cue = self.director.step(self.features)
        if cue is not None:
            self._cue(cue)
        self.tick = self.loop.step_with(self._draw)
        self.host.present()
        self.frame += 1
        self._prepare_next()
        self.last_frame_ms = (time.perf_counter() - began) * 1000.0
        for listener in self.frame_listeners:
            listener(self.tick)
        if self.frame % TITLE_EVERY == 0:
            self.host.set_title(self.title())
        return self.tick

    def _draw(self, tick: FrameTick) -> None:
        if self._pending is not None:
            (slot, cue), self._pending = self._pending, None
            self.deck.start(slot, self._style_or_fade(cue.style), cue.seconds, tick.time)
        blending = self.deck.blend is not None
        self.deck.render(tick, self.features)
        if blending and self.deck.blend is None:
            self._blend_ended_at = tick.time

    def _cue(self, cue: Cue) -> None:
        """Open the cued entry (the standby when it is that one) to start on this frame."""
        entry = self.playlist.entries[cue.entry] if cue.entry < len(self.playlist.entries) else None
        path = entry.preset if entry is not None else self.director.entries[cue.entry].preset
        try:
            slot = self.bank.take(path, cue.entry)
        except VisualizerError as exc:
            self.error = f"{path.name}: {str(exc).splitlines()[0]}"
            log.error("could not switch to %s (still showing %s)", exc, self.slot.name)
            self.director.refused(cue, self.slot.entry)
            return
        if self._pending is not None:
            self._retire(self._pending[0])
        self._pending = (slot, cue)
        self._blend_ended_at = self._standby_for = None
        for listener in self.switch_listeners:
            listener(cue, slot.name)

    def _prepare_next(self) -> None:
        """Compile the director's next entry ahead (drawn once, unseen), not during a
        transition nor within `STANDBY_DELAY_S` of one, and again whenever the next one
        changes (a favourite or a previous asked for, a preset loaded)."""
        ended = self._blend_ended_at
        if ended is None or self.deck.blend is not None or self._pending is not None or self.tick is None:
            return
        if self.tick.time - ended < STANDBY_DELAY_S or self.bank.warm():  # one step a frame
            return
        upcoming, entries = self.director.upcoming(), self.director.entries
        if upcoming == self._standby_for:
            return
        self._standby_for = upcoming
        if upcoming != self.slot.entry and 0 <= upcoming < len(entries):
            self.bank.prepare(entries[upcoming].preset, upcoming)

    def next_name(self) -> str:
        """The name of the entry the director would show next."""
        upcoming, entries = self.director.upcoming(), self.director.entries
        return entries[upcoming].name if 0 <= upcoming < len(entries) else ""

    def _retire(self, slot: LiveSlot) -> None:
        self.bank.retire(slot)

    def _follow_reload(self) -> None:
        """Hot reload of every preset on deck; listeners hear of the steered one's new engine."""
        for slot in self._slots():
            reloads = slot.live.reloads
            slot.live.poll()
            if slot.live.reloads != reloads and slot is self.slot:
                slot.params.attach(slot.live.engine)
        mark = (id(self.live), self.live.reloads)
        if mark != self._reloads:
            self._reloads = mark
            for listener in self.reload_listeners:
                listener()

    def _slots(self) -> list[LiveSlot]:
        slots = [self.deck.current]
        if self.deck.blend is not None:
            slots.append(self.deck.blend.incoming)
        return slots  # type: ignore[return-value]

    def _follow_size(self) -> None:
        """The picture is drawn at the window's size: a resize (or fullscreen) redraws the
        presets at the new size, keeping their parameters, the playlist and the tempo."""
        size = self.host.size
        if size == self.deck.size or 0 in size:
            return
        self.bank.resize(self._slots(), size)
        self.deck.resize(size)

    def title(self) -> str:
        marks = "".join(mark() for mark in self.title_marks)
        if self.live.error:
            return marks + "ERROR " + self.live.error.splitlines()[0] + "  (showing the last good version)"
        checking = "  |  checking the saved shaders" if self.live.checking else ""
        return (f"{marks}{self.live.spec.name}  |  {self.feed.status()}  |  {self.features.tempo_bpm:.0f} BPM"
                f"{checking}")

    # --- pictures --------------------------------------------------------------------------------

    def save_screenshot(self, path: Path) -> Path:
        """What the window shows (ImGui layers included) as a PNG."""
        return write_png(Path(path), self.host.grab(gui=True))

    def snapshot(self) -> Path:
        """The picture alone (no layers over it) as renders/<preset>-<time>.png."""
        from visualizer.paths import renders_dir
        from visualizer.preset.library import preset_name

        output = self.deck.output  # what shows: the blend, a freeze or a blackout included
        width, height = output.size
        rows = np.frombuffer(output.read(components=3, alignment=1), np.uint8).reshape(height, width, 3)
        image = rows[::-1]  # the window's pictures are bottom-up
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{int(time.time() * 1000) % 1000:03d}"
        folder = renders_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return write_png(folder / f"{preset_name(self.live.path)}-{stamp}.png", image)

    def close(self) -> None:
        """Release the presets, the deck, the audio and the window; safe to call twice."""
        try:
            if self._pending is not None:
                self._retire(self._pending[0])
                self._pending = None
            for slot in self._slots():
                slot.live.release()
            self.deck.release()
            self.bank.release()
            self.feed.close()
        finally:
            self.host.release()


def play(settings: PlaySettings, feed: AudioFeed) -> int:
    """Run a show; always releases the window, graph and audio. Returns frames shown."""
    show = Show(settings, feed)
    try:
        return show.run()
    finally:
        show.close()
