"""The one frame loop: a clock tick, the frame's features and the parameter
state turned into a rendered frame. The Python API, the offline export and the
live window all step frames through here.

Offline the clock is fixed (frame n is drawn at n / fps); live it is measured,
and `iTime` and `iTimeDelta` come from the same measurement.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping

from visualizer.features.frame import FrameFeatures
from visualizer.features.schedule import BeatSource, FeatureSchedule
from visualizer.features.track import SampleSource
from visualizer.frames import checkpoint
from visualizer.frames.checkpoint import Checkpoints
from visualizer.frames.clock import Clock, FixedClock, FrameTick
from visualizer.params.engine import ModulationEngine
from visualizer.preset.modulation_spec import Value
from visualizer.preset.spec import PresetSpec
from visualizer.render.graph import RenderGraph
from visualizer.render.uniforms import FrameInputs


def render_frame(graph: RenderGraph, engine: ModulationEngine, tick: FrameTick, features: FrameFeatures,
                 sample_rate: float) -> Mapping[str, Value]:
    """Advance `engine` by the tick and draw `graph` once; returns the parameter values used."""
    values = engine.step(features, tick.delta)
    inputs = FrameInputs(tick.time, tick.delta, tick.index, tick.frame_rate, features, sample_rate)
    graph.render(inputs, values)
    return values


def step_state(graph: RenderGraph, engine: ModulationEngine, tick: FrameTick, features: FrameFeatures,
               sample_rate: float) -> None:
    """Advance `engine` by the tick and draw only the graph's state passes (a fast-forward)."""
    values = engine.step(features, tick.delta)
    if graph.state_passes:
        inputs = FrameInputs(tick.time, tick.delta, tick.index, tick.frame_rate, features, sample_rate)
        graph.render(inputs, values, state_only=True)


class FrameLoop:
    """A clock and the audio's sample rate: each `step` draws the next frame."""

    def __init__(self, clock: Clock, sample_rate: float):
        self.clock = clock
        self.sample_rate = float(sample_rate)

    def step(self, graph: RenderGraph, engine: ModulationEngine, features: FrameFeatures) -> FrameTick:
        """Tick the clock, step the parameters, render the graph."""
        tick = self.clock.tick()
        render_frame(graph, engine, tick, features, self.sample_rate)
        return tick

    def step_with(self, draw: Callable[[FrameTick], None]) -> FrameTick:
        """Tick the clock and let `draw` render the frame (a deck of presets, say)."""
        tick = self.clock.tick()
        draw(tick)
        return tick

    def skip(self, graph: RenderGraph, engine: ModulationEngine, features: FrameFeatures) -> FrameTick:
        """Tick the clock, step the parameters and draw only the graph's state
        passes (fast-forward to a start: musical state stays exact, pictures are skipped)."""
        tick = self.clock.tick()
        step_state(graph, engine, tick, features, self.sample_rate)
        return tick


SLOWEST_STEP_RATE = 4.0
"""Frames per second below which shaders may clamp iTimeDelta (to 0.25 s, as
Mimic Bloom does): their feedback then forgets per frame, not per second."""


def history_frames(preset: PresetSpec, frame_rate: float, start_frame: int) -> int:
    """Frames drawn (not shown) before `start_frame` so feedback matches a full render."""
    rate = max(frame_rate, SLOWEST_STEP_RATE)
    return min(math.ceil(preset.history_seconds * rate - 1e-9), start_frame)


def render_range(graph: RenderGraph, engine: ModulationEngine, audio: SampleSource, frame_rate: float,
                 start_frame: int, count: int, beats: BeatSource = "offline",
                 on_warmup: Callable[[int], None] | None = None,
                 checkpoints: Checkpoints | None = None) -> Iterator[FrameTick]:
    """Draw frames start_frame .. start_frame + count - 1 of `audio`; yields after each.

    Frame n is the same picture whatever `start_frame` is, and whatever the
    graph and engine drew before (both start over: feedback cleared, smoothing
    reset, base values kept): features, the parameter engine and the graph's
    small state passes run from frame 0, and the preset's history (its image
    feedback) is drawn unseen before the start; `on_warmup` is called with the
    number of those drawn so far after each (for a progress bar).

    The run from frame 0 resumes from the latest cached checkpoint before the
    drawn frames and saves new ones as it goes, skipped or drawn (the state they
    hold is the same either way), so even a full render leaves checkpoints for a
    later start (`frames.checkpoint`; `checkpoints` sets the interval and records
    what happened).
    """
    graph.reset()
    engine.reset()
    keeper = checkpoints if checkpoints is not None else Checkpoints()
    first_drawn = start_frame - history_frames(graph.preset, frame_rate, start_frame)
    schedule = FeatureSchedule(audio, frame_rate, beats)
    saver = _Saver(keeper, schedule, graph, engine, beats)
    index = keeper.resumed_at = saver.resume(first_drawn)
    loop = FrameLoop(FixedClock(frame_rate, index), audio.sample_rate)
    for frames in schedule.blocks_until(start_frame + count):
        for features in frames:
            if index < first_drawn:
                loop.skip(graph, engine, features)
                keeper.fast_forwarded += 1
            else:
                tick = loop.step(graph, engine, features)
                if index >= start_frame:
                    yield tick
                elif on_warmup is not None:
                    on_warmup(index - first_drawn + 1)
            index += 1
        saver.block_done(index)


class _Saver:
    """Saves a checkpoint every `keeper.interval_seconds` of blocks."""

    def __init__(self, keeper: Checkpoints, schedule: FeatureSchedule, graph: RenderGraph,
                 engine: ModulationEngine, beats: BeatSource):
        self.keeper, self.schedule, self.graph, self.engine = keeper, schedule, graph, engine
        self.beats = beats
        self.series: str | None = None
        self.every = checkpoint.blocks_between(schedule, keeper.interval_seconds) if keeper.interval_seconds > 0 else 1
        self.blocks = 0

    def resume(self, first_drawn: int) -> int:
        """The frame the loop continues from (see `checkpoint.resume`). Nothing is
        looked up when nothing is skipped; nothing is saved with a zero interval."""
        if self.keeper.interval_seconds > 0:
            self.series = checkpoint.series_key(self.graph, self.engine, self.schedule.audio,
                                                self.schedule.analyzer.frame_rate, self.beats)
        if first_drawn <= 0:
            return 0
        frame, self.blocks = checkpoint.resume(self.series, self.schedule, self.graph, self.engine,
                                               first_drawn, self.every)
        return frame

    def block_done(self, frames_stepped: int) -> None:
        """One more block's frames all stepped (`frames_stepped` in all): save if it ends
        an interval. Never when the analyzer ran ahead of the loop (a range's last block)."""
        self.blocks += 1
        if self.series is None or frames_stepped != self.schedule.frames_produced:
            return
        if self.blocks % self.every == 0 and checkpoint.save(self.series, self.blocks, self.schedule,
                                                             self.graph, self.engine):
            self.keeper.saved.append(self.schedule.frames_produced)
