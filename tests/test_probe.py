"""The shader probe (visualizer/render/probe.py), driven through its protocol as the
live app's checker drives it: JSON requests in, the guard's watch messages and one
reply a request out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from visualizer.preset.loader import load_preset
from visualizer.render.graph import checked_sources
from visualizer.render.probe import sources_digest

PRESET = '[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n'
HANG_S = 120.0
"""Seconds before a wait gives up: a bound on a hang, never a measurement."""


@pytest.fixture(scope="module")
def probe():
    process = subprocess.Popen([sys.executable, "-m", "visualizer.render.probe"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    yield process
    process.kill()
    process.wait()


def ask(probe: subprocess.Popen, request_id: int, preset: Path) -> tuple[dict, list[dict]]:
    """Send one request; its reply and the guard's messages that came before it."""
    probe.stdin.write(json.dumps({"id": request_id, "preset": str(preset), "size": [8, 8]}) + "\n")
    probe.stdin.flush()
    messages = []
    while "reply" not in (message := json.loads(probe.stdout.readline())):
        messages.append(message)
    return message["reply"], messages


def test_a_good_preset_is_built_drawn_and_answered_with_its_sources(probe, tmp_path):
    (tmp_path / "scene.glsl").write_text("void main() { fragColor = vec4(1.0); }\n")
    (tmp_path / "p.toml").write_text(PRESET)
    reply, messages = ask(probe, 7, tmp_path / "p.toml")
    expected = sources_digest(source.text for source in checked_sources(load_preset(tmp_path / "p.toml")))
    assert reply == {"id": 7, "sources": expected}
    armed = [message["subject"] for message in messages if "arm" in message]
    assert armed.count(str(tmp_path / "scene.glsl")) == 2  # its compile and its first draw were watched
    assert len([m for m in messages if "disarm" in m]) == len(armed)  # and each watch ended


def test_a_broken_shader_is_answered_with_the_error_the_show_would_show(probe, tmp_path):
    (tmp_path / "scene.glsl").write_text("void main() {\n    fragColor = undefined_colour;\n}\n")
    (tmp_path / "p.toml").write_text(PRESET)
    reply, _ = ask(probe, 8, tmp_path / "p.toml")
    assert reply["id"] == 8 and reply["error"].startswith(f"{tmp_path / 'scene.glsl'}:2: error:")
    reply, _ = ask(probe, 9, tmp_path / "missing.toml")  # and it serves on
    assert reply["id"] == 9 and "missing.toml" in reply["error"]


def test_the_probe_caps_its_memory_and_ends_with_its_input(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "visualizer.render.probe"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        (tmp_path / "scene.glsl").write_text("void main() { fragColor = vec4(1.0); }\n")
        (tmp_path / "p.toml").write_text(PRESET)
        ask(process, 1, tmp_path / "p.toml")  # the limits are set by now
        limits = Path(f"/proc/{process.pid}/limits").read_text().splitlines()
        address_space, cpu = (next(line for line in limits if line.startswith(name))
                              for name in ("Max address space", "Max cpu time"))
        assert "unlimited" not in address_space.split()[3] and "unlimited" not in cpu.split()[3]
        process.stdin.close()
        assert process.wait(timeout=HANG_S) == 0
    finally:
        process.kill()
