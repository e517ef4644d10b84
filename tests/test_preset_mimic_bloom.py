"""Mimic Bloom on the demo track, small and headless: the single Mimic tells the
song's story (VISION.md "What the first preset teaches": a bud in the intro, open
in the groove, asleep in the breakdown until the riser's build-up wakes it, opens it
and brings it to the centre, a close-up in a red flash on the drop)
and shows the beat grid (a hue step on every beat, a drift and a turn with the bar).

The demo: intro 0-8 s, build 8-16, full groove 16-24, breakdown 24-28 (a quiet riser: the
features report a build-up, uBuild rising toward the drop), drop 28.0 s."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from visualizer.api import Renderer
from visualizer.audio.demo import demo_track_path
from visualizer.features.frame import FrameFeatures

PRESET = "mimic_bloom"
SIZE = (128, 72)
FPS = 30
DROP_FRAME = 840  # 28.0 s at 30 fps


def lit_share(image: np.ndarray) -> float:
    """Share of the frame the flower (and its light) covers."""
    return float((image.max(axis=2) > 40).mean())


@pytest.fixture(scope="module")
def song() -> dict[str, list[np.ndarray]]:
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        def window(start: float, seconds: float) -> list[np.ndarray]:
            return [image for _, image in renderer.frames(demo_track_path(), start=start, seconds=seconds)]

        return {"intro": window(4.0, 0.3), "groove": window(20.0, 0.3), "breakdown": window(24.4, 0.3),
                "riser": window(27.5, 0.3), "drop": window((DROP_FRAME - 3) / FPS, 0.3)}


def share(song, part: str) -> float:
    return float(np.mean([lit_share(image) for image in song[part]]))


def test_a_bud_in_the_intro_asleep_in_the_breakdown_open_in_the_groove(song):
    intro, groove, breakdown = (share(song, part) for part in ("intro", "groove", "breakdown"))
    assert intro < 0.7 * groove, (intro, groove)
    assert breakdown < 0.7 * groove, (breakdown, groove)


def test_the_riser_wakes_it_opens_it_and_brings_it_to_the_centre(song):
    """The riser's build-up (uBuild) overrides the breakdown's sleep: by 27.5 s the
    flower is open, larger than in the groove, and stands in the middle of the frame."""
    riser, breakdown, groove = (share(song, part) for part in ("riser", "breakdown", "groove"))
    assert riser > 2.0 * breakdown and riser > 1.2 * groove, (riser, breakdown, groove)
    row, col = centre_of_light(song["riser"][-1])
    assert abs(row - SIZE[1] / 2) < 0.08 * SIZE[1] and abs(col - SIZE[0] / 2) < 0.08 * SIZE[0], (row, col)


def test_the_drop_cuts_to_a_close_up_in_a_red_flash(song):
    before, drop = song["drop"][2], song["drop"][3].astype(np.float64)
    red, green, blue = (drop[..., c].mean() for c in range(3))
    assert red > 2.0 * green and red > 2.0 * blue, (red, green, blue)
    after = np.mean([lit_share(image) for image in song["drop"][6:]])
    assert after > 1.5 * lit_share(before), (after, lit_share(before))


def steady(time: float, beats: float) -> FrameFeatures:
    """A held chord at 120 BPM with the beat grid at `beats` (a count of beats, fractional)."""
    return replace(FrameFeatures.silent(time), level=0.5, bass=0.5, mid=0.5, high=0.4, bass_presence=1.0,
                   tempo_bpm=120.0, tempo_confidence=1.0, beat_phase=beats % 1.0,
                   bar_phase=(beats / 4.0) % 1.0, beat_count=int(beats))


def test_every_beat_steps_the_hue():
    """Everything held but the beat count: the next beat's frame is another colour."""
    frames = []
    for count in (12, 13):
        with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
            for k in range(20):  # the flower grows out of the dark first
                image = renderer.render(k / FPS, steady(k / FPS, count + 0.5))
            frames.append(image.astype(np.float64))
    assert np.abs(frames[0] - frames[1]).mean() > 1.0


def centre_of_light(image: np.ndarray) -> np.ndarray:
    weights = image.astype(np.float64).sum(axis=2)
    rows, cols = np.indices(weights.shape)
    return np.array([(rows * weights).sum(), (cols * weights).sum()]) / weights.sum()


def test_the_flower_travels_with_the_bar_and_stands_still_without_it():
    """Two bars of a steady sound: with the grid ticking the flower drifts across
    the frame; with the grid held it stays where it is."""
    places = {}
    for ticking in (False, True):
        with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
            seen = []
            for k in range(150):
                time = k / FPS
                beats = 8.3 + (2.0 * max(time - 1.0, 0.0) if ticking else 0.0)
                image = renderer.render(time, steady(time, beats))
                if k in (30, 149):
                    seen.append(centre_of_light(image))
            places[ticking] = float(np.hypot(*(seen[1] - seen[0])))
    assert places[True] > 8.0 and places[False] < 0.25 * places[True], places  # pixels moved
