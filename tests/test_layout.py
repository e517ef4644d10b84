"""The data flow is one-way: audio -> features -> params -> render -> output, with
the live app and the CLI on top. Every package's allowed imports are listed here;
anything else fails, naming the file and the import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "visualizer"
SHARED = {"errors", "paths", "naming", "atomic", "cache", "guard", "supervisor", "printable"}
"""Top-level modules every package may use (one error hierarchy, where data lives,
did-you-mean, atomic writes, the analysis cache, the supervisor's registry and watches)."""

ALLOWED: dict[str, set[str]] = {
    "audio": set(),
    "features": {"audio"},
    "preset": {"features"},
    "params": {"features", "preset"},
    "control": {"features", "preset", "params"},
    "render": {"features", "preset"},
    "frames": {"features", "preset", "params", "render"},
    "output": {"audio", "features", "preset", "params", "render", "frames"},
    "live": {"audio", "features", "preset", "params", "control", "render", "frames", "output"},
    "cli": {"audio", "features", "preset", "params", "control", "render", "frames", "output", "live"},
    "api": {"audio", "features", "preset", "params", "render", "frames", "output"},
    "__main__": {"cli"},
    **{name: set() for name in SHARED},
}
"""Package (or top-level module) -> the visualizer packages it may import."""

GL_MODULES = {"moderngl", "glcontext", "glfw", "imgui_bundle", "OpenGL"}
GL_ALLOWED = {"render", "output", "live", "api"}
"""Only these touch GL, windows or ImGui; features and presets stay testable without a GPU."""


def _unit(path: Path) -> str:
    """The package (or top-level module) a file belongs to."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _imports(path: Path, where: tuple[str, ...] | None = None) -> set[str]:
    """Every absolute module name the file imports (relative imports resolved
    against `where`, the file's parts inside the package)."""
    where = where if where is not None else path.relative_to(PACKAGE).parts
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(("visualizer", *where[:-node.level]))
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.add(module)
            if module == "visualizer":  # `from visualizer import render`: the names are packages
                names |= {f"visualizer.{alias.name}" for alias in node.names}
    return names


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "templates" not in p.parts)


def test_every_package_is_in_the_matrix():
    units = {_unit(path) for path in _sources()} - {"__init__"}
    assert units <= set(ALLOWED), f"add these to ALLOWED: {sorted(units - set(ALLOWED))}"


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_data_flow(path: Path):
    assert _wrong_imports(path, path.relative_to(PACKAGE).parts) == []


def _wrong_imports(path: Path, where: tuple[str, ...]) -> list[str]:
    """Imports of visualizer packages that the matrix does not allow the file's package."""
    unit = where[0] if len(where) > 1 else Path(where[0]).stem
    allowed = ALLOWED.get(unit, set()) | SHARED | {unit}
    return sorted(
        f"{'/'.join(where)} imports {name}; {unit} may import only {sorted(allowed)}"
        for name in _imports(path, where)
        if name.startswith("visualizer.") and name.split(".")[1] not in allowed
    )


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_gl_packages_touch_gl(path: Path):
    if _unit(path) in GL_ALLOWED:
        return
    assert {name.split(".")[0] for name in _imports(path)} & GL_MODULES == set()


def test_the_matrix_can_fail(tmp_path: Path):
    """The checker itself: a features module importing render (absolute or relative) is caught."""
    probe = tmp_path / "probe.py"
    probe.write_text("from visualizer.render.graph import RenderGraph\nfrom ..output import plot\n"
                     "from visualizer import live\nfrom .. import cli\nimport visualizer.frames.loop\n")
    wrong = _wrong_imports(probe, ("features", "probe.py"))
    assert [line.split(" imports ")[1].split(";")[0] for line in wrong] == [
        "visualizer.cli", "visualizer.frames.loop", "visualizer.live", "visualizer.output",
        "visualizer.render.graph"]
