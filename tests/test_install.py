"""A real install: a wheel built from the source, installed (not editable) into a
fresh virtual environment, run from a folder of its own."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, f"{command}: {result.stderr}"
    return result


def build_wheel(tmp_path: Path) -> Path:
    """A wheel of a copy of the source (the build leaves the working tree alone)."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "visualizer", source / "visualizer", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "-q",
        "-w", tmp_path / "dist", cwd=tmp_path, env=dict(os.environ))
    return next((tmp_path / "dist").glob("visualizer-*.whl"))


def fresh_venv(tmp_path: Path) -> Path:
    """A new environment that sees the test environment's dependencies through a
    .pth line, which runs none of their .pth files (so not the editable install)."""
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path, env=dict(os.environ))
    purelib = subprocess.check_output(
        [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip()
    Path(purelib, "test-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv


def test_the_wheel_installs_and_runs_from_any_folder(tmp_path):
    wheel = build_wheel(tmp_path)
    venv = fresh_venv(tmp_path)
    work = tmp_path / "show"
    work.mkdir()
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("PYTHONPATH", None)
    probe = subprocess.run([venv / "bin" / "python", "-c", "import visualizer"], cwd=work, env=env, capture_output=True)
    assert probe.returncode != 0, "the project is importable before it is installed"
    run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q", "--no-deps",
        "--ignore-installed", wheel, cwd=work, env=env)
    where = run(venv / "bin" / "python", "-c", "import visualizer; print(visualizer.__file__)", cwd=work, env=env)
    assert Path(where.stdout.strip()).is_relative_to(venv)

    listing = run(venv / "bin" / "visualizer", "presets", "list", cwd=work, env=env).stdout
    row = next(line for line in listing.splitlines() if line.startswith("mimic_bloom "))
    assert row.split()[1:3] == ["shipped", "visualizer/presets/mimic_bloom/preset.toml"]

    run(venv / "bin" / "visualizer", "render", "--seconds", "1", "--size", "64x36", cwd=work, env=env)
    assert [p.name for p in (work / "renders").iterdir()] == ["mimic_bloom-demo-v1.mp4"]

    run(venv / "bin" / "visualizer", "presets", "new", "ring", cwd=work, env=env)
    listing = run(venv / "bin" / "visualizer", "presets", "list", cwd=work, env=env).stdout
    assert any(line.split()[:3] == ["ring", "project", "presets/ring/preset.toml"] for line in listing.splitlines())
