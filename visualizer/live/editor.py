"""`visualizer edit PRESET`: the `play` show plus a Dear ImGui panel to tune
the preset's parameters live and save them back into its TOML.

The `Editor` attaches to a `Show` (composition, not a subclass): an ImGui
layer drawn over the picture, its key bindings on the show's key map, and a
handler for control events. Parameter edits go through `EditorState` to the
show's `ParamState` (so they survive a hot reload); the file changes only on
Save (comments and layout kept, see `visualizer.preset.save`), after which the
hot-reload watcher reloads it.

The undo history survives a save (and the hot reload it brings): after
Ctrl+S, Ctrl+Z still undoes the last edit, and the file is then unsaved again.
Save as writes a copy (a bundle: with its shaders) and the editor and the show
go on with it. Quitting with unsaved edits asks first (`QuitPrompt`).

Keys: Ctrl+Z undo, Ctrl+Y (or Ctrl+Shift+Z) redo, Ctrl+S save, Ctrl+Shift+S
save as (the name in the panel's field), F1 hides the panel, Esc quits, T
taps the tempo (when no text field has the keyboard). With unsaved edits Esc
asks instead: Enter saves and quits, D quits without saving, Esc cancels.
"""

from __future__ import annotations

from pathlib import Path

from visualizer.audio.playback import AudioFeed
from visualizer.control.events import (
    ControlEvent, LearnMidi, Quit, Redo, Save, SetModulationAmount, SetParam, Snapshot, TogglePanel, Undo,
)
from visualizer.control.keys import EDITOR_KEYS
from visualizer.live.editor_quit import QuitPrompt
from visualizer.live.editor_state import EditorState
from visualizer.live.show import PlaySettings, Show


class Editor:
    """The editor panel over `show`. While the panel is shown it also shows
    the preset's error, so the show's error overlay steps aside."""

    def __init__(self, show: Show):
        from visualizer.live.editor_panel import EditorPanel, PanelActions

        self.show = show
        spec = show.live.spec
        self.state = EditorState(show.live.path, spec.params, spec.modulations,
                                 apply=show.params.set, apply_amount=show.params.set_amount,
                                 moved=show.live.follow)
        learn = lambda target: show.bus.push(LearnMidi(target))  # noqa: E731  (the MIDI layer takes it)
        self.panel = EditorPanel(self.state, PanelActions(snapshot=self.snapshot, learn=learn))
        self.quit_prompt = QuitPrompt(self.state, show.host.request_close)
        self.panel_shown = True
        self._keys_before = show.keys
        self._title_mark = lambda: "* " if self.state.dirty else ""
        show.keys = show.keys | EDITOR_KEYS
        show.handlers.insert(0, self.handle)
        show.reload_listeners.append(self._reloaded)
        show.title_marks.append(self._title_mark)
        show.host.gui_layers.insert(0, self)
        show.error_overlay.hidden = lambda: self.visible
        show.host.close_guards.append(self.may_close)

    def detach(self) -> None:
        """Take the panel, its keys and handlers off the show (the live show attaches a new
        editor when it moves to another preset)."""
        show = self.show
        show.keys = self._keys_before
        show.handlers.remove(self.handle)
        show.reload_listeners.remove(self._reloaded)
        show.title_marks.remove(self._title_mark)
        show.host.gui_layers.remove(self)
        show.host.close_guards.remove(self.may_close)
        show.error_overlay.hidden = lambda: False

    # --- the layer -------------------------------------------------------------------------------

    @property
    def visible(self) -> bool:
        return self.panel_shown or self.quit_prompt.open

    def draw_gui(self, size: tuple[int, int]) -> None:
        """The panel's ImGui window and the quit question, on a screen of `size` (width, height) pixels."""
        from visualizer.live.editor_dialogs import draw_quit_prompt
        from visualizer.paths import shown_path

        show = self.show
        if self.panel_shown:
            title = f"{show.live.spec.name}{' *' if self.state.dirty else ''}"
            self.panel.draw(show.features, show.live.error, title, size[1])
        draw_quit_prompt(self.quit_prompt, str(shown_path(self.state.path)))

    def may_close(self) -> bool:
        """For the window's close button: True to close now; with unsaved edits,
        False, and the quit question opens."""
        return self.quit_prompt.may_close()

    # --- events, between frames ------------------------------------------------------------------

    def handle(self, event: ControlEvent) -> bool:
        """Apply the editor's events; parameter changes join its undo history."""
        state, guard = self.state, self.panel.guard
        match event:
            case Undo():
                state.undo()
            case Redo():
                state.redo()
            case Save():
                guard(state.save)
            case Snapshot():
                guard(self.snapshot)
            case TogglePanel():
                self.panel_shown = not self.panel_shown
            case Quit():
                return self.quit_prompt.quit_pressed()
            case SetParam(name, value):
                guard(lambda: state.set_value(name, value))
            case SetModulationAmount(index, amount):
                guard(lambda: state.set_amount(index, amount))
            case _:
                return False
        return True

    def _reloaded(self) -> None:
        """The file changed (our save or another editor's): the state takes the new specs."""
        spec = self.show.live.spec
        self.state.reloaded(spec.params, spec.modulations)

    def snapshot(self) -> Path:
        """The picture alone (no panel) as renders/<preset>-<time>.png."""
        path = self.show.snapshot()
        self.state.message = f"snapshot {path}"
        return path


def edit(settings: PlaySettings, feed: AudioFeed) -> int:
    """Run the editor; always releases the window, GUI, graph and audio. Returns frames shown."""
    show = Show(settings, feed)
    try:
        Editor(show)
        return show.run()
    finally:
        show.close()
