"""Dear ImGui, set up once per window: one ImGui context, glfw input (keys,
characters, mouse) and imgui-bundle's OpenGL renderer drawing into the
moderngl context's screen. Every ImGui layer (the error overlay, the editor
panel) draws inside the one ImGui frame the host opens.

The renderer is pure Python over PyOpenGL, which checks `glGetError` after its
calls: moderngl may leave an error flag set (reading the default framebuffer
does on Mesa), so the flag is cleared before ImGui draws.
"""

from __future__ import annotations

from collections.abc import Callable

import moderngl


class ImGuiHost:
    """ImGui for `window` (a glfw window) whose GL context is `ctx`.

    Creating it installs ImGui's glfw callbacks, the key callback included:
    whoever owns the window re-installs its own and passes keys on through
    `key_event`.
    """

    def __init__(self, window, ctx: moderngl.Context):
        from imgui_bundle import imgui
        from imgui_bundle.python_backends.glfw_backend import GlfwRenderer

        self.imgui, self.ctx = imgui, ctx
        self._context = imgui.create_context()
        imgui.get_io().set_ini_filename("")  # no imgui.ini in the working folder
        _ = ctx.error
        self._renderer: GlfwRenderer | None = GlfwRenderer(window, attach_callbacks=True)

    def key_event(self, window, key: int, scancode: int, action: int, mods: int) -> None:
        """A glfw key event, for ImGui's widgets."""
        if self._renderer is not None:
            self._renderer.keyboard_callback(window, key, scancode, action, mods)

    @property
    def wants_text_input(self) -> bool:
        """True while a text field has the keyboard (plain keys are text then)."""
        return self._renderer is not None and bool(self.imgui.get_io().want_text_input)

    def frame(self, draw: Callable[[], None]) -> None:
        """One ImGui frame over what the screen holds: `draw` makes the windows."""
        if self._renderer is None:
            raise RuntimeError("ImGuiHost used after release()")
        imgui = self.imgui
        self._renderer.process_inputs()
        imgui.new_frame()
        draw()
        imgui.render()
        self.ctx.screen.use()
        _ = self.ctx.error
        self._renderer.render(imgui.get_draw_data())

    def release(self) -> None:
        """Free the renderer's GL objects and the ImGui context; safe to call twice."""
        if self._renderer is None:
            return
        _ = self.ctx.error
        self._renderer.shutdown()
        self._renderer = None
        self.imgui.destroy_context(self._context)
