"""The Python API: presets to numpy arrays with no window."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import soundfile

from visualizer.api import Renderer
from visualizer.errors import PresetError
from visualizer.features.frame import FrameFeatures


def test_render_set_and_frames_match_the_cli_clock(tmp_path):
    t = np.arange(44100 * 2) / 44100
    wav = tmp_path / "kick.wav"
    soundfile.write(wav, (np.sin(2 * np.pi * 55 * t) * np.exp(-(t % 0.5) * 10)).astype(np.float32), 44100)
    with Renderer("mimic_bloom", size=(64, 36), fps=15) as renderer:
        frames = list(renderer.frames(wav, start=0.5, seconds=1.0))
        assert [round(time * 15) for time, _ in frames] == list(range(8, 23))
        assert frames[0][1].shape == (36, 64, 3) and frames[0][1].dtype == np.uint8
        before = renderer.render(1.0, replace(FrameFeatures.silent(1.0), level=1.0))
        renderer.set(exposure=3.0)
        assert renderer.params["exposure"] == 3.0
        after = renderer.render(1.0, replace(FrameFeatures.silent(1.0), level=1.0))
        assert after.astype(float).mean() > before.astype(float).mean()
        with pytest.raises(PresetError, match="no parameter 'nope'"):
            renderer.set(nope=1.0)
    renderer.close()  # twice is safe
