"""Petal Rain on the demo track and on held features, small and headless:
iridescent petals falling through a black void in three depth layers
(VISION.md "voids", "iridescent petals", "a flash of red light").

The demo windows: the full groove (20-21 s) and the drop (27.9-28.1 s; the demo
drops at 28.0 s). Held features (`FrameFeatures` with one thing changed) check
each musical cause on its own: the kick's gust, the beat's swing, the hats'
glint, the bar's hue, the tempo's fall, the build, the breakdown and the drop's
freeze and burst."""

from __future__ import annotations

import numpy as np
import pytest

import art
from preset_frames import demo_window, groove
from visualizer.api import Renderer

PRESET = "petal_rain"
SIZE = (160, 90)
FPS = 30
DROP_FRAME = 840  # 28.0 s at 30 fps: the demo's drop
VOID_LEVELS = 10  # 4% of 255


def lit(image: np.ndarray) -> np.ndarray:
    """Pixels that are not void: a (height, width) bool mask."""
    return ~(image <= VOID_LEVELS).all(axis=2)


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[tuple[int, np.ndarray]]]:
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        return {"groove": demo_window(renderer, 20.0, 1.0), "drop": demo_window(renderer, 27.9, 0.2)}


def held(time: float = 6.0, params: dict[str, float] | None = None, **values: float) -> np.ndarray:
    """One frame (a fresh renderer, its state at rest) with the features held
    (and the preset's `params` set)."""
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        renderer.set(**(params or {}))
        return renderer.render(time, groove(time, **values)).astype(np.float64)


def sequence(steps: list[dict[str, float]], start: float = 6.0, **params: float) -> list[np.ndarray]:
    """Consecutive frames from one renderer (its state pass runs on), one per
    step, with the preset's parameters `params` set."""
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        renderer.set(**params)
        return [renderer.render(start + k / FPS, groove(start + k / FPS, **step)).astype(np.float64)
                for k, step in enumerate(steps)]


def test_every_frame_is_finite_lit_and_not_flat(rendered):
    for frames in rendered.values():
        for frame, image in frames:
            assert image.shape == (SIZE[1], SIZE[0], 3)
            assert image.mean() > 1.5, f"frame {frame} is blank (mean {image.mean():.2f})"
            assert image.std() > 6.0, f"frame {frame} is flat (std {image.std():.2f})"


def test_the_void_stays_void_even_at_the_drop(rendered):
    for frames in rendered.values():
        for frame, image in frames:
            assert art.void_share(image) >= 0.6, f"frame {frame}: only {art.void_share(image):.0%} pure black"


def test_the_drop_flashes_red_and_breaks_from_the_frame_before(rendered):
    frames = dict(rendered["drop"])
    before = np.abs(frames[DROP_FRAME - 1] - frames[DROP_FRAME - 2]).mean()
    jump = np.abs(frames[DROP_FRAME] - frames[DROP_FRAME - 1]).mean()
    assert jump > 8.0 and jump > 4.0 * before, (jump, before)
    drop = frames[DROP_FRAME][lit(frames[DROP_FRAME].astype(np.uint8))].astype(np.float64)
    red, green, blue = drop.mean(axis=0)
    assert red > 2.0 * green and red > 2.0 * blue, (red, green, blue)


def test_the_kick_gust_lifts_the_petals():
    """A kick (bass hit) throws the petals up: the kicked frame matches the
    calm one best shifted up by a few rows, and the picture changes a lot.
    The rain is thickened so the match averages over many petals (the few
    large ones of the default rain drift in and out at the edges)."""
    thick = {"density": 0.45}
    calm, kick = held(params=thick, bass_hit=0.0), held(params=thick, bass_hit=1.0)
    rows = SIZE[1]
    def mismatch(up: int) -> float:
        """Kick row r against calm row r + up (up > 0: the kick lifted it)."""
        if up >= 0:
            return float(np.abs(kick[:rows - up] - calm[up:]).mean())
        return float(np.abs(kick[-up:] - calm[:rows + up]).mean())
    best = min(range(-8, 9), key=mismatch)
    assert best >= 2, {up: round(mismatch(up), 2) for up in range(-8, 9)}
    assert np.abs(kick - calm).mean() > 2.0


def test_the_beat_swings_the_petals_every_beat():
    """On the beat the petals swing across; on the next beat back: the frame
    at the same phase of two consecutive beats differs, and so do the frame on
    the beat and half a beat later."""
    even, odd = held(beat_count=12, beat_phase=0.5), held(beat_count=13, beat_phase=0.5)
    assert np.abs(even - odd).mean() > 1.5
    on, mid = held(beat_count=12, beat_phase=0.0), held(beat_count=12, beat_phase=0.5)
    assert np.abs(on - mid).mean() > 1.5


