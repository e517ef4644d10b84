"""Hot reload with real file writes under watchdog: change, break, fix, each
observed in rendered pixels. A shader change is checked in the probe process
first; a runaway shader is stopped there while the last good version keeps
rendering (limits from the environment, events counted, never timed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import frame_inputs
from visualizer.live.reload import LiveGraph

PRESET = '[params]\nred = {red}\n\n[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n'
SHADER = '#include "lib/green.glsl"\nuniform float red;\nvoid main() {{ fragColor = vec4(red, green(), {blue}, 1.0); }}\n'
GREEN = "// green\nfloat green() {{ return {green}; }}\n"


@pytest.fixture
def preset_files(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "green.glsl").write_text(GREEN.format(green="0.0"))
    (tmp_path / "scene.glsl").write_text(SHADER.format(blue="0.0"))
    (tmp_path / "p.toml").write_text(PRESET.format(red="0.0"))
    return tmp_path


HANG_S = 30.0
"""Seconds before a wait for a file event gives up: a bound on a hang, never a measurement."""


def pixel_after_change(live: LiveGraph, timeout: float = HANG_S) -> list[int]:
    """Poll until the watcher reports a change and it is handled (its check too); the new pixel."""
    assert live.watcher.wait_for_change(timeout), "no change was noticed"  # the timeout bounds a hang only
    assert live.poll() is not None
    live.settle()
    return render_pixel(live)


def render_pixel(live: LiveGraph) -> list[int]:
    live.graph.render(frame_inputs(0), live.engine.step(frame_inputs(0).features))
    return live.graph.read_rgb()[0, 0].tolist()


def test_change_break_and_fix_each_show_in_pixels(ctx, preset_files):
    live = LiveGraph(ctx, preset_files / "p.toml", (4, 4), 30.0)
    try:
        (preset_files / "p.toml").write_text(PRESET.format(red="1.0"))  # change the preset
        assert pixel_after_change(live) == [255, 0, 0]
        (preset_files / "lib" / "green.glsl").write_text(GREEN.format(green="1.0"))  # change an include
        assert pixel_after_change(live) == [255, 255, 0]
        (preset_files / "scene.glsl").write_text(SHADER.format(blue="undefined_blue"))  # break the shader
        assert pixel_after_change(live) == [255, 255, 0]  # the last good version keeps rendering
        assert live.error.startswith(f"{preset_files / 'scene.glsl'}:3: error: `undefined_blue' undeclared")
        (preset_files / "p.toml").write_text("[params\n")  # break the TOML too
        assert pixel_after_change(live) == [255, 255, 0]
        assert "p.toml:1:" in live.error and "TOML syntax error" in live.error
        (preset_files / "p.toml").write_text(PRESET.format(red="1.0"))
        (preset_files / "scene.glsl").write_text(SHADER.format(blue="1.0"))  # fix: recovers, no restart
        while live.error is not None:  # one or two reloads, as the two saves arrive
            assert live.watcher.wait_for_change(HANG_S), live.error  # the timeout bounds a hang only
            live.poll()
        assert render_pixel(live) == [255, 255, 255] and live.reloads >= 3
    finally:
        live.release()
        live.release()


def test_an_editor_that_saves_by_renaming_is_noticed(ctx, preset_files):
    live = LiveGraph(ctx, preset_files / "p.toml", (4, 4), 30.0)
    try:
        temp = preset_files / ".p.toml.swp"
        temp.write_text(PRESET.format(red="1.0"))
        temp.replace(preset_files / "p.toml")
        assert pixel_after_change(live) == [255, 0, 0]
    finally:
        live.release()


def test_the_watcher_wakes_a_waiter_on_a_save_and_not_before(preset_files):
    from visualizer.live.watch import PresetWatcher

    watcher = PresetWatcher([preset_files / "p.toml"]).start()
    try:
        assert not watcher.wait_for_change(0.0)  # nothing pending yet
        (preset_files / "unwatched.txt").write_text("x")
        (preset_files / "p.toml").write_text(PRESET.format(red="0.5"))
        assert watcher.wait_for_change(HANG_S)  # the timeout bounds a hang only
        assert watcher.take_change() is not None and not watcher.wait_for_change(0.0)
    finally:
        watcher.stop()


RUNAWAY = """
#define STEP acc = sin(acc * 1.37 + iTime);
#define STEP4 STEP STEP STEP STEP
#define STEP16 STEP4 STEP4 STEP4 STEP4
#define LOOP for (int i = 0; i < 1000000; i++) { STEP16 }
#define LOOP4 LOOP LOOP LOOP LOOP
uniform float red;
void main() {
    float acc = gl_FragCoord.x + red;
    LOOP4 LOOP4 LOOP4 LOOP4
    fragColor = vec4(acc, 0.0, 0.0, 1.0);
}
"""
"""A first frame that takes minutes at 32x32 (llvmpipe ends each loop after 65535 turns)."""


def test_a_runaway_shader_is_stopped_in_the_probe_and_the_last_good_version_keeps_rendering(
        ctx, preset_files, monkeypatch):
    monkeypatch.setenv("VISUALIZER_FRAME_LIMIT", "2")  # the probe inherits it
    live = LiveGraph(ctx, preset_files / "p.toml", (32, 32), 30.0)
    try:
        good = render_pixel(live)
        (preset_files / "scene.glsl").write_text(RUNAWAY)
        assert live.watcher.wait_for_change(HANG_S)  # the timeout bounds a hang only
        live.poll()
        assert live.checking and render_pixel(live) == good  # the show draws on while the probe is stuck
        while live.checking:
            assert live.watcher.wait_for_change(HANG_S)  # woken when the check ends
            live.poll()
        assert live.error.startswith(f"{preset_files / 'scene.glsl'}: its first frame at 32x32 took longer"
                                     " than 2 s"), live.error
        assert render_pixel(live) == good and live.reloads == 0
        (preset_files / "scene.glsl").write_text(SHADER.format(blue="1.0"))  # a new probe checks the fix
        assert pixel_after_change(live) == [0, 0, 255] and live.error is None and live.reloads == 1
    finally:
        live.release()


def test_a_parameter_only_save_is_applied_at_once_without_a_check(ctx, preset_files):
    live = LiveGraph(ctx, preset_files / "p.toml", (4, 4), 30.0)
    try:
        (preset_files / "p.toml").write_text(PRESET.format(red="1.0"))
        assert live.watcher.wait_for_change(HANG_S)  # the timeout bounds a hang only
        assert live.poll() is not None and not live.checking and live.reloads == 1
        assert render_pixel(live) == [255, 0, 0] and live.last_check is None
        (preset_files / "scene.glsl").write_text(SHADER.format(blue="1.0"))  # code: checked first
        assert pixel_after_change(live) == [255, 0, 255] and live.last_check.sources is not None
    finally:
        live.release()


def test_a_save_during_a_check_is_checked_after_it_and_only_its_outcome_counts(
        ctx, preset_files, monkeypatch):
    monkeypatch.setenv("VISUALIZER_FRAME_LIMIT", "2")
    live = LiveGraph(ctx, preset_files / "p.toml", (32, 32), 30.0)
    try:
        (preset_files / "scene.glsl").write_text(RUNAWAY)
        assert live.watcher.wait_for_change(HANG_S)  # the timeout bounds a hang only
        live.poll()
        assert live.checker.wait_busy_with(str(preset_files / "scene.glsl"), HANG_S), \
            "the probe never started on the runaway shader"  # the timeout bounds a hang only
        (preset_files / "scene.glsl").write_text(SHADER.format(blue="1.0"))  # fixed before the check ends
        assert live.watcher.wait_for_change(HANG_S)
        live.poll()
        live.settle()  # the stuck check runs out, a new probe checks the fix
        assert live.error is None and live.reloads == 1 and render_pixel(live) == [0, 0, 255]
    finally:
        live.release()


def test_shader_code_shown_before_needs_no_new_check(ctx, preset_files):
    live = LiveGraph(ctx, preset_files / "p.toml", (4, 4), 30.0)
    try:
        (preset_files / "scene.glsl").write_text(SHADER.format(blue="1.0"))
        assert pixel_after_change(live) == [0, 0, 255]
        checked = live.last_check
        (preset_files / "scene.glsl").write_text(SHADER.format(blue="0.0"))  # back to the first version
        assert live.watcher.wait_for_change(HANG_S)  # the timeout bounds a hang only
        assert live.poll() is not None and not live.checking and live.last_check is checked
        assert render_pixel(live) == [0, 0, 0] and live.reloads == 2
    finally:
        live.release()
