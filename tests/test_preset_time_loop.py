"""7:03 (time_loop): the day that repeats, on the demo track, small and headless.

The loop resets on each bar's downbeat (the clock returns moved and changed,
the alarm rings), the drop (28.0 s) is a red flash, silence fades to a still
black frame with one thin hand, and a render from any --start equals the full
render at that frame (its echoes are image feedback, covered by meta.history).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from visualizer.api import Renderer
from visualizer.audio.decode import AudioFile
from visualizer.audio.demo import demo_track_path
from visualizer.features.frame import FrameFeatures
from visualizer.features.schedule import FeatureSchedule

PRESET = "time_loop"
SIZE = (128, 72)
FPS = 30.0
DROP_FRAME = 840  # 28.0 s: the demo's drop
FULL_SECONDS = 21.0


def _frames(renderer: Renderer, start: float, seconds: float) -> dict[int, np.ndarray]:
    return {round(time * FPS): image.astype(np.float64)
            for time, image in renderer.frames(demo_track_path(), start=start, seconds=seconds)}


def downbeats(first: int, last: int) -> list[int]:
    """Frames in first..last where the offline beat grid starts a new bar."""
    found, previous = [], None
    with AudioFile(demo_track_path()) as audio:
        index = 0
        for block in FeatureSchedule(audio, FPS, "offline").blocks_until(last + 1):
            for features in block:
                bar = round((features.beat_count - 1 - features.bar_phase * features.beats_per_bar)
                            / features.beats_per_bar)
                if previous is not None and bar != previous and first <= index <= last:
                    found.append(index)
                previous, index = bar, index + 1
    return found


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[int, np.ndarray]]:
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        return {"full": _frames(renderer, 0.0, FULL_SECONDS), "drop": _frames(renderer, 27.8, 0.4)}


def change(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference, in 8-bit levels."""
    return float(np.abs(a - b).mean())


def test_frames_are_neither_blank_nan_nor_flat(rendered):
    frames = {**rendered["full"], **rendered["drop"]}
    for frame in (120, 300, 480, 600, DROP_FRAME - 1, DROP_FRAME, DROP_FRAME + 5):
        image = frames[frame]
        assert np.isfinite(image).all()
        assert image.mean() > 12.0, f"frame {frame} is blank (mean {image.mean():.1f})"
        assert image.std() > 8.0, f"frame {frame} is flat (std {image.std():.1f})"


def test_the_loop_resets_on_the_downbeat(rendered):
    """The frame just after each downbeat (14-20.5 s) differs clearly from the
    one before it, and far more than the frames before that changed."""
    frames = rendered["full"]
    bars = downbeats(420, 615)
    assert len(bars) >= 3, bars
    for bar in bars:
        before = change(frames[bar - 2], frames[bar - 1])
        reset = change(frames[bar - 1], frames[bar])
        assert reset > 15.0 and reset > 3.0 * before, (
            f"downbeat at frame {bar}: changed {reset:.1f} levels (the frame before changed {before:.1f})")


def test_the_drop_is_a_red_flash(rendered):
    frames = rendered["drop"]
    drop, before = frames[DROP_FRAME], frames[DROP_FRAME - 1]
    assert change(drop, before) > 25.0
    red, green, blue = (drop[..., c].mean() for c in range(3))
    assert red > 2.0 * green and red > 2.0 * blue, (red, green, blue)
    red, green, blue = (before[..., c].mean() for c in range(3))
    assert red < 2.0 * max(green, blue), "the frame before the drop is already red"


def test_a_start_render_equals_the_full_render(rendered):
    """Frames drawn from --start (its history warmed up unseen) equal the full
    render's, past the history so the warm-up alone cannot explain a match."""
    full = rendered["full"]
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        for start in (12.37, 20.0):
            for frame, image in _frames(renderer, start, 0.2).items():
                worst = np.abs(image - full[frame]).max()
                assert worst == 0, f"start {start}: frame {frame} differs by up to {worst:.0f} levels"


def test_silence_fades_to_a_still_black_frame_with_one_thin_hand():
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        images = [renderer.render(n / FPS, FrameFeatures.silent(n / FPS)).astype(np.float64) for n in range(90)]
    last = images[-1]
    still = change(last, images[-2])
    assert still < 1.0, f"silence moves {still:.2f} levels a frame (film grain alone is under 1)"
    lit = last.max(axis=2) > 60
    assert last.mean() < 6.0, f"silence is not black (mean {last.mean():.1f})"
    assert 0.001 < lit.mean() < 0.03, f"{lit.mean():.2%} of the frame lit: not one thin hand"


def groove(time: float, **values: float) -> FrameFeatures:
    """A steady groove at 120 BPM, mid-bar (no reset near), with `values` changed."""
    beats = 2.0 * time
    features = replace(FrameFeatures.silent(time), level=0.6, bass=0.5, mid=0.5, high=0.4, tempo_bpm=120.0,
                       tempo_confidence=1.0, beat_phase=beats % 1.0, bar_phase=0.3 + 0.1 * (beats % 1.0),
                       beat_count=9.0)
    return replace(features, **values)


def test_an_onset_flares_the_picture_on_its_own_frame():
    """Any onset (uOnset) brightens the light and the echoes on the frame of
    the hit: the picture answers the music at once, not a frame later."""
    frames = 45
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        for n in range(frames):
            renderer.render(n / FPS, groove(n / FPS, beat_phase=0.3))
        calm = renderer.render(frames / FPS, groove(frames / FPS, beat_phase=0.3)).astype(np.float64)
    with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
        for n in range(frames):
            renderer.render(n / FPS, groove(n / FPS, beat_phase=0.3))
        hit = renderer.render(frames / FPS, groove(frames / FPS, beat_phase=0.3, onset=1.0)).astype(np.float64)
    assert hit.mean() > calm.mean() + 8.0, (hit.mean(), calm.mean())


def test_quiet_music_calms_the_loop():
    """With the beat ticking, loud music (uLevel) moves the picture more than
    quiet music: the echoes drift, turn and ring with the level, so a
    breakdown or a riser calms the picture instead of animating it."""
    def motion(level: float) -> float:
        with Renderer(PRESET, size=SIZE, fps=FPS) as renderer:
            images = [renderer.render(n / FPS, groove(n / FPS, level=level, beat_pulse=0.0)).astype(np.float64)
                      for n in range(75)]
        return float(np.mean([change(a, b) for a, b in zip(images[45:], images[46:])]))
    loud, quiet = motion(0.8), motion(0.2)
    assert loud > 1.2 * quiet, (loud, quiet)
