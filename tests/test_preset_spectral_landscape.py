"""Spectral Landscape, small and headless: a mountain range of sound in a black void.

Most checks drive the preset with made-up features, frame by frame, from frame 0
(its memory is a state pass), and compare a run with one musical event against
the same run without it, so only that event's effect is left; the drop is
checked on the demo track (it drops at 28.0 s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from visualizer.api import Renderer
from visualizer.audio.demo import demo_track_path
from visualizer.features.frame import FrameFeatures

PRESET = "spectral_landscape"
SIZE = (256, 144)
FPS = 30
VOID_LEVELS = 10  # 4% of 255


def steady(frame: int, **changes: object) -> FrameFeatures:
    """A steady groove at 120 BPM with quiet, even bands: the beat grid runs, nothing else moves."""
    time = frame / FPS
    beats = time * 2.0
    base = replace(FrameFeatures.silent(time), level=0.4, bass=0.4, mid=0.4, high=0.2, intensity=0.5,
                   tempo_bpm=120.0, tempo_confidence=1.0, beat_count=1 + int(beats), beat_phase=beats % 1.0,
                   bar_phase=(beats / 4.0) % 1.0, bass_presence=1.0, bands=np.full(64, 0.3, np.float32))
    return replace(base, **changes)


def run(features: Callable[[int], FrameFeatures], frames: int, size: tuple[int, int] = SIZE) -> list[np.ndarray]:
    """Frames 0 .. frames - 1 drawn in order from `features(frame)`, as int16 (height, width, 3)."""
    with Renderer(PRESET, size=size, fps=FPS) as renderer:
        return [renderer.render(n / FPS, features(n)).astype(np.int16) for n in range(frames)]


def lit(image: np.ndarray, level: int = 40) -> np.ndarray:
    return image.max(axis=2) > level


def void_share(image: np.ndarray) -> float:
    black = (image <= VOID_LEVELS).all(axis=2)
    white = (image >= 255 - VOID_LEVELS).all(axis=2)
    return float((black | white).mean())


def changed_rows_centroid(a: np.ndarray, b: np.ndarray) -> tuple[float, int]:
    """Mean row (0 = top) of the pixels where two frames differ clearly, and how many there are."""
    rows, _ = np.nonzero(np.abs(a - b).max(axis=2) > 20)
    return (float(rows.mean()) if rows.size else float("nan")), int(rows.size)


def front_line_row(image: np.ndarray) -> float:
    """How high the front ridge stands: per column of the middle half, the lowest lit
    pixel's row (everything below the front line is its dark body), the median."""
    mask = lit(image)
    height, width = mask.shape
    rows = [np.nonzero(mask[:, x])[0].max() for x in range(width // 4, 3 * width // 4) if mask[:, x].any()]
    return float(np.median(rows)) if rows else float(height)


LOUD_AT, LOUD_FRAMES = 15, 3  # a loud moment, 0.5 s in, 0.1 s long


def loud_moment(frame: int) -> FrameFeatures:
    if LOUD_AT <= frame < LOUD_AT + LOUD_FRAMES:
        bands = np.zeros(64, np.float32)
        bands[:28] = 1.0
        return steady(frame, level=0.9, bands=bands)
    return steady(frame)


def test_the_ridges_keep_the_history_a_loud_moment_recedes():
    """One loud moment among quiet ones is laid down as a tall ridge that travels back
    toward the horizon: 0.3 s after it the difference from a run without it sits low in
    the frame, 1.5 s after it higher up (and still there: the land remembers it)."""
    frames, size = LOUD_AT + 50, (384, 216)
    with_it, without = run(loud_moment, frames, size), run(steady, frames, size)
    soon_row, soon_count = changed_rows_centroid(with_it[LOUD_AT + 9], without[LOUD_AT + 9])
    late_row, late_count = changed_rows_centroid(with_it[LOUD_AT + 45], without[LOUD_AT + 45])
    assert soon_count > 50 and late_count > 50, f"the loud ridge is gone ({soon_count}, {late_count} pixels differ)"
    assert late_row < soon_row - 0.08 * size[1], f"the loud ridge stayed at row {soon_row:.0f} -> {late_row:.0f}"


def test_the_kick_lifts_the_front_ridge_on_its_frame():
    kick_frame = 40

    def kicked(frame: int) -> FrameFeatures:
        age = frame - kick_frame
        return steady(frame, bass_hit=float(0.8 ** age) if age >= 0 else 0.0)

    with_kick, without = run(kicked, kick_frame + 1), run(steady, kick_frame + 1)
    lifted, resting = front_line_row(with_kick[kick_frame]), front_line_row(without[kick_frame])
    assert lifted < resting - 0.06 * SIZE[1], f"front ridge at row {lifted:.0f} with the kick, {resting:.0f} without"


def test_a_new_section_changes_the_line_colour():
    """Section 0 is moonlight (pale lines), section 1 the spectrum (saturated hues)."""
    def saturation(image: np.ndarray) -> float:
        pixels = image[lit(image, 80)].astype(np.float64)
        return float(((pixels.max(axis=1) - pixels.min(axis=1)) / pixels.max(axis=1)).mean())

    first = run(lambda n: steady(n, section=0), 45)[-1]
    second = run(lambda n: steady(n, section=1), 45)[-1]
    assert saturation(second) > saturation(first) + 0.25, (
        f"line saturation {saturation(first):.2f} in section 0, {saturation(second):.2f} in section 1")


def test_the_build_raises_the_horizon_and_the_sun():
    def sun_row(image: np.ndarray) -> float:
        rows, _ = np.nonzero((image[..., 0] > 200) & (image[..., 1] > 150))
        return float(rows.mean())

    calm = run(lambda n: steady(n, build=0.0), 60)[-1]
    building = run(lambda n: steady(n, build=1.0), 60)[-1]
    assert sun_row(building) < sun_row(calm) - 0.05 * SIZE[1], (
        f"the sun sits at row {sun_row(calm):.0f} calm, {sun_row(building):.0f} in a build")


def test_the_sun_counts_the_beats_of_the_bar():
    """On each beat one slit across the sun burns white, the next one down on the next beat."""
    def white_row(image: np.ndarray) -> float:
        rows, _ = np.nonzero((image[: SIZE[1] // 2] > 215).all(axis=2))
        return float(rows.mean()) if rows.size else float("nan")

    frames = run(lambda n: steady(n, beat_count=1 + max(0, n - 26), beat_phase=0.02), 30)
    rows = [white_row(frames[26 + beat]) for beat in range(4)]
    assert not np.isnan(rows).any() and np.all(np.diff(rows) > 0.5), f"white slit rows on beats 1-4: {rows}"


def test_silence_leaves_flat_lines_breathing():
    """No sound at all: the land is still drawn, its lines lie flat (every column crosses
    the same lines), and it breathes: its light swells and sinks over seconds (compared
    over whole seconds, so the ridges sliding back average out), never jumping."""
    silent = run(lambda n: FrameFeatures.silent(n / FPS), 105)
    assert all(lit(image).any() for image in silent), "silence goes blank"
    land = lit(silent[-1][SIZE[1] // 2:])
    left, right = land[:, SIZE[0] // 4], land[:, 3 * SIZE[0] // 4]
    assert left.any() and (left == right).mean() > 0.95, "the lines are not flat in silence"
    light = np.array([image[SIZE[1] // 2:].mean() for image in silent])
    inhale, exhale = light[:30].mean(), light[75:105].mean()
    steps = [np.abs(a - b).mean() for a, b in zip(silent, silent[1:])]
    assert abs(inhale - exhale) > 0.15 * max(inhale, exhale), f"no breath: {inhale:.2f} then {exhale:.2f}"
    assert max(steps) < 2.5, f"silence jumps {max(steps):.2f} levels in a frame"


@pytest.fixture(scope="module")
def drop_frames() -> dict[int, np.ndarray]:
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        return {round(time * FPS): image.astype(np.int16)
                for time, image in renderer.frames(demo_track_path(), start=27.9, seconds=0.2)}


def test_the_drop_flashes_red_through_the_ridges_and_the_void_holds(drop_frames):
    def red_share(image: np.ndarray) -> float:
        land = image[image.shape[0] // 2:]
        red = (land[..., 0] > 100) & (land[..., 0] > 2.5 * land[..., 1]) & (land[..., 0] > 2.5 * land[..., 2])
        return float(red.mean())

    before, drop = drop_frames[839], drop_frames[840]
    assert red_share(drop) > 0.08 and red_share(drop) > 4.0 * red_share(before), (
        f"red in the land: {red_share(before):.2f} before the drop, {red_share(drop):.2f} on it")
    assert all(void_share(image) >= 0.6 for image in drop_frames.values()), "the drop fills the void"
