"""The live show's HUD: frame-time statistics (known answers), the guards that
turn bad values into "?", and the HUD drawn in a real window under Xvfb (in a
subprocess: this session may hold an EGL context, and a GLX one then fails)."""

from __future__ import annotations

import json
import logging
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from visualizer.live.hud import FrameTimes, Hud, HudModel
from visualizer.live.hud_frames import MAX_FRAME_MS
from visualizer.live.hud_style import font_px, line, number, switched_on, unit, whole

# -- FrameTimes ----------------------------------------------------------------------------------


def test_frame_times_statistics_of_one_to_a_hundred():
    times = FrameTimes(capacity=100)
    for ms in range(1, 101):
        times.add(ms)
    assert times.median == pytest.approx(50.5)
    assert times.p99 == pytest.approx(99.01)  # rank 0.99 * 99 = 98.01: between 99 and 100
    assert times.percentile(0) == 1.0 and times.percentile(100) == 100.0
    assert times.fps == pytest.approx(1000.0 * 100 / 5050)
    assert list(times) == [float(ms) for ms in range(1, 101)]


def test_frame_times_keeps_the_newest_in_a_fixed_ring():
    times = FrameTimes(capacity=4)
    ring = times.ring
    for ms in range(1, 7):
        times.add(ms)
    assert list(times) == [3.0, 4.0, 5.0, 6.0] and times[-1] == 6.0 and len(times) == 4
    assert times.median == pytest.approx(4.5) and times.fps == pytest.approx(1000.0 * 4 / 18)
    values, offset = times.plot_view()  # plot_lines reads the ring from `offset`, wrapping
    assert [values[(offset + i) % 4] for i in range(4)] == [3.0, 4.0, 5.0, 6.0]
    for ms in range(10_000):
        times.add(ms % 50)
    assert times.ring is ring and times.ring.nbytes == 16


def test_frame_times_skip_what_is_not_a_time():
    times = FrameTimes(capacity=8)
    for bad in (float("nan"), float("inf"), -float("inf"), "fast", None):
        times.add(bad)  # type: ignore[arg-type]
    assert len(times) == 0 and times.median == 0.0 and times.p99 == 0.0 and times.fps == 0.0
    times.add(-5.0)
    times.add(1e300)
    assert list(times) == [0.0, MAX_FRAME_MS]


def test_frame_times_need_room_for_one():
    with pytest.raises(ValueError, match="capacity"):
        FrameTimes(capacity=0)


# -- guards and the layer without a window ---------------------------------------------------------


def test_values_the_hud_cannot_show_become_question_marks():
    assert number(float("nan")) == "?" and number(1e300) == "?" and number("x") == "?" and number(128) == "128.0"
    assert unit(float("inf")) is None and unit(None) is None and unit(2.5) == 1.0 and unit(-1) == 0.0
    assert whole(1e30) is None and whole(float("nan")) is None and whole(3.7) == 3
    assert switched_on(np.bool_(True)) and not switched_on(float("nan")) and not switched_on("yes")
    assert line("first\nsecond") == "first" and line("x" * 100, 10) == "xxxxxxx..." and line(None) == ""


def test_the_font_follows_the_window_height():
    assert font_px(360) == 13.0 and font_px(1080) == 27.0 and font_px(4320) == 48.0


def test_toggle_shows_and_hides():
    hud = Hud(HudModel)
    assert not hud.visible
    hud.toggle()
    assert hud.visible
    hud.toggle()
    assert not Hud(HudModel, visible=False).visible and not hud.visible


def test_frame_times_from_any_sequence_are_the_newest_that_fit():
    from collections import deque

    hud = Hud(HudModel)
    times = FrameTimes()
    assert hud._frame_times(times) is times  # drawn as it is, no copy
    many = deque(float(ms) for ms in range(1000))
    copied = hud._frame_times(many)
    assert len(copied) == copied.capacity and copied[0] == 1000.0 - copied.capacity and copied[-1] == 999.0
    assert list(hud._frame_times([4.0, float("nan"), "x", 6.0])) == [4.0, 6.0]
    assert len(hud._frame_times(42)) == 0  # type: ignore[arg-type]


def test_a_failing_model_is_logged_once_and_never_raised(caplog):
    def broken() -> HudModel:
        raise RuntimeError("the show's model broke")

    hud = Hud(broken, visible=True)
    with caplog.at_level(logging.WARNING, logger="visualizer.live.hud"):
        for _ in range(3):
            hud.draw_gui((640, 360))
    assert [r.getMessage() for r in caplog.records] == ["HUD: RuntimeError: the show's model broke (the show goes on)"]


# -- in a real window --------------------------------------------------------------------------------

