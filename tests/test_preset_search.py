"""Where presets are found: bundles on the search path (./presets, the user's
data folder, VISUALIZER_PRESET_PATH, the shipped ones), and the mistakes a user
can make with them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import frame_inputs
from visualizer.errors import PresetError, ShaderCompileError
from visualizer.preset.library import find_presets, resolve_preset
from visualizer.paths import cache_dir, user_presets_dir
from visualizer.preset.loader import load_preset

SHIPPED = sorted(path.parent.name for path in
                 (Path(__file__).resolve().parent.parent / "visualizer" / "presets").glob("*/preset.toml"))
"""The bundles shipped with the package, by folder name (the order `find_presets` lists them)."""
from visualizer.render.graph import RenderGraph

VISUALIZER = str(Path(sys.executable).parent / "visualizer")
SCENE = ('#include "lib/palette.glsl"\n#include "glow.glsl"\n'
         "void main() { fragColor = vec4(rainbow(0.3) * glow(), 1.0); }\n")


def bundle(folder: Path, name: str, title: str, scene: str = SCENE) -> Path:
    """folder/name/ with a preset.toml, its scene and an include of its own."""
    (folder / name).mkdir(parents=True)
    (folder / name / "preset.toml").write_text(
        f'[meta]\nname = "{title}"\n\n[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n')
    (folder / name / "scene.glsl").write_text(scene)
    (folder / name / "glow.glsl").write_text("float glow() { return 2.0; }\n")
    return folder / name / "preset.toml"


@pytest.fixture
def folders(tmp_path, monkeypatch) -> dict[str, Path]:
    """The current folder's presets/, a user data folder and a VISUALIZER_PRESET_PATH folder."""
    found = {"project": tmp_path / "show" / "presets", "user": tmp_path / "data" / "visualizer" / "presets",
             "env": tmp_path / "more"}
    for path in found.values():
        path.mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "show")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("VISUALIZER_PRESET_PATH", str(found["env"]))
    return found


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([VISUALIZER, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_presets_are_searched_in_order_and_the_first_of_a_name_wins(folders):
    bundle(folders["project"], "pulse", "Project Pulse")
    bundle(folders["user"], "pulse", "User Pulse")
    bundle(folders["user"], "drift", "User Drift")
    bundle(folders["env"], "mimic_bloom", "My Mimic")
    (folders["env"] / "single.toml").write_text('[[passes]]\nshader = "single.glsl"\ntarget = "output"\n')
    (folders["env"] / "single.glsl").write_text("void main() { fragColor = vec4(1.0); }\n")
    entries = [(e.name, e.source, e.hidden) for e in find_presets()]
    shipped = [(name, "shipped", name == "mimic_bloom") for name in SHIPPED]
    assert entries == [("pulse", "project", False), ("drift", "user", False), ("pulse", "user", True),
                       ("mimic_bloom", "env", False), ("single", "env", False), *shipped]
    assert load_preset("pulse").name == "Project Pulse" and load_preset("drift").name == "User Drift"
    assert load_preset("mimic_bloom").name == "My Mimic"
    assert resolve_preset("single") == folders["env"] / "single.toml"


def test_presets_list_says_where_each_comes_from(folders):
    bundle(folders["project"], "pulse", "Project Pulse")
    bundle(folders["user"], "drift", "User Drift")
    result = cli("presets", "list", cwd=folders["project"].parent)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split()[1:3] for line in result.stdout.splitlines()[1:]}
    assert rows == {"pulse": ["project", "presets/pulse/preset.toml"],
                    "drift": ["user", str(folders["user"] / "drift" / "preset.toml")],
                    **{name: ["shipped", f"visualizer/presets/{name}/preset.toml"] for name in SHIPPED}}


def test_a_missing_folder_on_the_preset_path_is_one_line_naming_it(folders, monkeypatch, tmp_path):
    monkeypatch.setenv("VISUALIZER_PRESET_PATH", f"{folders['env']}:{tmp_path / 'nowhere'}")
    with pytest.raises(PresetError) as error:
        load_preset("mimic_bloom")
    assert str(error.value) == (f"{tmp_path / 'nowhere'}: preset folder not found (named in"
                                " VISUALIZER_PRESET_PATH); create it or fix the variable")
    result = cli("presets", "list", cwd=folders["project"].parent)
    assert result.returncode == 2 and result.stderr == f"error: {error.value}\n"
    (tmp_path / "a_file").write_text("not a folder")
    monkeypatch.setenv("VISUALIZER_PRESET_PATH", str(tmp_path / "a_file"))
    with pytest.raises(PresetError, match="a_file: is a file, not a folder .*; name folders of presets"):
        load_preset("mimic_bloom")


def test_a_bundle_without_preset_toml_is_one_line_naming_it(folders):
    (folders["project"] / "empty").mkdir()
    message = "presets/empty: preset bundle has no preset.toml; add one (visualizer presets new NAME writes a template)"
    for name_or_path in ("empty", "presets/empty", str(folders["project"] / "empty")):
        with pytest.raises(PresetError) as error:
            load_preset(name_or_path)
        assert str(error.value) == message
    result = cli("render", "--preset", "empty", "--seconds", "0.1", cwd=folders["project"].parent)
    assert result.returncode == 2 and result.stderr == f"error: {message}\n"


def test_a_bundle_reads_its_own_shaders_then_the_shared_library(folders, ctx):
    spec = load_preset(bundle(folders["project"], "pulse", "Pulse"))
    assert spec.passes[0].shader == folders["project"] / "pulse" / "scene.glsl"
    graph = RenderGraph(ctx, spec, (4, 4))
    try:
        graph.render(frame_inputs(0))
        assert graph.read_rgb()[0, 0].tolist() == [34, 255, 0]  # the library's rainbow(0.3) * the bundle's glow() = 2
    finally:
        graph.release()


def test_errors_in_a_user_bundle_name_its_files_from_the_current_folder(folders, ctx):
    scene = '#include "glow.glsl"\nvoid main() { fragColor = vec4(nope); }\n'
    path = bundle(folders["project"], "broken", "Broken", scene=scene)
    with pytest.raises(ShaderCompileError) as error:
        RenderGraph(ctx, load_preset(path), (4, 4))
    assert str(error.value).startswith("presets/broken/scene.glsl:2: error: `nope' undeclared")


def test_render_without_out_writes_to_renders_in_the_current_folder(tmp_path):
    result = cli("render", "--seconds", "0.2", "--size", "32x18", "--fps", "10", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.relative_to(tmp_path).as_posix() for p in (tmp_path / "renders").iterdir()] == [
        "renders/mimic_bloom-demo-v1.mp4"]


def test_a_bare_name_that_is_a_preset_here_resolves_to_it_after_the_search_path(folders):
    here = Path.cwd()
    bundle(here, "local", "Here")
    (here / "single").write_text('[[passes]]\nshader = "s.glsl"\ntarget = "output"\n')
    (here / "notes").mkdir()  # a folder, but no preset: still an unknown name
    assert resolve_preset("local") == Path("local") / "preset.toml"
    assert resolve_preset("single") == Path("single")
    with pytest.raises(PresetError, match='unknown preset "notes"'):
        resolve_preset("notes")
    bundle(folders["user"], "local", "User Local")
    assert resolve_preset("local") == folders["user"] / "local" / "preset.toml"  # the search path first


def test_presets_show_takes_a_preset_folder_of_the_current_folder_by_bare_name(folders):
    bundle(Path.cwd(), "mine", "Mine Here")
    for command in (["presets", "validate", "mine"], ["presets", "show", "mine"]):
        result = cli(*command, cwd=Path.cwd())
        assert result.returncode == 0, result.stderr
    assert "Mine Here" in result.stdout


def test_relative_xdg_folders_are_ignored_as_the_spec_says(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("VISUALIZER_CACHE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", "rel/data")
    monkeypatch.setenv("XDG_CACHE_HOME", "rel/cache")
    assert user_presets_dir() == tmp_path / ".local" / "share" / "visualizer" / "presets"
    assert cache_dir() == tmp_path / ".cache" / "visualizer"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "abs"))
    assert user_presets_dir() == tmp_path / "abs" / "visualizer" / "presets"
