"""Quitting the editor with unsaved edits: the question, and its answers (no GL).

A `Quit` (Esc) or the window's close button with nothing unsaved closes at
once. With unsaved edits it opens the question instead ("Unsaved edits to X"),
answered by: Save and quit (Enter), Quit without saving (D), Cancel (Esc
again). A save that fails keeps the question open with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from visualizer.errors import VisualizerError
from visualizer.live.editor_state import EditorState


class QuitPrompt:
    """The unsaved-edits question for `state`; `close()` ends the show."""

    def __init__(self, state: EditorState, close: Callable[[], None]):
        self.state, self.close = state, close
        self.open = False
        self.error = ""
        """Why "Save and quit" did not quit (the save failed), else ""."""

    def quit_pressed(self) -> bool:
        """A `Quit` event: True if taken here (the question opened, or Esc cancelled
        it), False when nothing is unsaved and the show may close now."""
        if self.open:
            self.cancel()
            return True
        return not self.may_close()

    def may_close(self) -> bool:
        """The window's close button: True to close now; False opens the question."""
        if not self.state.dirty:
            return True
        self.open = True
        return False

    def save_and_quit(self) -> None:
        try:
            self.state.save()
        except (VisualizerError, OSError) as exc:
            self.error = str(exc)
            return
        self._finish()

    def discard_and_quit(self) -> None:
        self._finish()

    def cancel(self) -> None:
        self.open, self.error = False, ""

    def _finish(self) -> None:
        self.open, self.error = False, ""
        self.close()