WINDOW_DRIVER = """
import json, math, tracemalloc
import numpy as np
from visualizer.live.hud import FrameTimes, Hud, HudModel
from visualizer.output.window import WindowHost

class Flat:
    def draw(self, ctx): ctx.clear(0.2, 0.4, 0.6)

class Exploding(tuple):
    def __getitem__(self, index): raise RuntimeError("a band exploded")

times = FrameTimes()
for i in range(300):
    times.add(16.7 + (14.0 if i % 50 == 0 else 0.0))
GOOD = HudModel(preset="mimic_bloom", next_preset="petal_rain", transition="flower_iris 40%", bpm=128.0,
                beat_pulse=0.9, beat_in_bar=2, bar=17, section=3, build=0.4, drop=0.8, bands=(0.7, 0.9, 0.5, 0.2),
                fps=59.6, frame_ms=times, audio="pulse 48 kHz", midi="nanoKONTROL2", osc="127.0.0.1:9000",
                midi_active=True, locked=True, blackout=True, frozen=True, message="press Esc again to quit",
                error="main.glsl:42: error: 'bloom' undeclared")
nan, inf = float("nan"), float("inf")
BAD = HudModel(preset="x" * 500, next_preset=None, transition=7, bpm=nan, beat_pulse=inf, beat_in_bar=10**40,
               beats_per_bar=-3, bar=nan, section=1e300, build=-inf, drop=nan, bands=(nan, 1e308, -1e308, inf) * 5,
               band_names=(None,), fps=inf, target_fps=0.0, frame_ms=[nan, 1e300, -5.0, inf, "slow"],
               audio=None, midi=12, osc="a\\nb", midi_active=nan, message="m" * 5000, error="e\\n" * 500)
model = [GOOD]
host = WindowHost((640, 360), "hud")
hud = Hud(lambda: model[0])
host.layers.append(Flat())
host.gui_layers.append(hud)
try:
    def settled():  # ImGui sizes a window from its last frame's content: one frame to settle
        host.compose()
        return host.grab()

    shots = {"hidden": settled()}
    hud.toggle()
    shots["good"] = settled()
    model[0] = BAD
    shots["bad"] = settled()
    model[0] = HudModel(preset="boom", bands=Exploding((0.5,)))  # raises halfway through the panel
    shots["exploding"] = settled()
    model[0] = GOOD
    shots["after"] = settled()
    for _ in range(20):
        host.compose()
    tracemalloc.start(8)
    before = tracemalloc.take_snapshot()
    for _ in range(100):
        host.compose()
    hud_only = [tracemalloc.Filter(True, "*/visualizer/live/hud*", all_frames=True)]  # not ImGui's renderer
    grown = sum(stat.size_diff for stat in tracemalloc.take_snapshot().filter_traces(hud_only).compare_to(
        before.filter_traces(hud_only), "filename"))
    tracemalloc.stop()
    hud.toggle()
    shots["toggled_off"] = settled()
finally:
    host.release()
flat = shots["hidden"][0, 0].tolist()
report = {"flat": flat, "grown": grown}
for name, image in shots.items():
    changed = np.argwhere((image != np.array(flat, np.uint8)).any(axis=2))
    box = changed.min(axis=0).tolist() + changed.max(axis=0).tolist() if len(changed) else []
    report[name] = [int(len(changed))] + box  # count, then top, left, bottom, right of the changed pixels
report["same_as_good"] = bool(np.array_equal(shots["after"], shots["good"]))
print("REPORT " + json.dumps(report))
"""


def test_the_hud_draws_in_its_corner_and_survives_bad_values(display, tmp_path):
    env = {**os.environ, "DISPLAY": display}
    result = subprocess.run([sys.executable, "-c", WINDOW_DRIVER], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.split("REPORT ", 1)[1])
    assert report["flat"] == [51, 102, 153]
    assert report["hidden"] == [0] and report["toggled_off"] == [0]  # hidden: the picture untouched
    corner_left = 640 - (17 + 0.5) * 13 - 2  # panel width 17 em and margin 0.5 em, at 13 px (360 px high)
    for name in ("good", "bad", "exploding", "after"):
        count, top, left, bottom, right = report[name]
        assert count > 5000, name  # a panel, not a stray pixel
        assert left >= corner_left and right <= 640 - 6 and top >= 6, (name, report[name])
    assert report["good"][3] < 0.85 * 360  # compact even at 360 px, with every line shown (badges, message, error)
    assert report["same_as_good"]  # a frame that failed mid-panel leaves ImGui ready for the next
    assert "a band exploded" in result.stderr and result.stderr.count("HUD: ") == 1  # logged once
    assert report["grown"] < 16 * 1024, f"{report['grown']} bytes kept after 100 frames"
