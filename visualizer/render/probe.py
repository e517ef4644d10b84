"""A shader check in a process of its own: `python -m visualizer.render.probe`.

The live app (visualizer/live/checker.py) keeps one running, warm, and asks it
to build a changed preset's graph and draw one frame at the window's size
before the show compiles the preset in its own context. A shader that would
hang the driver (a runaway loop, an enormous compile) hangs this process
instead; its compile and each first draw run under the guard's watches
(visualizer/guard.py), so its supervisor knows which file to blame when it
kills it at the time limit.

Requests are JSON lines on stdin: {"id": n, "preset": path, "size": [w, h]}.
On the channel (the process's original stdout; stray prints go to stderr)
come the guard's messages and one reply a request: {"reply": {"id": n,
"sources": digest}} when the preset builds and draws, else {"reply": {"id": n,
"error": text}} with the error the show would have shown ({"unavailable":
reason} where no headless context can be made). The process limits
its own address space (`MEMORY_HEADROOM` above what it uses with its context)
and CPU time per request, and dies with its parent.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sys
import traceback
from collections.abc import Iterable
from pathlib import Path

import moderngl

from visualizer import guard
from visualizer.errors import VisualizerError
from visualizer.features.frame import FrameFeatures
from visualizer.preset.loader import load_preset
from visualizer.render.context import create_headless_context
from visualizer.render.graph import RenderGraph
from visualizer.render.resources import GpuResources
from visualizer.render.uniforms import FrameInputs

MEMORY_HEADROOM = 4 << 30
"""Bytes of address space a check may add to what the process uses with its context."""
KEPT_PROGRAMS = 64
"""Programs cached across checks (a save usually changes one pass of several)."""


def sources_digest(texts: Iterable[str]) -> str:
    """A digest of a graph's assembled sources, to tell whether two reads saw the same files."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(hashlib.sha256(text.encode()).digest())
    return digest.hexdigest()


def check(ctx: moderngl.Context, resources: GpuResources, preset: Path, size: tuple[int, int]) -> dict:
    """Build `preset`'s graph at `size` (pixels) and draw one silent frame: the reply."""
    try:
        graph = RenderGraph(ctx, load_preset(preset), size, resources=resources, flip_output=False)
    except VisualizerError as exc:
        return {"error": str(exc)}
    try:
        graph.render(FrameInputs(0.0, 1.0 / 60.0, 0, 60.0, FrameFeatures.silent(0.0), 44100.0))
        ctx.finish()
        return {"sources": sources_digest(graph.source_texts)}
    except VisualizerError as exc:
        return {"error": str(exc)}
    finally:
        graph.release()
        if len(resources.programs) > KEPT_PROGRAMS:
            resources.programs.prune()


def _limit_memory() -> None:
    """Cap the address space at what the process uses now plus `MEMORY_HEADROOM` (Linux)."""
    try:
        used = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return
    _lower_soft_limit(resource.RLIMIT_AS, used + MEMORY_HEADROOM)


def _limit_cpu() -> None:
    """Let the next check use at most its time limits' worth of CPU on every core."""
    spent = resource.getrusage(resource.RUSAGE_SELF)
    seconds = spent.ru_utime + spent.ru_stime
    budget = (guard.time_limit("compile") + guard.time_limit("frame")) * (os.cpu_count() or 1) + 10
    _lower_soft_limit(resource.RLIMIT_CPU, int(seconds + budget))


def _lower_soft_limit(which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    try:
        resource.setrlimit(which, (value, hard))
    except (ValueError, OSError):
        pass


def _reply(request: dict, reply: dict) -> None:
    guard.send({"reply": {"id": request.get("id"), **reply}})


def main() -> None:
    """Serve requests from stdin until it closes."""
    channel = os.dup(1)
    os.dup2(2, 1)  # library chatter on stdout must not reach the channel
    guard.report_to(channel)
    guard.die_with_parent(signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the terminal is for the show; this ends with it
    try:
        ctx = create_headless_context()
    except VisualizerError as exc:  # no EGL here: the show compiles unchecked, as it can
        for line in sys.stdin:
            _reply(json.loads(line), {"unavailable": str(exc)})
        return
    _limit_memory()
    resources = GpuResources(ctx)
    for line in sys.stdin:
        request = json.loads(line)
        _limit_cpu()
        try:
            reply = check(ctx, resources, Path(request["preset"]), tuple(request["size"]))
        except Exception as exc:  # our bug: keep serving, say what happened
            traceback.print_exc()
            reply = {"error": f"{request['preset']}: the shader check failed ({type(exc).__name__}: {exc})"}
        _reply(request, reply)


if __name__ == "__main__":
    main()
