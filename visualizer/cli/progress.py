"""A render progress bar on stderr: frames, frames per second and ETA.

The bar appears with the first finished frame (so an early error prints only
its own line) and is replaced by a one-line summary when the render ends.
Warm-up frames (a preset's history, drawn unseen before `--start`) are counted
first, under the label "warm-up", and named in the summary.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class FramesPerSecondColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:6.1f} fps" if speed else "    -- fps")


def _bar(console: Console) -> Progress:
    columns = (
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        FramesPerSecondColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
    )
    # Off the terminal (a log, a pipe) no bar is drawn, and rich would print a blank line on stop.
    return Progress(*columns, console=console, transient=True, disable=not console.is_interactive)


WARMUP_LABEL = "warm-up"


@contextmanager
def frame_progress(enabled: bool, label: str) -> Iterator[Callable[[int, int, int], None] | None]:
    """Yields a `progress(drawn, total, warmup)` callback (frame counts, the first
    `warmup` of them unseen history), or None when disabled."""
    if not enabled:
        yield None
        return
    console = Console(stderr=True)
    state: dict = {}

    def update(done: int, total: int, warmup: int = 0) -> None:
        if "bar" not in state:
            state["bar"] = _bar(console)
            state["bar"].start()
            state["task"] = state["bar"].add_task(label, total=total)
            state["started"] = time.perf_counter()
        description = WARMUP_LABEL if done <= warmup else label
        state["bar"].update(state["task"], completed=done, total=total, description=description)
        state["done"], state["warmup"] = done, warmup

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()
    if "done" in state:
        console.print(summary(label, state["done"], state["warmup"], time.perf_counter() - state["started"]),
                      highlight=False)


def summary(label: str, drawn: int, warmup: int, seconds: float) -> str:
    """`clip.mp4: 3 frames (+ 90 warm-up) in 5.5 s (17.0 fps)`: the rate counts every frame drawn."""
    rate = drawn / seconds if seconds > 0 else 0.0
    extra = f" (+ {warmup} warm-up)" if warmup else ""
    return f"{label}: {drawn - warmup} frames{extra} in {seconds:.1f} s ({rate:.1f} fps)"
