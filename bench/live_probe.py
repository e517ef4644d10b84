"""What bench/live.py records of a running `Show`, frame by frame, without changing it.

The probe wraps a few of the show's parts on the instance (the audio read, the
analyzer, the director, the deck, the mixer, the slot bank, the present) with
timers, and listens to its frames and switches. Per frame it keeps: the work
the show measured (`last_frame_ms`), where that time went, the wall time just
after the picture was presented, the deck's transition progress, and the
onset pulse the frame was drawn with. RSS is sampled every `rss_every_s`.
"""

from __future__ import annotations

import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from live_env import rss_mib

SEGMENTS = ("read", "analysis", "director", "cue", "open", "transition_compile", "render", "mix", "present",
            "prepare")
"""Where a frame's time goes: the audio read, the analyzer, the director, a cue
(opening or taking the standby), a preset built now (`open`, also inside
`prepare`), a transition style's first compile, the deck's draw (both slots),
the transition's mix (inside `render`), compose + swap, and the standby
compiled ahead after the present (part of `last_frame_ms` since the show counts it)."""


@dataclass
class Frame:
    """One frame as the probe saw it (times: perf_counter seconds, ms: milliseconds)."""

    index: int
    begin: float
    presented: float
    work_ms: float
    segments: dict[str, float]
    progress: float
    preset: str
    onset: float
    feature_time: float
    sound_losses: int


@dataclass
class Cue:
    frame: int
    reason: str
    to: str
    style: str
    seconds: float


@dataclass
class Reads:
    """The audio read of each frame: wall time after it returned, samples handed out so far."""

    times: list[float] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)


class Probe:
    """Attached to `show` before it runs; `frames`, `cues`, `rss` and `reads` fill as it plays."""

    def __init__(self, show, rss_every_s: float = 2.0, snapshot_at_s: float | None = None):
        self.show, self.rss_every_s = show, rss_every_s
        self.snapshot_at_s = snapshot_at_s
        """With tracemalloc tracing: when (s after the start) to take `snapshot`."""
        self.snapshot = None
        self.frames: list[Frame] = []
        self.cues: list[Cue] = []
        self.rss: list[tuple[float, float]] = []  # (perf_counter s, MiB)
        self.reads = Reads()
        self.started = time.perf_counter()
        self._current: dict[str, float] = defaultdict(float)
        self._begin = self._presented = 0.0
        self._wrap_parts()
        show.frame_listeners.append(self._frame_done)
        show.switch_listeners.append(self._switched)

    def _wrap_parts(self) -> None:
        show = self.show
        self._wrap(show, "_follow_reload", None, self._mark_begin)
        self._wrap(show.feed, "read", "read", self._mark_read)
        self._wrap(show.analyzer, "feed", "analysis")
        self._wrap(show.director, "step", "director")
        self._wrap(show, "_cue", "cue")
        self._wrap(show.bank, "open", "open")
        self._wrap(show.bank, "prepare", "prepare")
        self._wrap(show.deck.mixer, "prepare", "transition_compile")
        self._wrap(show.deck, "render", "render")
        self._wrap(show.deck.mixer, "mix", "mix")
        self._wrap(show.host, "present", "present", self._mark_presented)

    def _wrap(self, owner: object, name: str, segment: str | None,
              after: Callable[[float, object], None] | None = None) -> None:
        """Replace `owner.name` on the instance by a timed call adding to `segment`."""
        original = getattr(owner, name)
        current = self._current

        def timed(*args, **kwargs):
            began = time.perf_counter()
            result = original(*args, **kwargs)
            ended = time.perf_counter()
            if segment is not None:
                current[segment] += (ended - began) * 1000.0
            if after is not None:
                after(began if segment is None else ended, result)
            return result

        setattr(owner, name, timed)

    def _mark_begin(self, began: float, _result: object) -> None:
        self._begin = began

    def _mark_presented(self, ended: float, _result: object) -> None:
        self._presented = ended

    def _mark_read(self, ended: float, samples) -> None:
        self.reads.times.append(ended)
        self.reads.ends.append((self.reads.ends[-1] if self.reads.ends else 0) + len(samples))

    def cue_time(self, number: int) -> float:
        """The presented time of the `number`-th cue's frame (0-based), perf_counter s."""
        frame = self.cues[number].frame
        return next((f.presented for f in self.frames if f.index >= frame), self.started)

    def _switched(self, cue, name: str) -> None:
        self.cues.append(Cue(self.show.frame, cue.reason, name, cue.style, cue.seconds))

    def _frame_done(self, tick) -> None:
        show = self.show
        self.frames.append(Frame(tick.index, self._begin, self._presented, show.last_frame_ms,
                                 dict(self._current), show.deck.progress, show.slot.name,
                                 show.features.onset, show.features.time, _losses(show.feed)))
        self._current.clear()
        now = time.perf_counter()
        if not self.rss or now - self.rss[-1][0] >= self.rss_every_s:
            self.rss.append((now, rss_mib()))
            if self.snapshot is None and self.snapshot_at_s is not None and now - self.started >= self.snapshot_at_s:
                self.snapshot = tracemalloc.take_snapshot()


def _losses(feed) -> int:
    """How often the feed's sound output was declared lost so far (0 without sound)."""
    sound = getattr(feed, "sound", None)
    return sound.losses if sound is not None else 0
