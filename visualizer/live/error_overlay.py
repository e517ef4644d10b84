"""The current error drawn over the picture (Dear ImGui), for `play`: the
last good version keeps running underneath until the file is fixed."""

from __future__ import annotations

import moderngl


class ErrorOverlay:
    """Created on the first error; draws red `file:line: message` text at the bottom."""

    def __init__(self, window, ctx: moderngl.Context):
        from imgui_bundle import imgui
        from imgui_bundle.python_backends.glfw_backend import GlfwRenderer

        self.imgui, self.ctx = imgui, ctx
        imgui.create_context()
        imgui.get_io().set_ini_filename("")
        _ = ctx.error  # PyOpenGL checks glGetError: start clean
        self.gui = GlfwRenderer(window, attach_callbacks=False)

    def draw(self, error: str) -> None:
        imgui = self.imgui
        self.gui.process_inputs()
        imgui.new_frame()
        width, height = self.ctx.screen.size
        lines = error.splitlines()[:8]
        imgui.set_next_window_pos(imgui.ImVec2(8, height - 8), imgui.Cond_.always, imgui.ImVec2(0, 1))
        imgui.set_next_window_size(imgui.ImVec2(width - 16, 0), imgui.Cond_.always)
        flags = imgui.WindowFlags_.no_decoration | imgui.WindowFlags_.no_inputs | imgui.WindowFlags_.always_auto_resize
        imgui.begin("error", None, flags)
        imgui.push_text_wrap_pos(0.0)  # wrap at the window's edge
        imgui.text_colored(imgui.ImVec4(1.0, 0.35, 0.3, 1.0), "\n".join(lines))
        imgui.pop_text_wrap_pos()
        imgui.text_disabled("showing the last good version; save a fix to reload")
        imgui.end()
        imgui.render()
        self.ctx.screen.use()
        _ = self.ctx.error
        self.gui.render(imgui.get_draw_data())

    def release(self) -> None:
        self.gui.shutdown()
        self.imgui.destroy_context()
