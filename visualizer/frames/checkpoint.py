"""Checkpoints of the fast-forward before a `--start`, kept in the user's cache.

A render from frame S runs the analysis, the parameter engine and the state
passes from frame 0 (`loop.render_range`). While it skips frames it saves,
every `interval_seconds` of audio (at an analysis block boundary), the whole
loop state: the feature schedule's (`FeatureSchedule.state`), the engine's
attack/release smoothers and the bytes of every state-pass target, both
copies of a ping-pong. A later render of the same audio, rate, beats, preset
(its parsed spec and every assembled shader source), parameter bases and GL
driver resumes from the latest checkpoint at or before its first drawn frame;
its frames are bit-identical to a full render's. The output size and SSAA are
not in the key: state passes draw fixed-size targets and read only the audio
textures and themselves (`PassSpec.keeps_state`), and no uniform they get
depends on the output size.

Entries go through `visualizer.cache` (atomic, size-bounded, checksummed).
The payload is a pickle behind a magic line, read with an unpickler that
builds only numpy arrays, plain containers and the classes of
`visualizer.features` and `visualizer.params`; a code fingerprint is in the
key. Any failure to find, read, unpickle or fit a checkpoint is a miss: the
render runs from frame 0, as it would with no cache.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import dataclass, field
from functools import cache as once
from pathlib import Path

from visualizer import cache
from visualizer.features.schedule import BeatSource, FeatureSchedule
from visualizer.features.track import FileSource
from visualizer.params.engine import ModulationEngine
from visualizer.render.graph import RenderGraph

CHECKPOINT_VERSION = 1
"""Bump when what a checkpoint holds changes in a way the code fingerprint misses."""
KIND = "start"
MAGIC = b"visualizer-start-checkpoint 1\n"
DEFAULT_INTERVAL_SECONDS = 60.0
_CODE = ("features", "params", "frames", "render", "audio")
"""Packages whose code decides the state a checkpoint holds."""


@dataclass
class Checkpoints:
    """How often `render_range` saves (seconds of audio; 0 or less: never save nor
    restore), and what it did: the frame it resumed at (0: from the start), the
    checkpoints saved, and the frames fast-forwarded (stepped without drawing)."""

    interval_seconds: float = DEFAULT_INTERVAL_SECONDS
    resumed_at: int = 0
    saved: list[int] = field(default_factory=list)
    fast_forwarded: int = 0


@once
def code_fingerprint() -> str:
    """SHA-256 of the source of every module that shapes the loop's state."""
    root = Path(__file__).resolve().parent.parent
    hasher = hashlib.sha256()
    for package in _CODE:
        for path in sorted((root / package).glob("*.py")):
            hasher.update(path.name.encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def series_key(graph: RenderGraph, engine: ModulationEngine, audio: object, frame_rate: float,
               beats: BeatSource) -> str | None:
    """The key shared by one render setup's checkpoints; None when the audio
    cannot name its bytes (no checkpoints then)."""
    if not isinstance(audio, FileSource):
        return None
    engine_setup = (sorted((name, repr(engine.base(name))) for name in (p.name for p in engine.params)),
                    repr(engine.modulations), repr(engine.triggers), engine.seed, engine.frame_rate)
    driver = (graph.ctx.info.get("GL_RENDERER"), graph.ctx.info.get("GL_VERSION"))
    return cache.entry_key(KIND, CHECKPOINT_VERSION, code_fingerprint(), audio.digest(), float(frame_rate),
                           beats, repr(graph.preset), graph.source_texts, engine_setup, driver)


def blocks_between(schedule: FeatureSchedule, interval_seconds: float) -> int:
    """Analysis blocks from one checkpoint to the next (at least 1)."""
    return max(1, round(interval_seconds * schedule.audio.sample_rate / schedule.block))


def save(series: str, block_index: int, schedule: FeatureSchedule, graph: RenderGraph,
         engine: ModulationEngine) -> bool:
    """Store the loop's state after `block_index` blocks (all their frames stepped), unless
    an intact one is stored already (the same state: the key names everything it depends on).
    True when it stored one."""
    if cache.load(KIND, cache.entry_key(series, block_index)) is not None:
        return False
    state = {"frames": schedule.frames_produced, "schedule": schedule.state(),
             "smoothers": engine.smoothing_state(), "graph": graph.state_snapshot()}
    cache.store(KIND, cache.entry_key(series, block_index), MAGIC + pickle.dumps(state, protocol=5))
    return True


def load(series: str, block_index: int) -> dict | None:
    """The state saved after `block_index` blocks, or None (missing or not intact)."""
    payload = cache.load(KIND, cache.entry_key(series, block_index))
    if payload is None or not payload.startswith(MAGIC):
        return None
    try:
        state = _SafeUnpickler(io.BytesIO(payload[len(MAGIC):])).load()
    except Exception:  # any unreadable pickle is a miss
        return None
    return state if isinstance(state, dict) and isinstance(state.get("frames"), int) else None


def restore(state: dict, schedule: FeatureSchedule, graph: RenderGraph, engine: ModulationEngine) -> bool:
    """Put `state` into a fresh loop; False (and the loop reset) when it does not fit."""
    try:
        graph.restore_state(state["graph"])
        engine.restore_smoothing(state["smoothers"])
        schedule.restore(state["schedule"])  # last: it changes nothing when it fails
    except (ValueError, KeyError, TypeError, AttributeError):
        graph.reset()
        engine.reset()
        return False
    return True


def resume(series: str | None, schedule: FeatureSchedule, graph: RenderGraph, engine: ModulationEngine,
           first_drawn: int, every: int) -> tuple[int, int]:
    """Restore the latest checkpoint (block index a multiple of `every`) at or before frame
    `first_drawn`; returns (its frame, its block index), or (0, 0) when none fits (the
    loop left as new)."""
    if series is None:
        return 0, 0
    samples_per_frame = schedule.audio.sample_rate / schedule.analyzer.frame_rate
    newest = int(first_drawn * samples_per_frame / schedule.block) + 1
    for block_index in range(newest - newest % every, 0, -every):
        state = load(series, block_index)
        if state is None or state["frames"] > first_drawn:
            continue
        if restore(state, schedule, graph, engine):
            return state["frames"], block_index
        return 0, 0  # it did not fit: start over
    return 0, 0


class _SafeUnpickler(pickle.Unpickler):
    """Builds numpy arrays, builtin containers and the classes of visualizer's
    features and params, nothing else (a foreign file cannot run code)."""

    _NUMPY = {("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "_reconstruct"),
              ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
              ("numpy._core.multiarray", "scalar"), ("numpy._core.numeric", "_frombuffer"),
              ("numpy.core.numeric", "_frombuffer"), ("collections", "deque"), ("copyreg", "_reconstructor"),
              ("builtins", "object")}

    def find_class(self, module: str, name: str) -> object:
        if (module, name) in self._NUMPY or (
                module.startswith(("visualizer.features.", "visualizer.params.")) and name[:1].isupper()):
            found = super().find_class(module, name)
            if isinstance(found, type) or (module, name) in self._NUMPY:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a checkpoint")
