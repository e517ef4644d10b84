"""`visualizer edit`: the EditorState model (no GL), and the real editor window
under Xvfb driven through the same calls its widgets make.

The window runs in a subprocess (a small driver script): this test session may
already hold an EGL context, and a GLX window context in the same process fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from test_play_window import SILENT_FEED

from visualizer.live.editor_state import EditorState
from visualizer.preset.loader import load_preset


PRESET = """\
# Tuned: a flat colour, for the editor tests.
[meta]
name = "Tuned"

[params]
tint = [1.0, 0.0, 0.0]   # the whole screen's colour

# How far the rings spread.
[params.spread]
type = "float"
default = 0.15   # start small
min = 0.0
max = 1.0
group = "Shape"

[params.rings]
type = "choice"
default = "few"
choices = ["few", "many", "swarm"]
group = "Shape"

[[modulations]]
param = "spread"
source = "bass"
amount = 0.0   # no audio in the tests

[[passes]]
shader = "tuned.glsl"
target = "output"
"""

SHADER = """\
uniform vec3 tint;
uniform float spread;
uniform int rings;
void main() { fragColor = vec4(tint * step(0.0, spread) * (rings >= 0 ? 1.0 : 0.0), 1.0); }
"""


@pytest.fixture
def home(tmp_path) -> Path:
    """A folder with presets/tuned.toml and its shader beside it."""
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "tuned.glsl").write_text(SHADER)
    (tmp_path / "presets" / "tuned.toml").write_text(PRESET)
    return tmp_path


# --- the model, no window -------------------------------------------------------------------


def test_state_edits_undo_redo_and_save(home, monkeypatch):
    path = home / "presets" / "tuned.toml"
    spec = load_preset(path)
    applied = []
    state = EditorState(path, spec.params, spec.modulations, apply=lambda n, v: applied.append((n, v)))
    assert not state.dirty and not state.can_undo
    assert list(state.groups()) == ["", "Shape"]
    for value in (0.2, 0.3, 0.4000000059604645):  # one slider drag: one undo step, float32 noise removed
        state.set_value("spread", value)
    state.end_edit()
    state.set_value("rings", 2)
    state.set_value("tint", [0.0, 0.0, 1.0])
    assert state.values == {"tint": (0.0, 0.0, 1.0), "spread": 0.4, "rings": 2} and state.dirty
    assert applied[-1] == ("tint", (0.0, 0.0, 1.0))
    assert state.undo() and state.values["tint"] == (1.0, 0.0, 0.0) and applied[-1] == ("tint", (1.0, 0.0, 0.0))
    assert state.undo() and state.values["rings"] == 0
    assert state.undo() and state.values["spread"] == 0.15 and not state.dirty and not state.undo()
    assert state.redo() and state.redo() and state.values == {"tint": (1.0, 0.0, 0.0), "spread": 0.4, "rings": 2}
    state.set_value("spread", 0.5)  # a new edit drops the redo branch
    assert not state.can_redo
    with pytest.raises(ValueError):
        state.set_value("rings", 7)
    state.set_amount(0, 0.25)
    state.save()
    assert not state.dirty
    text = path.read_text()
    assert "default = 0.5   # start small\n" in text and 'default = "swarm"' in text
    assert "amount = 0.25   # no audio in the tests\n" in text and "# How far the rings spread." in text
    copy = state.save_as("copy")
    assert copy == home / "presets" / "copy.toml" and load_preset(copy).params[1].default == 0.5


# --- the window ---------------------------------------------------------------------------------

DRIVER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    import glfw
    import numpy as np
    from visualizer.live.editor import Editor
    from visualizer.live.show import PlaySettings, Show
    from visualizer.output.png import write_png

    def press(key, mods=0):
        # what glfw calls on a key press: the host names it, the key map queues its event
        show.host.key_event(show.host.window, key, 0, glfw.PRESS, mods)

    out = Path(sys.argv[2])
    show = Show(PlaySettings(Path(sys.argv[1]), (480, 320), 60.0), Silent())
    editor = Editor(show)
    report = {}
    try:
        for frame in range(3):
            show.step()
        write_png(out / "panel.png", show.host.grab(gui=True))
        write_png(out / "plain.png", show.host.grab(gui=False))
        state = editor.state
        state.set_value("tint", [0.0, 0.0, 1.0])       # what the color_edit3 callback calls
        state.end_edit()
        state.set_value("spread", 0.625)               # what the slider callback calls
        report["engine_tint"] = list(show.live.engine.base("tint"))
        show.step()
        report["center"] = show.host.grab(gui=False)[160, 240].tolist()
        press(glfw.KEY_Z, glfw.MOD_CONTROL)            # undo: applied before the next frame
        report["queued"] = [state.values["spread"], len(show.bus)]
        show.step()
        report["undone"] = [list(state.values["tint"]), state.values["spread"], show.live.engine.base("spread")]
        press(glfw.KEY_Y, glfw.MOD_CONTROL)
        show.step()
        report["redone"] = [list(state.values["tint"]), state.values["spread"], show.live.engine.base("spread")]
        report["dirty_before_save"] = state.dirty
        press(glfw.KEY_S, glfw.MOD_CONTROL)
        deadline = time.monotonic() + 30  # bounds a hang only
        while show.live.reloads == 0 and time.monotonic() < deadline:
            show.step()
            time.sleep(0.02)
        report["reloads"] = show.live.reloads
        report["after_reload"] = [list(show.live.engine.base("tint")), show.live.engine.base("spread"),
                                  state.dirty, show.live.error]
        report["snapshot"] = str(editor.snapshot())
        press(glfw.KEY_F1)
        show.step()
        report["f1_hides_panel"] = [editor.visible, bool(np.array_equal(show.host.grab(gui=True),
                                                                        show.host.grab(gui=False)))]
        press(glfw.KEY_ESCAPE)
        show.step()
        report["escape_closes"] = show.host.should_close
        report["gl_error"] = show.ctx.error
    finally:
        show.close()
    print("REPORT " + json.dumps(report))
""")



