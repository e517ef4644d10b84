"""What `visualizer live` adds to a show: the set's controls and key map, the
HUD, OSC in and out, MIDI in, and the stats file, each attached to the show
(composition: the show knows none of them).

Threads (OSC, MIDI, the stats writer) only push events onto the show's bus or
take queued lines; everything that touches the show happens between frames.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from visualizer.control.events import ControlEvent, TogglePanel
from visualizer.control.keys import LIVE_KEYS
from visualizer.frames.clock import FrameTick
from visualizer.live.hud import Hud, HudModel
from visualizer.live.hud_frames import FrameTimes
from visualizer.live.set_controls import SetControls
from visualizer.live.show import Show
from visualizer.live.stats import StatsWriter

log = logging.getLogger(__name__)

ACTIVE_S = 0.2
"""A MIDI or OSC light stays on this long after a message (s)."""
SLOW_CHECK_FRAMES, SLOW_CHECK_S = 120, 3.0
"""Frames (or seconds, with 10 frames at least) after which the show says, once, that it runs
well below the rate asked."""


@dataclass(frozen=True)
class RigSettings:
    """The live show's connections; None leaves one out."""

    osc_port: int | None = None
    osc_host: str = "127.0.0.1"
    osc_out: str | None = None
    midi_port: str | None = None
    midi_map: Path | None = None
    stats: Path | None = None
    hud: bool = False


