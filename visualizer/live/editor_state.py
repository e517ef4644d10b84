"""The editor's model, free of GL and ImGui: parameter values, modulation
amounts, undo/redo history, the dirty flag and saving.

Every widget of the panel calls exactly one method here (`set_value`,
`set_amount`, `undo`, `redo`, `save`, `save_as`), so tests drive the editor
through the same calls a slider makes. Each change is pushed straight to the
running show through `apply` / `apply_amount` (the show's `ParamState`, which
keeps them across hot reloads); the file changes only on `save`. The undo
history outlives a save and the hot reload it brings (`reloaded`): undoing
past a save makes the values unsaved again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from visualizer.errors import PresetError
from visualizer.live.editor_files import SaveAsPlan, plan_save_as, write_bundle_copy
from visualizer.paths import project_presets_dir, shown_path
from visualizer.preset.comments import param_descriptions
from visualizer.preset.library import copy_bundle, is_shipped, preset_name
from visualizer.preset.modulation_check import coerce_value
from visualizer.preset.modulation_spec import Modulation, ParamSpec, Value
from visualizer.preset.save import save_params

Amount = float | tuple[float, float]


@dataclass(frozen=True)
class Snapshot:
    """Every param value and every modulation's amount at one point of the history."""

    values: Mapping[str, Value]
    amounts: tuple[Amount, ...] = field(default=())


