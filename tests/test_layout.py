"""The data flow is one-way: only render/ and export/ touch GL; features never do."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "visualizer"
GL_MODULES = {"moderngl", "glcontext", "glfw"}
GL_ALLOWED = {"render", "export", "live"}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0] if node.level == 0 else node.module)
    return names


def test_only_render_and_export_import_gl():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if imported_modules(path) & GL_MODULES and path.relative_to(PACKAGE).parts[0] not in GL_ALLOWED
    ]
    assert offenders == []


def test_features_and_audio_never_import_render():
    for folder in ("features", "audio", "preset"):
        for path in (PACKAGE / folder).rglob("*.py"):
            text = path.read_text()
            assert "visualizer.render" not in text and "visualizer.export" not in text, path
