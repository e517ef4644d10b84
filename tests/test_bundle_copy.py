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
    from visualizer.live.reload import LiveGraph

    live = LiveGraph(ctx, "mimic_bloom", (32, 18), 30.0)
    try:
        copy = copy_bundle(live.path, in_project / "presets" / "mine")
        live.follow(copy)
        copy.write_text(copy.read_text().replace('name = "Mimic Bloom"', 'name = "Mine"'))
        assert live.watcher.wait_for_change(30)  # the timeout bounds a hang only
        live.poll()
        assert live.reloads == 1 and live.error is None
        assert live.spec.name == "Mine" and live.spec.path == copy
    finally:
        live.release()


def test_a_copy_into_an_unwritable_place_is_one_clear_error(in_project):
    (in_project / "blocked").write_text("a file where a folder should go")
    with pytest.raises(PresetError, match="blocked/x: cannot copy the preset there"):
        copy_bundle(resolve_preset("mimic_bloom"), in_project / "blocked" / "x")


def test_save_as_a_file_name_on_a_shipped_preset_makes_a_bundle_not_a_file_in_the_package(in_project):
    shipped = resolve_preset("mimic_bloom")
    before = sorted(p.name for p in shipped.parent.iterdir())
    state, _ = editor(shipped)
    assert state.save_as("mine.toml") == in_project / "presets" / "mine" / "preset.toml"
    assert state.save_as("sub/other") == in_project / "presets" / "other" / "preset.toml"
    assert sorted(p.name for p in shipped.parent.iterdir()) == before


def test_following_a_copy_keeps_the_graph_and_watches_the_copys_shaders(ctx, in_project):
    from visualizer.live.reload import LiveGraph

    live = LiveGraph(ctx, "mimic_bloom", (32, 18), 30.0)
    try:
        graph, shipped = live.graph, live.path.parent
        copy = copy_bundle(live.path, in_project / "presets" / "mine")
        live.follow(copy)
        live.reload()
        assert live.graph is graph and live.error is None  # same sources: feedback kept, no blink
        assert not any(path.is_relative_to(shipped) for path in graph.source_files)
        assert any(path.is_relative_to(copy.parent) for path in graph.source_files)
    finally:
        live.release()


def test_presets_new_fails_whole_with_one_line(in_project):
    import subprocess
    import sys
    from pathlib import Path

    visualizer = str(Path(sys.executable).parent / "visualizer")
    (in_project / "presets").write_text("a file where the presets folder should be")
    result = subprocess.run([visualizer, "presets", "new", "ring_void"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: presets/ring_void: cannot create the preset there")


def test_a_bundle_named_by_a_relative_path_is_a_path(in_project, monkeypatch):
    copy = copy_bundle(resolve_preset("mimic_bloom"), in_project / "work" / "mb")
    monkeypatch.chdir(in_project / "work")
    for value in ("./mb", "mb/", "./mb/preset.toml"):
        assert resolve_preset(value).resolve() == copy.resolve(), value
    (in_project / "work" / "empty").mkdir()
    with pytest.raises(PresetError, match="empty: preset bundle has no preset.toml"):
        resolve_preset("./empty")
