"""`visualizer play`: a preset in a window, reacting to live or file audio.

A `Show` composes the parts: the window host (layers: the picture, the error
overlay), the hot-reloading preset (`LiveGraph`), the streaming analyzer, the
control bus and the parameter state, stepped through the one frame loop on a
measured clock (`iTime` and `iTimeDelta` come from the same clock). The editor
attaches to a show (`visualizer.live.editor`) rather than subclassing it.

The preset and its shaders hot-reload on save; a broken save keeps the last
good version on screen and shows the error over the picture, in the title bar
and the log. A save that changes shader code is built and drawn once in a
probe process first (visualizer/live/checker.py), so a runaway shader is
stopped there at its time limit while the show plays on. Keys: Esc quits, T
taps the tempo.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from visualizer.audio.playback import AudioFeed
from visualizer.control.apply import Handler, ShowControls, apply_events
from visualizer.control.bus import ControlBus
from visualizer.control.keys import PLAY_KEYS, KeyMap, KeyPress
from visualizer.features.analyzer import AnalyzerConfig, StreamingAnalyzer
from visualizer.features.frame import FrameFeatures
from visualizer.live.reload import LiveGraph
from visualizer.output.error_overlay import ErrorOverlay
from visualizer.output.png import write_png
from visualizer.output.window import PictureLayer, WindowHost
from visualizer.params.state import ParamState
from visualizer.frames.clock import FrameTick, MeasuredClock
from visualizer.frames.loop import FrameLoop

TITLE_EVERY = 30
"""Frames between window title updates."""


@dataclass(frozen=True)
class PlaySettings:
    """Window size in pixels; `seconds` ends the show (None: until closed)."""

    preset: str | Path
    size: tuple[int, int] = (1280, 720)
    fps: float = 60.0
    seconds: float | None = None
    screenshot: Path | None = None


class Show:
    """audio -> features -> parameters -> graph -> layers -> screen, one `step` a frame.

    `now` (seconds, monotonic) is the clock the frames are measured and paced
    by; tests pass a fake one.
    """

    def __init__(self, settings: PlaySettings, feed: AudioFeed, now: Callable[[], float] = time.perf_counter):
        self.settings, self.feed, self.now = settings, feed, now
        self.host = WindowHost(settings.size, "visualizer")
        self.ctx = self.host.ctx
        try:
            self.live = LiveGraph(self.ctx, settings.preset, self.host.size, settings.fps, flip_output=False)
        except BaseException:
            self.host.release()
            raise
        self.analyzer = StreamingAnalyzer(feed.sample_rate, settings.fps, AnalyzerConfig(lookahead=False))
        self.features = FrameFeatures.silent()
        self.loop = FrameLoop(MeasuredClock(settings.fps, now), feed.sample_rate)
        self.tick: FrameTick | None = None
        self.frame = 0
        self.params = ParamState(self.live.engine)
        self.bus = ControlBus()
        self.keys: KeyMap = PLAY_KEYS
        controls = ShowControls(self.analyzer.rhythm, self.params, lambda: self.features.time,
                                self.host.request_close)
        self.handlers: list[Handler] = [controls.handle]
        self.reload_listeners: list[Callable[[], None]] = []
        self.title_marks: list[Callable[[], str]] = []
        self._reloads = self.live.reloads
        self.error_overlay = ErrorOverlay(lambda: self.live.error)
        self.host.layers.append(PictureLayer(lambda: self.live.graph.output))
        self.host.gui_layers.append(self.error_overlay)
        self.host.on_key = self.key_pressed

    # --- input -----------------------------------------------------------------------------------

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
        """One frame: reload, control events, audio, render, layers, swap."""
        self._follow_reload()
        apply_events(self.bus, self.handlers)
        for features in self.analyzer.feed(self.feed.read()):
            self.features = features
        self.tick = self.loop.step(self.live.graph, self.live.engine, self.features)
        self.host.present()
        self.frame += 1
        if self.frame % TITLE_EVERY == 0:
            self.host.set_title(self.title())
        return self.tick

    def _follow_reload(self) -> None:
        """Hot reload; a new engine gets the parameter state back, then listeners hear of it."""
        self.live.poll()
        if self.live.reloads != self._reloads:
            self._reloads = self.live.reloads
            self.params.attach(self.live.engine)
            for listener in self.reload_listeners:
                listener()

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

        image = self.live.graph.read_rgb()[::-1]  # the live graph is not flipped: rows bottom-up
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{int(time.time() * 1000) % 1000:03d}"
        folder = renders_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return write_png(folder / f"{preset_name(self.live.path)}-{stamp}.png", image)

    def close(self) -> None:
        """Release the graph, the audio and the window; safe to call twice."""
        try:
            self.live.release()
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
