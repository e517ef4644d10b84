"""Mesa's shader disk cache, turned off where it cannot work.

Mesa keeps compiled shaders in `$MESA_SHADER_CACHE_DIR/mesa_shader_cache`, else
`$XDG_CACHE_HOME/mesa_shader_cache`, else `~/.cache/mesa_shader_cache`, in a file it
maps into memory: on a full disk the file cannot grow and the process dies of
SIGBUS; where that folder cannot be made Mesa prints "Cannot use ... for shader
cache" on stderr. `disable_if_unusable()`, called before any GL context exists,
sets MESA_SHADER_CACHE_DISABLE=true then (shaders compile a little slower).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, MutableMapping
from pathlib import Path

MIN_FREE_BYTES = 64 * 2**20
"""Free space (bytes) the cache's file system needs for Mesa to use it."""
DISABLE_VARIABLE = "MESA_SHADER_CACHE_DISABLE"


def mesa_cache_folder(environ: MutableMapping[str, str]) -> Path | None:
    """The folder Mesa would cache shaders in; None when it would take a relative path
    (the XDG spec says to ignore a relative $XDG_CACHE_HOME; Mesa does not)."""
    if environ.get("MESA_SHADER_CACHE_DIR"):
        base = Path(environ["MESA_SHADER_CACHE_DIR"])
    elif environ.get("XDG_CACHE_HOME"):
        base = Path(environ["XDG_CACHE_HOME"])
    else:
        base = Path(os.path.expanduser("~")) / ".cache"
    return base / "mesa_shader_cache" if base.is_absolute() else None


def cache_problem(environ: MutableMapping[str, str],
                  free_bytes: Callable[[Path], int] = lambda path: shutil.disk_usage(path).free) -> str | None:
    """Why Mesa's cache folder would fail (relative, not a writable folder, under
    `MIN_FREE_BYTES` free), or None when it looks usable. `free_bytes(folder)` probes."""
    folder = mesa_cache_folder(environ)
    if folder is None:
        return "a relative cache path"
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent  # Mesa makes the missing folders
    if not existing.is_dir():
        return f"{existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    try:
        if free_bytes(existing) < MIN_FREE_BYTES:
            return f"under {MIN_FREE_BYTES >> 20} MiB free at {existing}"
    except OSError as exc:
        return f"{existing}: {exc.strerror}"
    return None


def disable_if_unusable(environ: MutableMapping[str, str] = os.environ,
                        free_bytes: Callable[[Path], int] = lambda path: shutil.disk_usage(path).free) -> bool:
    """Turn Mesa's shader cache off (in `environ`) when `cache_problem` finds one; True if so.
    A choice already made in the environment is kept."""
    if DISABLE_VARIABLE in environ or cache_problem(environ, free_bytes) is None:
        return False
    environ[DISABLE_VARIABLE] = "true"
    return True
