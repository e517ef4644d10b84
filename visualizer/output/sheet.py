"""`visualizer presets sheet`: every preset at five moments of a track
(`sheet_moments`), drawn small and composed into one labelled PNG
(`sheet_image`) for a person to look at.

Each tile is the frame `visualizer render --size WxH --start T` shows: it is
drawn through `frames.loop.render_range` (features and parameters from the
first frame, a feedback preset's history drawn unseen before it), at
`SHEET_FPS` with the offline beat grid. The silence tile is drawn the same way
from generated silence. A preset that does not load or build becomes a row
saying why; the others are drawn. The output is checked before any drawing
and written whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualizer.audio.decode import AudioFile
from visualizer.errors import VisualizerError
from visualizer.features.track import track_rhythm
from visualizer.frames.loop import render_range
from visualizer.output.sheet_moments import SHEET_FPS, Moment, demo_moments, track_moments
from visualizer.output.target import Inputs, check_free_space, check_output_path, refuse
from visualizer.params.engine import modulation_engine
from visualizer.preset.library import find_presets, preset_name, resolve_preset
from visualizer.preset.loader import load_preset
from visualizer.printable import printable
from visualizer.render.context import create_headless_context
from visualizer.render.graph import RenderGraph

SHEET_BYTES_PER_PIXEL = 0.3
"""A low estimate of the sheet PNG's bytes per pixel, for the free-space check."""
MAX_TILE_SIDE = 1920
"""The largest tile width or height: five of them make one row of the sheet."""


@dataclass(frozen=True)
class Row:
    """One preset of the sheet: its name, where it was found, and what was drawn."""

    name: str
    title: str
    """Its meta name ("Mimic Bloom"), or the name when it does not load."""
    source: str
    tiles: tuple[np.ndarray, ...] = ()
    """One (height, width, 3) uint8 image per moment, or none when `problem`."""
    problem: str = ""


@dataclass(frozen=True)
class Subject:
    """A preset to draw: its TOML file, or why it cannot be loaded."""

    name: str
    path: Path
    source: str
    problem: str = ""


def subjects(names: tuple[str, ...] = ()) -> list[Subject]:
    """The presets named (in that order), or every one the search path finds (a name
    hidden by an earlier folder once, a bundle without preset.toml as its problem)."""
    found = [entry for entry in find_presets() if not entry.hidden]
    if not names:
        return [Subject(entry.name, entry.path, entry.source, entry.problem) for entry in found]
    sources = {entry.path.resolve(): entry.source for entry in found}
    return [Subject(preset_name(path), path, sources.get(path.resolve(), "path"))
            for path in map(resolve_preset, names)]


def check_sheet_path(path: Path, option: str, inputs: Inputs, size: tuple[int, int]) -> None:
    """Refuse a tile size or an output the sheet cannot or must not be written to, before any work."""
    if max(size) > MAX_TILE_SIDE:
        raise VisualizerError(f"--size {size[0]}x{size[1]}: a tile is at most {MAX_TILE_SIDE} pixels a side"
                              " (five make a row of the sheet); choose a smaller --size")
    check_output_path(path, option, inputs)
    if path.suffix.lower() != ".png":
        raise refuse(option, path, f"the sheet is a PNG image; name it {path.with_suffix('.png').name}")
    check_free_space(path, option, int(size[0] * size[1] * 5 * 4 * SHEET_BYTES_PER_PIXEL), "the sheet")


def moments_of(audio: AudioFile, demo: bool) -> list[Moment]:
    """The five moments: the demo track's as it is written, or those a file's analysis finds."""
    if demo:
        return demo_moments()
    if audio.duration * SHEET_FPS < 1 - 1e-6:
        raise VisualizerError(f"{printable(audio.path)}: the audio is {audio.duration:.3f} s long, shorter than"
                              f" one frame at {SHEET_FPS:g} fps; use a longer file")
    return track_moments(track_rhythm(audio), audio.duration)


class Silence:
    """`seconds` of silence at `sample_rate` Hz: a `SampleSource` for the silence tile."""

    def __init__(self, sample_rate: int, seconds: float):
        self.sample_rate = int(sample_rate)
        self.duration = float(seconds)

    def blocks(self, start: int = 0, stop: int | None = None, size: int = 65536) -> Iterator[np.ndarray]:
        end = round(self.duration * self.sample_rate) if stop is None else stop
        for first in range(start, end, size):
            yield np.zeros((min(size, end - first), 1), np.float32)


Tile = Callable[[str, Moment], None]
"""Called after each tile is drawn: (preset name, moment)."""


def draw_rows(chosen: list[Subject], audio: AudioFile, moments: list[Moment], size: tuple[int, int],
              on_tile: Tile | None = None) -> list[Row]:
    """Every preset's tiles, one headless context for all."""
    silence = Silence(audio.sample_rate, max(m.time for m in moments if m.silent) + 1.0) \
        if any(m.silent for m in moments) else None
    ctx = create_headless_context()
    try:
        return [_row(ctx, subject, audio, silence, moments, size, on_tile) for subject in chosen]
    finally:
        ctx.release()


def _row(ctx, subject: Subject, audio: AudioFile, silence: Silence | None, moments: list[Moment],
         size: tuple[int, int], on_tile: Tile | None) -> Row:
    if subject.problem:
        return Row(subject.name, subject.name, subject.source, problem=subject.problem)
    try:
        spec = load_preset(subject.path)
        graph = RenderGraph(ctx, spec, size)
    except VisualizerError as exc:
        return Row(subject.name, subject.name, subject.source, problem=str(exc).splitlines()[0])
    try:
        engine = modulation_engine(spec, SHEET_FPS)
        tiles = []
        for moment in moments:
            source = silence if moment.silent else audio
            for _ in render_range(graph, engine, source, SHEET_FPS, moment.frame, 1):
                tiles.append(graph.read_rgb().copy())
            if on_tile is not None:
                on_tile(subject.name, moment)
    except VisualizerError as exc:
        return Row(subject.name, spec.name, subject.source, problem=str(exc).splitlines()[0])
    finally:
        graph.release()
    return Row(subject.name, spec.name, subject.source, tuple(tiles))
