"""Bloom Tunnel on the demo track and on held features, small and headless:
flying down a tunnel whose walls are rings of blossoms (VISION.md "rainbow
colour", "swarms of small blooms opening one after another", "a flash of red
light").

The demo windows: the full groove (20-21 s) and the drop (27.9-28.1 s; the demo
drops at 28.0 s). Held features (`FrameFeatures` with one thing changed) check
each musical cause on its own: the tempo and intensity set the speed, the beat
bursts a ring open, the kick pulses the light at the end, the hats scatter
pollen, the bar shifts the hue, the build rushes into a white-hot end, the drop
turns the tunnel inside out, a section bends it. Grain is off where frames are
compared."""

from __future__ import annotations

import numpy as np
import pytest

import art
from preset_frames import demo_window, groove
from visualizer.api import Renderer

PRESET = "bloom_tunnel"
SIZE = (160, 90)
FPS = 30
DROP_FRAME = 840  # 28.0 s at 30 fps: the demo's drop
BLOOM_RADIUS = 0.25  # scene.glsl: where a ring bursts open, in short sides of the frame


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[tuple[int, np.ndarray]]]:
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        return {"groove": demo_window(renderer, 20.0, 1.0), "drop": demo_window(renderer, 27.9, 0.2)}


def sequence(steps: list[dict[str, float]], start: float = 6.0, **params: float) -> list[np.ndarray]:
    """Consecutive frames from one renderer (its state pass runs on), one per
    step, without grain and with the preset's parameters `params` set."""
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        renderer.set(grain_amount=0.0, **params)
        return [renderer.render(start + k / FPS, groove(start + k / FPS, **step)).astype(np.float64)
                for k, step in enumerate(steps)]


def held(**values: float) -> np.ndarray:
    """One frame (a fresh renderer, its state at rest) with the features held."""
    return sequence([values])[0]


def motion(frames: list[np.ndarray]) -> float:
    """Mean absolute change between consecutive frames, in 8-bit levels."""
    return float(np.mean([np.abs(a - b).mean() for a, b in zip(frames, frames[1:])]))


def radius() -> np.ndarray:
    """Each pixel's distance from the frame's centre, in short sides of the frame."""
    ys, xs = np.mgrid[:SIZE[1], :SIZE[0]]
    return np.hypot(xs - SIZE[0] / 2 + 0.5, ys - SIZE[1] / 2 + 0.5) / min(SIZE)


def flow(frames: list[np.ndarray]) -> float:
    """Which way the rings move, from the mean brightness in 48 bins of log
    radius (0.1..0.55 short sides): the shift (bins, > 0 outward) that best
    maps each frame's profile onto the next one's, averaged."""
    r = radius()
    edges = np.linspace(np.log(0.1), np.log(0.55), 49)
    which = np.digitize(np.log(np.maximum(r, 1e-6)), edges) - 1
    def profile(image: np.ndarray) -> np.ndarray:
        light = image.mean(axis=2)
        return np.array([light[which == k].mean() for k in range(48)])
    shifts = []
    for a, b in zip(frames, frames[1:]):
        pa, pb = profile(a), profile(b)
        errors = {s: np.mean((pb[max(s, 0):48 + min(s, 0)] - pa[max(-s, 0):48 - max(s, 0)]) ** 2)
                  for s in range(-4, 5)}
        shifts.append(min(errors, key=errors.get))
    return float(np.mean(shifts))


def test_every_frame_is_lit_and_not_flat(rendered):
    for frames in rendered.values():
        for frame, image in frames:
            assert image.shape == (SIZE[1], SIZE[0], 3)
            assert image.mean() > 20.0, f"frame {frame} is dark (mean {image.mean():.1f})"
            assert image.std() > 10.0, f"frame {frame} is flat (std {image.std():.2f})"


def test_the_groove_spans_the_rainbow(rendered):
    best = max(art.hue_coverage_degrees(image) for _, image in rendered["groove"][::5])
    assert best >= 270.0, f"saturated pixels cover only {best:.0f} degrees of hue"


def test_the_drop_flashes_red_and_breaks_from_the_frame_before(rendered):
    frames = dict(rendered["drop"])
    before = np.abs(frames[DROP_FRAME - 1] - frames[DROP_FRAME - 2]).mean()
    jump = np.abs(frames[DROP_FRAME] - frames[DROP_FRAME - 1]).mean()
    assert jump > 20.0 and jump > 3.0 * before, (jump, before)
    red, green, blue = frames[DROP_FRAME].reshape(-1, 3).mean(axis=0)
    assert red > 1.5 * green and red > 1.5 * blue, (red, green, blue)


