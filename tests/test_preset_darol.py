"""Darol tells the song's story: a still bud in the intro, risen through the
build-up, a red flash on the drop (the demo track's drop is at 28.0 s). It is a
giant: the open head fills a third of the frame height or more, the roots run
over the ground to the bottom edge, and the flash is red light on the scene
(its shapes stay readable) that burns out within about 0.3 s."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import art

from visualizer.api import Renderer
from visualizer.audio.demo import demo_track_path
from visualizer.features.frame import FrameFeatures

SIZE = (96, 54)
FPS = 30.0
MOMENTS = {"intro": 4.0, "build": 27.5, "before_drop": 28.0 - 1.0 / FPS, "drop": 28.0, "after_drop": 28.2}


@pytest.fixture(scope="module")
def frames() -> dict[str, np.ndarray]:
    """One frame at each moment of the demo track (the preset has no feedback:
    each start is exact)."""
    found = {}
    with Renderer("darol", size=SIZE, fps=FPS) as renderer:
        for name, time in MOMENTS.items():
            (_, image), = list(renderer.frames(demo_track_path(), start=time, seconds=1.0 / FPS))
            found[name] = image.astype(np.float64)
    return found


def mean_difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


@pytest.mark.parametrize("moment", ["intro", "build", "drop"])
def test_a_frame_is_neither_blank_nor_flat(frames, moment):
    image = frames[moment]
    assert np.isfinite(image).all()
    assert image.mean() > 12.0, "blank (nearly black)"
    assert image.std() > 8.0, "flat (one colour)"


def test_the_drop_flashes_red(frames):
    drop = frames["drop"]
    assert mean_difference(drop, frames["before_drop"]) > 25.0
    red, green, blue = (drop[..., c].mean() for c in range(3))
    assert red > 2.0 * green and red > 2.0 * blue, (red, green, blue)


def test_the_flash_is_red_light_not_a_red_fog(frames):
    """The scene's dark shapes (land, stem, the shadowed side of the petals)
    stay dark in the flash: the red lights the flower, it does not veil it."""
    red = frames["drop"][..., 0]
    assert np.percentile(red, 10) < 0.45 * np.percentile(red, 90), (np.percentile(red, 10), np.percentile(red, 90))


def test_the_flash_has_burned_out_a_fifth_of_a_second_later(frames):
    """0.2 s after the drop the eruption's own colours are back: red no longer
    dominates the frame."""
    red, green, blue = (frames["after_drop"][..., c].mean() for c in range(3))
    assert red < 1.6 * max(green, blue), (red, green, blue)


def test_the_frame_before_the_drop_is_not_red(frames):
    """The flash belongs to the drop, not to the build-up before it."""
    red, green, blue = (frames["before_drop"][..., c].mean() for c in range(3))
    assert red < 2.0 * max(green, blue)


def test_the_build_up_differs_from_the_intro(frames):
    """By the end of the build the flower has risen, opened and lit up."""
    assert mean_difference(frames["build"], frames["intro"]) > 10.0



def held(params: dict[str, float] | None = None, size: tuple[int, int] = SIZE, **values: float) -> np.ndarray:
    """One frame at 6 s of a steady groove after the intro, with `values`
    changed (and the preset's `params` set)."""
    features = replace(FrameFeatures.silent(6.0), level=0.4, bass=0.4, beat_phase=0.3, bar_phase=0.25,
                       beat_count=12.0, tempo_bpm=120.0, section=1.0)
    with Renderer("darol", size=size, fps=FPS) as renderer:
        renderer.set(**(params or {}))
        return renderer.render(6.0, replace(features, **values)).astype(np.float64)


def test_the_beat_is_visible():
    """With everything else held, the frame on the beat differs from the one
    half a beat later (the roots pulse, the heart beats): tap tempo and live
    beats show."""
    assert mean_difference(held(beat_phase=0.0), held(beat_phase=0.5)) > 2.0


def test_the_beat_strikes_on_the_beat_and_fades_after():
    """The beat's light (sky, petals, stem) flares on the beat and decays: the picture
    changes far more in the first sixth of a beat than over a sixth mid-beat."""
    on, after = held(beat_phase=0.0), held(beat_phase=0.15)
    mid, later = held(beat_phase=0.5), held(beat_phase=0.65)
    assert mean_difference(on, after) > 2.0 * mean_difference(mid, later)


def test_the_head_nods_on_the_bar():
    """Only the bar's phase changed (both on a beat): on the downbeat the head
    dips and leans, so the frame differs, most of all in the upper half."""
    down, third = held(beat_phase=0.0, bar_phase=0.0), held(beat_phase=0.0, bar_phase=0.25)
    rows = np.abs(down - third).mean(axis=(1, 2))
    upper, lower = rows[: SIZE[1] // 2].mean(), rows[SIZE[1] // 2:].mean()
    assert rows.mean() > 0.8 and upper > 2.0 * lower, rows.round(1)


def test_the_beat_calms_when_the_music_is_quiet():
    """Quiet (a breakdown, a riser) the beat still shows, but the roots' pulse
    is calmer than in a loud groove (uLevel): the loud part moves more."""
    loud = mean_difference(held(beat_phase=0.0, level=0.8), held(beat_phase=0.5, level=0.8))
    quiet = mean_difference(held(beat_phase=0.0, level=0.15), held(beat_phase=0.5, level=0.15))
    assert 0.3 < quiet < 0.5 * loud, (quiet, loud)


def test_an_onset_flares_on_its_own_frame():
    """Any onset (uOnset) flares the rainbow corona around the head and the
    roots, and a kick (uBassHit) flares the ground: a sharp, visible answer."""
    still = held()
    assert mean_difference(held(onset=1.0), still) > 6.0
    assert mean_difference(held(bass_hit=1.0), still) > 4.0


def test_an_onset_shows_the_whole_rainbow():
    """On a hit the corona and roots carry the full spectrum: the saturated
    pixels cover at least 270 degrees of hue (the "rainbow" tag)."""
    image = held(size=(192, 108), onset=1.0, bass_hit=1.0)
    assert art.hue_coverage_degrees(image) >= 270.0


def test_the_build_up_raises_the_flower_into_the_upper_frame():
    """Only uBuild changed: the picture changes above the still bud's head
    (the top 40% of the frame, where the risen head and its spores are)."""
    top = slice(0, SIZE[1] * 2 // 5)
    assert mean_difference(held(build=0.9)[top], held(build=0.0)[top]) > 4.0


def test_the_risen_head_fills_a_third_of_the_frame_height():
    """Risen and opening (late in the build), the rows where the full-size
    head differs from a half-size one span at least a third of the frame:
    Darol towers, it is not a sapling on the horizon."""
    rows = np.abs(held(build=0.9) - held({"flowerScale": 0.5}, build=0.9)).mean(axis=(1, 2))
    hit = np.nonzero(rows > 3.0)[0]
    assert len(hit) and (hit.max() - hit.min() + 1) / SIZE[1] >= 1.0 / 3.0, rows.round(1)


def test_the_roots_run_to_the_bottom_edge():
    """The root network spreads over the ground toward the viewer: the bottom
    tenth of the frame changes when the roots are switched off."""
    bottom = slice(SIZE[1] * 9 // 10, SIZE[1])
    assert mean_difference(held()[bottom], held({"rootGlow": 0.0})[bottom]) > 8.0
