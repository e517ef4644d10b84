"""The picture of `visualizer presets sheet` (Pillow): a row per preset (its
name and where it comes from on the left), a column per moment (its name,
time and, for a substitute, how it was chosen, on top), the tiles in a grid.

The layout depends only on the rows, the columns and the tile size (`Layout`);
labels keep their size whatever the tiles' (a long one is cut with "...").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from visualizer.errors import OutputError
from visualizer.output.atomic import OutputFile
from visualizer.output.sheet import Row
from visualizer.output.sheet_moments import SHEET_FPS, Moment
from visualizer.output.target import shown

PAD, GAP = 12, 4
"""Pixels around the sheet and between tiles."""
LABEL_W, HEADER_H = 200, 58
"""The preset-name column's width and the moment-label row's height."""
MIN_ROW_H = 38
"""A row is at least this tall, so that its two lines of label fit beside tiny tiles."""
TITLE_PX, SMALL_PX = 15, 12
BACKGROUND, TEXT, DIM = (16, 16, 20), (236, 236, 240), (150, 150, 162)
NOTE, PROBLEM = (240, 180, 80), (72, 16, 22)


@dataclass(frozen=True)
class Layout:
    """Where everything goes on a sheet of `rows` x `cols` tiles of `tile` (width, height) pixels."""

    rows: int
    cols: int
    tile: tuple[int, int]

    @property
    def row_height(self) -> int:
        return max(self.tile[1], MIN_ROW_H)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the whole sheet."""
        width = PAD + LABEL_W + self.cols * self.tile[0] + (self.cols - 1) * GAP + PAD
        height = PAD + HEADER_H + self.rows * self.row_height + max(self.rows - 1, 0) * GAP + PAD
        return width, height

    def tile_at(self, row: int, col: int) -> tuple[int, int]:
        """The top-left corner of tile (row, col); it sits in the middle of its row's height."""
        x = PAD + LABEL_W + col * (self.tile[0] + GAP)
        y = self.row_top(row) + (self.row_height - self.tile[1]) // 2
        return x, y

    def row_top(self, row: int) -> int:
        return PAD + HEADER_H + row * (self.row_height + GAP)


@cache
def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's own font at `px` pixels (its small bitmap font where FreeType is missing)."""
    try:
        return ImageFont.load_default(size=px)
    except (TypeError, OSError, ImportError, AttributeError):  # Pillow < 10.1, or built without FreeType
        return ImageFont.load_default()


def _fit(draw: ImageDraw.ImageDraw, text: str, px: int, width: int) -> str:
    """`text`, cut with "..." to fit in `width` pixels."""
    if draw.textlength(text, font=_font(px)) <= width:
        return text
    while text and draw.textlength(text + "...", font=_font(px)) > width:
        text = text[:-1]
    return text.rstrip() + "..." if text else ""


def _text(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, px: int, width: int,
          fill: tuple[int, int, int]) -> None:
    draw.text(xy, _fit(draw, text, px, width), font=_font(px), fill=fill)


def compose(rows: list[Row], moments: list[Moment], tile: tuple[int, int], audio_label: str) -> Image.Image:
    """The whole sheet as one RGB image."""
    layout = Layout(len(rows), len(moments), tile)
    image = Image.new("RGB", layout.size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    _corner(draw, audio_label, tile)
    for col, moment in enumerate(moments):
        _header(draw, layout, col, moment)
    for index, row in enumerate(rows):
        _label(draw, layout, index, row)
        if row.problem:
            _problem(draw, layout, index, row.problem)
            continue
        for col, picture in enumerate(row.tiles):
            image.paste(Image.fromarray(picture, "RGB"), layout.tile_at(index, col))
    return image


def _corner(draw: ImageDraw.ImageDraw, audio_label: str, tile: tuple[int, int]) -> None:
    width = LABEL_W - GAP
    _text(draw, (PAD, PAD), "presets sheet", TITLE_PX, width, TEXT)
    _text(draw, (PAD, PAD + 20), audio_label, SMALL_PX, width, DIM)
    _text(draw, (PAD, PAD + 36), f"{tile[0]}x{tile[1]} at {SHEET_FPS:g} fps", SMALL_PX, width, DIM)


def _header(draw: ImageDraw.ImageDraw, layout: Layout, col: int, moment: Moment) -> None:
    x, width = layout.tile_at(0, col)[0], layout.tile[0]
    when = "no sound" if moment.silent else f"{moment.time:.2f} s"
    _text(draw, (x, PAD), moment.name + ("*" if moment.note else ""), TITLE_PX, width, TEXT)
    _text(draw, (x, PAD + 20), when, SMALL_PX, width, DIM)
    if moment.note:
        _text(draw, (x, PAD + 36), f"* {moment.note}", SMALL_PX, width, NOTE)


def _label(draw: ImageDraw.ImageDraw, layout: Layout, index: int, row: Row) -> None:
    top, width = layout.row_top(index), LABEL_W - 2 * GAP
    _text(draw, (PAD, top + 2), row.title, TITLE_PX, width, TEXT)
    _text(draw, (PAD, top + 21), f"{row.name} ({row.source})", SMALL_PX, width, DIM)


def _problem(draw: ImageDraw.ImageDraw, layout: Layout, index: int, problem: str) -> None:
    left, top = layout.tile_at(index, 0)
    right = layout.tile_at(index, layout.cols - 1)[0] + layout.tile[0]
    draw.rectangle((left, top, right - 1, top + layout.tile[1] - 1), fill=PROBLEM)
    _text(draw, (left + 6, top + 4), f"not drawn: {problem}", SMALL_PX, right - left - 12, TEXT)


def write_sheet(path: Path, option: str, image: Image.Image) -> None:
    """Write `image` as a PNG at `path`, whole or not at all (any folders made go on failure)."""
    with OutputFile(path, option) as output:
        try:
            image.save(output.target, format="PNG")
        except OSError as exc:
            raise OutputError(f"{shown(path)}: cannot write the sheet ({exc.strerror or exc}); choose a writable"
                              f" {option}") from exc
        output.commit()
