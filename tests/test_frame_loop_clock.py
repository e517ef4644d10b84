"""The live clock is measured: `iTime` and `iTimeDelta` come from one reading
per frame, so a dropped frame reaches the shader as a long `iTimeDelta` and
the modulation smoothing catches up by it. A fake `now` drives the clock."""

from __future__ import annotations

from dataclasses import replace

import pytest

from visualizer.features.frame import FrameFeatures
from visualizer.params.engine import modulation_engine
from visualizer.preset.modulation_spec import Modulation, ParamSpec
from visualizer.preset.spec import PassSpec, PresetSpec, TargetSpec
from visualizer.frames.clock import FixedClock, MeasuredClock
from visualizer.frames.loop import FrameLoop, render_frame
from visualizer.render.graph import RenderGraph

FPS = 60.0
DROPPED = 0.25
"""A frame that took a quarter of a second (a stall): 15 frames' worth at 60 fps."""

SHADER = "uniform float spread;\nvoid main() { fragColor = vec4(iTimeDelta * 2.0, spread, 0.0, 1.0); }\n"


class FakeNow:
    """Readings handed out in order, like time.perf_counter."""

    def __init__(self, *readings: float):
        self.readings = list(readings)

    def __call__(self) -> float:
        return self.readings.pop(0)


@pytest.fixture
def spec(tmp_path) -> PresetSpec:
    (tmp_path / "delta.glsl").write_text(SHADER)
    return PresetSpec("delta", (PassSpec(tmp_path / "delta.glsl", TargetSpec("output")),),
                      params=(ParamSpec("spread", "float", 0.0, min=0.0, max=1.0),),
                      modulations=(Modulation("spread", "bass", amount=1.0, attack=0.1),))


def test_time_and_delta_come_from_the_same_reading():
    clock = MeasuredClock(FPS, FakeNow(100.0, 100.016, 100.033, 100.283, 100.3))
    ticks = [clock.tick() for _ in range(5)]
    assert [t.index for t in ticks] == [0, 1, 2, 3, 4]
    assert [t.time for t in ticks] == pytest.approx([0.0, 0.016, 0.033, 0.283, 0.3])
    assert [t.delta for t in ticks] == pytest.approx([1 / FPS, 0.016, 0.017, DROPPED, 0.017])
    assert all(b.time - a.time == pytest.approx(b.delta) for a, b in zip(ticks, ticks[1:]))


def test_a_dropped_frame_reaches_the_shader_as_its_measured_delta(ctx, spec):
    graph = RenderGraph(ctx, spec, (2, 2))
    loop = FrameLoop(MeasuredClock(FPS, FakeNow(5.0, 5.0 + 1 / FPS, 5.0 + 1 / FPS + DROPPED)), 48000.0)
    engine = modulation_engine(spec, FPS)
    try:
        reds = []
        for _ in range(3):
            tick = loop.step(graph, engine, FrameFeatures.silent())
            reds.append(int(graph.read_rgb()[0, 0, 0]))
        assert tick.delta == pytest.approx(DROPPED)
        assert reds[0] == reds[1] == pytest.approx(2 / FPS * 255, abs=1)
        assert reds[2] == pytest.approx(2 * DROPPED * 255, abs=1)  # not 1/fps: what the clock measured
    finally:
        graph.release()


def test_smoothing_catches_up_over_a_dropped_frame(ctx, spec):
    """After a stall of 15 frames' time, a modulation with a 0.1 s attack stands
    where 15 drawn frames would have put it (and not one frame further)."""
    graph = RenderGraph(ctx, spec, (2, 2))
    loud = replace(FrameFeatures.silent(), bass=1.0)
    measured, fixed = modulation_engine(spec, FPS), modulation_engine(spec, FPS)
    live = MeasuredClock(FPS, FakeNow(0.0, 1 / FPS, 1 / FPS + DROPPED))
    steady = FixedClock(FPS)
    try:
        levels = [render_frame(graph, measured, live.tick(), loud, 48000.0)["spread"] for _ in range(3)]
        expected = [render_frame(graph, fixed, steady.tick(), loud, 48000.0)["spread"]
                    for _ in range(2 + round(DROPPED * FPS))]
        assert levels[:2] == pytest.approx(expected[:2])
        assert levels[2] == pytest.approx(expected[-1]) and levels[2] > expected[2] + 0.3
    finally:
        graph.release()
