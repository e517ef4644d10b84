"""Darol's Roots: the glowing root network of Darol underground. Small renders
of the demo track (its drop is at 28.0 s) and single frames with the features
held, each test failing for the musical cause in its name: the kick flares the
roots, the beat's pulse runs out along them, a build-up brightens and thickens
them and turns the pulse toward the surface, the hats sparkle the spores, each
section frames the network anew, the drop erupts red."""

from __future__ import annotations

import numpy as np
import pytest

from preset_frames import demo_moments, groove
from visualizer.api import Renderer

PRESET = "darol_roots"
SIZE = (160, 90)
FPS = 30.0
MOMENTS = {"intro": 4.0, "groove": 20.0, "riser": 27.0, "before_drop": 28.0 - 1.0 / FPS,
           "drop": 28.0,
           "after_drop": 30.0}


@pytest.fixture(scope="module")
def renderer():
    with Renderer(PRESET, size=SIZE, fps=FPS) as shared:
        yield shared


@pytest.fixture(scope="module")
def frames(renderer) -> dict[str, np.ndarray]:
    """One frame at each moment of the demo (no feedback: each start is exact)."""
    return demo_moments(renderer, MOMENTS)


HELD = dict(level=0.5, bass=0.5, beat_phase=0.3, bar_phase=0.3, beat_count=12, tempo_bpm=120.0,
            tempo_confidence=1.0, section=1)


def held(renderer, **values: float) -> np.ndarray:
    """One frame of a steady groove in the second section (6 s), with `values` changed."""
    return renderer.render(6.0, groove(6.0, HELD, **values)).astype(np.float64)


def luminance(image: np.ndarray) -> np.ndarray:
    return image @ np.array([0.2126, 0.7152, 0.0722])


PHASES = np.linspace(0.05, 0.95, 7)
CROWN = (80.0, 0.24 * 90.0)
"""Where the intro frames the crown (x, row from the top) at SIZE: centred, 0.24 below the top."""


def pulse_distances(renderer, **values: float) -> list[float]:
    """How far from the crown (pixels) the beat's own light lies at each of
    PHASES through the beat: each frame's light above the mean of them all,
    weighted by its distance from the crown (intro framing, other features held)."""
    rows, cols = np.mgrid[0:SIZE[1], 0:SIZE[0]]
    distance = np.hypot(cols - CROWN[0], rows - CROWN[1])
    light = [luminance(held(renderer, section=0, beat_phase=phase, **values)) for phase in PHASES]
    mean = np.mean(light, axis=0)
    above = [np.maximum(image - mean, 0.0) for image in light]
    return [float((part * distance).sum() / max(part.sum(), 1e-6)) for part in above]


@pytest.mark.parametrize("moment", ["intro", "groove", "riser", "drop", "after_drop"])
def test_a_frame_is_neither_blank_nor_flat(frames, moment):
    image = frames[moment]
    assert np.isfinite(image).all()
    assert image.mean() > 12.0, f"blank (mean {image.mean():.1f})"
    assert image.std() > 10.0, f"flat (std {image.std():.1f})"


def test_the_roots_are_brighter_on_a_kick_than_between_kicks(renderer):
    kick, between = held(renderer, bass_hit=1.0), held(renderer, bass_hit=0.0)
    assert kick.mean() > between.mean() + 4.0, (kick.mean(), between.mean())


def test_the_beat_pulse_runs_out_from_the_crown_with_the_beat_phase(renderer):
    """Between kicks, with everything else held, the beat's light starts at the
    crown and runs outward along the roots as the beat goes on."""
    distances = pulse_distances(renderer)
    assert distances[0] < 25.0 and distances[3] > distances[0] + 15.0, np.round(distances, 1)


def test_a_build_up_turns_the_pulse_toward_the_surface(renderer):
    """In a build-up the beat's light runs the other way: from far out along
    the roots in toward the crown (and up the trunk to the surface)."""
    distances = pulse_distances(renderer, build=1.0)
    assert distances[4] < distances[0] - 15.0, np.round(distances, 1)


def test_a_build_up_brightens_and_thickens_the_roots(renderer):
    calm, built = held(renderer, build=0.0), held(renderer, build=0.9)
    lit = lambda image: float((luminance(image) > 60.0).mean())
    assert built.mean() > calm.mean() + 8.0, (calm.mean(), built.mean())
    assert lit(built) > 1.3 * lit(calm), (lit(calm), lit(built))


def test_the_hats_sparkle_spores_as_points_not_a_wash(renderer):
    """A hat lights a scatter of points: some pixels brighten a lot, most stay."""
    hat, quiet = held(renderer, high_hit=1.0), held(renderer, high_hit=0.0)
    brighter = luminance(hat) - luminance(quiet)
    share = float((brighter > 25.0).mean())
    assert 0.002 < share < 0.3, share
    assert np.median(np.abs(brighter)) < 2.0


def test_each_section_frames_the_network_anew(renderer):
    """A new section moves the camera: the picture's light falls in another
    place (its luminance correlates weakly with the last section's), where a
    new palette alone (hueOffset) leaves the same shapes (correlation ~1)."""
    def structure(image: np.ndarray, other: np.ndarray) -> float:
        return float(np.corrcoef(luminance(image).ravel(), luminance(other).ravel())[0, 1])

    sections = [held(renderer, section=s) for s in range(4)]
    renderer.set(hueOffset=0.3)
    recoloured = held(renderer, section=1)
    renderer.set(hueOffset=0.0)
    assert structure(sections[1], recoloured) > 0.95
    for before, after in zip(sections, sections[1:]):
        assert structure(before, after) < 0.7


def test_the_drop_erupts_red(frames):
    drop, before = frames["drop"], frames["before_drop"]
    assert np.abs(drop - before).mean() > 25.0
    red, green, blue = (drop[..., c].mean() for c in range(3))
    assert red > 2.0 * green and red > 2.0 * blue, (red, green, blue)


def test_the_frame_before_the_drop_is_not_red(frames):
    red, green, blue = (frames["before_drop"][..., c].mean() for c in range(3))
    assert red < 1.5 * max(green, blue), (red, green, blue)


def test_after_the_drop_the_roots_turn_to_many_hues(frames):
    """Two seconds after the drop the red is gone and the roots glow a hue each:
    the lit pixels' hues spread wider than in the groove's one hue family."""
    def hue_spread(image: np.ndarray) -> float:
        rgb = image / 255.0
        high, low = rgb.max(axis=2), rgb.min(axis=2)
        keep = (high > 0.35) & (high - low > 0.3 * high)
        r, g, b = (rgb[..., c][keep] for c in range(3))
        angle = np.arctan2(np.sqrt(3.0) * (g - b), 2.0 * r - g - b)
        return float(1.0 - np.abs(np.exp(1j * angle).mean()))

    assert hue_spread(frames["after_drop"]) > hue_spread(frames["groove"]) + 0.15, (
        hue_spread(frames["groove"]), hue_spread(frames["after_drop"]))
