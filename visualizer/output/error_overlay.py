"""The current error drawn over the picture (an ImGui layer): the last good
version keeps running underneath until the file is fixed."""

from __future__ import annotations

from collections.abc import Callable

ERROR_RED = (1.0, 0.35, 0.3, 1.0)
MAX_LINES = 8


class ErrorOverlay:
    """Red `file:line: message` text at the bottom of the window while
    `error()` returns one, unless `hidden()` (the editor panel shows it then)."""

    def __init__(self, error: Callable[[], str | None], hidden: Callable[[], bool] = lambda: False):
        self.error, self.hidden = error, hidden

    @property
    def visible(self) -> bool:
        return bool(self.error()) and not self.hidden()

    def draw_gui(self, size: tuple[int, int]) -> None:
        """The overlay's ImGui window, for a screen of `size` (width, height) pixels."""
        from imgui_bundle import imgui

        width, height = size
        lines = (self.error() or "").splitlines()[:MAX_LINES]
        imgui.set_next_window_pos(imgui.ImVec2(8, height - 8), imgui.Cond_.always, imgui.ImVec2(0, 1))
        imgui.set_next_window_size(imgui.ImVec2(width - 16, 0), imgui.Cond_.always)
        flags = imgui.WindowFlags_.no_decoration | imgui.WindowFlags_.no_inputs | imgui.WindowFlags_.always_auto_resize
        imgui.begin("error", None, flags)
        try:
            imgui.push_text_wrap_pos(0.0)  # wrap at the window's edge
            imgui.text_colored(imgui.ImVec4(*ERROR_RED), "\n".join(lines))
            imgui.pop_text_wrap_pos()
            imgui.text_disabled("showing the last good version; save a fix to reload")
        finally:
            imgui.end()
