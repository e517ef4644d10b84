"""The editor's extras (issue 17, item 6): undo that survives a save and its
hot reload, Save as that switches to the new file (and never replaces another
preset unasked), parameter descriptions from the TOML comments, and the
unsaved-edits question on quitting. First the model (no window), then the
real editor window under Xvfb, driven by a script in a subprocess."""

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
import tomlkit

from visualizer.errors import PresetError
from visualizer.live.editor_quit import QuitPrompt
from visualizer.live.editor_state import EditorState
from visualizer.preset.comments import descriptions_in, param_descriptions
from visualizer.preset.library import find_presets, resolve_preset
from visualizer.preset.loader import load_preset

from test_editor import PRESET, SHADER


@pytest.fixture
def in_project(tmp_path, monkeypatch) -> Path:
    """The current folder, no user presets, holding presets/tuned.toml and its shader."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("VISUALIZER_PRESET_PATH", raising=False)
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "tuned.glsl").write_text(SHADER)
    (tmp_path / "presets" / "tuned.toml").write_text(PRESET)
    return tmp_path


def editor(path: Path) -> tuple[EditorState, list[Path]]:
    spec = load_preset(path)
    moves: list[Path] = []
    return EditorState(spec.path, spec.params, spec.modulations, moved=moves.append), moves


def reload_from_disk(state: EditorState) -> None:
    """What the show does after the watcher saw the file change."""
    spec = load_preset(state.path)
    state.reloaded(spec.params, spec.modulations)


# --- undo that survives a save ---------------------------------------------------------------


def test_undo_after_a_save_and_its_reload_brings_back_the_edit_and_the_dirt(in_project):
    state, _ = editor(in_project / "presets" / "tuned.toml")
    state.set_value("spread", 0.5)
    state.end_edit()
    state.set_value("rings", 2)
    state.save()
    reload_from_disk(state)  # the save comes back through the hot reload
    assert not state.dirty and state.can_undo
    assert state.undo() and state.values["rings"] == 0 and state.values["spread"] == 0.5 and state.dirty
    assert state.undo() and state.values["spread"] == 0.15
    assert state.redo() and state.redo() and not state.dirty  # back to what the file says
    assert state.descriptions["spread"] == "How far the rings spread."


def test_edits_made_while_the_save_reloads_are_kept_with_the_history(in_project):
    state, _ = editor(in_project / "presets" / "tuned.toml")
    state.set_value("spread", 0.5)
    state.save()
    state.end_edit()
    state.set_value("spread", 0.75)  # before the reload arrives
    reload_from_disk(state)
    assert state.values["spread"] == 0.75 and state.dirty
    assert state.undo() and state.values["spread"] == 0.5 and not state.dirty


def test_another_writers_change_starts_the_history_over_but_keeps_unsaved_edits(in_project):
    path = in_project / "presets" / "tuned.toml"
    state, _ = editor(path)
    state.set_value("rings", 1)
    path.write_text(PRESET.replace("default = 0.15", "default = 0.3"))
    reload_from_disk(state)
    assert state.values["spread"] == 0.3 and state.values["rings"] == 1 and not state.can_undo


# --- Save as ---------------------------------------------------------------------------------


def test_save_as_switches_the_editor_to_the_new_file(in_project):
    original = in_project / "presets" / "tuned.toml"
    state, moves = editor(original)
    state.set_value("spread", 0.5)
    copy = state.save_as("mine", switch=True)
    assert copy == in_project / "presets" / "mine.toml" and moves == [copy] and state.path == copy
    assert not state.dirty and load_preset(copy).params[1].default == 0.5
    assert original.read_text() == PRESET  # the original is untouched
    reload_from_disk(state)
    assert state.undo() and state.values["spread"] == 0.15 and state.dirty  # the history came along
    state.save()
    assert load_preset(copy).params[1].default == 0.15 and original.read_text() == PRESET


def test_save_as_a_shipped_bundle_copies_its_shaders_and_follows_the_copy(in_project):
    shipped = resolve_preset("mimic_bloom")
    state, moves = editor(shipped)
    state.set_value("echoFade", 0.5)
    copy = state.save_as("my_bloom", switch=True)
    assert copy == in_project / "presets" / "my_bloom" / "preset.toml" and moves == [copy]
    assert {p.name for p in copy.parent.iterdir()} == {p.name for p in shipped.parent.iterdir()
                                                       if p.is_file() and not p.name.startswith(".")}
    assert {p.name: p.default for p in load_preset("my_bloom").params}["echoFade"] == 0.5
    assert next(e for e in find_presets() if e.name == "my_bloom").source == "project"
    assert state.descriptions["echoFade"] == "seconds for an echo to fade to 1/e"


def test_save_as_never_replaces_another_preset_unasked(in_project):
    other = in_project / "presets" / "other.toml"
    other.write_text(PRESET.replace('name = "Tuned"', 'name = "Other"'))
    state, moves = editor(in_project / "presets" / "tuned.toml")
    state.set_value("spread", 0.5)
    assert state.plan_save_as("other").replaces
    with pytest.raises(PresetError, match="other.toml: a preset is there already; confirm to overwrite it"):
        state.save_as("other", switch=True)
    assert load_preset(other).name == "Other" and moves == [] and state.dirty
    assert state.save_as("other", switch=True, overwrite=True) == other
    assert load_preset(other).params[1].default == 0.5 and state.path == other
    assert not state.plan_save_as(str(other)).replaces and state.plan_save_as("other.toml").same


def test_save_as_over_an_existing_bundle_needs_the_yes_and_keeps_it_whole(in_project):
    state, _ = editor(resolve_preset("black_void"))
    state.save_as("mine", switch=False)
    (in_project / "presets" / "mine" / "notes.txt").write_text("mine")
    state.set_value("spikes", 32.0)
    with pytest.raises(PresetError, match="confirm to overwrite"):
        state.save_as("mine", switch=True)
    state.save_as("mine", switch=True, overwrite=True)
    assert {p.name: p.default for p in load_preset("mine").params}["spikes"] == 32.0
    assert (in_project / "presets" / "mine" / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("target, message", [
    ("  ", "type a name"),
    ("missing/dir/x", "presets/missing/dir: no such folder"),
    ("a\0b", "cannot save there"),
    ("taken", "taken.toml: already exists and is not a preset"),
    ("elsewhere/copy", "its shader tuned.glsl would not be found there"),
])
def test_a_bad_save_as_target_is_one_line_and_changes_nothing(in_project, target, message):
    (in_project / "presets" / "taken.toml").mkdir()
    (in_project / "presets" / "elsewhere").mkdir()
    state, moves = editor(in_project / "presets" / "tuned.toml")
    state.set_value("spread", 0.5)
    with pytest.raises(PresetError, match=message) as error:
        state.save_as(target, switch=True)
    assert "\n" not in str(error.value)
    assert state.path == in_project / "presets" / "tuned.toml" and moves == [] and state.dirty
    assert not list((in_project / "presets" / "elsewhere").iterdir())


def test_save_as_never_writes_into_the_shipped_presets(in_project):
    shipped = resolve_preset("black_void")
    state, _ = editor(resolve_preset("mimic_bloom"))
    with pytest.raises(PresetError, match="inside the shipped presets"):
        state.save_as(str(shipped.parent), switch=True)


# --- descriptions from the comments ----------------------------------------------------------


def test_shipped_presets_describe_their_params_in_comments():
    black_void = param_descriptions(resolve_preset("black_void"))
    assert black_void["ringRadius"] == "outer ring radius, in the frame's smaller side"
    mimic = param_descriptions(resolve_preset("mimic_bloom"))
    # The trailing comment wins over the section comment above the first param.
    assert mimic["kickThreshold"] == "rise of uBass in one frame that counts as a kick"
    assert mimic["bloom_strength"] == "the glow (the music adds to it: see the modulations)"  # [post.bloom]
    for entry in find_presets():
        if entry.source == "shipped":
            names = {spec.name for spec in load_preset(entry.path).params}
            assert set(param_descriptions(entry.path)) <= names, entry.name


EDGE_CASES = '''\
[params]
tint = [1.0, 0.0, 0.0]   # the whole screen's colour
# Above plain.
plain = 1.0
bare = 2.0

# Not about spread: a blank line follows.

# How far the rings spread.
# Second line.
#
# New paragraph.
[params.spread]
type = "float"
default = 0.15   # start small: about the default, not the param

[params.rings]
# Opening the table.
type = "int"
default = 1

[params.told]  # the trailing comment loses to the field
description = "Explicit wins."
default = 1.0
'''


def test_comment_rules_above_trailing_opening_and_explicit():
    assert descriptions_in(tomlkit.parse(EDGE_CASES)) == {
        "tint": "the whole screen's colour",
        "plain": "Above plain.",
        "spread": "How far the rings spread. Second line.\nNew paragraph.",
        "rings": "Opening the table.",
        "told": "Explicit wins.",
    }


def test_an_unreadable_file_has_no_descriptions(tmp_path):
    (tmp_path / "broken.toml").write_text("[params\n")
    assert param_descriptions(tmp_path / "broken.toml") == {}
    assert param_descriptions(tmp_path / "missing.toml") == {}


# --- quitting with unsaved edits -------------------------------------------------------------


def test_quit_asks_only_with_unsaved_edits(in_project):
    state, _ = editor(in_project / "presets" / "tuned.toml")
    closes: list[bool] = []
    prompt = QuitPrompt(state, lambda: closes.append(True))
    assert not prompt.quit_pressed() and not prompt.open  # clean: the show's own Quit closes
    state.set_value("spread", 0.5)
    assert prompt.quit_pressed() and prompt.open and closes == []
    assert prompt.quit_pressed() and not prompt.open  # Esc again cancels
    assert not prompt.may_close() and prompt.open  # the close button asks too
    prompt.discard_and_quit()
    assert closes == [True] and not prompt.open and state.dirty


def test_save_and_quit_saves_or_stays_with_the_reason(in_project):
    path = in_project / "presets" / "tuned.toml"
    state, _ = editor(path)
    closes: list[bool] = []
    prompt = QuitPrompt(state, lambda: closes.append(True))
    state.set_value("spread", 0.5)
    prompt.quit_pressed()
    path.unlink()
    path.mkdir()  # the file cannot be saved now
    prompt.save_and_quit()
    assert prompt.open and "cannot read the preset to save it" in prompt.error and closes == []
    path.rmdir()
    path.write_text(PRESET)
    prompt.save_and_quit()
    assert closes == [True] and not state.dirty and load_preset(path).params[1].default == 0.5


# --- the window ------------------------------------------------------------------------------

DRIVER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    import glfw
    import numpy as np
    from imgui_bundle import imgui
    from visualizer.live.editor import Editor
    from visualizer.live.show import PlaySettings, Show
    from visualizer.output.png import write_png

    def open_editor(path):
        show = Show(PlaySettings(Path(path), (480, 360), 60.0), Silent())
        editor = Editor(show)
        show.step()
        return show, editor

    def press(show, *keys, mods=0):
        # what glfw calls for a chord: each key down in order (modifier keys first,
        # with the `mods` bits held), a frame, then all up
        for key in keys:
            show.host.key_event(show.host.window, key, 0, glfw.PRESS, mods)
        show.step()
        for key in reversed(keys):
            show.host.key_event(show.host.window, key, 0, glfw.RELEASE, mods)

    def until(show, condition, reload=False):
        # frames until `condition`; a reload is waited for on the preset watcher's event
        deadline = time.monotonic() + 30  # bounds a hang only
        while not condition() and time.monotonic() < deadline:
            if reload:
                show.live.watcher.wait_for_change(1.0)
            show.step()
        return condition()

    preset, out = Path(sys.argv[1]), Path(sys.argv[2])
    report = {}
    show, editor = open_editor(preset)
    state = editor.state
    try:
        write_png(out / "panel.png", show.host.grab(gui=True))
        left, top, right, bottom = editor.panel.widget_boxes["spread"]
        report["mouse"] = [(left + right) / 2, (top + bottom) / 2]
        imgui.get_io().add_mouse_pos_event(*report["mouse"])
        report["tooltip"] = until(show, lambda: editor.panel.tooltip == "spread")
        write_png(out / "tooltip.png", show.host.grab(gui=True))

        state.set_value("spread", 0.625)
        press(show, glfw.KEY_LEFT_CONTROL, glfw.KEY_S, mods=glfw.MOD_CONTROL)
        report["saved_reloaded"] = until(show, lambda: show.live.reloads >= 1, reload=True)
        press(show, glfw.KEY_LEFT_CONTROL, glfw.KEY_Z, mods=glfw.MOD_CONTROL)
        report["undone_after_save"] = [state.values["spread"], show.live.engine.base("spread"), state.dirty]

        imgui.get_io().add_mouse_pos_event(-1, -1)  # the mouse leaves: no tooltip
        show.step()
        write_png(out / "before_prompt.png", show.host.grab(gui=True))
        press(show, glfw.KEY_ESCAPE)
        report["esc_dirty"] = [show.host.should_close, editor.quit_prompt.open]
        write_png(out / "prompt.png", show.host.grab(gui=True))
        press(show, glfw.KEY_ESCAPE)
        report["esc_again_cancels"] = [show.host.should_close, editor.quit_prompt.open]
        report["close_button"] = [editor.may_close(), editor.quit_prompt.open]
        press(show, glfw.KEY_D)
        report["d_discards"] = [show.host.should_close, editor.quit_prompt.open]
    finally:
        show.close()

    show, editor = open_editor(preset)
    state = editor.state
    try:
        editor.panel.save_as_name = "copy"  # what typing into the field does
        reloads = show.live.reloads
        press(show, glfw.KEY_LEFT_CONTROL, glfw.KEY_LEFT_SHIFT, glfw.KEY_S,
              mods=glfw.MOD_CONTROL | glfw.MOD_SHIFT)
        report["save_as"] = [str(state.path), str(show.live.path), editor.panel.error_message]
        until(show, lambda: show.live.reloads > reloads, reload=True)
        report["follows_copy"] = [str(show.live.spec.path), show.live.error]
        state.set_value("spread", 0.25)
        press(show, glfw.KEY_ESCAPE)
        report["enter_prompt"] = editor.quit_prompt.open
        press(show, glfw.KEY_ENTER)
        report["enter_saves_and_quits"] = [show.host.should_close, state.dirty]
    finally:
        show.close()

    show, editor = open_editor(preset)
    try:
        press(show, glfw.KEY_ESCAPE)
        report["clean_quits_at_once"] = [show.host.should_close, editor.quit_prompt.open]
        report["gl_error"] = show.ctx.error
    finally:
        show.close()
    print("REPORT " + json.dumps(report))
""")