class LiveRig:
    """Attaches the live controls to `show`; `close(commit)` detaches and ends the stats file."""

    def __init__(self, show: Show, settings: RigSettings):
        self.show, self.settings = show, settings
        self.times = FrameTimes()
        self.hud = Hud(self.model, visible=settings.hud)
        self.controls = SetControls(show, toggle_hud=self.hud.toggle)
        show.keys = LIVE_KEYS
        show.handlers.insert(0, self.controls.handle)  # before the show's own: Esc asks first
        show.handlers.append(self._open_panel)
        self.editor = None
        show.host.gui_layers.append(self.hud)
        show.frame_listeners.append(self.frame_done)
        self.stats = StatsWriter(settings.stats) if settings.stats is not None else None
        if self.stats is not None:
            show.handlers.insert(0, self._record)
            show.switch_listeners.append(self._switched)
        self.osc = self.sender = self.midi = self.midi_input = None
        self._audio_status = ""
        self._rate_checked = False
        self.intervals = FrameTimes(SLOW_CHECK_FRAMES)
        """The time between frames (ms): what the audience sees."""
        try:
            self._connect()
        except BaseException:
            self.close(commit=False)
            raise

    def _connect(self) -> None:
        """OSC in and out and MIDI in, as the settings ask (a bad port or address is the
        user's mistake at launch: a one-line error)."""
        settings, bus = self.settings, self.show.bus
        if settings.osc_port is not None:
            from visualizer.control.osc import OscServer

            self.osc = OscServer(settings.osc_port, bus.push, settings.osc_host)
            self.osc.start()
            log.info("listening for OSC on %s:%d", settings.osc_host, self.osc.port)
        if settings.osc_out is not None:
            from visualizer.control.osc_out import FeatureSender

            self.sender = FeatureSender(settings.osc_out)
        if settings.midi_port is not None or settings.midi_map is not None:
            self._connect_midi()

    def _connect_midi(self) -> None:
        from visualizer.control.midi import MidiController
        from visualizer.control.midi_map import load_mapping
        from visualizer.control.midi_port import MidiInput

        path = self.settings.midi_map
        mapping = load_mapping(path, missing_ok=True) if path is not None else load_mapping(
            _default_map(), missing_ok=True)
        self.midi = MidiController(mapping, self.show.bus.push, _SteeredParams(self.show))
        self.show.handlers.append(self.midi.handle_event)
        if self.settings.midi_port is not None:
            self.midi_input = MidiInput(self.settings.midi_port, self.midi.handle, on_tick=self.midi.poll)
            self.midi_input.start()

    # --- each frame ------------------------------------------------------------------------------

    def _open_panel(self, event: ControlEvent) -> bool:
        """Tab the first time: the editor panel for the preset steered now (from then on
        the editor takes Tab itself)."""
        if not isinstance(event, TogglePanel) or self.editor is not None:
            return False
        from visualizer.live.editor import Editor

        self.editor = Editor(self.show)
        return True

    def _follow_panel(self) -> None:
        """The show moved to another preset: the panel edits that one from now on."""
        editor = self.editor
        if editor is None or editor.state.path == self.show.live.path:
            return
        from visualizer.live.editor import Editor

        shown = editor.panel_shown
        editor.detach()
        self.editor = Editor(self.show)
        self.editor.panel_shown = shown

    def frame_done(self, tick: FrameTick) -> None:
        """After a frame is shown: its time, the stats line, the features out, the panel's preset."""
        show = self.show
        self._follow_panel()
        self.times.add(show.last_frame_ms)
        self._check_rate(tick)
        self.controls.expire(tick.time)
        if self.sender is not None:
            self.sender.send(show.features, show.slot.name)
        if self.stats is not None:
            self._note_audio(tick.time)
            deck = show.deck
            self.stats.record(frame=tick.index, t=round(tick.time, 6), dt=round(tick.delta, 6),
                              ms=round(show.last_frame_ms, 3), preset=show.slot.name,
                              blend=round(deck.progress, 4) if deck.progress > 0.0 else None,
                              bpm=round(show.features.tempo_bpm, 2), beat=show.features.beat_count,
                              audio_t=round(show.features.time, 6))

    def _check_rate(self, tick: FrameTick) -> None:
        """Say once, in the log and the HUD, when frames come at under half the rate asked."""
        if tick.index == 0 or self._rate_checked:
            return
        self.intervals.add(tick.delta * 1000.0)
        if len(self.intervals) < SLOW_CHECK_FRAMES and not (tick.time >= SLOW_CHECK_S and len(self.intervals) >= 10):
            return
        self._rate_checked = True
        rate, wanted = 1000.0 / max(self.intervals.median, 1e-6), self.show.settings.fps
        if rate < wanted / 2:
            width, height = self.show.deck.size
            self.controls.message = f"{rate:.0f} fps of the {wanted:g} asked at {width}x{height}"
            log.warning("the show runs at %.0f fps, under half the %g fps asked, at %dx%d: a smaller window "
                        "or a faster GPU would help", rate, wanted, width, height)

    def _note_audio(self, time: float) -> None:
        """An event line when the audio's state changes (a device lost, back, silent)."""
        status = self.show.feed.status()
        if status != self._audio_status:
            self._audio_status = status
            self.stats.event("audio", time, status=status)

    def _record(self, event: ControlEvent) -> bool:
        """A bus handler that notes every event applied (and takes none)."""
        if self.stats is not None:
            self.stats.event("control", self._clock(), control=event)
        return False

    def _switched(self, cue: object, name: str) -> None:
        if self.stats is not None:
            self.stats.event("switch", self._clock(), to=name, cue=cue)

    def _clock(self) -> float:
        """The frame clock's last reading (s): events between frames are stamped with it."""
        return self.show.tick.time if self.show.tick is not None else 0.0

    def model(self) -> HudModel:
        """The HUD's values now."""
        show, features, now = self.show, self.show.features, time.monotonic()
        deck, director = show.deck, show.director
        blend = deck.blend
        bar = features.beats_per_bar or 4
        return HudModel(
            preset=show.slot.name, next_preset=show.next_name(),
            transition=f"{Path(blend.style).stem} {deck.progress:.0%}" if blend is not None else "",
            bpm=features.tempo_bpm, beat_pulse=features.beat_pulse,
            beat_in_bar=(features.beat_count - 1) % bar if features.beat_count > 0 else 0, beats_per_bar=bar,
            bar=max(0, (features.beat_count - 1) // bar + 1), section=features.section, build=features.build,
            drop=features.drop, bands=(features.level, features.bass, features.mid, features.high),
            fps=self.times.fps, target_fps=show.settings.fps, frame_ms=self.times,
            audio=show.feed.status(), midi=self._midi_status(), osc=self._osc_status(),
            midi_active=_recent(self.midi_input.activity if self.midi_input else None, now),
            osc_active=_recent(self.osc.activity if self.osc else None, now),
            locked=director.locked, blackout=deck.blackout, frozen=deck.frozen,
            message=(self.midi.status if self.midi and self.midi.learning else "") or self.controls.message,
            error=(show.live.error or show.error or "").splitlines()[0] if (show.live.error or show.error) else "",
        )

    def _midi_status(self) -> str:
        """The MIDI line without its "MIDI" (the HUD labels it)."""
        if self.midi_input is not None:
            return self.midi_input.status.removeprefix("MIDI:").strip()
        return "mapping only (no port)" if self.midi is not None else "off"

    def _osc_status(self) -> str:
        return self.osc.status.removeprefix("OSC").strip() if self.osc is not None else "off"

    def close(self, commit: bool = True) -> None:
        """Stop OSC and MIDI, finish the stats file (moved into place when `commit`); safe twice."""
        for part in (self.osc, self.sender, self.midi_input):
            if part is not None:
                part.close()
        if self.stats is not None:
            self.stats.close(commit)


class _SteeredParams:
    """The MIDI layer's view of the parameters of the preset steered now."""

    def __init__(self, show: Show):
        self.show = show

    def _info(self):
        from visualizer.control.midi import ParamStateInfo

        return ParamStateInfo(self.show.params)

    def range(self, name: str) -> tuple[float, float] | None:
        return self._info().range(name)

    def value(self, name: str) -> float | None:
        return self._info().value(name)

    def whole(self, name: str) -> bool:
        return self._info().whole(name)


def _default_map() -> Path:
    from visualizer.control.midi_map import default_mapping_path

    return default_mapping_path()


def _recent(when: float | None, now: float) -> bool:
    return when is not None and now - when <= ACTIVE_S
