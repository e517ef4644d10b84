"""Documentation generated from code stays in sync with it."""

from pathlib import Path

from visualizer.render.uniforms import markdown_table, prelude

ROOT = Path(__file__).resolve().parent.parent


def test_uniform_table_in_docs_matches_the_code():
    assert markdown_table() in (ROOT / "docs" / "uniforms.md").read_text()


def test_prelude_declares_every_documented_uniform():
    text = prelude()
    assert text.startswith("#version 330 core\n")
    assert "uniform vec3 iChannelResolution[4];" in text
    assert "uniform float uBass;" in text and text.rstrip().endswith("out vec4 fragColor;")
