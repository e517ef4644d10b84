"""Mimic Swarm on the demo track, small and headless: a field of small rainbow
Mimics that open one after another on onsets (VISION.md "swarms of small blooms
opening one after another"; issue 16's art checks).

Rendered over a quiet second (the riser's start, 24-25 s), a loud second (the
full groove, 20-21 s) and the drop (27.9-28.1 s; the demo drops at 28.0 s),
plus single frames with the features held (silence, the beat)."""

from __future__ import annotations

import colorsys
from dataclasses import replace

import numpy as np
import pytest

from visualizer.api import Renderer
from visualizer.audio.demo import demo_track_path
from visualizer.features.frame import FrameFeatures

PRESET = "mimic_swarm"
SIZE = (128, 72)
FPS = 30
DROP_FRAME = 840  # 28.0 s at 30 fps: the demo's drop


def _window(renderer: Renderer, start: float, seconds: float) -> list[tuple[int, np.ndarray]]:
    return [(round(time * FPS), image.astype(np.int16))
            for time, image in renderer.frames(demo_track_path(), start=start, seconds=seconds)]


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[tuple[int, np.ndarray]]]:
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        return {"quiet": _window(renderer, 24.0, 1.0), "loud": _window(renderer, 20.0, 1.0),
                "drop": _window(renderer, 27.9, 0.2)}


def motion(frames: list[tuple[int, np.ndarray]]) -> float:
    """Mean absolute change between consecutive frames, in 8-bit levels."""
    return float(np.mean([np.abs(a - b).mean() for (_, a), (_, b) in zip(frames, frames[1:])]))


def hue_coverage(image: np.ndarray, saturation: float = 0.5, value: float = 0.2, share: float = 0.001) -> float:
    """Degrees of the hue wheel (in 10-degree bins) held by saturated, lit pixels;
    a bin counts when at least `share` of the pixels fall in it."""
    rgb = image.reshape(-1, 3).astype(np.float64) / 255.0
    bins = np.zeros(36)
    for r, g, b in rgb:
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        if s >= saturation and v >= value:
            bins[int(h * 36) % 36] += 1
    return 10.0 * float((bins >= share * len(rgb)).sum())


def test_every_frame_is_finite_lit_and_not_flat(rendered):
    for frames in rendered.values():
        for frame, image in frames:
            assert image.shape == (SIZE[1], SIZE[0], 3)
            assert np.isfinite(image).all()
            assert image.mean() > 8.0, f"frame {frame} is blank (mean {image.mean():.1f})"
            assert image.std() > 6.0, f"frame {frame} is flat (std {image.std():.2f})"


def test_a_loud_frame_spans_the_rainbow():
    """One hue per flower over the whole wheel: saturated pixels of a loud
    frame cover at least 270 degrees of hue. Drawn at 256x144: at 128x72 the
    picture (0.4 scale) is 51x29 pixels and a far flower is one pixel wide."""
    with Renderer(PRESET, size=(256, 144), fps=FPS) as renderer:
        loud = [image for _, image in renderer.frames(demo_track_path(), start=20.0, seconds=0.5)]
    best = max(hue_coverage(image) for image in loud[::3])
    assert best >= 270.0, f"saturated pixels cover only {best:.0f} degrees of hue"


def test_hue_coverage_can_fail():
    """A frame of one red and grey covers one bin, not the wheel."""
    image = np.full((10, 10, 3), 128, np.uint8)
    image[:5] = (255, 0, 0)
    assert hue_coverage(image) == 10.0


def test_the_drop_frame_breaks_from_the_frame_before(rendered):
    frames = dict(rendered["drop"])
    before = motion([(0, frames[DROP_FRAME - 2]), (0, frames[DROP_FRAME - 1])])
    jump = motion([(0, frames[DROP_FRAME - 1]), (0, frames[DROP_FRAME])])
    assert jump > 15.0 and jump > 4.0 * before, (
        f"the drop changes {jump:.2f} levels from the frame before (the frame before changed {before:.2f})")


def test_the_drop_flashes_red(rendered):
    drop = dict(rendered["drop"])[DROP_FRAME].astype(np.float64)
    red, green, blue = (drop[..., c].mean() for c in range(3))
    assert red > 2.0 * green and red > 2.0 * blue, (red, green, blue)


def test_a_loud_passage_moves_more_than_a_quiet_one(rendered):
    quiet, loud = motion(rendered["quiet"]), motion(rendered["loud"])
    assert loud > 1.2 * quiet, f"loud moves {loud:.2f} levels a frame, quiet {quiet:.2f}"


def held(**values: float) -> np.ndarray:
    """One frame at 6 s with the features held (silence unless `values` say otherwise)."""
    features = replace(FrameFeatures.silent(6.0), **values)
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        return renderer.render(6.0, features).astype(np.float64)


def test_silence_is_dim_buds_not_a_blank():
    """No sound: the buds are closed and dim, but there (the void breathes)."""
    silent = held()
    loud_groove = held(level=0.8, bass=0.6, beat_phase=0.0, tempo_bpm=120.0, tempo_confidence=1.0,
                       build=0.8, intensity=0.8)
    assert 3.0 < silent.mean() < loud_groove.mean(), (silent.mean(), loud_groove.mean())
    assert silent.std() > 3.0


def test_the_beat_is_visible():
    """With everything else held, the frame on the beat differs from the one
    half a beat later (open flowers swell and flare together)."""
    groove = dict(level=0.5, tempo_bpm=120.0, tempo_confidence=1.0, build=0.9, beat_count=12)
    on, off = held(beat_phase=0.0, **groove), held(beat_phase=0.5, **groove)
    assert np.abs(on - off).mean() > 1.5


def held_frames(phases: list[float], **values: float) -> list[np.ndarray]:
    """Frames at 6 s with the features held and the field's drift off, one per beat phase."""
    frames = []
    for phase in phases:
        features = replace(FrameFeatures.silent(6.0), beat_phase=phase, **values)
        with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
            renderer.set(driftSpeed=0.0)
            frames.append(renderer.render(6.0, features).astype(np.float64))
    return frames


def centroid(weights: np.ndarray) -> np.ndarray:
    rows, cols = np.indices(weights.shape)
    return np.array([(rows * weights).sum(), (cols * weights).sum()]) / weights.sum()


def test_the_beats_wave_of_light_sweeps_across_the_field():
    """On each beat a wave of light crosses the swarm: against the same field
    late in the beat (the wave gone), what the wave lights moves across the
    frame as the beat goes on, by over a fifth of its width."""
    groove = dict(level=0.8, tempo_bpm=120.0, tempo_confidence=1.0, beat_count=12)
    early, later, calm = held_frames([0.02, 0.16, 0.95], **groove)
    lit = [np.abs(frame - calm).sum(axis=2) for frame in (early, later)]
    assert min(part.mean() for part in lit) > 1.0, [part.mean() for part in lit]
    moved = np.hypot(*(centroid(lit[1]) - centroid(lit[0])))
    assert moved > 0.2 * SIZE[0], f"the lit band moved {moved:.1f} pixels"
