"""Build GL programs from assembled sources; map driver errors to file:line.

Programs are cached per context by source text, so presets sharing a shader
compile it once. The cache owns every program it made.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import moderngl

from visualizer.errors import ShaderCompileError
from visualizer.render.shader_source import ShaderSource, assemble
from visualizer.render.uniforms import GLSL_VERSION, prelude

FULLSCREEN_VERTEX = f"""{GLSL_VERSION}
void main() {{
    vec2 corner = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}}
"""
"""One triangle covering the viewport, drawn with 3 vertices and no buffers."""

_DRIVER_LINE = (
    re.compile(r"^\s*\d+:(?P<line>\d+)\((?P<col>\d+)\):\s*(?P<msg>.*)$"),  # Mesa
    re.compile(r"^\s*\d+\((?P<line>\d+)\)\s*:\s*(?P<msg>.*)$"),  # NVIDIA
    re.compile(r"^\s*(?:ERROR|WARNING):\s*\d+:(?P<line>\d+):\s*(?P<msg>.*)$"),  # AMD, Intel
)
MAX_REPORTED_ERRORS = 8


ASSEMBLED_KEPT = 256
"""Assembled shaders remembered (a live set opens its presets again and again)."""
_assembled: dict[tuple, tuple[tuple[tuple[Path, int, int], ...], ShaderSource]] = {}


def load_shader(path: Path, search_dirs: tuple[Path, ...], root: Path) -> ShaderSource:
    """Assemble a fragment shader file with the standard prelude. An assembly is reused
    while none of the files it read changed (size and modification time) and the current
    folder (which names them in messages) is the same: assembling costs ~10 ms a file."""
    key = (Path(path), tuple(search_dirs), root, os.getcwd())
    kept = _assembled.get(key)
    if kept is not None and all(_stamp(file) == (file, size, mtime) for file, size, mtime in kept[0]):
        return kept[1]
    source = assemble(path, prelude(), search_dirs, root)
    if len(_assembled) >= ASSEMBLED_KEPT:
        _assembled.pop(next(iter(_assembled)))
    _assembled[key] = (tuple(_stamp(file) for file in source.files), source)
    return source


def _stamp(file: Path) -> tuple[Path, int, int]:
    """(file, size, mtime ns); a file gone stamps as -1 (never equal to what was read)."""
    try:
        stat = os.stat(file)
    except OSError:
        return file, -1, -1
    return file, stat.st_size, stat.st_mtime_ns


def format_driver_log(log: str, source: ShaderSource, fallback_file: str) -> str:
    """Rewrite a driver's compile log as `file:line: message` plus the source line, the
    errors first: a warning the driver printed earlier never stands in for the error."""
    messages: list[str] = []
    for raw in log.splitlines():
        entry = _map_line(raw, source)
        if entry and entry not in messages:
            messages.append(entry)
    messages.sort(key=_is_warning)  # stable: each kind keeps the driver's order
    if not messages:
        detail = " ".join(line.strip() for line in log.splitlines() if _is_detail(line))
        messages.append(f"{fallback_file}: {detail or 'the driver rejected the shader'}")
    return "\n".join(messages[:MAX_REPORTED_ERRORS])


def _is_warning(entry: str) -> bool:
    """A mapped log entry whose message is a warning (`file:line: warning...`)."""
    message = entry.split("\n", 1)[0].split(": ", 1)[-1]
    return message.lower().startswith("warning")


def _is_detail(line: str) -> bool:
    text = line.strip()
    return bool(text) and not set(text) <= {"="} and not text.startswith(
        ("GLSL Compiler failed", "GLSL Linker failed", "fragment_shader", "vertex_shader", "Program")
    )


def _map_line(raw: str, source: ShaderSource) -> str | None:
    for pattern in _DRIVER_LINE:
        match = pattern.match(raw)
        if match:
            origin = source.locate(int(match.group("line")))
            message = match.group("msg").strip()
            if origin is None:
                return f"<assembled>:{match.group('line')}: {message}"
            return f"{origin.file}:{origin.line}: {message}\n    {origin.text.strip()}"
    return None


class ProgramCache:
    """Compiles and owns fullscreen-pass programs for one context, keyed by source.

    Graphs `get` the programs they use and `put` them back when released; a
    program nobody uses stays cached until `prune()` (after a hot reload).
    """

    def __init__(self, ctx: moderngl.Context) -> None:
        self.ctx = ctx
        self._programs: dict[str, moderngl.Program] = {}
        self._users: dict[str, int] = {}

    def get(self, source: ShaderSource, name: str) -> moderngl.Program:
        """The program for `source` (compiled on first use); `name` (the main file) labels errors."""
        key = hashlib.sha1(source.text.encode()).hexdigest()
        program = self._programs.get(key)
        if program is None:
            program = self._compile(source, name)
            self._programs[key] = program
        self._users[key] = self._users.get(key, 0) + 1
        return program

    def put(self, program: moderngl.Program) -> None:
        """One user of `program` is done with it."""
        for key, cached in self._programs.items():
            if cached is program:
                self._users[key] = max(0, self._users.get(key, 0) - 1)
                return

    def _compile(self, source: ShaderSource, name: str) -> moderngl.Program:
        try:
            return self.ctx.program(vertex_shader=FULLSCREEN_VERTEX, fragment_shader=source.text)
        except moderngl.Error as exc:
            raise ShaderCompileError(format_driver_log(str(exc), source, name)) from exc

    def __len__(self) -> int:
        return len(self._programs)

    def prune(self) -> None:
        """Release the programs no graph uses (after a hot reload)."""
        for key in [key for key, users in self._users.items() if users == 0]:
            self._programs.pop(key).release()
            del self._users[key]

    def release(self) -> None:
        """Release every program; safe to call twice."""
        for program in self._programs.values():
            program.release()
        self._programs.clear()
        self._users.clear()