def test_editor_window_edits_saves_and_shows_the_panel(display, home, tmp_path):
    preset = home / "presets" / "tuned.toml"
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "DISPLAY": display}
    result = subprocess.run([sys.executable, "-c", SILENT_FEED + DRIVER, str(preset), str(out)], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.split("REPORT ", 1)[1])

    # The edit reached the engine and the picture at once, before any save.
    assert report["engine_tint"] == [0.0, 0.0, 1.0]
    assert report["center"] == [0, 0, 255]
    assert report["queued"] == [0.625, 1]  # Ctrl+Z is an event on the bus until the frame starts
    assert report["undone"] == [[0.0, 0.0, 1.0], 0.15, 0.15]
    assert report["redone"] == [[0.0, 0.0, 1.0], 0.625, 0.625]
    assert report["dirty_before_save"] is True

    # Saved: new values, original comments, and the hot reload kept them.
    text = preset.read_text()
    assert "tint = [0.0, 0.0, 1.0]   # the whole screen's colour\n" in text
    assert "default = 0.625   # start small\n" in text
    assert "# Tuned: a flat colour, for the editor tests." in text and "# How far the rings spread." in text
    assert text.replace("[0.0, 0.0, 1.0]", "[1.0, 0.0, 0.0]").replace("0.625", "0.15") == PRESET
    assert report["reloads"] >= 1
    assert report["after_reload"] == [[0.0, 0.0, 1.0], 0.625, False, None]

    # Snapshot PNG: the picture alone, in renders/.
    snapshot = Path(report["snapshot"])
    assert snapshot.parent == home / "renders" and snapshot.name.startswith("tuned-")
    assert np.all(iio.imread(snapshot)[160, 240] == [0, 0, 255])
    assert report["gl_error"] == "GL_NO_ERROR"
    assert report["f1_hides_panel"] == [False, True] and report["escape_closes"] is True

    # The screenshot shows the ImGui panel over the red frame: the panel's corner
    # differs from the frame without it and has ImGui's dark window colours.
    plain, panel = iio.imread(out / "plain.png"), iio.imread(out / "panel.png")
    assert plain.shape == panel.shape == (320, 480, 3)
    assert np.all(plain[5:300, 5:470] == [255, 0, 0])
    region = panel[40:200, 20:300].astype(int)
    assert np.abs(region - plain[40:200, 20:300]).mean() > 50
    assert np.median(region[..., 0]) < 80  # dark panel background, not the red frame
    assert np.all(panel[300:, 400:] == [255, 0, 0])  # outside the panel: the frame itself