def test_the_tunnel_speed_follows_the_tempo():
    """With the beat and the kick held, 180 BPM flies faster than 60 BPM."""
    slow = motion(sequence([dict(tempo_bpm=60.0)] * 12)[2:])
    fast = motion(sequence([dict(tempo_bpm=180.0)] * 12)[2:])
    assert fast > 1.8 * slow, (slow, fast)


def test_the_speed_follows_the_intensity():
    calm = motion(sequence([dict(intensity=0.0)] * 12)[2:])
    intense = motion(sequence([dict(intensity=1.0)] * 12)[2:])
    assert intense > 1.4 * calm, (calm, intense)


def test_the_rings_fly_outward_and_the_drop_turns_them_inward():
    """The rings rush out past the viewer; after a drop (one counted) the
    tunnel is inside out and they pour inward."""
    onward = flow(sequence([dict(intensity=1.0)] * 8, speed=3.0)[2:])
    inward = flow(sequence([dict(intensity=1.0, drop_count=1, since_drop=5.0)] * 8, speed=3.0)[2:])
    assert onward > 0.5 and inward < -0.5, (onward, inward)


def test_the_rings_bloom_on_the_beat():
    """With the beat grid ticking at 120 BPM, each beat's frame changes the
    ring at the bloom line far more than the frames between beats, and more
    than the outer walls."""
    steps = [dict(beat_count=int(2 * (6 + k / FPS)), beat_phase=(2 * (6 + k / FPS)) % 1.0) for k in range(40)]
    frames = sequence(steps)
    r = radius()
    ring, outer = (r > 0.6 * BLOOM_RADIUS) & (r < 1.8 * BLOOM_RADIUS), r > 0.6
    beats = [k for k in range(1, 40) if steps[k]["beat_count"] != steps[k - 1]["beat_count"]]
    assert len(beats) == 2
    change = [np.abs(frames[k] - frames[k - 1]).mean(axis=2) for k in range(1, 40)]
    between = np.median([c[ring].mean() for k, c in enumerate(change, 1) if k not in beats])
    for k in beats:
        assert change[k - 1][ring].mean() > 4.0 * between, (k, change[k - 1][ring].mean(), between)
        assert change[k - 1][ring].mean() > 2.0 * change[k - 1][outer].mean()


def test_the_kick_pulses_the_light_at_the_end():
    r = radius()
    centre = r < 0.06
    calm, kick = held(bass_hit=0.0), held(bass_hit=1.0)
    assert kick[centre].mean() > calm[centre].mean() + 15.0, (calm[centre].mean(), kick[centre].mean())


def test_the_hats_scatter_pollen_streaks():
    """A hat throws bright streaks across the dark walls between the flowers
    (and lights the petal tips): light added where there was none."""
    calm, hats = held(high_hit=0.0), held(high_hit=1.0)
    added = (hats - calm).mean(axis=2)
    dark = calm.max(axis=2) < 50
    assert dark.mean() > 0.03
    assert (added[dark] > 40.0).mean() > 0.03, (added[dark] > 40.0).mean()
    assert hats.mean() > calm.mean() + 4.0


def test_each_bar_shifts_the_hue():
    """Three downbeats later (the bar phase wrapping), with the flight held
    still, the same flowers have other colours."""
    steady = [dict(bar_phase=0.6)] * 24
    wrapping = [dict(bar_phase=(0.6 + k / 8.0) % 1.0) for k in range(24)]
    a, b = sequence(steady, speed=0.0)[-1], sequence(wrapping, speed=0.0)[-1]
    chroma = lambda image: image / np.maximum(image.sum(axis=2, keepdims=True), 1.0)
    lit = (a.max(axis=2) > 60) & (b.max(axis=2) > 60)
    assert np.abs(chroma(a) - chroma(b))[lit].mean() > 0.05
    assert abs(a.mean() - b.mean()) < 0.15 * a.mean()  # the same picture, recoloured


def test_the_build_rushes_into_a_white_hot_vanishing_point():
    calm = sequence([dict(build=0.0)] * 10)
    build = sequence([dict(build=1.0)] * 10)
    assert motion(build[2:]) > 2.0 * motion(calm[2:])
    centre = radius() < 0.1
    hot = build[-1][centre]
    assert hot.min(axis=1).mean() > 200.0, hot.min(axis=1).mean()  # white: every channel high
    assert hot.min(axis=1).mean() > calm[-1][centre].min(axis=1).mean() + 30.0


def test_a_new_section_bends_the_tunnel():
    """The far end (the brightest spot) sits elsewhere once a new section has
    settled in."""
    def end(section: int) -> np.ndarray:
        light = held(section=section, section_phase=0.9).mean(axis=2)
        y, x = np.unravel_index(np.argmax(light), light.shape)
        return np.array([x, y], float)
    assert np.hypot(*(end(2) - end(0))) > 6.0, (end(0), end(2))
