"""The renders and figures behind the art checks (tests/test_preset_art.py), shared with
bench/art.py, which prints them for every preset.

A preset is rendered at 128x72, 30 fps, over 12 s of the demo from 8.0 s (the
build into the full groove), over its breakdown (24-27 s: a third of the
loudness; the 12 s window holds no quiet passage, its quarters' RMS lie within
6%), around the drop (28.0 s) and under a steady input, first with the beat
grid held, then with it ticking at 120 BPM.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

import art
from visualizer.api import Renderer
from visualizer.audio.decode import AudioFile
from visualizer.audio.demo import demo_track_path
from visualizer.features.frame import FrameFeatures
from visualizer.features.rhythm import BEAT_DECAY
from visualizer.features.smoothing import pulse
from visualizer.preset.loader import load_preset

SIZE, FPS = (128, 72), 30
WINDOW_START, WINDOW_S = 8.0, 12.0
"""The issue's window: the demo from 0:08 for 12 s."""
QUIET_START, QUIET_S = 24.0, 3.0
"""The demo's breakdown, a quarter of the window long."""
DROP_FRAME = 840
"""28.0 s at 30 fps: the demo's drop."""
DROP_FRAMES = 18
"""Frames drawn around the drop: 3 before it, the drop frame, and half a second after."""
SETTLE_FRAMES = 90
"""Frames of steady input before it is measured: echoes of the music before die away."""
LAGS = range(-3, 4)
"""Frames the picture may trail (+) or lead (-) the sound, for the onset correlation."""


def steady_input(time: float, beats: float | None = None) -> FrameFeatures:
    """A sustained chord at 120 BPM: every feature constant. The beat grid stands still at
    beat 8.3, or with `beats` (a count of beats, fractional) it is there, ticking on."""
    at = 8.3 if beats is None else beats
    return replace(FrameFeatures.silent(time), level=0.5, bass=0.5, mid=0.5, high=0.4, intensity=0.5,
                   tempo_bpm=120.0, tempo_confidence=1.0, beat_phase=at % 1.0, bar_phase=(at / 4.0) % 1.0,
                   beat_count=int(at), beat_pulse=pulse((at % 1.0) * 0.5, BEAT_DECAY))


def demo_audio() -> tuple[np.ndarray, int]:
    """The demo track, mono, and its sample rate."""
    with AudioFile(demo_track_path()) as decoded:
        return decoded.read().mean(axis=1), decoded.sample_rate


def render_for_checks(name: str) -> dict[str, object]:
    """The frames the checks read, by part: window, quiet, drop (from 3 frames before it), steady, ticking."""
    track = demo_track_path()
    with Renderer(name, size=SIZE, fps=FPS) as renderer:
        def window(start: float, seconds: float) -> list[np.ndarray]:
            return [image for _, image in renderer.frames(track, start=start, seconds=seconds)]

        result = {"name": name, "tags": set(load_preset(name).tags),
                  "window": window(WINDOW_START, WINDOW_S), "quiet": window(QUIET_START, QUIET_S),
                  "drop": window((DROP_FRAME - 3) / FPS, DROP_FRAMES / FPS)}
        times = [30.0 + k / FPS for k in range(SETTLE_FRAMES + 120)]
        held = [renderer.render(time, steady_input(time)) for time in times[:SETTLE_FRAMES + 60]]
        result["steady"] = held[SETTLE_FRAMES:]
        start = times[SETTLE_FRAMES + 60]
        result["ticking"] = [renderer.render(time, steady_input(time, 8.3 + 2.0 * (time - start)))
                             for time in times[SETTLE_FRAMES + 60:]]
    return result


@dataclass(frozen=True)
class Figures:
    """What the art checks measure on one preset (levels are 8-bit)."""

    flat_frames: dict[str, list[int]]
    """Part -> indices of blank, NaN or flat frames."""
    flicker: float
    beat_held: float
    beat_ticking: float
    """Mean change a frame under the steady input, beat grid held and ticking."""
    r_by_lag: dict[int, float]
    loud_ratio: float
    """Motion of the window's loudest quarter over motion in the breakdown."""
    void_min: float
    hue_max: float
    flash_before: float
    flash_jump: float
    """Change into the frame before the drop, and into the drop frame."""

    @property
    def best_lag(self) -> int:
        return max(self.r_by_lag, key=self.r_by_lag.get)


def figures(rendered: dict, samples: np.ndarray, rate: int) -> Figures:
    """Measure the frames `render_for_checks` drew (`samples`: the demo, mono, at `rate`)."""
    change = art.frame_changes(rendered["window"])
    onsets = art.onset_envelope(samples, rate, WINDOW_START, FPS, len(rendered["window"]))
    quarters = np.array_split(np.arange(len(change)), 4)
    loudest = max(quarters, key=lambda frames: art.rms(samples, rate, WINDOW_START + frames[0] / FPS,
                                                        len(frames) / FPS))
    before, jump = art.frame_changes(rendered["drop"])[1:3]
    return Figures(
        flat_frames={part: [k for k, image in enumerate(rendered[part]) if art.is_flat(image)]
                     for part in ("window", "quiet", "drop", "steady")},
        flicker=art.flicker_levels(rendered["steady"]),
        beat_held=float(art.frame_changes(rendered["steady"]).mean()),
        beat_ticking=float(art.frame_changes(rendered["ticking"]).mean()),
        r_by_lag=art.correlation_by_lag(change, onsets, LAGS),
        loud_ratio=float(change[loudest].mean() / max(art.frame_changes(rendered["quiet"]).mean(), 1e-6)),
        void_min=min(art.void_share(image) for part in ("window", "quiet", "drop") for image in rendered[part]),
        hue_max=max(art.hue_coverage_degrees(image) for image in rendered["window"][::15]),
        flash_before=float(before), flash_jump=float(jump))
