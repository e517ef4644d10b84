"""Shared fixtures: one headless EGL context per session, checked around each test."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import numpy as np
import pytest

from visualizer.features.frame import FrameFeatures
from visualizer.render.uniforms import FrameInputs

# Keep generated caches (the demo track) out of the user's home.
os.environ.setdefault("VISUALIZER_CACHE", str(Path(__file__).resolve().parent.parent / "renders" / ".cache"))
# Only the shipped presets (and a test's own) on the preset search path: none of the user's.
os.environ["XDG_DATA_HOME"] = str(Path(__file__).resolve().parent.parent / "renders" / ".cache" / "data")
os.environ.pop("VISUALIZER_PRESET_PATH", None)


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true",
                     help="rewrite tests/golden/*.png from this machine's renders (then look at them)")


@pytest.fixture(autouse=True)
def numpy_strict():
    with np.errstate(all="raise"):
        yield


@pytest.fixture(scope="session")
def gl_session():
    from visualizer.render.context import create_headless_context

    ctx = create_headless_context()
    yield ctx
    ctx.release()


@pytest.fixture
def ctx(gl_session):
    assert gl_session.error == "GL_NO_ERROR"
    yield gl_session
    assert gl_session.error == "GL_NO_ERROR"


class CountingContext:
    """Wraps a context and remembers every GL object made through it."""

    FACTORIES = ("texture", "framebuffer", "program", "vertex_array", "buffer")

    def __init__(self, ctx):
        self._ctx = ctx
        self.made = []

    def __getattr__(self, name):
        attribute = getattr(self._ctx, name)
        if name not in self.FACTORIES:
            return attribute

        def make(*args, **kwargs):
            obj = attribute(*args, **kwargs)
            self.made.append(obj)
            return obj

        return make

    def live(self) -> list:
        """Objects made through this wrapper and not released yet."""
        return [obj for obj in self.made if type(obj.mglo).__name__ != "InvalidObject"]


@pytest.fixture
def counting_ctx(ctx):
    """The session context, wrapped to count the GL objects a test makes and leaves live."""
    return CountingContext(ctx)


@pytest.fixture(scope="module")
def display():
    """A private Xvfb display (a free number per module); fails, never skips, without Xvfb.
    `-noreset`: the server does not reset when its last client leaves (a window test that
    closes one window and opens the next raced the reset: "Failed to open display")."""
    import shutil
    import subprocess
    import time

    if shutil.which("Xvfb") is None:
        pytest.fail("the window tests need Xvfb: install xvfb (scripts/setup.sh test does)")
    number = next(n for n in range(80, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                  and not Path(f"/tmp/.X{n}-lock").exists())
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x720x24", "-nolisten", "tcp", "-noreset"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not _accepts(Path(f"/tmp/.X11-unix/X{number}")):  # listening, not just a socket file left over
        assert server.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def _accepts(path: Path) -> bool:
    """True when an X server listens on the unix socket `path`."""
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


@pytest.fixture
def write_files(tmp_path):
    """Write {relative path: text} under tmp_path; returns tmp_path."""

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"))
        return tmp_path

    return write


def frame_inputs(frame: int = 0, fps: float = 30.0, **levels: float) -> FrameInputs:
    """Inputs for frame `frame` with the given levels (level, bass, mid, high)."""
    from dataclasses import replace

    features = replace(FrameFeatures.silent(frame / fps), **levels)
    return FrameInputs(frame / fps, 1.0 / fps, frame, fps, features, 44100.0)