def test_the_hats_glint_the_edges():
    """A hat (high hit) lights the petals' rims: more light, the lit shapes
    hardly grown past their glow."""
    calm, hats = held(high_hit=0.0), held(high_hit=1.0)
    assert hats.mean() > 1.3 * calm.mean(), (hats.mean(), calm.mean())


def test_the_fall_speed_follows_the_tempo():
    """The same second at 180 BPM moves the picture more than at 60 BPM
    (nothing else changes: the beat grid is held; no grain)."""
    def motion(bpm: float) -> float:
        frames = sequence([dict(tempo_bpm=bpm)] * 30, grain_amount=0.0)
        return float(np.mean([np.abs(a - b).mean() for a, b in zip(frames[10:], frames[11:])]))
    slow, fast = motion(60.0), motion(180.0)
    assert fast > 1.5 * slow, (slow, fast)


def test_each_bar_nudges_the_hue():
    """Three downbeats (the bar phase wrapping) later, the same petals in the
    same places have other colours: the lit area barely changes, the colours do."""
    steady = [dict(bar_phase=0.6)] * 24
    wrapping = [dict(bar_phase=(0.6 + k / 8.0) % 1.0) for k in range(24)]
    a, b = sequence(steady)[-1], sequence(wrapping)[-1]
    mask_a, mask_b = lit(a.astype(np.uint8)), lit(b.astype(np.uint8))
    assert (mask_a ^ mask_b).mean() < 0.03
    both = mask_a & mask_b
    chroma = lambda image: image[both] / np.maximum(image[both].sum(axis=1, keepdims=True), 1.0)
    assert np.abs(chroma(a) - chroma(b)).mean() > 0.05


def blobs(mask: np.ndarray, smallest: int = 4) -> int:
    """Separate lit shapes (4-connected, at least `smallest` pixels) in a bool mask."""
    seen = np.zeros_like(mask)
    count = 0
    for start in zip(*np.nonzero(mask)):
        if seen[start]:
            continue
        stack, size = [start], 0
        seen[start] = True
        while stack:
            y, x = stack.pop()
            size += 1
            for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if 0 <= ny < mask.shape[0] and 0 <= nx < mask.shape[1] and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        count += size >= smallest
    return count


def test_blobs_counts_shapes():
    mask = np.zeros((10, 10), bool)
    mask[1:3, 1:3] = mask[6:9, 6:9] = True
    mask[0, 9] = True  # too small
    assert blobs(mask) == 2


def test_the_build_thickens_and_brightens_the_rain():
    """More petals (separate shapes above a third of each frame's own brightest
    light, so brightening alone adds few; drawn at 320x180 to count enough of
    them), and brighter."""
    def frame(build: float) -> np.ndarray:
        with Renderer(PRESET, size=(320, 180), fps=FPS) as renderer:
            return renderer.render(6.0, groove(6.0, build=build)).astype(np.float64)
    def petals(image: np.ndarray) -> int:
        light = image.max(axis=2)
        return blobs(light > np.percentile(light, 99.5) / 3.0)
    calm, build = frame(0.0), frame(1.0)
    assert petals(build) >= 1.4 * petals(calm), (petals(calm), petals(build))
    assert build.mean() > 1.3 * calm.mean()


def test_the_breakdown_leaves_a_few_petals_alone():
    calm, breakdown = held(breakdown=0.0), held(breakdown=1.0)
    few, many = lit(breakdown.astype(np.uint8)).mean(), lit(calm.astype(np.uint8)).mean()
    assert 0.0 < few < 0.5 * many, (few, many)


def test_the_drop_freezes_then_bursts_outward():
    """For the first 0.1 s after the drop the petals hang still (no fall, no tumble; the beat
    held, the red flash and the grain off); 0.4 s after it the blast has
    pushed them out of the middle of the frame."""
    def motion(since_drop: float) -> float:
        frames = sequence([dict(since_drop=since_drop + k / FPS) for k in range(4)], flashRed=0.0, grain_amount=0.0)
        return float(np.mean([np.abs(a - b).mean() for a, b in zip(frames[1:], frames[2:])]))
    frozen, falling = motion(0.0), motion(5.0)
    assert frozen < 0.3 * falling, (frozen, falling)

    def centre_light(since_drop: float) -> float:
        image = sequence([dict(since_drop=since_drop)], flashRed=0.0, grain_amount=0.0)[0]
        ys, xs = np.mgrid[:SIZE[1], :SIZE[0]]
        inside = np.hypot(xs - SIZE[0] / 2, ys - SIZE[1] / 2) < 0.3 * SIZE[1]
        return float(image[inside].mean())
    before, blasted = centre_light(10000.0), centre_light(0.4)
    assert blasted < 0.3 * before, (before, blasted)