class EditorState:
    """Values being edited for the preset at `path`.

    Consecutive changes of one control (a slider being dragged: one call per
    frame) merge into a single undo step until `end_edit()` (the widget was
    released) or a change of another control.
    """

    HISTORY_LIMIT = 500

    def __init__(self, path: Path, params: Sequence[ParamSpec], modulations: Sequence[Modulation] = (),
                 apply: Callable[[str, Value], None] | None = None,
                 apply_amount: Callable[[int, Amount], None] | None = None,
                 moved: Callable[[Path], None] | None = None):
        self.path = Path(path)
        self.apply = apply or (lambda name, value: None)
        self.apply_amount = apply_amount or (lambda index, amount: None)
        self.moved = moved or (lambda path: None)
        """Called with the new preset file when a save had to copy a shipped bundle."""
        self.message = ""
        self.descriptions: dict[str, str] = param_descriptions(self.path)
        """Tooltip text by param name, from the file's comments (see `visualizer.preset.comments`)."""
        self._load(params, modulations)

    def _load(self, params: Sequence[ParamSpec], modulations: Sequence[Modulation]) -> None:
        self.specs = {spec.name: spec for spec in params}
        self.modulations = tuple(modulations)
        self.values: dict[str, Value] = {spec.name: coerce_value(spec, spec.default) for spec in params}
        self.amounts: list[Amount] = [mod.amount for mod in modulations]
        self._saved = self.snapshot()
        self.history: list[Snapshot] = [self._saved]
        self.position = 0
        self._open: object = None  # the control whose drag is merging into the last step

    # --- reading -------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        return Snapshot(dict(self.values), tuple(self.amounts))

    @property
    def dirty(self) -> bool:
        """Whether the values differ from the file as last loaded or saved."""
        return self.snapshot() != self._saved

    @property
    def can_undo(self) -> bool:
        return self.position > 0

    @property
    def can_redo(self) -> bool:
        return self.position < len(self.history) - 1

    def groups(self) -> dict[str, list[ParamSpec]]:
        """Params by `group` in file order ("" first: the ungrouped ones)."""
        grouped: dict[str, list[ParamSpec]] = {"": []}
        for spec in self.specs.values():
            grouped.setdefault(spec.group, []).append(spec)
        return {name: specs for name, specs in grouped.items() if specs}

    # --- changing ------------------------------------------------------------------------------

    def set_value(self, name: str, value: object) -> bool:
        """What a widget calls when the user changes param `name`; True if it changed.

        ValueError for a value that does not fit the param, KeyError for an unknown name.
        """
        spec = self.specs[name]
        typed = coerce_value(spec, _tidy(value))
        if typed == self.values[name]:
            return False
        self.values[name] = typed
        self.apply(name, typed)
        self._record(("param", name))
        return True

    def set_amount(self, index: int, amount: object) -> bool:
        """What a modulation's amount widget calls; True if it changed."""
        tidy = _tidy(amount)
        if isinstance(tidy, (tuple, list)):
            tidy = (float(tidy[0]), float(tidy[1]))
        else:
            tidy = float(tidy)
        if tidy == self.amounts[index]:
            return False
        self.amounts[index] = tidy
        self.apply_amount(index, tidy)
        self._record(("amount", index))
        return True

    def end_edit(self) -> None:
        """The widget being dragged was released: the next change is a new undo step."""
        self._open = None

    def _record(self, control: object) -> None:
        snapshot = self.snapshot()
        del self.history[self.position + 1:]
        if control == self._open and self.position > 0:
            self.history[self.position] = snapshot
        else:
            self.history.append(snapshot)
            self.position += 1
        self._open = control
        if len(self.history) > self.HISTORY_LIMIT:
            drop = len(self.history) - self.HISTORY_LIMIT
            del self.history[:drop]
            self.position -= drop

    def undo(self) -> bool:
        if not self.can_undo:
            return False
        self.position -= 1
        self._restore(self.history[self.position])
        return True

    def redo(self) -> bool:
        if not self.can_redo:
            return False
        self.position += 1
        self._restore(self.history[self.position])
        return True

    def _restore(self, snapshot: Snapshot) -> None:
        self._open = None
        for name, value in snapshot.values.items():
            if name in self.values and self.values[name] != value:
                self.values[name] = value
                self.apply(name, value)
        for index, amount in enumerate(snapshot.amounts[:len(self.amounts)]):
            if self.amounts[index] != amount:
                self.amounts[index] = amount
                self.apply_amount(index, amount)

    def apply_all(self) -> None:
        """Push every value and amount to the show (a new engine after a reload)."""
        for name, value in self.values.items():
            self.apply(name, value)
        for index, amount in enumerate(self.amounts):
            self.apply_amount(index, amount)

    # --- files ---------------------------------------------------------------------------------

    def save(self) -> Path:
        """Write the values and amounts into the preset file (it then hot-reloads).

        A shipped preset is package data and never edited in place: its bundle
        is first copied to ./presets/NAME (which then shadows it by name), and
        the editor goes on with the copy (`moved` tells the show)."""
        note = ""
        if is_shipped(self.path):
            self.path = copy_bundle(self.path, project_presets_dir() / preset_name(self.path))
            self.moved(self.path)
            note = " (your copy: shipped presets are read-only)"
        save_params(self.path, self.values, list(self.specs.values()),
                    modulation_amounts=self._changed_amounts())
        self._saved = self.snapshot()
        self.message = f"saved {shown_path(self.path)}{note}"
        return self.path

    def plan_save_as(self, target: str) -> SaveAsPlan:
        """Where "Save as `target`" would write, and whether it would replace another
        preset (see `visualizer.live.editor_files`). PresetError for a target that cannot be used."""
        return plan_save_as(self.path, str(target))

    def save_as(self, target: Path | str, *, switch: bool = False, overwrite: bool = False) -> Path:
        """Write a copy with the current values (a bundle: its whole folder) at
        `target` (see `plan_save_as`); returns the copy's preset file.

        `switch`: the editor goes on with the copy (`moved` tells the show, and the
        copy is saved once more so the show reloads from it; the undo history stays).
        Otherwise it keeps editing the original. A different preset already at
        `target` is replaced only with `overwrite`; PresetError otherwise."""
        plan = self.plan_save_as(str(target))
        if plan.same:
            return self.save()
        if plan.replaces and not overwrite:
            raise PresetError(f"{shown_path(plan.path)}: a preset is there already; confirm to overwrite it")
        if plan.bundle:
            write_bundle_copy(self.path, plan)
        save_params(plan.path if plan.bundle else self.path, self.values, list(self.specs.values()),
                    target=plan.path, modulation_amounts=self._changed_amounts())
        if not switch:
            self.message = f"saved a copy as {shown_path(plan.path)}"
            return plan.path
        self.path = plan.path
        self.moved(self.path)
        self.save()
        self.descriptions = param_descriptions(self.path)
        self.message = f"saved as {shown_path(self.path)}: now editing it"
        return self.path

    def _changed_amounts(self) -> dict[int, Amount]:
        return {i: a for i, (a, mod) in enumerate(zip(self.amounts, self.modulations)) if a != mod.amount}

    def reloaded(self, params: Sequence[ParamSpec], modulations: Sequence[Modulation]) -> None:
        """The preset file changed on disk. Our own save coming back (the file holds
        what was saved) keeps the values, unsaved edits and the undo history. Another
        writer's change: take its values but keep the unsaved edits of params that
        still exist; the history starts over."""
        self.descriptions = param_descriptions(self.path)
        if self._holds_saved(params, modulations):
            self.specs = {spec.name: spec for spec in params}
            self.modulations = tuple(modulations)
            self.apply_all()
            return
        saved = self._saved.values
        unsaved = {name: value for name, value in self.values.items() if value != saved.get(name)}
        edited_amounts, saved_amounts = list(self.amounts), self._saved.amounts
        self._load(params, modulations)
        for name, value in unsaved.items():
            if name in self.specs:
                try:
                    self.values[name] = coerce_value(self.specs[name], value)
                except ValueError:
                    pass
        if len(saved_amounts) == len(self.amounts) == len(edited_amounts):
            for index, (edited, saved) in enumerate(zip(edited_amounts, saved_amounts)):
                if edited != saved:
                    self.amounts[index] = edited
        self.history = [self.snapshot()]
        self.apply_all()

    def _holds_saved(self, params: Sequence[ParamSpec], modulations: Sequence[Modulation]) -> bool:
        """Whether `params` and `modulations` (a reload) say exactly what was last saved."""
        try:
            loaded = {spec.name: coerce_value(spec, spec.default) for spec in params}
        except ValueError:
            return False
        amounts = tuple(mod.amount for mod in modulations)
        return loaded == dict(self._saved.values) and amounts == self._saved.amounts


def _tidy(value: object) -> object:
    """Floats from float32 widgets without their noise (0.4000000059604645 -> 0.4)."""
    import numpy as np

    if isinstance(value, float):
        return float(str(np.float32(value))) if value == float(np.float32(value)) else value
    if isinstance(value, (tuple, list)):
        return tuple(_tidy(v) for v in value)
    return value
