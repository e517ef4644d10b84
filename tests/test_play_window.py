"""`visualizer play` in a real window under Xvfb: it shows the preset, and a
save while it runs hot-reloads (a broken save keeps the last good picture)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

VISUALIZER = str(Path(sys.executable).parent / "visualizer")



def play(display: str, *args: str, env_home: Path | None = None, seconds: float = 2.0):
    env = {**os.environ, "DISPLAY": display}
    if env_home is not None:
        env["VISUALIZER_PRESET_PATH"] = str(env_home / "presets")
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
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "flat.glsl").write_text("uniform vec3 tint;\nvoid main() { fragColor = vec4(tint, 1.0); }\n")
    preset = tmp_path / "presets" / "flat.toml"
    preset.write_text('[params]\ntint = [1.0, 0.0, 0.0]\n\n[[passes]]\nshader = "flat.glsl"\ntarget = "output"\n')
    shot = tmp_path / "shot.png"
    process = play(display, "--preset", "flat", "--screenshot", str(shot), env_home=tmp_path, seconds=4.0)
    time.sleep(2.0)
    preset.write_text('[params]\ntint = [0.0, 0.0, 1.0]\n\n[[passes]]\nshader = "flat.glsl"\ntarget = "output"\n')
    time.sleep(0.7)
    (tmp_path / "presets" / "flat.glsl").write_text("uniform vec3 tint;\nvoid main() { fragColor = broken; }\n")
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    image = iio.imread(shot)
    assert np.array_equal(image[40, 160], [0, 0, 255])  # the change shows; the break does not
    bottom = image[120:175, 20:300].reshape(-1, 3).astype(int)
    assert ((bottom[:, 0] > 200) & (bottom[:, 2] < 150)).any()  # the error in red text over the picture
    assert "flat.glsl:2: error: `broken' undeclared" in stderr and "last good version" in stderr


CLOCK_DRIVER = """
import json, sys
from pathlib import Path
import numpy as np
from visualizer.live.show import PlaySettings, Show

class Silent:
    sample_rate = 48000.0
    def read(self): return np.zeros((0, 2), np.float32)
    def status(self): return "silent"
    def close(self): pass

readings = [7.0, 7.0 + 1 / 60, 7.0 + 1 / 60 + 0.25]  # the third frame comes a quarter second late
show = Show(PlaySettings(Path(sys.argv[1]), (64, 48), 60.0), Silent(), now=lambda: readings.pop(0))
try:
    reds = []
    for _ in range(3):
        tick = show.step()
        reds.append(int(show.host.grab(gui=False)[24, 32, 0]))
    report = {"reds": reds, "delta": tick.delta, "gc_mode": show.ctx.gc_mode, "leaked": show.host.collected}
finally:
    show.close()
print("REPORT " + json.dumps(report))
"""


def test_the_window_measures_its_clock(display, tmp_path):
    """iTimeDelta in the window is the measured gap between frames (a fake clock here)."""
    (tmp_path / "delta.glsl").write_text("void main() { fragColor = vec4(iTimeDelta * 2.0, 0.0, 0.0, 1.0); }\n")
    preset = tmp_path / "delta.toml"
    preset.write_text('[[passes]]\nshader = "delta.glsl"\ntarget = "output"\n')
    env = {**os.environ, "DISPLAY": display}
    result = subprocess.run([sys.executable, "-c", CLOCK_DRIVER, str(preset)], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.split("REPORT ", 1)[1])
    assert report["delta"] == pytest.approx(0.25)
    assert abs(report["reds"][1] - 2 / 60 * 255) <= 1 and abs(report["reds"][2] - 0.5 * 255) <= 1
    assert report["gc_mode"] == "context_gc" and report["leaked"] == 0
