"""The editor's Dear ImGui panel: one control per parameter (by group), the
modulation amounts, audio meters, the error, undo/redo, save and snapshot.

Drawing only: every change goes to `EditorState` (the same call a test makes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from imgui_bundle import imgui

from visualizer.features.frame import FrameFeatures
from visualizer.live.editor_state import EditorState
from visualizer.preset.modulation_spec import ParamSpec
from visualizer.preset.palettes import PALETTES, palette_coefficients

ERROR_RED = imgui.ImVec4(1.0, 0.35, 0.3, 1.0)
DIM = imgui.ImVec4(0.65, 0.65, 0.65, 1.0)
PANEL_WIDTH = 340


@dataclass
class PanelActions:
    """What the panel's buttons do beyond the state (they need the show)."""

    snapshot: Callable[[], object]


class EditorPanel:
    def __init__(self, state: EditorState, actions: PanelActions):
        self.state, self.actions = state, actions
        self.save_as_name = ""
        self.error_message = ""

    def draw(self, features: FrameFeatures, error: str | None, title: str, height: int) -> None:
        imgui.set_next_window_pos(imgui.ImVec2(8, 8), imgui.Cond_.first_use_ever)
        imgui.set_next_window_size(imgui.ImVec2(PANEL_WIDTH, max(120, height - 16)), imgui.Cond_.first_use_ever)
        imgui.begin(f"{title}###editor")
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
        _, self.save_as_name = imgui.input_text("##saveas", self.save_as_name)
        imgui.same_line()
        if imgui.button("Save as") and self.save_as_name.strip():
            self.guard(lambda: state.save_as(self.save_as_name.strip()))
        if state.message:
            imgui.text_colored(DIM, state.message)

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
            changed, new = _palette_editor(label, value)
        else:
            imgui.text(f"{label}: {value}")
        if changed:
            state.set_value(spec.name, tuple(new) if isinstance(new, list) else new)
        if imgui.is_item_deactivated_after_edit():
            state.end_edit()

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


def _palette_editor(label: str, value: object) -> tuple[bool, object]:
    """A palette: a named one from a combo, or "custom" with its a, b, c, d rows;
    a strip of swatches previews it."""
    names = [*PALETTES, CUSTOM]
    rows = palette_coefficients(value)
    changed, index = imgui.combo(label, names.index(value) if isinstance(value, str) else len(PALETTES), names)
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
