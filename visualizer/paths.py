"""Where the project's own data lives: shaders, presets and renders.

The package is installed editable from the repository, so these folders sit
beside it. `VISUALIZER_HOME` points elsewhere (a deployed copy, tests).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding shaders/, presets/ and renders/."""
    home = os.environ.get("VISUALIZER_HOME")
    return Path(home) if home else Path(__file__).resolve().parent.parent


def shaders_dir() -> Path:
    return project_root() / "shaders"


def presets_dir() -> Path:
    return project_root() / "presets"


def renders_dir() -> Path:
    return project_root() / "renders"
