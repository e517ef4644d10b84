"""Rainbow Meadow: a vivid field of flowers in every hue under a rainbow.
Small renders of the demo track (its drop is at 28.0 s) and single frames with
the features held, each test failing for the musical cause in its name: the
meadow spans the hue circle, the kick opens the flowers, the beat's gust sways
the field (not the sky), the bar turns the palette, the hats glint pollen, a
build-up brightens the field, the drop bursts every flower open in a flash."""

from __future__ import annotations

import numpy as np
import pytest

import art
from preset_frames import demo_moments, groove
from visualizer.api import Renderer
from visualizer.audio.demo import demo_track_path

PRESET = "rainbow_meadow"
SIZE = (160, 90)
FPS = 30.0
MOMENTS = {"intro": 4.0, "groove": 20.0, "riser": 27.0, "before_drop": 28.0 - 1.0 / FPS,
           "drop": 28.0,
           "after_drop": 29.0}


@pytest.fixture(scope="module")
def wide() -> dict[str, object]:
    """At 256x144, where flowers and pollen get pixels of their own: frames of
    the groove, and a held frame with and without a hat. Drawn (and the
    renderer's context closed) before the small renderer is made."""
    with Renderer(PRESET, size=(256, 144), fps=FPS) as renderer:
        groove = [image.astype(np.float64) for time in (10.0, 16.0, 20.0)
                  for _, image in renderer.frames(demo_track_path(), start=time, seconds=1.0 / FPS)]
        return {"groove": groove, "hat": held(renderer, high_hit=1.0),
                "no_hat": held(renderer, high_hit=0.0)}


@pytest.fixture(scope="module")
def renderer(wide):
    with Renderer(PRESET, size=SIZE, fps=FPS) as shared:
        yield shared


@pytest.fixture(scope="module")
def frames(renderer) -> dict[str, np.ndarray]:
    """One frame at each moment of the demo (no feedback: each start is exact)."""
    return demo_moments(renderer, MOMENTS)


HELD = dict(level=0.5, bass=0.5, beat_phase=0.5, bar_phase=0.5, beat_count=13, tempo_bpm=120.0,
            tempo_confidence=1.0, section=1)


def held(renderer, **values: float) -> np.ndarray:
    """One frame of a steady groove (6 s), with `values` changed."""
    return renderer.render(6.0, groove(6.0, HELD, **values)).astype(np.float64)


def flower_area(renderer, **values: float) -> float:
    """Share of the frame the flowers cover: pixels that change when the
    flowers are taken away (flowerDensity 0), everything else held."""
    with_flowers = held(renderer, **values)
    renderer.set(flowerDensity=0.0)
    try:
        bare = held(renderer, **values)
    finally:
        renderer.set(flowerDensity=0.8)
    return float((np.abs(with_flowers - bare).max(axis=2) > 30.0).mean())


@pytest.mark.parametrize("moment", ["intro", "groove", "riser", "drop", "after_drop"])
def test_a_frame_is_neither_blank_nor_flat(frames, moment):
    image = frames[moment]
    assert np.isfinite(image).all()
    assert image.mean() > 12.0, f"blank (mean {image.mean():.1f})"
    assert image.std() > 10.0, f"flat (std {image.std():.1f})"


def test_the_meadow_spans_the_rainbow(wide):
    """Flowers of every hue, the bow and the grass: saturated pixels of the
    groove cover at least 270 degrees of hue."""
    best = max(art.hue_coverage_degrees(image) for image in wide["groove"])
    assert best >= 270.0, f"saturated pixels cover only {best:.0f} degrees of hue"


def test_the_kick_opens_the_flowers(renderer):
    closed, kicked = flower_area(renderer, bass_hit=0.0), flower_area(renderer, bass_hit=1.0)
    assert kicked > 1.2 * closed, (closed, kicked)


def test_the_drop_bursts_every_flower_open(renderer):
    """Half a second after the drop (no kick) the flowers cover much more of
    the frame than just before it."""
    before = flower_area(renderer)
    after = flower_area(renderer, drop_count=1, since_drop=0.5)
    assert after > 1.5 * before, (before, after)


def test_the_drop_frame_flashes(frames):
    drop, before = frames["drop"], frames["before_drop"]
    assert drop.mean() > before.mean() + 20.0, (before.mean(), drop.mean())


def test_the_flowers_are_more_open_after_the_drop_on_the_demo(renderer, frames):
    """The rendered song: a second after the drop the flowers cover much more of
    the frame than just before it, at the top of the build-up."""
    renderer.set(flowerDensity=0.0)
    try:
        bare = {name: next(iter(renderer.frames(demo_track_path(), start=MOMENTS[name],
                                                seconds=1.0 / FPS)))[1]
                for name in ("before_drop", "after_drop")}
    finally:
        renderer.set(flowerDensity=0.8)
    area = {name: float((np.abs(frames[name] - image).max(axis=2) > 30.0).mean())
            for name, image in bare.items()}
    assert area["after_drop"] > 1.5 * area["before_drop"], area


def test_the_beat_gust_sways_the_field_not_the_sky(renderer):
    """On the beat the grass snaps to the other side: the field (bottom half)
    changes between the beat and a third of a beat later; the sky stays."""
    on, later = held(renderer, beat_phase=0.0), held(renderer, beat_phase=0.35)
    half = SIZE[1] // 2
    assert np.abs(on - later)[half:].mean() > 4.0
    assert np.abs(on - later)[: SIZE[1] // 5].mean() < 1.0


def test_the_bar_turns_the_palette(renderer):
    """Eight bars later (the same camera and gust) the flowers have turned a
    third of the wheel; twenty-four bars later (four whole turns) they are back."""
    now = held(renderer)
    later = held(renderer, beat_count=13 + 32)
    round_trip = held(renderer, beat_count=13 + 96)
    assert np.abs(now - later).mean() > 2.0
    assert np.abs(now - round_trip).mean() < 0.5


def test_the_hats_glint_pollen_as_points_not_a_wash(wide):
    """A hat lights a scatter of points: some pixels brighten a lot, most stay."""
    brighter = (wide["hat"] - wide["no_hat"]).mean(axis=2)
    share = float((brighter > 25.0).mean())
    assert 0.002 < share < 0.3, share
    assert np.median(np.abs(brighter)) < 2.0


def test_a_build_up_brightens_the_field(renderer):
    calm, built = held(renderer, build=0.0), held(renderer, build=0.9)
    assert built.mean() > calm.mean() + 8.0, (calm.mean(), built.mean())
