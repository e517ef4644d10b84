"""Documentation generated from code stays in sync with it."""

from pathlib import Path

from visualizer.render.uniforms import AUDIO_UNIFORMS, SHADERTOY_UNIFORMS, markdown_table, prelude

ROOT = Path(__file__).resolve().parent.parent


def test_uniform_tables_in_docs_match_the_code():
    uniforms = (ROOT / "docs" / "uniforms.md").read_text()
    assert markdown_table(SHADERTOY_UNIFORMS) in uniforms
    assert markdown_table(AUDIO_UNIFORMS) in uniforms
    assert markdown_table(AUDIO_UNIFORMS) in (ROOT / "docs" / "audio.md").read_text()


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
