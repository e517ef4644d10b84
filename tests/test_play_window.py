"""`visualizer play` in a real window under Xvfb: it shows the preset, and a
save while it runs hot-reloads (a broken save keeps the last good picture)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

VISUALIZER = str(Path(sys.executable).parent / "visualizer")
ROOT = Path(__file__).resolve().parent.parent



def play(display: str, *args: str, env_home: Path | None = None, seconds: float = 2.0):
    env = {**os.environ, "DISPLAY": display}
    if env_home is not None:
        env["VISUALIZER_HOME"] = str(env_home)
    return subprocess.Popen([VISUALIZER, "play", "--size", "320x180", "--seconds", str(seconds), *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_play_shows_the_default_preset(display, tmp_path):
    shot = tmp_path / "shot.png"
    process = play(display, "--screenshot", str(shot))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    image = iio.imread(shot)
    assert image.shape == (180, 320, 3) and image.std() > 5  # a lit flower in a dark void
    frames = int(stderr.strip().splitlines()[-1].split()[1])
    assert 60 <= frames <= 130  # paced at 60 fps for 2 s


def test_saves_hot_reload_in_the_window(display, tmp_path):
    shutil.copytree(ROOT / "shaders", tmp_path / "shaders")
    (tmp_path / "presets").mkdir()
    (tmp_path / "shaders" / "flat.glsl").write_text("uniform vec3 tint;\nvoid main() { fragColor = vec4(tint, 1.0); }\n")
    preset = tmp_path / "presets" / "flat.toml"
    preset.write_text('[params]\ntint = [1.0, 0.0, 0.0]\n\n[[passes]]\nshader = "flat.glsl"\ntarget = "output"\n')
    shot = tmp_path / "shot.png"
    process = play(display, "--preset", "flat", "--screenshot", str(shot), env_home=tmp_path, seconds=4.0)
    time.sleep(2.0)
    preset.write_text('[params]\ntint = [0.0, 0.0, 1.0]\n\n[[passes]]\nshader = "flat.glsl"\ntarget = "output"\n')
    time.sleep(0.7)
    (tmp_path / "shaders" / "flat.glsl").write_text("uniform vec3 tint;\nvoid main() { fragColor = broken; }\n")
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    image = iio.imread(shot)
    assert np.array_equal(image[40, 160], [0, 0, 255])  # the change shows; the break does not
    bottom = image[120:175, 20:300].reshape(-1, 3).astype(int)
    assert ((bottom[:, 0] > 200) & (bottom[:, 2] < 150)).any()  # the error in red text over the picture
    assert "flat.glsl:2: error: `broken' undeclared" in stderr and "last good version" in stderr
