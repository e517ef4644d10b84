"""GLSL source assembly: `#include "lib/x.glsl"` expansion with a line map.

Every line of the assembled source remembers the file and line it came from,
so a driver error on assembled line 80 reads `shaders/lib/noise.glsl:12: ...`.
Pure Python, no GL.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from visualizer.errors import ShaderBudgetError, ShaderIncludeError
from visualizer.paths import PACKAGE_DIR, file_kind, shown_path
from visualizer.render.budget import check_budget

MAX_INCLUDE_DEPTH = 16
MAX_FILE_BYTES = 1 << 20
"""One shader file: 1 MiB (the largest shipped one is under 10 KiB)."""
MAX_FILES = 256
"""Files one pass may read, includes counted once (Mimic Bloom's passes read at most 7)."""
MAX_ASSEMBLED_CHARS = 4 << 20
"""The assembled text of one pass: 4 Mi characters (Mimic Bloom's largest: about 30 K)."""
_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"\s*(?://.*)?$')
_VERSION = re.compile(r"^\s*#\s*version\b")
_MAIN = re.compile(r"\bvoid\s+main\s*\(")
_MAIN_IMAGE = re.compile(r"\bvoid\s+mainImage\s*\(")


@dataclass(frozen=True)
class SourceLine:
    """Where one assembled line came from: a display path and a 1-based line."""

    file: str
    line: int
    text: str


@dataclass(frozen=True)
class ShaderSource:
    """Assembled GLSL text, one `SourceLine` per line, and every file read."""

    text: str
    lines: tuple[SourceLine, ...]
    files: tuple[Path, ...]

    def locate(self, line: int) -> SourceLine | None:
        """The origin of 1-based assembled line `line`, if it exists."""
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else None


def display_path(path: Path, root: Path) -> str:
    """`path` relative to the folder above `root` when inside it (a tree of its
    own), else as `visualizer.paths.shown_path` shows it (shipped files as
    visualizer/..., the user's relative to the current folder)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(PACKAGE_DIR):
        for base in (root.parent, root):
            if resolved.is_relative_to(base.resolve()):
                return resolved.relative_to(base.resolve()).as_posix()
    return shown_path(path)


@functools.lru_cache(maxsize=4096)
def _real(path: Path) -> Path:
    """`path.resolve()`, remembered: the same include lookups repeat for every
    pass of every reload (symlinks are not expected to move while we run)."""
    return path.resolve()


class _Assembler:
    """Expands includes depth-first; each file is pasted once (include guard)."""

    def __init__(self, search_dirs: tuple[Path, ...], root: Path) -> None:
        self.search_dirs = search_dirs
        self.root = root
        self.out: list[SourceLine] = []
        self.files: list[Path] = []
        self.stack: list[Path] = []
        self._names: dict[Path, str] = {}
        self.chars = 0

    def name(self, path: Path) -> str:
        if path not in self._names:
            self._names[path] = display_path(path, self.root)
        return self._names[path]

    def resolve(self, target: str, including: Path, line: int) -> Path:
        found = None  # (as named, resolved): what exists under the name but may not be included
        for folder in (including.parent, *self.search_dirs):
            candidate = _real(folder / target)
            if candidate.is_file() and _inside_any(candidate, self.search_dirs):
                return candidate
            if found is None and os.path.exists(candidate):
                found = (folder / target, candidate)
        places = ", ".join(self.name(d) + "/" for d in self.search_dirs)
        problem = f"not found (paths are relative to {places}; check the spelling)"
        if found is not None and not _inside_any(found[1], self.search_dirs):
            problem = (f"is a link to {display_path(found[1], self.root)}, outside {places}; copy the file inside"
                       if os.path.islink(found[0]) else f"not found inside {places} (includes cannot leave them)")
        elif found is not None:
            problem = f"is {file_kind(found[1]) or 'not a regular file'}, not a shader file"
        raise ShaderIncludeError(f'{self.name(including)}:{line}: include "{target}" {problem}')

    def add_file(self, path: Path, included_from: tuple[Path, int] | None) -> None:
        path = _real(path)
        if path in self.stack:
            cycle = " -> ".join(self.name(p) for p in [*self.stack, path])
            where = f"{self.name(included_from[0])}:{included_from[1]}" if included_from else ""
            raise ShaderIncludeError(f"{where}: include cycle {cycle}; remove one of these includes")
        if path in self.files:
            return
        if len(self.files) >= MAX_FILES:
            where = f"{self.name(included_from[0])}:{included_from[1]}" if included_from else ""
            raise ShaderBudgetError(f"{where}: a pass may read at most {MAX_FILES} shader files; include fewer")
        if len(self.stack) >= MAX_INCLUDE_DEPTH:
            where = f"{self.name(included_from[0])}:{included_from[1]}" if included_from else ""
            raise ShaderIncludeError(
                f"{where}: includes nested deeper than {MAX_INCLUDE_DEPTH}; flatten them"
            )
        text = _read(path, self.name(path), included_from, self.name)
        self.files.append(path)
        self.stack.append(path)
        name = self.name(path)
        for number, raw in enumerate(text.splitlines(), start=1):
            self.add_line(path, name, number, raw)
        self.stack.pop()

    def add_line(self, path: Path, name: str, number: int, raw: str) -> None:
        """One line of `path` (shown as `name`): an include is expanded in place."""
        self.chars += len(raw) + 1
        if self.chars > MAX_ASSEMBLED_CHARS:
            raise ShaderBudgetError(f"{name}:{number}: the pass's shader text with its includes is over"
                                    f" {MAX_ASSEMBLED_CHARS >> 20} Mi characters; make it smaller")
        match = _INCLUDE.match(raw)
        if match:
            self.add_file(self.resolve(match.group(1), path, number), (path, number))
        elif _VERSION.match(raw):
            self.out.append(SourceLine(name, number, ""))  # the loader owns #version
        else:
            self.out.append(SourceLine(name, number, raw))


def _inside_any(path: Path, folders: tuple[Path, ...]) -> bool:
    """`path` (resolved) lies in one of `folders` (resolved by `assemble`)."""
    return any(path.is_relative_to(folder) for folder in folders)


def _read(path: Path, name: str, included_from: tuple[Path, int] | None, namer) -> str:
    """The text of `path` (UTF-8, at most MAX_FILE_BYTES)."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            where = f"{namer(included_from[0])}:{included_from[1]}: " if included_from else ""
            raise ShaderBudgetError(f"{where}{name}: the shader file is over {MAX_FILE_BYTES >> 20} MiB;"
                                    " a shader is code: keep data in textures or split it")
        return data.decode("utf-8-sig")  # a byte-order mark would reach the GLSL compiler: drop it
    except (OSError, UnicodeDecodeError) as exc:
        where = f"{namer(included_from[0])}:{included_from[1]}: " if included_from else ""
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{exc}; save it as UTF-8 text"
        raise ShaderIncludeError(f"{where}cannot read {name}: {reason}") from exc


def assemble(
    path: Path,
    prelude: str,
    search_dirs: tuple[Path, ...],
    root: Path,
) -> ShaderSource:
    """Assemble fragment shader `path`: prelude, then the file with includes expanded.

    A file that defines Shadertoy's `mainImage` and no `main` gets a `main` that
    calls it. `root` is the shaders folder used for display paths.
    """
    assembler = _Assembler(tuple(d.resolve() for d in search_dirs), root)
    for number, raw in enumerate(prelude.splitlines(), start=1):
        assembler.out.append(SourceLine("<prelude>", number, raw))
    if not path.is_file():
        raise ShaderIncludeError(f"{assembler.name(path)}: shader file not found; check the path")
    assembler.add_file(path, None)
    lines = assembler.out
    body = "\n".join(line.text for line in lines)
    if _MAIN_IMAGE.search(body) and not _MAIN.search(body):
        wrapper = "void main() { mainImage(fragColor, gl_FragCoord.xy); }"
        lines.append(SourceLine("<prelude>", 0, wrapper))
    text = "\n".join(line.text for line in lines) + "\n"
    source = ShaderSource(text, tuple(lines), tuple(assembler.files))
    check_budget(source)  # before any driver sees it
    return source
