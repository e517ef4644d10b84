"""`visualizer play`: a preset in a window, reacting to live or file audio.

The preset and its shaders hot-reload on save; a broken save keeps the last
good version on screen and shows the error in the title bar and the log.
Keys: Esc quits, T taps the tempo.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import glfw
import numpy as np

from visualizer.errors import RenderError
from visualizer.features.analyzer import AnalyzerConfig, StreamingAnalyzer
from visualizer.features.frame import FrameFeatures
from visualizer.audio.playback import AudioFeed
from visualizer.render.context import create_window_context
from visualizer.live.reload import LiveGraph
from visualizer.render.uniforms import FrameInputs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlaySettings:
    """Window size in pixels; `seconds` ends the show (None: until closed)."""

    preset: str | Path
    size: tuple[int, int] = (1280, 720)
    fps: float = 60.0
    seconds: float | None = None
    screenshot: Path | None = None


def open_window(size: tuple[int, int], title: str):
    """A glfw window with a current OpenGL 3.3 core context."""
    if not glfw.init():
        raise RenderError("cannot open a window: no display (set DISPLAY, or run under Xvfb)")
    glfw.window_hint(glfw.CONTEXT_VERSION_MAJOR, 3)
    glfw.window_hint(glfw.CONTEXT_VERSION_MINOR, 3)
    glfw.window_hint(glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE)
    glfw.window_hint(glfw.OPENGL_FORWARD_COMPAT, True)
    window = glfw.create_window(size[0], size[1], title, None, None)
    if not window:
        glfw.terminate()
        raise RenderError("cannot open a window with OpenGL 3.3; check the display and its driver")
    glfw.make_context_current(window)
    glfw.swap_interval(1)
    return window


class Show:
    """The frame loop: audio -> features -> parameters -> graph -> screen."""

    def __init__(self, settings: PlaySettings, feed: AudioFeed):
        self.settings, self.feed = settings, feed
        self.window = open_window(settings.size, "visualizer")
        self.ctx = create_window_context()
        size = glfw.get_framebuffer_size(self.window)
        self.live = LiveGraph(self.ctx, settings.preset, size, settings.fps, flip_output=False)
        self.analyzer = StreamingAnalyzer(feed.sample_rate, settings.fps, AnalyzerConfig(lookahead=False))
        self.features = FrameFeatures.silent()
        self.frame = 0
        self._error_overlay = None
        glfw.set_key_callback(self.window, self._on_key)

    def _on_key(self, window, key, scancode, action, mods) -> None:
        if action != glfw.PRESS:
            return
        if key == glfw.KEY_ESCAPE:
            glfw.set_window_should_close(window, True)
        elif key == glfw.KEY_T:
            self.analyzer.rhythm.tracker.tap(self.features.time)

    def run(self) -> int:
        """Show frames until the window closes or `seconds` pass; returns frames shown."""
        started = time.perf_counter()
        period = 1.0 / self.settings.fps
        while not glfw.window_should_close(self.window):
            now = time.perf_counter() - started
            if self.settings.seconds is not None and now >= self.settings.seconds:
                break
            self.step(now)
            time.sleep(max(0.0, (self.frame * period) - (time.perf_counter() - started)))  # pace to fps
        if self.settings.screenshot is not None:
            self.save_screenshot(self.settings.screenshot)
        return self.frame

    def step(self, now: float) -> None:
        self.before_frame()
        for features in self.analyzer.feed(self.feed.read()):
            self.features = features
        inputs = FrameInputs(now, 1.0 / self.settings.fps, self.frame, self.settings.fps, self.features,
                             self.feed.sample_rate)
        self.live.graph.render(inputs, self.live.engine.step(self.features))
        self.ctx.copy_framebuffer(self.ctx.screen, self.live.graph.output)
        self.overlay()
        glfw.swap_buffers(self.window)
        glfw.poll_events()
        self.frame += 1
        if self.frame % 30 == 0:
            glfw.set_window_title(self.window, self.title())

    def before_frame(self) -> None:
        """Hot reload, before the frame is drawn."""
        self.live.poll()

    def overlay(self) -> None:
        """Draw over the picture before it is shown: here the current error, if any."""
        if self.live.error:
            if self._error_overlay is None:
                from visualizer.live.error_overlay import ErrorOverlay

                self._error_overlay = ErrorOverlay(self.window, self.ctx)
            self._error_overlay.draw(self.live.error)

    def title(self) -> str:
        if self.live.error:
            return "ERROR " + self.live.error.splitlines()[0] + "  (showing the last good version)"
        return f"{self.live.spec.name}  |  {self.feed.status()}  |  {self.features.tempo_bpm:.0f} BPM"

    def save_screenshot(self, path: Path) -> None:
        """What the window shows, as a PNG (top row first)."""
        import imageio.v3 as iio

        self.ctx.copy_framebuffer(self.ctx.screen, self.live.graph.output)
        self.overlay()
        width, height = self.ctx.screen.size
        data = self.ctx.screen.read(components=3, alignment=1)
        _ = self.ctx.error  # reading the default framebuffer flags GL_INVALID_OPERATION on Mesa
        image = np.frombuffer(data, np.uint8).reshape(height, width, 3)[::-1]
        iio.imwrite(path, image)

    def close(self) -> None:
        if self._error_overlay is not None:
            self._error_overlay.release()
        self.live.release()
        self.feed.close()
        glfw.destroy_window(self.window)
        glfw.terminate()


def play(settings: PlaySettings, feed: AudioFeed) -> int:
    """Run a show; always releases the window, graph and audio."""
    show = Show(settings, feed)
    try:
        return show.run()
    finally:
        show.close()
