"""The editor's Dear ImGui panel: one control per parameter (by group), the
modulation amounts, audio meters, the error, undo/redo, save, Save as and
snapshot. Hovering a parameter shows its description (its TOML comment) as a
tooltip. Ctrl+Shift+S saves as the name in the Save as field (with the field
empty, it puts the keyboard there: type, then Enter).

Drawing only: every change goes to `EditorState` (the same call a test makes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from imgui_bundle import imgui

from visualizer.features.frame import FrameFeatures
from visualizer.live.editor_state import EditorState
from visualizer.paths import shown_path
from visualizer.preset.modulation_spec import ParamSpec
from visualizer.preset.palettes import PALETTES, palette_coefficients

ERROR_RED = imgui.ImVec4(1.0, 0.35, 0.3, 1.0)
DIM = imgui.ImVec4(0.65, 0.65, 0.65, 1.0)
PANEL_WIDTH = 340
SAVE_AS_CHORD = int(imgui.Key.mod_ctrl) | int(imgui.Key.mod_shift) | int(imgui.Key.s)


@dataclass
class PanelActions:
    """What the panel's buttons do beyond the state (they need the show)."""

    snapshot: Callable[[], object]
    learn: Callable[[str], None] | None = None
    """MIDI learn for a target ("param:NAME"): the right-click menu of a number's control."""


