"""`visualizer edit PRESET`: the `play` window plus a Dear ImGui panel to tune
the preset's parameters live and save them back into its TOML.

Parameter edits go straight to the show's ModulationEngine (`set_base`); the
file changes only on Save (comments and layout kept, see
`visualizer.preset.save`), after which the hot-reload watcher reloads it.
Keys: Ctrl+Z undo, Ctrl+Y (or Ctrl+Shift+Z) redo, Ctrl+S save, F1 hides the
panel, Esc quits, T taps the tempo (when no text field has the keyboard).

The ImGui panel is drawn by imgui-bundle's pure-Python OpenGL backend
(PyOpenGL) into the same GL context moderngl uses; moderngl may leave a GL
error flag set, which PyOpenGL would report as its own, so it is cleared first.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import replace
from pathlib import Path

import glfw
import numpy as np

from visualizer.live.editor_state import Amount, EditorState
from visualizer.audio.playback import AudioFeed
from visualizer.live.show import PlaySettings, Show
from visualizer.preset.modulation_spec import Value

log = logging.getLogger(__name__)


class EditorShow(Show):
    """A `Show` with the editor panel drawn over each frame."""

    def __init__(self, settings: PlaySettings, feed: AudioFeed):
        super().__init__(settings, feed)
        from imgui_bundle import imgui
        from imgui_bundle.python_backends.glfw_backend import GlfwRenderer

        from visualizer.live.editor_panel import EditorPanel, PanelActions

        self.imgui = imgui
        imgui.create_context()
        imgui.get_io().set_ini_filename("")  # no imgui.ini in the working folder
        _ = self.ctx.error  # clear moderngl's leftovers before PyOpenGL's checked calls
        self.gui = GlfwRenderer(self.window, attach_callbacks=True)
        glfw.set_key_callback(self.window, self._on_key)  # ours, passing keys on to ImGui
        spec = self.live.spec
        self.state = EditorState(self.live.path, spec.params, spec.modulations,
                                 apply=self._apply, apply_amount=self._apply_amount)
        self.panel = EditorPanel(self.state, PanelActions(snapshot=self.snapshot))
        self.show_panel = True
        self._reloads = self.live.reloads

    # --- the state's hooks into the running show -------------------------------------------

    def _apply(self, name: str, value: Value) -> None:
        self.live.engine.set_base(name, value)

    def _apply_amount(self, index: int, amount: Amount) -> None:
        engine = self.live.engine
        mods = list(engine.modulations)
        mods[index] = replace(mods[index], amount=amount)
        engine.modulations = tuple(mods)

    def _follow_reload(self) -> None:
        """After a reload (our save or another editor's) the engine is new: refill it."""
        if self.live.reloads != self._reloads:
            self._reloads = self.live.reloads
            self.state.reloaded(self.live.spec.params, self.live.spec.modulations)

    # --- input ---------------------------------------------------------------------------

    def _on_key(self, window, key, scancode, action, mods) -> None:
        self.gui.keyboard_callback(window, key, scancode, action, mods)
        if action == glfw.RELEASE:
            return
        ctrl, shift = mods & glfw.MOD_CONTROL, mods & glfw.MOD_SHIFT
        typing = self.imgui.get_io().want_text_input
        if ctrl and key == glfw.KEY_Z:
            self.state.redo() if shift else self.state.undo()
        elif ctrl and key == glfw.KEY_Y:
            self.state.redo()
        elif ctrl and key == glfw.KEY_S and action == glfw.PRESS:
            self.panel._guard(self.state.save)
        elif key == glfw.KEY_F1 and action == glfw.PRESS:
            self.show_panel = not self.show_panel
        elif not typing:
            super()._on_key(window, key, scancode, action, mods)

    # --- frames --------------------------------------------------------------------------

    def before_frame(self) -> None:
        super().before_frame()
        self._follow_reload()

    def overlay(self) -> None:
        if self.show_panel:
            self.draw_panel()

    def draw_panel(self) -> None:
        """The ImGui panel over what the screen's back buffer holds."""
        imgui = self.imgui
        self.gui.process_inputs()
        imgui.new_frame()
        name = f"{self.live.spec.name}{' *' if self.state.dirty else ''}"
        self.panel.draw(self.features, self.live.error, name, self.ctx.screen.size[1])
        imgui.render()
        self.ctx.screen.use()
        _ = self.ctx.error
        self.gui.render(imgui.get_draw_data())

    def title(self) -> str:
        return ("* " if self.state.dirty else "") + super().title()

    # --- pictures ------------------------------------------------------------------------

    def grab(self, panel: bool = True) -> np.ndarray:
        """The current frame as the window shows it (with or without the panel), top row first."""
        self.ctx.copy_framebuffer(self.ctx.screen, self.live.graph.output)
        if panel:
            self.draw_panel()
        width, height = self.ctx.screen.size
        data = self.ctx.screen.read(components=3, alignment=1)
        _ = self.ctx.error  # reading the default framebuffer flags GL_INVALID_OPERATION on Mesa; harmless
        return np.frombuffer(data, np.uint8).reshape(height, width, 3)[::-1]

    def save_screenshot(self, path: Path) -> None:
        _write_png(Path(path), self.grab(panel=self.show_panel))

    def snapshot(self) -> Path:
        """The picture alone (no panel) as renders/<preset>-<time>.png."""
        from visualizer.paths import renders_dir

        width, height = self.live.graph.output.size
        data = self.live.graph.output.read(components=3, alignment=1)
        image = np.frombuffer(data, np.uint8).reshape(height, width, 3)[::-1]
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{int(time.time() * 1000) % 1000:03d}"
        path = renders_dir() / f"{self.live.path.stem}-{stamp}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_png(path, image)
        self.state.message = f"snapshot {path}"
        return path

    def close(self) -> None:
        try:
            _ = self.ctx.error
            self.gui.shutdown()
            self.imgui.destroy_context()
        finally:
            super().close()


def _write_png(path: Path, image: np.ndarray) -> None:
    """Atomically: a temporary file in the same folder, then a rename."""
    import imageio.v3 as iio

    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        iio.imwrite(temp, image, extension=".png")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def edit(settings: PlaySettings, feed: AudioFeed) -> int:
    """Run the editor; always releases the window, GUI, graph and audio. Returns frames shown."""
    show = EditorShow(settings, feed)
    try:
        return show.run()
    finally:
        show.close()
