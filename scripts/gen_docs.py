"""Regenerate the uniform tables in docs/ from visualizer/render/uniforms.py.

    .venv/bin/python scripts/gen_docs.py

Each table sits between `<!-- NAME:begin -->` and `<!-- NAME:end -->` markers.
tests/test_docs.py fails when a table is stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from visualizer.render.uniforms import AUDIO_UNIFORMS, SHADERTOY_UNIFORMS, markdown_table

DOCS = Path(__file__).resolve().parent.parent / "docs"
TABLES = {
    ("uniforms.md", "shadertoy"): markdown_table(SHADERTOY_UNIFORMS),
    ("uniforms.md", "audio"): markdown_table(AUDIO_UNIFORMS),
    ("audio.md", "audio"): markdown_table(AUDIO_UNIFORMS),
}


def marked(name: str, table: str) -> str:
    return f"<!-- {name}:begin -->\n{table}<!-- {name}:end -->"


def main() -> None:
    for (file, name), table in TABLES.items():
        path = DOCS / file
        text = path.read_text()
        pattern = re.compile(rf"<!-- {name}:begin -->\n.*?<!-- {name}:end -->", re.S)
        path.write_text(pattern.sub(lambda _: marked(name, table), text))


if __name__ == "__main__":
    main()
