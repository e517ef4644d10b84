"""`visualizer presets sheet` as a user types it: one labelled PNG, a row per
preset and a column per moment (silence, kick, loud, build, drop), each tile
the frame `render --start T` draws. Mimic Bloom is named, never counted on:
other presets come and go."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PIL import Image

from visualizer.output.sheet_image import Layout
from visualizer.output.sheet_moments import AFTER_FRAMES, NAMES, SHEET_FPS, demo_moments

VISUALIZER = str(Path(sys.executable).parent / "visualizer")
TILE = (48, 27)
BROKEN = "void mainImage(out vec4 color, in vec2 pixel) { color = oops; }\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([VISUALIZER, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def tile(image: np.ndarray, layout: Layout, row: int, col: int) -> np.ndarray:
    x, y = layout.tile_at(row, col)
    return image[y:y + layout.tile[1], x:x + layout.tile[0]].astype(float)


@pytest.fixture(scope="module")
def demo_sheet(tmp_path_factory):
    """Mimic Bloom, then a project preset that does not compile, on the demo track."""
    work = tmp_path_factory.mktemp("sheet")
    bundle = work / "presets" / "broken"
    bundle.mkdir(parents=True)
    (bundle / "preset.toml").write_text('[meta]\nname = "Broken"\nhistory = 0\n\n'
                                        '[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n')
    (bundle / "scene.glsl").write_text(BROKEN)
    result = run("presets", "sheet", "--preset", "mimic_bloom", "--preset", "broken",
                 "--size", f"{TILE[0]}x{TILE[1]}", "--out", "out/sheet.png", cwd=work)
    assert result.returncode == 0, result.stderr
    return work, result, np.asarray(Image.open(work / "out" / "sheet.png").convert("RGB"))


def test_the_sheet_is_a_row_per_preset_and_a_column_per_moment_plus_labels(demo_sheet):
    _, _, image = demo_sheet
    layout = Layout(2, len(NAMES), TILE)
    assert image.shape[:2] == layout.size[::-1]
    labels_w, labels_h = image.shape[1] - len(NAMES) * TILE[0], image.shape[0] - 2 * TILE[1]
    assert 100 <= labels_w <= 300 and 40 <= labels_h <= 200, "room for the names and the moments' labels"


def test_every_tile_of_mimic_bloom_is_a_picture(demo_sheet):
    _, _, image = demo_sheet
    layout = Layout(2, len(NAMES), TILE)
    for col, name in enumerate(NAMES):
        picture = tile(image, layout, 0, col)
        assert picture.std() > 3.0, f"the {name} tile is blank"
        assert picture.max() > 60, f"the {name} tile is dark"


def test_the_drop_differs_from_the_build(demo_sheet):
    _, _, image = demo_sheet
    layout = Layout(2, len(NAMES), TILE)
    build, drop = (tile(image, layout, 0, NAMES.index(name)) for name in ("build", "drop"))
    assert np.abs(drop - build).mean() > 8.0


def test_a_preset_that_does_not_build_is_a_row_saying_so(demo_sheet):
    _, result, image = demo_sheet
    layout = Layout(2, len(NAMES), TILE)
    assert "warning: broken: not drawn:" in result.stderr and "scene.glsl" in result.stderr
    left, top = layout.tile_at(1, 0)
    band = image[top:top + TILE[1], left:layout.tile_at(1, len(NAMES) - 1)[0] + TILE[0]]
    plain = np.all(band == band[-1, -1], axis=-1).mean()
    assert plain > 0.8, "no picture: a plain band with its text"


def test_a_tile_is_what_render_start_draws(demo_sheet):
    """The drop tile is frame round(T * 30) of `render --start T` at the tile's size."""
    work, _, image = demo_sheet
    drop = demo_moments()[NAMES.index("drop")]
    rendered = run("render", "--preset", "mimic_bloom", "--size", f"{TILE[0]}x{TILE[1]}", "--start",
                   f"{drop.time:.4f}", "--seconds", f"{1.5 / SHEET_FPS:.4f}", "--quiet", "--out",
                   "drop/%03d.png", cwd=work)
    assert rendered.returncode == 0, rendered.stderr
    frame = np.asarray(Image.open(work / "drop" / "000.png").convert("RGB")).astype(float)
    assert np.array_equal(tile(image, Layout(2, len(NAMES), TILE), 0, NAMES.index("drop")), frame)


def test_the_demo_moments_are_where_the_track_says():
    moments = {moment.name: moment for moment in demo_moments()}
    assert list(moments) == list(NAMES)
    assert moments["silence"].silent and not any(m.silent for m in demo_moments()[1:])
    assert moments["drop"].frame == 28 * SHEET_FPS + AFTER_FRAMES
    assert 24.0 < moments["build"].time < 27.5, "late in the riser, before its silent beat"
    assert 16.0 < moments["loud"].time < 24.0 and moments["kick"].time < 8.0


def test_a_file_without_a_drop_or_a_build_gets_labelled_substitutes(tmp_path):
    rate = 22050
    t = np.arange(int(4.0 * rate)) / rate
    kick = np.sin(2 * np.pi * 55 * t) * np.exp(-(t % 0.5) * 14) * (t > 1.0)  # kicks from 1 s
    soundfile.write(tmp_path / "kicks.wav", (0.6 * kick).astype(np.float32), rate)
    result = run("presets", "sheet", "--audio", "kicks.wav", "--preset", "mimic_bloom", "--size", "32x18",
                 "--out", "k.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith("moments from kicks.wav:"))
    assert "no drop found" in line and "no build found" in line
    kick_s = float(line.split("kick ")[1].split(" s")[0])
    assert 1.0 <= kick_s <= 1.0 + 3 / SHEET_FPS, f"the first strong bass onset, just after: {line}"
    with Image.open(tmp_path / "k.png") as image:
        assert image.size == Layout(1, len(NAMES), (32, 18)).size


def test_without_names_every_preset_found_is_a_row(tmp_path, monkeypatch):
    """Shipped, project (a name hiding a shipped one appears once) and a bundle without preset.toml."""
    from visualizer.output.sheet import subjects
    from visualizer.preset.library import find_presets

    (tmp_path / "presets" / "unfinished").mkdir(parents=True)
    (tmp_path / "presets" / "mimic_bloom").mkdir()
    (tmp_path / "presets" / "mimic_bloom" / "preset.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    rows = subjects()
    assert [row.name for row in rows] == [e.name for e in find_presets() if not e.hidden]
    assert [row.name for row in rows].count("mimic_bloom") == 1
    assert next(row for row in rows if row.name == "mimic_bloom").source == "project"
    assert "preset.toml" in next(row for row in rows if row.name == "unfinished").problem