def test_editor_window_tooltip_undo_after_save_save_as_and_quit_question(display, in_project):
    preset = in_project / "presets" / "tuned.toml"
    out = in_project / "out"
    out.mkdir()
    env = {**os.environ, "DISPLAY": display}
    result = subprocess.run([sys.executable, "-c", SILENT_FEED + DRIVER, str(preset), str(out)], env=env, cwd=in_project,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.split("REPORT ", 1)[1])

    assert report["tooltip"] is True  # hovering the spread slider shows its comment

    # Saved, reloaded, and Ctrl+Z still undoes the edit: the file is unsaved again.
    assert report["saved_reloaded"] is True
    assert report["undone_after_save"] == [0.15, 0.15, True]

    # With unsaved edits Esc asks; Esc again cancels; the close button asks; D quits without saving.
    assert report["esc_dirty"] == [False, True]
    assert report["esc_again_cancels"] == [False, False]
    assert report["close_button"] == [False, True]
    assert report["d_discards"] == [True, False]
    assert load_preset(preset).params[1].default == 0.625  # the undo was not saved

    # Ctrl+Shift+S saved a copy; the editor and the live graph went on with it.
    copy = in_project / "presets" / "copy.toml"
    assert report["save_as"] == [str(copy), str(copy), ""]
    assert report["follows_copy"] == [str(copy), None]
    assert report["enter_prompt"] is True and report["enter_saves_and_quits"] == [True, False]
    assert load_preset(copy).params[1].default == 0.25 and load_preset(preset).params[1].default == 0.625

    assert report["clean_quits_at_once"] == [True, False] and report["gl_error"] == "GL_NO_ERROR"

    # The pictures: the tooltip appears beside the mouse, the question in the middle of the window.
    changed = changed_box(iio.imread(out / "panel.png"), iio.imread(out / "tooltip.png"))
    x, y = report["mouse"]
    assert changed is not None and changed[0] <= x + 40 and changed[2] >= x and abs(changed[1] - y) < 40
    assert changed[3] - changed[1] < 60  # one short line of text, not a redrawn panel
    below_title = slice(30, None)  # the panel's title bar only turns to its unfocused colour
    changed = changed_box(iio.imread(out / "before_prompt.png")[below_title],
                          iio.imread(out / "prompt.png")[below_title])
    assert changed is not None and changed[1] + 30 < 180 < changed[3] + 30 and changed[0] < 240 < changed[2]
    assert changed[3] - changed[1] < 120  # a small modal, centred: the rest of the screen stays


def changed_box(before: np.ndarray, after: np.ndarray) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) pixels around everything that differs between two pictures."""
    rows, cols = np.nonzero(np.abs(before.astype(int) - after.astype(int)).max(axis=2) > 24)
    return None if rows.size == 0 else (cols.min(), rows.min(), cols.max(), rows.max())
