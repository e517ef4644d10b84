"""`visualizer play` in a real window under Xvfb: it shows the preset, and a
save while it runs hot-reloads (a broken save keeps the last good picture).

Timing is counted, never measured: the show runs on a fake clock where pacing
is the subject, and the reload test waits for each reload before the next save.
The windows run in subprocesses (driver scripts): this test session may hold an
EGL context, and a GLX window context in the same process fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

VISUALIZER = str(Path(sys.executable).parent / "visualizer")


def play(display: str, *args: str, seconds: float = 2.0):
    env = {**os.environ, "DISPLAY": display}
    return subprocess.Popen([VISUALIZER, "play", "--size", "320x180", "--seconds", str(seconds), *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_play_shows_the_default_preset(display, tmp_path):
    shot = tmp_path / "shot.png"
    process = play(display, "--screenshot", str(shot))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    image = iio.imread(shot)
    assert image.shape == (180, 320, 3) and image.std() > 5  # a lit flower in a dark void
    assert int(stderr.strip().splitlines()[-1].split()[1]) >= 1  # "showed N frames" (pacing: below)


SILENT_FEED = """
import numpy as np

class Silent:
    sample_rate = 48000.0
    def read(self): return np.zeros((0, 2), np.float32)
    def status(self): return "silent"
    def close(self): pass
"""


def run_driver(display: str, driver: str, *args: str, cwd: Path) -> tuple[dict, str]:
    """Run a driver script (SILENT_FEED + `driver`) on `display`; its REPORT and its stderr."""
    env = {**os.environ, "DISPLAY": display}
    result = subprocess.run([sys.executable, "-c", SILENT_FEED + driver, *args], env=env, cwd=cwd,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.split("REPORT ", 1)[1]), result.stderr


RELOAD_DRIVER = """
import json, logging, sys
from pathlib import Path
from visualizer.live.show import PlaySettings, Show

logging.basicConfig(format="%(levelname)s %(message)s", level=logging.INFO)  # as `visualizer play` does
preset, shot, saves = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
show = Show(PlaySettings(preset, (320, 180), 60.0), Silent())
try:
    for _ in range(3):
        show.step()
    for path, text, outcome in saves:  # each save, then frames until its reload (or its error) shows
        reloads = show.live.reloads
        Path(path).write_text(text)
        while (show.live.reloads == reloads) if outcome == "reload" else (show.live.error is None):
            assert show.live.watcher.wait_for_change(60), f"no {outcome} after saving {path}"  # bounds a hang
            show.step()
    for _ in range(3):
        show.step()  # a few frames with the error overlay drawn
    show.save_screenshot(shot)
    report = {"reloads": show.live.reloads, "error": show.live.error}
finally:
    show.close()
print("REPORT " + json.dumps(report))
"""

FLAT_PRESET = '[params]\ntint = [{}]\n\n[[passes]]\nshader = "flat.glsl"\ntarget = "output"\n'


def test_saves_hot_reload_in_the_window(display, tmp_path):
    shader, preset, shot = tmp_path / "flat.glsl", tmp_path / "flat.toml", tmp_path / "shot.png"
    shader.write_text("uniform vec3 tint;\nvoid main() { fragColor = vec4(tint, 1.0); }\n")
    preset.write_text(FLAT_PRESET.format("1.0, 0.0, 0.0"))
    saves = [(str(preset), FLAT_PRESET.format("0.0, 0.0, 1.0"), "reload"),
             (str(shader), "uniform vec3 tint;\nvoid main() { fragColor = broken; }\n", "error")]
    report, stderr = run_driver(display, RELOAD_DRIVER, str(preset), str(shot), json.dumps(saves), cwd=tmp_path)
    assert report["reloads"] == 1 and "flat.glsl:2" in report["error"]
    image = iio.imread(shot)
    assert np.array_equal(image[40, 160], [0, 0, 255])  # the change shows; the break does not
    bottom = image[120:175, 20:300].reshape(-1, 3).astype(int)
    assert ((bottom[:, 0] > 200) & (bottom[:, 2] < 150)).any()  # the error in red text over the picture
    assert "flat.glsl:2: error: `broken' undeclared" in stderr and "last good version" in stderr


CLOCK_DRIVER = """
import json, sys
from pathlib import Path
from visualizer.live.show import PlaySettings, Show

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
    report, _ = run_driver(display, CLOCK_DRIVER, str(preset), cwd=tmp_path)
    assert report["delta"] == pytest.approx(0.25)
    assert abs(report["reds"][1] - 2 / 60 * 255) <= 1 and abs(report["reds"][2] - 0.5 * 255) <= 1
    assert report["gc_mode"] == "context_gc" and report["leaked"] == 0


