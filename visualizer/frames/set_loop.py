"""A set rendered offline: the playlist's presets on a deck, switched by the
director on the whole track's beats, bars, sections and drops, blended by the
same transitions as live. Deterministic like every render: frame n is the same
picture whatever `--start` is.

Each preset starts fresh at its cue (graph cleared, engine reset), so frame n
depends only on the features (from frame 0, as always) and the cues since the
oldest preset still visible at n. A render from `--start` plans the cues first
(features and director only), then draws from the cue of the oldest preset
visible at the start: its parameters step unseen through frames older than
its history, its last `history_seconds` are drawn unseen, then frames are shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from visualizer.features.frame import FrameFeatures
from visualizer.features.schedule import BeatSource, FeatureSchedule
from visualizer.features.track import SampleSource
from visualizer.frames.clock import FixedClock, FrameTick
from visualizer.frames.deck import Deck, PresetSlot, Slot
from visualizer.frames.loop import history_frames
from visualizer.params.director import Cue, Director
from visualizer.params.engine import modulation_engine
from visualizer.preset.loader import load_preset
from visualizer.preset.playlist import PlaylistSpec
from visualizer.preset.spec import PresetSpec
from visualizer.render.graph import RenderGraph
from visualizer.render.mixer import Context, Framebuffer, Mixer
from visualizer.render.resources import GpuResources


@dataclass(frozen=True)
class PlannedCue:
    """A cue and the frame it starts on."""

    frame: int
    cue: Cue


def plan_cues(playlist: PlaylistSpec, audio: SampleSource, frame_rate: float, frames: int,
              beats: BeatSource = "offline") -> list[PlannedCue]:
    """Every cue the director gives over frames 0 .. frames - 1 (features only, nothing drawn)."""
    director = Director(playlist)
    planned, index = [], 0
    for block in FeatureSchedule(audio, frame_rate, beats).blocks_until(frames):
        for features in block:
            cue = director.step(features)
            if cue is not None:
                planned.append(PlannedCue(index, cue))
            index += 1
    return planned


def first_drawn_cue(planned: list[PlannedCue], start_frame: int, frame_rate: float) -> int:
    """The frame of the cue that brought in the oldest preset still drawn into `start_frame`
    (0: the set's first preset). A preset is drawn from its cue through the frame its blend
    to the next one ends on, unless the cue after that (which finishes the blend at once)
    comes first."""
    starts = [0] + [p.frame for p in planned]
    oldest = max(s for s in starts if s <= start_frame)
    for index, begins in enumerate(starts[:-1]):
        following = planned[index].cue  # the cue that replaces preset `index`
        last = starts[index + 1] + math.ceil(following.seconds * frame_rate - 1e-9)
        if index + 2 < len(starts):
            last = min(last, starts[index + 2] - 1)
        if begins <= start_frame <= last:
            return min(oldest, begins)
    return oldest


class SetRenderer:
    """Draws a playlist's frames at `size` (with `ssaa`) into `output`, rows top-down."""

    def __init__(self, ctx: Context, playlist: PlaylistSpec, size: tuple[int, int], frame_rate: float,
                 sample_rate: float, ssaa: int = 1):
        self.ctx, self.playlist, self.size, self.ssaa = ctx, playlist, size, ssaa
        self.frame_rate, self.sample_rate = frame_rate, sample_rate
        self.resources = GpuResources(ctx)
        self.specs: dict[int, PresetSpec] = {}
        self.mixer = Mixer(ctx, self.resources, size)
        self.deck: Deck | None = None

    def compile_all(self) -> None:
        """Load and build every entry once (errors now, not minutes into the render; the
        programs stay cached, so a switch later only borrows surfaces)."""
        for index, entry in enumerate(self.playlist.entries):
            spec = self._spec(index, entry.preset)
            RenderGraph(self.ctx, spec, self.size, self.ssaa, resources=self.resources).release()
        for style in self.playlist.styles():
            self.mixer.prepare(style)

    def _spec(self, entry: int, path) -> PresetSpec:
        if entry not in self.specs:
            self.specs[entry] = load_preset(path)
        return self.specs[entry]

    def _slot(self, entry: int, director: Director) -> PresetSlot:
        spec = self._spec(entry, director.entries[entry].preset)
        graph = RenderGraph(self.ctx, spec, self.size, self.ssaa, resources=self.resources)
        return PresetSlot(graph, modulation_engine(spec, self.frame_rate), entry)

    def frames(self, audio: SampleSource, start_frame: int, count: int,
               beats: BeatSource = "offline") -> Iterator[FrameTick]:
        """Draw frames start_frame .. start_frame + count - 1; yields after each (`output` holds it)."""
        first = 0
        if start_frame > 0:
            planned = plan_cues(self.playlist, audio, self.frame_rate, start_frame + 1, beats)
            first = first_drawn_cue(planned, start_frame, self.frame_rate)
        director = Director(self.playlist)
        clock = FixedClock(self.frame_rate)
        index = 0
        for block in FeatureSchedule(audio, self.frame_rate, beats).blocks_until(start_frame + count):
            for features in block:
                cue = director.step(features)
                tick = clock.tick()
                if index >= first:
                    self._cue(cue, director, tick, opening=index == first)
                    self._draw(tick, features, start_frame, index)
                    if index >= start_frame:
                        yield tick
                index += 1

    def _cue(self, cue: Cue | None, director: Director, tick: FrameTick, opening: bool) -> None:
        """Open the deck on the first drawn frame (with the entry the director shows then, its
        own cue included); later, start each cue's blend."""
        if opening:
            self.deck = Deck(self.mixer, self._slot(director.current, director), self._retire, self.sample_rate)
            return
        if cue is not None and self.deck is not None:
            self.deck.start(self._slot(cue.entry, director), cue.style, cue.seconds, tick.time)

    def _draw(self, tick: FrameTick, features: FrameFeatures, start_frame: int, index: int) -> None:
        """Draw the frame, or only step the presets' state while it is older than their history."""
        assert self.deck is not None
        history = max(history_frames(slot.graph.preset, self.frame_rate, start_frame)
                      for slot in self.deck.slots())
        self.deck.render(tick, features, draw=index >= start_frame - history)

    @staticmethod
    def _retire(slot: Slot) -> None:
        slot.release()  # type: ignore[attr-defined]

    @property
    def output(self) -> Framebuffer:
        assert self.deck is not None, "no frame drawn yet"
        return self.deck.output

    def release(self) -> None:
        """Release the deck, its presets and the shared resources; safe twice."""
        if self.deck is not None:
            for slot in self.deck.slots():
                slot.release()  # type: ignore[attr-defined]
            self.deck = None
        self.mixer.release()
        self.resources.release()
