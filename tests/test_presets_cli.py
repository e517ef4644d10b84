"""`visualizer presets ...` as a user types it, and every shipped preset."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from visualizer.features.frame import FrameFeatures
from visualizer.preset.loader import available_presets, load_preset
from visualizer.render.graph import RenderGraph
from visualizer.render.uniforms import FrameInputs

VISUALIZER = str(Path(sys.executable).parent / "visualizer")


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([VISUALIZER, *args], capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A project folder of our own, the current folder, with an empty presets/."""
    (tmp_path / "presets").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def render_frames(ctx, spec, features: list[FrameFeatures], size=(96, 54)) -> list[np.ndarray]:
    graph = RenderGraph(ctx, spec, size)
    try:
        frames = []
        for index, feature in enumerate(features):
            graph.render(FrameInputs(index / 30, 1 / 30, index, 30.0, feature, 44100.0))
            frames.append(graph.read_rgb().astype(float))
        return frames
    finally:
        graph.release()


def loud(time: float, **extra: float) -> FrameFeatures:
    values = dict(level=1.0, bass=1.0, mid=0.8, high=0.8, bass_hit=1.0, onset=1.0, beat_pulse=1.0, intensity=1.0)
    return replace(FrameFeatures.silent(time), **{**values, **extra})


@pytest.mark.parametrize("name", available_presets())
def test_every_preset_renders_something_that_follows_the_music(ctx, name):
    spec = load_preset(name)
    quiet = render_frames(ctx, spec, [FrameFeatures.silent(i / 30) for i in range(45)])[-1]
    music = render_frames(ctx, spec, [loud(i / 30, bass=float(i % 15 == 0)) for i in range(45)])[-1]
    assert music.std() > 2.0, "the frame is blank"
    assert np.abs(music - quiet).mean() > 1.0, "the audio does not change the picture"


def test_validate_all_shipped_presets():
    result = run("presets", "validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ok  ") == len(available_presets())


def test_list_and_show():
    listing = run("presets", "list")
    assert listing.returncode == 0
    row = next(line for line in listing.stdout.splitlines() if line.startswith("mimic_bloom "))
    assert row.split()[1:3] == ["shipped", "visualizer/presets/mimic_bloom/preset.toml"]
    shown = run("presets", "show", "mimic_bloom")
    assert shown.returncode == 0 and "passes" in shown.stdout and "echoFade" in shown.stdout
    assert "history: 10 s (declared)" in shown.stdout


def test_new_preset_validates_and_renders_at_once(home, ctx):
    result = run("presets", "new", "ring_void")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["wrote presets/ring_void/preset.toml", "wrote presets/ring_void/scene.glsl"]
    assert run("presets", "validate").returncode == 0
    row = next(line for line in run("presets", "list").stdout.splitlines() if line.startswith("ring_void "))
    assert row.split()[1:3] == ["project", "presets/ring_void/preset.toml"]
    frame = render_frames(ctx, load_preset("ring_void"), [loud(0.0)])[0]
    assert frame.max() > 100  # the ring is lit
    again = run("presets", "new", "ring_void")
    assert again.returncode == 2 and again.stderr.startswith("error: presets/ring_void: already exists")
    bad = run("presets", "new", "Bad Name")
    assert bad.returncode == 2 and "lower-case letters" in bad.stderr


def test_validate_reports_every_broken_preset_and_exits_2(home):
    for name, text in (("typo", '[meta]\nnmae = "x"\n[[passes]]\nshader = "nope.glsl"\ntarget = "output"\n'),
                       ("syntax", '[meta]\nname = "x\n')):
        (home / "presets" / name).mkdir()
        (home / "presets" / name / "preset.toml").write_text(text)
    (home / "presets" / "empty").mkdir()
    result = run("presets", "validate")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert 'presets/typo/preset.toml:2:1: meta.nmae: unknown key; did you mean "name"?' in lines
    assert ('presets/typo/preset.toml:4:1: passes[1].shader: "nope.glsl": file not found;'
            " paths are relative to the preset's folder or the shader library") in lines
    assert any(line.startswith("presets/syntax/preset.toml:2:") and "TOML syntax error" in line for line in lines)
    assert "presets/empty: preset bundle has no preset.toml; add one (visualizer presets new NAME writes a template)" in lines
    shipped = len(list((Path(__file__).resolve().parent.parent / "visualizer" / "presets").glob("*/preset.toml")))
    assert lines[-1] == f"error: 3 of {3 + shipped} presets have problems (listed above)"


def test_validate_warns_about_image_feedback_without_a_history(tmp_path):
    """Only a preset whose image feedback does not say how long it remembers gets the warning."""
    from test_exact_start import COUNTER, TRAILS, write_preset

    write_preset(tmp_path, {**TRAILS, **COUNTER}, "trails.toml")
    guessed = (tmp_path / "trails.toml").read_text().replace("history = 2.5\n", "")
    (tmp_path / "guessed.toml").write_text(guessed)
    (tmp_path / "state_only.toml").write_text((tmp_path / "counter.toml").read_text().replace("history = 0.0\n", ""))
    result = run("presets", "validate", *(str(tmp_path / f"{n}.toml") for n in ("trails", "guessed", "state_only")))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "guessed.toml: meta.history is not set" in warnings[0]
