"""The user's cache of what a whole pass over an audio file found (its exact
frame count, its beat grid and onsets), so that the next run need not redo it.

Entries live in `paths.cache_dir()/analysis/<kind>-<key>.bin`; the key names
everything the value depends on (the SHA-256 of the audio file's bytes, an
analysis version, the parameters). Each entry is written atomically
(`atomic.write_atomic`) with a header: a magic line, the key and the SHA-256 of
the payload. Anything that does not match (a truncated, corrupt or foreign
file, an older format) reads as a miss and is written again; nothing here
raises: a cache that cannot be read or written only costs time. After each
store the folder is trimmed to `LIMIT_BYTES`, least recently used first
(a hit touches its entry).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from visualizer.atomic import write_atomic
from visualizer.paths import cache_dir

MAGIC = b"visualizer-cache 1\n"
LIMIT_BYTES = 500 * 2**20
"""The analysis folder's size bound (500 MiB: some 2,000 hours of beat grids)."""
_DIGEST = 32


def analysis_dir() -> Path:
    """Where the entries live."""
    return cache_dir() / "analysis"


def entry_key(*parts: object) -> str:
    """A key (64 hex digits) for JSON-able `parts`: equal parts, equal key."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _entry_path(kind: str, key: str) -> Path:
    return analysis_dir() / f"{kind}-{key}.bin"


def _header(key: str, payload: bytes) -> bytes:
    return MAGIC + key.encode("ascii") + b"\n" + hashlib.sha256(payload).digest()


def load(kind: str, key: str) -> bytes | None:
    """The payload stored under (kind, key), or None when missing or not intact."""
    path = _entry_path(kind, key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    size = len(MAGIC) + len(key) + 1 + _DIGEST
    payload = data[size:]
    if data[:size] != _header(key, payload):
        return None
    try:
        os.utime(path)  # recently used: evicted last
    except OSError:
        pass
    return payload


def store(kind: str, key: str, payload: bytes, limit: int = LIMIT_BYTES) -> None:
    """Keep `payload` under (kind, key), then trim the folder to `limit` bytes.
    Failures (read-only home, full disk) are ignored."""
    path = _entry_path(kind, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, _header(key, payload) + payload)
    except OSError:
        return
    evict(limit)


def evict(limit: int = LIMIT_BYTES) -> int:
    """Remove the least recently used entries until the folder holds at most
    `limit` bytes; returns how many were removed."""
    entries = []
    try:
        with os.scandir(analysis_dir()) as scan:
            for entry in scan:
                if entry.name.endswith(".bin") and entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    entries.append((info.st_mtime_ns, info.st_size, entry.path))
    except OSError:
        return 0
    total, removed = sum(size for _, size, _ in entries), 0
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total, removed = total - size, removed + 1
    return removed
