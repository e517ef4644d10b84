"""Documentation generated from code stays in sync with it."""

from pathlib import Path

from visualizer.render.uniforms import AUDIO_UNIFORMS, SHADERTOY_UNIFORMS, markdown_table, prelude

ROOT = Path(__file__).resolve().parent.parent


def test_uniform_tables_in_docs_match_the_code():
    uniforms = (ROOT / "docs" / "uniforms.md").read_text()
    assert markdown_table(SHADERTOY_UNIFORMS) in uniforms
    assert markdown_table(AUDIO_UNIFORMS) in uniforms
    assert markdown_table(AUDIO_UNIFORMS) in (ROOT / "docs" / "audio.md").read_text()


def test_the_modulation_spans_in_docs_match_the_code():
    from visualizer.params.sources import spans_table

    assert spans_table() in (ROOT / "docs" / "audio.md").read_text()


def test_every_feature_field_is_documented():
    from dataclasses import fields

    from visualizer.features.frame import FrameFeatures

    audio = (ROOT / "docs" / "audio.md").read_text()
    missing = [f.name for f in fields(FrameFeatures) if f"`{f.name}`" not in audio]
    assert missing == []


def test_prelude_declares_every_documented_uniform():
    text = prelude()
    assert text.startswith("#version 330 core\n")
    assert "uniform vec3 iChannelResolution[4];" in text
    assert "uniform float uBass;" in text and text.rstrip().endswith("out vec4 fragColor;")


def test_the_annotated_preset_example_validates_and_renders(tmp_path, monkeypatch, ctx):
    import re

    import numpy as np

    from conftest import frame_inputs
    from visualizer.preset.loader import load_preset
    from visualizer.params.engine import modulation_engine
    from visualizer.render.graph import RenderGraph

    text = (ROOT / "docs" / "presets.md").read_text()
    for block in re.findall(r"```(?:toml|glsl)\n(.*?)```", text, re.S):
        path = tmp_path / block.splitlines()[0].lstrip("#/ ").strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block)
    monkeypatch.chdir(tmp_path)  # ./presets/pulse_rings/ is on the search path
    spec = load_preset("pulse_rings")
    engine = modulation_engine(spec, 30.0)
    graph = RenderGraph(ctx, spec, (64, 36))
    try:
        inputs = frame_inputs(10, bass_hit=1.0, beat_pulse=1.0)
        graph.render(inputs, engine.step(inputs.features))
        assert np.asarray(graph.read_rgb()).max() > 50
    finally:
        graph.release()
