"""Kaleido Bloom, small and headless: a rainbow mandala of Mimic petals zooming inward.

Most checks drive the preset with made-up features, frame by frame, from frame 0
(its state pass runs from there), so tempo, section, kick and hats can be set
exactly; the drop and the rainbow are checked on the demo track (it drops at
28.0 s). The zoom is measured from the picture: the mandala repeats every ring
in log radius, so the phase of the ring frequency in the angle-averaged radial
profile moves by one turn per ring the tunnel travels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from visualizer.api import Renderer
from visualizer.audio.demo import demo_track_path
from visualizer.features.frame import FrameFeatures

PRESET = "kaleido_bloom"
SIZE = (160, 160)
FPS = 30
STEP_PER_BEAT = 0.25  # the preset's default: rings a beat
FOLDS = (6, 8, 12)


def steady(frame: int, bpm: float = 120.0, **changes: object) -> FrameFeatures:
    """A steady groove at `bpm`: the beat grid runs, every other feature holds still."""
    time = frame / FPS
    beats = time * bpm / 60.0
    base = replace(FrameFeatures.silent(time), level=0.8, bass=0.4, mid=0.4, high=0.2, intensity=1.0,
                   tempo_bpm=bpm, tempo_confidence=1.0, beat_count=1 + int(beats), beat_phase=beats % 1.0,
                   bar_phase=(beats / 4.0) % 1.0, bass_presence=1.0, bands=np.full(64, 0.3, np.float32))
    return replace(base, **changes)


def run(features: Callable[[int], FrameFeatures], frames: int, size: tuple[int, int] = SIZE) -> list[np.ndarray]:
    """Frames 0 .. frames - 1 drawn in order from `features(frame)`, as float (height, width, 3)."""
    with Renderer(PRESET, size=size, fps=FPS) as renderer:
        return [renderer.render(n / FPS, features(n)).astype(np.float64) for n in range(frames)]


def radius_map(shape: tuple[int, ...]) -> np.ndarray:
    """Distance from the frame's centre in units of its smaller side."""
    height, width = shape[:2]
    rows, cols = np.mgrid[0:height, 0:width]
    side = min(width, height)
    return np.hypot((cols + 0.5 - width / 2) / side, (rows + 0.5 - height / 2) / side)


def ring_phase(image: np.ndarray, folds: int = 8, bins: int = 48) -> float:
    """Phase (radians) of the petal rings in the angle-averaged radial profile: rings are
    2 pi / (3 folds) * 1.2 apart in log radius (three petals a fold, cells about square)."""
    log_r = np.log(radius_map(image.shape))
    ring = 2.0 * np.pi / (3 * folds) * 1.2
    edges = np.linspace(np.log(0.14), np.log(0.48), bins + 1)
    index = np.digitize(log_r, edges)
    light = image.mean(axis=2)
    profile = np.array([light[index == i].mean() for i in range(1, bins + 1)])
    centres = 0.5 * (edges[1:] + edges[:-1])
    profile = (profile - profile.mean()) * np.hanning(bins)
    return float(np.angle(np.sum(profile * np.exp(-2j * np.pi * centres / ring))))


def zoom_speed(frames: list[np.ndarray]) -> float:
    """Rings a second the tunnel moves inward (outward in the picture), from the ring phase."""
    phases = np.unwrap([ring_phase(image) for image in frames])
    return float(-(phases[-1] - phases[0]) / (2.0 * np.pi) / (len(frames) - 1) * FPS)


def fold_count(image: np.ndarray, radius: float) -> int:
    """The symmetry on a circle of `radius` (smaller sides): which of 6, 8, 12 folds carries
    the most of the light's variation around it (luminance: the hue runs once around, the
    shapes and their light repeat every fold)."""
    height, width = image.shape[:2]
    side = min(width, height)
    angles = np.linspace(0.0, 2.0 * np.pi, 720, endpoint=False)
    cols = np.clip((width / 2 + radius * side * np.cos(angles)).astype(int), 0, width - 1)
    rows = np.clip((height / 2 - radius * side * np.sin(angles)).astype(int), 0, height - 1)
    ring = image[rows, cols] @ np.array([0.2126, 0.7152, 0.0722])
    spectrum = np.abs(np.fft.rfft(ring - ring.mean()))
    return max(FOLDS, key=lambda n: spectrum[n])


def test_the_zoom_speed_follows_the_tempo():
    slow = zoom_speed(run(lambda n: steady(n, 90.0), 75)[15:])
    fast = zoom_speed(run(lambda n: steady(n, 150.0), 75)[15:])
    for bpm, speed in ((90.0, slow), (150.0, fast)):
        expected = STEP_PER_BEAT * bpm / 60.0
        assert abs(speed - expected) < 0.2 * expected, f"{bpm} BPM: {speed:.3f} rings/s, expected {expected:.3f}"


