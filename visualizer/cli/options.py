"""Option types of the command line: every numeric option, `--size`, `--audio-device`
and every path or preset name are checked here, while the command line is parsed,
before any work.

A rejected value is one line that names the option and the value typed and
states the range, e.g. `--fps 0.5: choose a number from 1 to 240`.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import NoReturn

import click

MAX_SECONDS = 86400.0
"""The longest `--seconds` and the latest `--start` (24 h), in seconds."""
MAX_SIDE = 16384
"""The largest width or height of `--size`, in pixels (the GL texture limit)."""
MAX_DEVICE_INDEX = 9999
"""The largest input device index `--audio-device` accepts."""
NAME_MAX = 255
"""Bytes in one file or folder name (Linux file systems)."""
PATH_MAX = 4095
"""Bytes in a whole path."""
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
"""The start of a URL (`http://`), which a path type would fold to `http:/`."""
_SHOWN_CHARACTERS = 40
"""A typed value longer than this is cut short in messages."""


def shown(value: object) -> str:
    """The value a user typed, as one printable line (quoted when it needs to be)."""
    text = str(value)
    if len(text) > _SHOWN_CHARACTERS:
        text = text[:_SHOWN_CHARACTERS] + "..."
    if text and text.isprintable() and text.strip() == text and "'" not in text:
        return text
    return repr(text)


def option_name(param: click.Parameter | None) -> str:
    """The name a user types for `param`, e.g. `--fps`; empty for an argument."""
    if param is None or isinstance(param, click.Argument):
        return ""
    return max(param.opts or [param.name or ""], key=len)


def refuse(param: click.Parameter | None, value: object, fix: str, ctx: click.Context | None) -> NoReturn:
    """Raise the one-line usage error `--option value: fix` (`value: fix` for an argument; exit 2)."""
    raise click.UsageError(f"{option_name(param)} {shown(value)}: {fix}".lstrip(), ctx)


class TypedFloat(float):
    """A float that remembers the text it was typed as (`1e-9`, not `1e-09`), for messages
    (`visualizer.output.job.typed` reads `.typed`)."""

    typed: str | None

    def __new__(cls, value: float, typed: str | None = None) -> TypedFloat:
        number = super().__new__(cls, value)
        number.typed = typed
        return number


class Number(click.ParamType):
    """A finite number in `low..high` (`low` excluded when `low_open`), or a whole one when
    `integer`; NaN, infinities, overflow and text are refused with the range."""

    name = "number"

    def __init__(self, low: float, high: float, *, integer: bool = False, low_open: bool = False,
                 unit: str = "", metavar: str = "N") -> None:
        self.low, self.high, self.integer, self.low_open = low, high, integer, low_open
        self.unit, self.metavar = unit, metavar

    @property
    def limits(self) -> str:
        """The accepted range in words, e.g. `from 1 to 240` or `above 0, up to 86400 s`."""
        unit = f" {self.unit}" if self.unit else ""
        if self.low_open:
            return f"above {self.low:g}, up to {self.high:g}{unit}"
        return f"from {self.low:g} to {self.high:g}{unit}"

    @property
    def range_text(self) -> str:
        """What to choose, e.g. `a number from 1 to 240`."""
        return f"{'a whole number' if self.integer else 'a number'} {self.limits}"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return self.metavar

    def convert(self, value, param, ctx) -> int | float:
        number = self._parse(value)
        if number is None or not self._in_range(number):
            refuse(param, value, f"choose {self.range_text}", ctx)
        return number

    def _parse(self, value: object) -> int | float | None:
        try:
            if self.integer:
                return value if type(value) is int else int(str(value).strip(), 10)
            return TypedFloat(value, shown(value)) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):  # text, or digits past int's limit
            return None

    def _in_range(self, number: float) -> bool:
        if not math.isfinite(number):
            return False
        above_low = number > self.low if self.low_open else number >= self.low
        return above_low and number <= self.high


class Size(click.ParamType):
    """WIDTHxHEIGHT in pixels, each 1..MAX_SIDE, e.g. 1280x720."""

    name = "WxH"

    def convert(self, value, param, ctx) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        try:
            width, height = (int(part.strip(), 10) for part in str(value).lower().split("x"))
        except ValueError:  # not two parts, not digits, or past int's limit
            refuse(param, value, "is not WIDTHxHEIGHT; write it as e.g. 1280x720", ctx)
        if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE):
            refuse(param, value, f"choose a width and height from 1 to {MAX_SIDE} pixels", ctx)
        return width, height


class Device(click.ParamType):
    """An input device: an index (0..MAX_DEVICE_INDEX, as `visualizer devices` lists them)
    becomes an int; anything else is a (partial) name, kept as typed."""

    name = "NAME|INDEX"

    def convert(self, value, param, ctx) -> int | str:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not text:
            refuse(param, value, "give a device name or index, as visualizer devices lists them", ctx)
        if text.isdigit() and not (text.isascii() and text.isdecimal()):  # e.g. ² or ٣
            refuse(param, value, f"write an index with the digits 0-9, from 0 to {MAX_DEVICE_INDEX}", ctx)
        if not text.isdigit():
            return text
        if len(text) > len(str(MAX_DEVICE_INDEX)) or int(text) > MAX_DEVICE_INDEX:
            refuse(param, value, f"choose an index from 0 to {MAX_DEVICE_INDEX}, as visualizer devices lists them",
                   ctx)
        return int(text)


class FileName(click.ParamType):
    """A path, or a preset's name or path, as typed: not empty, no NUL character, no name in
    it longer than NAME_MAX bytes (the operating system refuses those). Becomes a Path when
    `as_path`, else stays text."""

    name = "path"

    def __init__(self, as_path: bool = True, metavar: str = "PATH") -> None:
        self.as_path, self.metavar = as_path, metavar

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        return None if isinstance(param, click.Argument) else self.metavar  # an argument: its name

    def convert(self, value, param, ctx) -> Path | str:
        if isinstance(value, Path):
            return value
        text = str(value)
        if not text:
            refuse(param, value, f"give a {'file name' if self.as_path else 'preset name or path'}", ctx)
        if "\0" in text:
            refuse(param, value, "a path cannot hold a NUL character", ctx)
        longest = max(len(os.fsencode(part)) for part in text.split("/"))
        if longest > NAME_MAX:
            refuse(param, value, f"a name in this path is {longest} bytes long; names hold at most {NAME_MAX}", ctx)
        if len(os.fsencode(text)) > PATH_MAX:
            refuse(param, value, f"this path is longer than {PATH_MAX} bytes; choose a shorter one", ctx)
        if self.as_path and _URL.match(text) and not os.path.lexists(text):  # Path("http://x") is http:/x
            refuse(param, value, "is a URL; give a local file (download it first)", ctx)
        return Path(text) if self.as_path else text


FPS = Number(1, 240, metavar="FPS")
"""Frames per second of a render or a window."""
SECONDS = Number(0, MAX_SECONDS, low_open=True, unit="s", metavar="S")
"""A length of time: `--seconds`."""
START = Number(0, MAX_SECONDS, unit="s", metavar="S")
"""A point in the audio: `--start`."""
SSAA = Number(1, 4, integer=True)
"""The supersampling factor."""
BPM = Number(30, 300, unit="BPM", metavar="BPM")
PORT = Number(0, 65535, integer=True, metavar="PORT")
"""A UDP port (0: any free one)."""
MONITOR = Number(0, 15, integer=True, metavar="N")
"""A manual tempo."""


def help_with_range(text: str, number: Number) -> str:
    """An option's help followed by its accepted range, e.g. `Frames per second: from 1 to 240.`"""
    return f"{text.rstrip('.')}: {number.limits}."
