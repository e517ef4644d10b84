"""Hot reload with real file writes under watchdog: change, break, fix, each
observed in rendered pixels."""

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
    """Poll until the watcher reports a change and it is handled; the new pixel."""
    assert live.watcher.wait_for_change(timeout), "no change was noticed"  # the timeout bounds a hang only
    assert live.poll() is not None
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
