"""The live show's HUD (toggled with H): a compact, semi-transparent ImGui
panel in the top-right corner over the picture, sized for a VJ reading it
from a step back on a dark stage.

The show fills a `HudModel` of plain values each frame; the HUD only draws
it. A bad value (NaN, inf, a wrong type) shows as "?" and a failure while
drawing is logged once per kind: `draw_gui` never raises into the show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from visualizer.live.hud_frames import FrameTimes

log = logging.getLogger(__name__)

__all__ = ["FrameTimes", "Hud", "HudModel"]


@dataclass
class HudModel:
    """What the HUD shows, filled by the show each frame (cheap: plain values).

    Levels (`beat_pulse`, `build`, `drop`, `bands`) are 0..1. `beat_in_bar` is
    the beat's index in its bar, from 0 (the downbeat). `frame_ms` holds recent
    frame times in ms, oldest first (a `FrameTimes` is drawn without copying).
    `midi_active`/`osc_active`: a message came in the last ~0.2 s.
    """

    preset: str = ""
    next_preset: str = ""
    transition: str = ""  # e.g. "flower_iris 40%" while blending
    bpm: float = 0.0
    beat_pulse: float = 0.0
    beat_in_bar: int = 0
    beats_per_bar: int = 4
    bar: int = 0
    section: int = 0
    build: float = 0.0
    drop: float = 0.0
    bands: tuple[float, ...] = ()
    band_names: tuple[str, ...] = ("level", "bass", "mid", "high")
    fps: float = 0.0
    target_fps: float = 60.0  # the frame-time graph's line is at 1000 / target_fps ms
    frame_ms: Sequence[float] = ()
    audio: str = ""
    midi: str = ""
    osc: str = ""
    midi_active: bool = False
    osc_active: bool = False
    locked: bool = False
    blackout: bool = False
    frozen: bool = False
    message: str = ""  # e.g. "press Esc again to quit"
    error: str = ""  # the last error (its first line is shown)


class Hud:
    """A `GuiLayer`: the HUD of `model()`, drawn while `visible`. ImGui sizes
    the panel from its previous frame's content: the very first frame it is
    shown only measures it, and a change of lines settles one frame later."""

    def __init__(self, model: Callable[[], HudModel], visible: bool = False):
        self.model = model
        self._visible = bool(visible)
        self._frames = FrameTimes()  # scratch: `frame_ms` copied in when it is not a FrameTimes
        self._failures: set[str] = set()  # kinds of drawing failure already logged

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, shown: bool) -> None:
        self._visible = bool(shown)

    def toggle(self) -> None:
        self._visible = not self._visible

    def draw_gui(self, size: tuple[int, int]) -> None:
        """The HUD's ImGui window for a screen of `size` (width, height) pixels;
        never raises (a failure is logged once per kind and the frame goes on)."""
        try:
            from visualizer.live.hud_draw import draw_hud

            model = self.model()
            draw_hud(model, self._frame_times(model.frame_ms), size)
        except Exception as exc:  # noqa: BLE001 - the show must go on; logged once per kind
            kind = f"{type(exc).__name__}: {str(exc)[:80]}"
            if kind not in self._failures and len(self._failures) < 32:
                self._failures.add(kind)
                log.warning("HUD: %s (the show goes on)", kind, exc_info=True)

    def _frame_times(self, frame_ms: Sequence[float]) -> FrameTimes:
        """`frame_ms` as a FrameTimes: itself, or its newest values copied into the scratch ring."""
        if isinstance(frame_ms, FrameTimes):
            return frame_ms
        scratch = self._frames
        scratch.clear()
        try:
            count = len(frame_ms)
            for index in range(max(0, count - scratch.capacity), count):  # by index: a deque works too
                scratch.add(frame_ms[index])
        except (TypeError, ValueError, IndexError, KeyError):
            scratch.clear()
        return scratch