class EditorPanel:
    def __init__(self, state: EditorState, actions: PanelActions):
        self.state, self.actions = state, actions
        self.save_as_name = ""
        self.error_message = ""
        self.overwrite: tuple[str, Path] | None = None
        """(name, path) of a Save as waiting for the user's yes to replace the preset there."""
        self.widget_boxes: dict[str, tuple[float, float, float, float]] = {}
        """Each param's control as (left, top, right, bottom) screen pixels, as last drawn."""
        self.tooltip = ""
        """The param whose description showed as a tooltip in the last frame, else ""."""

    def draw(self, features: FrameFeatures, error: str | None, title: str, height: int) -> None:
        imgui.set_next_window_pos(imgui.ImVec2(8, 8), imgui.Cond_.first_use_ever)
        imgui.set_next_window_size(imgui.ImVec2(PANEL_WIDTH, max(120, height - 16)), imgui.Cond_.first_use_ever)
        imgui.begin(f"{title}###editor")
        self.tooltip = ""
        try:
            self._error(error)
            self._file_row()
            self._meters(features)
            for group, specs in self.state.groups().items():
                if imgui.collapsing_header(group or "Parameters", imgui.TreeNodeFlags_.default_open):
                    for spec in specs:
                        self._param(spec)
            self._modulations()
        finally:
            imgui.end()

    # --- sections ----------------------------------------------------------------------------

    def _error(self, error: str | None) -> None:
        if error:
            imgui.push_text_wrap_pos(0.0)
            imgui.text_colored(ERROR_RED, "Preset error (showing the last good version):")
            imgui.text_colored(ERROR_RED, error)
            imgui.pop_text_wrap_pos()
            imgui.separator()
        if self.error_message:
            imgui.push_text_wrap_pos(0.0)
            imgui.text_colored(ERROR_RED, self.error_message)
            imgui.pop_text_wrap_pos()

    def _file_row(self) -> None:
        state = self.state
        imgui.begin_disabled(not state.can_undo)
        if imgui.button("Undo"):
            state.undo()
        imgui.end_disabled()
        imgui.same_line()
        imgui.begin_disabled(not state.can_redo)
        if imgui.button("Redo"):
            state.redo()
        imgui.end_disabled()
        imgui.same_line()
        if imgui.button("Save*" if state.dirty else "Save"):
            self.guard(state.save)
        imgui.same_line()
        if imgui.button("Snapshot PNG"):
            self.guard(self.actions.snapshot)
        self._save_as_row()
        if state.message:
            imgui.text_colored(DIM, state.message)

    def _save_as_row(self) -> None:
        """Name or path, then the Save as button (or Enter in the field, or Ctrl+Shift+S);
        a preset already there is replaced only after Overwrite."""
        shortcut = imgui.is_key_chord_pressed(SAVE_AS_CHORD)
        if shortcut and not self.save_as_name.strip():
            imgui.set_keyboard_focus_here()
        entered, self.save_as_name = imgui.input_text_with_hint(
            "##saveas", "name or path", self.save_as_name, imgui.InputTextFlags_.enter_returns_true)
        imgui.same_line()
        clicked = imgui.button("Save as")
        if (entered or clicked or shortcut) and self.save_as_name.strip():
            self.guard(lambda: self.start_save_as(self.save_as_name))
        if self.overwrite is not None:
            imgui.text_colored(ERROR_RED, f"{shown_path(self.overwrite[1])} exists.")
            imgui.same_line()
            if imgui.button("Overwrite"):
                self.guard(self.confirm_overwrite)
            imgui.same_line()
            if imgui.button("Keep it"):
                self.overwrite = None

    def start_save_as(self, name: str) -> None:
        """What Save as does: write the copy and switch to it, or first ask to overwrite."""
        plan = self.state.plan_save_as(name)
        if plan.replaces:
            self.overwrite = (name, plan.path)
            return
        self._save_as(name, overwrite=False)

    def confirm_overwrite(self) -> None:
        """The Overwrite button: replace the preset that was there."""
        if self.overwrite is not None:
            self._save_as(self.overwrite[0], overwrite=True)

    def _save_as(self, name: str, overwrite: bool) -> None:
        self.overwrite = None
        self.state.save_as(name, switch=True, overwrite=overwrite)
        self.save_as_name = ""

    def guard(self, action: Callable[[], object]) -> None:
        """Run a button's (or key's) action; a failure becomes the panel's red message."""
        from visualizer.errors import VisualizerError

        try:
            action()
            self.error_message = ""
        except (VisualizerError, OSError, ValueError, KeyError, IndexError) as exc:
            self.error_message = str(exc.args[0]) if isinstance(exc, LookupError) and exc.args else str(exc)

    def _meters(self, f: FrameFeatures) -> None:
        if not imgui.collapsing_header("Audio", imgui.TreeNodeFlags_.default_open):
            return
        for name, value in (("level", f.level), ("bass", f.bass), ("mid", f.mid), ("high", f.high),
                            ("beat", f.beat_pulse)):
            imgui.progress_bar(min(1.0, max(0.0, float(value))), imgui.ImVec2(-1, 0), f"{name} {value:.2f}")
        imgui.text(f"tempo {f.tempo_bpm:.1f} BPM  (confidence {f.tempo_confidence:.2f})")

    def _param(self, spec: ParamSpec) -> None:
        state, value, label = self.state, self.state.values[spec.name], spec.label or spec.name
        low, high = spec.min, spec.max
        changed, new = False, value
        if spec.type == "float":
            if low is not None and high is not None:
                changed, new = imgui.slider_float(label, value, low, high)
            else:
                changed, new = imgui.drag_float(label, value, _speed(spec), 0.0, 0.0)
        elif spec.type == "int":
            changed, new = imgui.slider_int(label, value, int(low if low is not None else min(0, value)),
                                            int(high if high is not None else max(10, value * 2)))
        elif spec.type == "bool":
            changed, new = imgui.checkbox(label, value)
        elif spec.type == "color":
            changed, new = imgui.color_edit3(label, list(value))
        elif spec.type == "vec2":
            if low is not None and high is not None:
                changed, vec = imgui.slider_float2(label, imgui.ImVec2(*value), low, high)
                new = (vec.x, vec.y)
            else:
                changed, new = imgui.drag_float2(label, list(value), _speed(spec), 0.0, 0.0)
        elif spec.type == "choice":
            changed, new = imgui.combo(label, value, list(spec.choices))
        elif spec.type == "palette":
            changed, new = _palette_editor(label, value, lambda: self._describe(spec))
        else:
            imgui.text(f"{label}: {value}")
        if spec.type != "palette":
            self._describe(spec)
        self._learn_menu(spec)
        if changed:
            state.set_value(spec.name, tuple(new) if isinstance(new, list) else new)
        if imgui.is_item_deactivated_after_edit():
            state.end_edit()

    def _learn_menu(self, spec: ParamSpec) -> None:
        """Right-click on a number's control: "MIDI learn" (the next knob moved drives it)."""
        if self.actions.learn is None or spec.type not in ("float", "int"):
            return
        if imgui.begin_popup_context_item(f"learn##{spec.name}"):
            if imgui.menu_item_simple(f"MIDI learn: move a knob for {spec.label or spec.name}"):
                self.actions.learn(f"param:{spec.name}")
            imgui.end_popup()

    def _describe(self, spec: ParamSpec) -> None:
        """The param's description from its TOML comment, as a tooltip while its control is hovered."""
        low, high = imgui.get_item_rect_min(), imgui.get_item_rect_max()
        self.widget_boxes[spec.name] = (low.x, low.y, high.x, high.y)
        text = self.state.descriptions.get(spec.name)
        if text and imgui.is_item_hovered(imgui.HoveredFlags_.for_tooltip):
            imgui.begin_tooltip()
            imgui.push_text_wrap_pos(imgui.get_font_size() * 26)
            imgui.text_unformatted(text)
            imgui.pop_text_wrap_pos()
            imgui.end_tooltip()
            self.tooltip = spec.name

    def _modulations(self) -> None:
        state = self.state
        if not state.modulations or not imgui.collapsing_header("Modulations"):
            return
        for index, mod in enumerate(state.modulations):
            imgui.push_id(index)
            amount = state.amounts[index]
            label = f"{mod.param} <- {mod.source}"
            if isinstance(amount, tuple):
                changed, new = imgui.drag_float2(label, list(amount), 0.01, 0.0, 0.0)
            else:
                changed, new = imgui.drag_float(label, amount, 0.01, 0.0, 0.0)
            if changed:
                state.set_amount(index, tuple(new) if isinstance(new, list) else new)
            if imgui.is_item_deactivated_after_edit():
                state.end_edit()
            imgui.pop_id()


