"""Shipped presets are package data: the editor never writes into them. Save
copies the bundle to ./presets/NAME first; Save as NAME makes a new bundle."""

from __future__ import annotations

import pytest

from visualizer.errors import PresetError
from visualizer.live.editor_state import EditorState
from visualizer.preset.library import copy_bundle, find_presets, resolve_preset
from visualizer.preset.loader import load_preset


@pytest.fixture
def in_project(tmp_path, monkeypatch):
    """An empty project folder as the current folder, with no user presets."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("VISUALIZER_PRESET_PATH", raising=False)
    return tmp_path


def editor(path):
    spec = load_preset(path)
    moves = []
    state = EditorState(spec.path, spec.params, spec.modulations, moved=moves.append)
    return state, moves


def test_saving_a_shipped_preset_copies_its_bundle_and_leaves_the_package_alone(in_project):
    shipped = resolve_preset("mimic_bloom")
    before = {p.name: p.read_bytes() for p in shipped.parent.iterdir() if p.is_file()}
    state, moves = editor(shipped)
    state.set_value("flowerSize", 0.45)
    saved = state.save()
    assert saved == in_project / "presets" / "mimic_bloom" / "preset.toml" and moves == [saved]
    assert {p.name: p.read_bytes() for p in shipped.parent.iterdir() if p.is_file()} == before
    assert {p.name for p in saved.parent.iterdir()} == set(before)  # the shaders came along
    assert resolve_preset("mimic_bloom") == saved  # the copy now shadows the shipped one
    assert {p.name: p.default for p in load_preset("mimic_bloom").params}["flowerSize"] == 0.45
    state.set_value("flowerSize", 0.5)
    assert state.save() == saved and moves == [saved]  # the second save edits the copy in place


def test_save_as_a_name_makes_a_new_bundle_that_loads_by_name(in_project):
    shipped = resolve_preset("mimic_bloom")
    state, moves = editor(shipped)
    state.set_value("echoFade", 0.5)
    copy = state.save_as("my_bloom")
    assert copy == in_project / "presets" / "my_bloom" / "preset.toml"
    entry = next(e for e in find_presets() if e.name == "my_bloom")
    assert entry.source == "project"
    assert {p.name: p.default for p in load_preset("my_bloom").params}["echoFade"] == 0.5
    assert state.path == shipped and moves == []  # the editor goes on with the original


def test_a_copy_never_replaces_an_existing_folder(in_project):
    (in_project / "presets" / "taken").mkdir(parents=True)
    (in_project / "presets" / "taken" / "keep.txt").write_text("mine")
    with pytest.raises(PresetError, match="taken: already exists"):
        copy_bundle(resolve_preset("mimic_bloom"), in_project / "presets" / "taken")
    assert (in_project / "presets" / "taken" / "keep.txt").read_text() == "mine"
    assert [p.name for p in (in_project / "presets").iterdir()] == ["taken"]  # no temporary left


def test_the_live_graph_follows_the_copy(ctx, in_project):
    import time

    from visualizer.live.reload import LiveGraph

    live = LiveGraph(ctx, "mimic_bloom", (32, 18), 30.0)
    try:
        copy = copy_bundle(live.path, in_project / "presets" / "mine")
        live.follow(copy)
        copy.write_text(copy.read_text().replace('name = "Mimic Bloom"', 'name = "Mine"'))
        deadline = time.monotonic() + 30  # bounds a hang only; the reload is counted
        while live.reloads == 0 and time.monotonic() < deadline:
            live.poll()
            time.sleep(0.01)
        assert live.reloads == 1 and live.error is None
        assert live.spec.name == "Mine" and live.spec.path == copy
    finally:
        live.release()


def test_a_copy_into_an_unwritable_place_is_one_clear_error(in_project):
    (in_project / "blocked").write_text("a file where a folder should go")
    with pytest.raises(PresetError, match="blocked/x: cannot copy the preset there"):
        copy_bundle(resolve_preset("mimic_bloom"), in_project / "blocked" / "x")