def test_the_build_accelerates_the_zoom():
    calm = zoom_speed(run(lambda n: steady(n, build=0.0), 60)[15:])
    building = zoom_speed(run(lambda n: steady(n, build=1.0), 60)[15:])
    assert building > 2.5 * calm, f"zoom {calm:.3f} rings/s calm, {building:.3f} in a full build"


def test_the_tunnel_moves_on_the_beat_and_rests_between():
    frames = run(steady, 50)
    change = [np.abs(a - b).mean() for a, b in zip(frames, frames[1:])]
    on_beat = [change[k - 1] for k in (30, 45)]       # into the frames on the beat (120 BPM: every 15)
    between = [change[k - 1] for k in (36, 37, 38, 39, 40, 41)]
    assert min(on_beat) > 4.0 * max(between), f"change on the beat {on_beat}, between beats {between}"


def test_the_fold_count_changes_with_the_section_growing_from_the_centre():
    """Sections 0, 1, 2 hold 8, 12, 6 folds (the default starts at 8). A new section on the
    downbeat (frame 60 at 120 BPM) grows its count from the centre: a few frames after it the
    middle shows the new count while the rim still shows the old, then the whole frame."""
    size = (256, 256)
    counts = [fold_count(run(lambda n, s=section: steady(n, section=s), 20, size)[-1], 0.3) for section in (0, 1, 2)]
    assert counts == [8, 12, 6], f"fold counts by section: {counts}"
    frames = run(lambda n: steady(n, section=0 if n < 60 else 1), 72, size)
    assert (fold_count(frames[59], 0.1), fold_count(frames[59], 0.4)) == (8, 8)
    assert (fold_count(frames[65], 0.1), fold_count(frames[65], 0.4)) == (12, 8), "the new count should start in the middle"
    assert (fold_count(frames[71], 0.1), fold_count(frames[71], 0.4)) == (12, 12)


def test_the_kick_opens_the_central_bloom():
    kick = 40
    frames = run(lambda n: steady(n, bass_hit=0.8 ** (n - kick) if n >= kick else 0.0), kick + 1)
    rest = run(steady, kick + 1)[-1]
    centre = radius_map(rest.shape) < 0.25
    opened, closed = (int(((image.mean(axis=2) > 200) & centre).sum()) for image in (frames[-1], rest))
    assert opened > 3 * max(closed, 10), f"bright heart: {closed} pixels at rest, {opened} on the kick"


def test_the_hats_sparkle_the_petal_edges():
    hat = 40
    frames = run(lambda n: steady(n, high_hit=0.8 ** (n - hat) if n >= hat else 0.0), hat + 1)
    rest = run(steady, hat + 1)[-1]
    petals = radius_map(rest.shape) > 0.15
    sparkling, still = (int(((image.min(axis=2) > 190) & petals).sum()) for image in (frames[-1], rest))
    assert sparkling > 100 and sparkling > 5 * still, f"white sparkles: {still} without hats, {sparkling} with"


@pytest.fixture(scope="module")
def demo() -> dict[int, np.ndarray]:
    with Renderer(PRESET, size=(128, 72), fps=FPS) as renderer:
        frames = {}
        for start, seconds in ((20.0, 0.5), (27.9, 0.9)):
            frames.update({round(time * FPS): image.astype(np.float64)
                           for time, image in renderer.frames(demo_track_path(), start=start, seconds=seconds)})
        return frames


def test_the_drop_is_a_red_flash_then_an_explosion_of_colour(demo):
    def chroma(image: np.ndarray) -> float:
        return float((image.max(axis=2) - image.min(axis=2)).mean())

    red, green, blue = demo[840].reshape(-1, 3).mean(axis=0)
    assert red > 1.8 * green and red > 1.8 * blue, f"the drop frame is not red: {red:.0f} {green:.0f} {blue:.0f}"
    before, after = chroma(demo[838]), max(chroma(demo[k]) for k in range(852, 862))
    assert after > 1.2 * before, f"colour {before:.0f} before the drop, {after:.0f} at most after it"


def test_a_groove_frame_spans_the_rainbow(demo):
    def hue_degrees(image: np.ndarray) -> float:
        rgb = image.reshape(-1, 3) / 255.0
        high, low = rgb.max(axis=1), rgb.min(axis=1)
        keep = (high >= 0.5) & (high - low >= 0.5 * high)
        r, g, b = rgb[keep].T
        chroma = (high - low)[keep]
        hue = np.where(high[keep] == r, ((g - b) / chroma) % 6.0,
                       np.where(high[keep] == g, (b - r) / chroma + 2.0, (r - g) / chroma + 4.0)) / 6.0
        counts = np.bincount((hue * 36).astype(int) % 36, minlength=36)
        return 10.0 * float((counts >= 0.002 * keep.sum()).sum())

    best = max(hue_degrees(demo[k]) for k in range(600, 615))
    assert best >= 270.0, f"saturated pixels cover only {best:.0f} degrees of hue"