PACING_DRIVER = """
import json, sys
from pathlib import Path
from visualizer.live.show import PlaySettings, Show

clock, sleeps = [7.0], []
def sleep(seconds):
    sleeps.append(seconds)
    clock[0] += seconds

# 64 fps and costs in 1/256 s: every sum below is exact in binary floating point.
show = Show(PlaySettings(Path(sys.argv[1]), (64, 48), 64.0, seconds=0.5), Silent(), now=lambda: clock[0])
render = show.step
def step():  # each frame costs 1/256 s of fake time to draw; the fifth, 3/64 s (two frames late)
    clock[0] += 3 / 64 if show.frame == 4 else 1 / 256
    return render()
show.step = step
try:
    frames = show.run(sleep=sleep)
    report = {"frames": frames, "sleeps": sleeps, "ran": clock[0] - 7.0, "time": show.tick.time}
finally:
    show.close()
print("REPORT " + json.dumps(report))
"""


def test_play_paces_frames_to_fps_on_its_clock(display, tmp_path):
    """`run` sleeps out the rest of each 1/fps frame, catches up after a late frame,
    and ends after `seconds` of its clock with seconds * fps frames (a fake clock here)."""
    (tmp_path / "flat.glsl").write_text("void main() { fragColor = vec4(1.0); }\n")
    preset = tmp_path / "flat.toml"
    preset.write_text('[[passes]]\nshader = "flat.glsl"\ntarget = "output"\n')
    report, _ = run_driver(display, PACING_DRIVER, str(preset), cwd=tmp_path)
    on_time, catching_up = [3 / 256] * 4, [0.0, 0.0, 0.0, 1 / 256]  # frames 5-7 end late; 8 is back on time
    assert report["sleeps"] == on_time + catching_up + [3 / 256] * 24
    assert report["frames"] == 32 and report["ran"] == 0.5
    assert report["time"] == 31 / 64  # iTime of the last frame: on time, 31 frames after the first


# -- no display; the preview file streamed -----------------------------------------------------

@pytest.mark.parametrize("display_value", [None, ":77"])
def test_no_display_is_one_line_without_glfw_warnings(tmp_path, display_value):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    if display_value:
        env["DISPLAY"] = display_value  # nothing listens there
    result = subprocess.run([VISUALIZER, "play", "--seconds", "1"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot open a window: no display (X11: ")
    assert result.stderr.count("\n") == 1 and "Warning" not in result.stderr


def test_the_preview_file_streams_in_a_few_blocks_and_loops(tmp_path):
    import tracemalloc

    import soundfile

    from visualizer.audio.playback import FileFeed

    rate = 44100
    ramp = (np.arange(60 * rate) % 1000 / 1000.0).astype(np.float32)  # 60 s: 21 MB decoded as float32 stereo
    path = tmp_path / "long.wav"
    soundfile.write(path, np.stack([ramp, -ramp], axis=1), rate, subtype="PCM_24")
    tracemalloc.start()
    try:
        feed = FileFeed(path)
        first = feed.take(3 * rate)  # a stall of 3 s: only the newest 2 s come back
        rest = feed.take(57 * rate + 500)  # past the end: the file loops
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        feed.close()
    assert peak < 8 * 2**20, f"{peak / 2**20:.1f} MiB in memory at once"
    assert len(first) == 2 * rate and first[0, 0] == pytest.approx(ramp[rate], abs=1e-6)
    assert len(rest) == 2 * rate and rest[-1, 0] == pytest.approx(ramp[499], abs=1e-6)
