"""Golden images: a few presets rendered on a fixed clock with fixed synthetic
music, compared with PNGs kept in tests/golden/ (160x90, a few KB each).

`pytest tests/test_golden.py --regen-golden` rewrites them from this machine's
renders; look at them before committing. The tolerance allows the small
differences between Mesa llvmpipe builds, not a changed look.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

from visualizer.api import Renderer
from visualizer.features.frame import BAND_COUNT, FrameFeatures
from visualizer.preset.scaffold import scaffold_preset

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SIZE = (160, 90)
FPS = 30.0
MEAN_TOLERANCE = 0.75
"""Largest mean absolute difference, in 8-bit levels over every channel value."""
LIT_LEVELS, LIT_TOLERANCE = 24, 1.5
"""Largest mean absolute difference over the lit pixels (any channel above LIT_LEVELS in
either image): the picture itself, however much dark void is around it."""
OUTLIER_LEVELS, OUTLIER_SHARE = 48, 0.005
"""At most this share of channel values may differ by more than OUTLIER_LEVELS (an edge
that moved by a pixel between Mesa builds)."""


def music(frame: int) -> FrameFeatures:
    """A steady groove: a kick every half second (15 frames), mids and highs alive."""
    since_kick = (frame % 15) / FPS
    hit = float(np.exp(-since_kick * 12.0))
    return replace(FrameFeatures.silent(frame / FPS), level=0.55 + 0.35 * hit, bass=0.3 + 0.7 * hit,
                   mid=0.5, high=0.4, bass_hit=hit, onset=hit, beat_pulse=hit, intensity=0.6,
                   beat_phase=(frame % 15) / 15.0, bar_phase=(frame % 60) / 60.0,
                   beat_count=frame // 15, tempo_bpm=120.0, tempo_confidence=1.0,
                   bands=spectrum(hit))


def spectrum(hit: float) -> np.ndarray:
    """Band levels (BAND_COUNT, float32): a falling slope from the bass, a bump in the mids
    and the kick's boom in the lowest bands."""
    x = np.linspace(0.0, 1.0, BAND_COUNT)
    levels = 0.75 - 0.45 * x + 0.2 * np.exp(-((x - 0.45) / 0.08) ** 2) + 0.25 * hit * np.exp(-x / 0.1)
    return np.clip(levels, 0.0, 1.0).astype(np.float32)


def shipped(name: str):
    """A shipped preset, by name."""
    return lambda tmp_path: name


def template(tmp_path: Path) -> Path:
    """What `visualizer presets new` writes."""
    return scaffold_preset("ring", tmp_path)[0]


def docs_example(tmp_path: Path) -> Path:
    """The annotated example of docs/presets.md, its files as the docs name them."""
    text = (ROOT / "docs" / "presets.md").read_text()
    for block in re.findall(r"```(?:toml|glsl)\n(.*?)```", text, re.S):
        path = tmp_path / block.splitlines()[0].lstrip("#/ ").strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block)
    return tmp_path / "presets" / "pulse_rings" / "preset.toml"


CASES = {"mimic_bloom": (shipped("mimic_bloom"), 45), "black_void": (shipped("black_void"), 45),
         "template": (template, 20), "docs_pulse_rings": (docs_example, 20)}
"""Golden name -> (where its preset comes from, frames rendered; the last is compared)."""


def render_last_frame(preset: str | Path, frames: int) -> np.ndarray:
    with Renderer(preset, size=SIZE, fps=FPS) as renderer:
        for frame in range(frames):
            image = renderer.render(frame / FPS, music(frame))
    return image


@pytest.mark.parametrize("name", CASES)
def test_preset_matches_its_golden_image(name, tmp_path, request):
    source, frames = CASES[name]
    image = render_last_frame(source(tmp_path), frames)
    golden = GOLDEN / f"{name}.png"
    if request.config.getoption("--regen-golden"):
        iio.imwrite(golden, image, optimize=True)
    assert golden.is_file(), f"{golden} is missing: run pytest {__file__} --regen-golden"
    expected = iio.imread(golden)
    assert expected.shape == image.shape
    diff = np.abs(image.astype(np.int16) - expected.astype(np.int16))
    lit = np.maximum(image, expected).max(axis=2) > LIT_LEVELS
    lit_mean = float(diff[lit].mean()) if lit.any() else 0.0
    outliers = float((diff > OUTLIER_LEVELS).mean())
    if diff.mean() > MEAN_TOLERANCE or lit_mean > LIT_TOLERANCE or outliers > OUTLIER_SHARE:
        actual = tmp_path / f"{name}-actual.png"
        iio.imwrite(actual, image)
        pytest.fail(f"{name}: mean difference {diff.mean():.2f} levels (at most {MEAN_TOLERANCE}), "
                    f"{lit_mean:.2f} where lit (at most {LIT_TOLERANCE}), {outliers:.2%} of values off by "
                    f"more than {OUTLIER_LEVELS} (at most {OUTLIER_SHARE:.1%}); the render is {actual}. "
                    "If the new look is intended: --regen-golden")
