"""The whole-track rhythm pre-pass, remembered per audio file (`visualizer.cache`).

A `TrackRhythm` (beat grid, every onset, the onset-strength envelope) is all
any frame of any render needs from the whole track, so it is computed once
per file content and stored under a key made of the file's SHA-256, the grid
settings, `ANALYSIS_VERSION` and a fingerprint of the analysis code (a change
to any of its modules is a new key). Entries are numpy arrays (`.npz`, never
pickles): a foreign file cannot run code, and one that fails to load is a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile
from collections.abc import Callable
from functools import cache as once
from pathlib import Path

import numpy as np

from visualizer import cache
from visualizer.features.beat_grid import BeatGrid, GridConfig
from visualizer.features.onset import GROUPS, OnsetEvent
from visualizer.features.rhythm import TrackRhythm
from visualizer.features.structure import SongStructure

ANALYSIS_VERSION = 3
"""Bump when the pre-pass changes what it reports in a way its code fingerprint misses."""
KIND = "rhythm"
_SOURCES = ("onset.py", "beat_grid.py", "tempo.py", "rhythm.py", "bands.py", "track.py", "structure.py",
            "structure_frames.py", "structure_novelty.py", "structure_events.py")
"""The modules whose code decides a `TrackRhythm` (with audio/samples.py and audio/decode.py)."""


@once
def code_fingerprint() -> str:
    """SHA-256 of the analysis modules' source: new code, new cache entries."""
    here = Path(__file__).resolve().parent
    files = [here / name for name in _SOURCES] + [here.parent / "audio" / "samples.py",
                                                  here.parent / "audio" / "decode.py"]
    hasher = hashlib.sha256()
    for path in files:
        hasher.update(path.read_bytes() if path.is_file() else b"")
    return hasher.hexdigest()


def rhythm_key(digest: str, config: GridConfig) -> str:
    """The cache key of a file's (SHA-256 `digest`) rhythm under `config`."""
    return cache.entry_key(KIND, ANALYSIS_VERSION, code_fingerprint(), digest, dataclasses.asdict(config))


def cached_rhythm(digest: str, config: GridConfig | None,
                  analyse: Callable[[], TrackRhythm]) -> TrackRhythm:
    """The stored rhythm of the file with SHA-256 `digest`, else `analyse()` (then stored)."""
    key = rhythm_key(digest, config or GridConfig())
    payload = cache.load(KIND, key)
    found = decode_rhythm(payload) if payload is not None else None
    if found is not None:
        return found
    rhythm = analyse()
    cache.store(KIND, key, encode_rhythm(rhythm))
    return rhythm


def encode_rhythm(rhythm: TrackRhythm) -> bytes:
    """`rhythm` as `.npz` bytes (exact: every float keeps its bits)."""
    grid, events = rhythm.grid, rhythm.events
    buffer = io.BytesIO()
    np.savez(buffer,
             grid_scalars=np.array([grid.tempo_bpm, grid.beats_per_bar, rhythm.hop], np.float64),
             beats=grid.beats, onsets=grid.onsets, downbeats=grid.downbeats,
             event_times=np.array([e.time for e in events], np.float64),
             event_detected=np.array([e.detected_at for e in events], np.float64),
             event_strengths=np.array([e.strength for e in events], np.float64),
             event_bands=np.array([GROUPS.index(e.band) for e in events], np.int8),
             strength=rhythm.strength, **_structure_arrays(rhythm.structure))
    return buffer.getvalue()


def _structure_arrays(song: SongStructure | None) -> dict[str, np.ndarray]:
    if song is None:
        return {}
    return {"song_scalars": np.array([song.duration, song.hop], np.float64),
            "sections": np.array(song.sections, np.float64).reshape(-1, 2),
            "builds": np.array(song.builds, np.float64).reshape(-1, 2),
            "drops": np.array(song.drops, np.float64),
            "breakdowns": np.array(song.breakdowns, np.float64).reshape(-1, 2),
            "energy": song.energy}


def _structure_from(data: np.lib.npyio.NpzFile) -> SongStructure | None:
    if "song_scalars" not in data:
        return None
    duration, hop = (float(x) for x in data["song_scalars"])

    def pairs(name: str) -> list[tuple[float, float]]:
        return [(float(a), float(b)) for a, b in data[name].reshape(-1, 2)]

    return SongStructure(duration, pairs("sections"), pairs("builds"), [float(t) for t in data["drops"]],
                         pairs("breakdowns"), hop, data["energy"])


def decode_rhythm(payload: bytes) -> TrackRhythm | None:
    """The rhythm in `payload`, or None when it is not one `encode_rhythm` wrote."""
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as data:
            tempo, per_bar, hop = (float(x) for x in data["grid_scalars"])
            bands = data["event_bands"]
            if bands.size and not (0 <= bands.min() and bands.max() < len(GROUPS)):
                return None
            events = tuple(OnsetEvent(float(t), float(d), float(s), GROUPS[int(b)]) for t, d, s, b in
                           zip(data["event_times"], data["event_detected"], data["event_strengths"], bands,
                               strict=True))
            grid = BeatGrid(tempo, data["beats"], data["onsets"], data["downbeats"], int(per_bar))
            return TrackRhythm(grid, events, data["strength"], hop, _structure_from(data))
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, EOFError):
        return None