CUSTOM = "custom"


def _palette_editor(label: str, value: object, describe: Callable[[], None]) -> tuple[bool, object]:
    """A palette: a named one from a combo (`describe()` then gives it its tooltip),
    or "custom" with its a, b, c, d rows; a strip of swatches previews it."""
    names = [*PALETTES, CUSTOM]
    rows = palette_coefficients(value)
    changed, index = imgui.combo(label, names.index(value) if isinstance(value, str) else len(PALETTES), names)
    describe()
    new: object = value
    if changed:
        new = names[index] if names[index] != CUSTOM else rows
    if not isinstance(new, str):
        edited = []
        for row_name, row in zip("abcd", rows):
            row_changed, values = imgui.drag_float3(f"{row_name}##{label}", list(row), 0.01, -2.0, 4.0)
            changed |= row_changed
            edited.append(tuple(values))
        new = tuple(edited) if changed else new
    _palette_strip(label, palette_coefficients(new))
    return changed, new


def _palette_strip(label: str, rows) -> None:
    a, b, c, d = (np.array(row) for row in rows)
    for step in range(12):
        t = step / 12
        color = np.clip(a + b * np.cos(2 * np.pi * (c * t + d)), 0.0, 1.0)
        imgui.color_button(f"##{label}{step}", imgui.ImVec4(*color, 1.0), 0, imgui.ImVec2(18, 12))
        if step < 11:
            imgui.same_line(0, 1)


def _speed(spec: ParamSpec) -> float:
    return float(spec.step) if spec.step else 0.01
