"""The void presets (White Void, Black Void) on the demo track, small and headless.

Each is rendered over a quiet second (the riser's start, 24-25 s, RMS about a
third of the rest), a loud second (the full groove, 20-21 s) and the drop
(27.9-28.1 s; the demo drops at 28.0 s). The checks are the art direction's
(VISION.md "Voids"; issue 16's art checks): every frame lit, finite and not
flat; at least 60% of the picture pure void (within 4% of black or white);
the drop frame clearly unlike the frame before; the loud second moving more
than the quiet one.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from visualizer.api import Renderer
from visualizer.audio.demo import demo_track_path
from visualizer.features.frame import FrameFeatures

PRESETS = ("white_void", "black_void")
SIZE = (128, 72)
FPS = 30
DROP_FRAME = 840  # 28.0 s at 30 fps: the demo's drop
VOID_LEVELS = 10  # 4% of 255: "pure" black is at most this, pure white at least 255 minus it


def _window(renderer: Renderer, start: float, seconds: float) -> list[tuple[int, np.ndarray]]:
    return [(round(time * FPS), image.astype(np.int16))
            for time, image in renderer.frames(demo_track_path(), start=start, seconds=seconds)]


@pytest.fixture(scope="module", params=PRESETS)
def rendered(request) -> dict[str, object]:
    with Renderer(request.param, size=SIZE, fps=FPS) as renderer:
        return {"name": request.param, "quiet": _window(renderer, 24.0, 1.0),
                "loud": _window(renderer, 20.0, 1.0), "drop": _window(renderer, 27.9, 0.2)}


def _all_frames(rendered) -> list[tuple[int, np.ndarray]]:
    return rendered["quiet"] + rendered["loud"] + rendered["drop"]


def void_share(image: np.ndarray) -> float:
    """Share of pixels within 4% of pure black or pure white in every channel."""
    black = (image <= VOID_LEVELS).all(axis=2)
    white = (image >= 255 - VOID_LEVELS).all(axis=2)
    return float((black | white).mean())


def motion(frames: list[tuple[int, np.ndarray]]) -> float:
    """Mean absolute change between consecutive frames, in 8-bit levels."""
    return float(np.mean([np.abs(a - b).mean() for (_, a), (_, b) in zip(frames, frames[1:])]))


def test_every_frame_is_lit_and_not_flat(rendered):
    for frame, image in _all_frames(rendered):
        assert image.shape == (SIZE[1], SIZE[0], 3)
        assert image.std() > 4.0, f"{rendered['name']} frame {frame} is flat (std {image.std():.2f})"
        assert 0 < image.max() and image.min() < 255, f"{rendered['name']} frame {frame} is blank"


def test_the_void_stays_void(rendered):
    shares = {frame: void_share(image) for frame, image in _all_frames(rendered)}
    worst = min(shares, key=shares.get)
    assert shares[worst] >= 0.6, f"{rendered['name']} frame {worst}: only {shares[worst]:.0%} pure void"


def test_void_share_can_fail():
    """The void check sees a grey frame, and a frame half grey half void."""
    grey = np.full((10, 10, 3), 128, np.int16)
    assert void_share(grey) == 0.0
    grey[:5] = 255
    assert void_share(grey) == 0.5


def test_the_drop_frame_breaks_from_the_frame_before(rendered):
    frames = dict(rendered["drop"])
    before = motion([(0, frames[DROP_FRAME - 2]), (0, frames[DROP_FRAME - 1])])
    jump = motion([(0, frames[DROP_FRAME - 1]), (0, frames[DROP_FRAME])])
    assert jump > 5.0 and jump > 4.0 * before, (
        f"{rendered['name']}: the drop changes {jump:.2f} levels from the frame before (the frame before"
        f" changed {before:.2f})")


def test_a_loud_passage_moves_more_than_a_quiet_one(rendered):
    quiet, loud = motion(rendered["quiet"]), motion(rendered["loud"])
    assert loud > 1.2 * quiet, f"{rendered['name']}: loud moves {loud:.2f} levels a frame, quiet {quiet:.2f}"


def _restless(frame: int, onset: float = 0.0) -> FrameFeatures:
    """A steady sound whose waveform differs on every frame (a new random phase), the
    beat grid held still, with an onset pulse of `onset`."""
    phase = np.random.default_rng(frame).uniform(0.0, 2.0 * np.pi)
    x = np.linspace(0.0, 6.0 * np.pi, 512)
    waveform = (0.5 + 0.35 * np.sin(x + phase) * np.sin(0.37 * x + 2.0 * phase)).astype(np.float32)
    return replace(FrameFeatures.silent(frame / FPS), level=0.6, bass=0.5, tempo_bpm=120.0, beat_phase=0.3,
                   bar_phase=0.3, beat_count=9.0, waveform=waveform, onset=onset)


def test_white_void_an_onset_strikes_the_line_on_its_own_frame():
    """White Void: between hits the line settles (it does not redraw every frame's
    waveform, which would be motion the music's onsets do not cause); on the frame an
    onset arrives (uOnset) the hit strikes it into the waveform of that moment."""
    with Renderer("white_void", size=SIZE, fps=FPS) as renderer:
        images = [renderer.render(n / FPS, _restless(n)).astype(np.int16) for n in range(40)]
        images.append(renderer.render(40 / FPS, _restless(40, onset=1.0)).astype(np.int16))
    settled = motion([(n, image) for n, image in enumerate(images[30:40])])
    struck = motion([(0, images[39]), (0, images[40])])
    assert struck > 2.5 * settled, (struck, settled)


def _beat_grid(time: float, beats: float) -> FrameFeatures:
    """A steady sound (a flat waveform: the line lies still) at 120 BPM with the beat grid at
    `beats` (a count of beats, fractional; the bar starts on every fourth)."""
    return replace(FrameFeatures.silent(time), level=0.5, bass=0.5, tempo_bpm=120.0,
                   beat_phase=beats % 1.0, bar_phase=(beats / 4.0) % 1.0, beat_count=int(beats))


def _first_frame(size: tuple[int, int], beats: float) -> np.ndarray:
    """The first frame a fresh White Void draws with the beat grid at `beats` (no echo yet:
    echoes are stamped when the beat count changes)."""
    with Renderer("white_void", size=size, fps=FPS) as renderer:
        return renderer.render(2.0, _beat_grid(2.0, beats))


def _ink(image: np.ndarray) -> np.ndarray:
    """Ink per pixel, 0 (white paper) .. 1 (black)."""
    return (255.0 - image.astype(np.float64).min(axis=2)) / 255.0


def test_white_void_the_ink_swells_on_the_beat_and_harder_on_the_bar():
    """White Void: the beat grid (uBeatPhase) swells the line's ink on the beat, fading
    within the beat; the downbeat (uBarPhase) strikes harder than the other beats."""
    ink = {beats: _ink(_first_frame(SIZE, beats)).sum() for beats in (9.0, 9.5, 8.0)}
    assert ink[9.0] > 1.5 * ink[9.5], ink
    assert ink[8.0] > 1.2 * ink[9.0], ink


def _line_lift(image: np.ndarray) -> np.ndarray:
    """Per column, how far (pixels) the line's ink sits above the page's middle row (paper
    tooth and grain left out)."""
    ink = _ink(image)
    ink = np.where(ink > 0.2, ink, 0.0)
    rows = np.arange(ink.shape[0])[:, None]
    centre = (ink * rows).sum(axis=0) / np.maximum(ink.sum(axis=0), 1e-6)
    return (ink.shape[0] - 1) / 2.0 - centre


def test_white_void_the_beat_plucks_a_ripple_that_runs_outward():
    """White Void: on the beat the line is plucked at its middle and the wave runs out
    toward both ends, fading; late in the beat the line lies straight again."""
    size = (320, 180)
    lift = {beats: _line_lift(_first_frame(size, beats)) for beats in (9.1, 9.4, 9.95)}
    right = slice(size[0] // 2, size[0])
    early, later = lift[9.1][right], lift[9.4][right]
    assert early.max() > 2.0 and later.max() > 1.0, (early.max(), later.max())
    assert later.argmax() > early.argmax() + 0.1 * size[0], (early.argmax(), later.argmax())
    assert np.abs(lift[9.95][size[0] // 5:-size[0] // 5]).max() < 0.5


def test_white_void_echoes_drop_on_the_beat_then_rest():
    """White Void: the echoes under the line (one stamped on each beat, uBeatCount) drop a
    step on each beat's own frame and rest between beats: the page under the line
    changes on the beat, hardly mid-beat."""
    with Renderer("white_void", size=SIZE, fps=FPS) as renderer:
        frames = [renderer.render(n / FPS, _beat_grid(n / FPS, 8.3 + 2.0 * n / FPS))
                  for n in range(60)]
    below = [(0, image[SIZE[1] // 2 + 3:].astype(np.int16)) for image in frames]  # under the swell
    beats = [n for n in range(1, 60) if int(8.3 + 2.0 * n / FPS) != int(8.3 + 2.0 * (n - 1) / FPS)]
    on = np.mean([motion(below[n - 1:n + 1]) for n in beats])
    mid = np.mean([motion(below[n + 5:n + 10]) for n in beats if n + 10 < 60])
    assert on > 5.0 * mid, (on, mid)


def test_white_void_the_bar_wipes_the_echoes_on_its_downbeat():
    """White Void: the echoes are wiped on the bar's first beat as uBarPhase counts it
    (here the bar starts on beats 9 and 13, not on multiples of four): the page under
    the line empties on beat 13 and keeps its echoes through beat 12."""
    with Renderer("white_void", size=SIZE, fps=FPS) as renderer:
        frames = []
        for n in range(80):
            beats = 8.3 + 2.0 * n / FPS  # beat 12 arrives on frame 56, beat 13 on frame 71
            grid = replace(_beat_grid(n / FPS, beats), bar_phase=((beats - 1.0) / 4.0) % 1.0)
            frames.append(renderer.render(n / FPS, grid))
    below = [_ink(image[SIZE[1] // 2 + 3:]).sum() for image in frames]
    assert below[57] > below[55] and below[72] < 0.6 * below[70], [round(ink) for ink in below]
