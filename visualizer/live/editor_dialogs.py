"""The editor's ImGui questions: quit with unsaved edits (a modal over the
picture, shown even while the panel is hidden). Drawing only: the answers are
`QuitPrompt`'s methods, the same calls a test makes.

Keys while it is open: Enter saves and quits, D quits without saving, Esc
cancels (Esc reaches the editor as a `Quit` event, see `QuitPrompt.quit_pressed`).
"""

from __future__ import annotations

from imgui_bundle import imgui

from visualizer.live.editor_quit import QuitPrompt

QUIT_POPUP = "Unsaved edits###quit"
ERROR_RED = imgui.ImVec4(1.0, 0.35, 0.3, 1.0)


def draw_quit_prompt(prompt: QuitPrompt, name: str) -> None:
    """The modal asking what to do with the unsaved edits to `name`, while `prompt.open`."""
    if not prompt.open and not imgui.is_popup_open(QUIT_POPUP):
        return
    if prompt.open and not imgui.is_popup_open(QUIT_POPUP):
        imgui.open_popup(QUIT_POPUP)
    center = imgui.get_main_viewport().get_center()
    imgui.set_next_window_pos(center, imgui.Cond_.always, imgui.ImVec2(0.5, 0.5))
    shown, _ = imgui.begin_popup_modal(QUIT_POPUP, None, imgui.WindowFlags_.always_auto_resize)
    if not shown:
        return
    try:
        if prompt.open:
            _question(prompt, name)
        if not prompt.open:
            imgui.close_current_popup()
    finally:
        imgui.end_popup()


def _question(prompt: QuitPrompt, name: str) -> None:
    imgui.text(f"Unsaved edits to {name}.")
    if prompt.error:
        imgui.push_text_wrap_pos(420.0)
        imgui.text_colored(ERROR_RED, prompt.error)
        imgui.pop_text_wrap_pos()
    enter = any(imgui.is_key_pressed(key, False) for key in (imgui.Key.enter, imgui.Key.keypad_enter))
    if imgui.button("Save and quit (Enter)") or enter:
        prompt.save_and_quit()
        return
    imgui.same_line()
    if imgui.button("Quit without saving (D)") or imgui.is_key_pressed(imgui.Key.d, False):
        prompt.discard_and_quit()
        return
    imgui.same_line()
    if imgui.button("Cancel (Esc)"):
        prompt.cancel()
