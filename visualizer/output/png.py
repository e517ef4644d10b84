"""PNG stills (screenshots, snapshots), written atomically: a reader sees no
file or the whole picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from visualizer.atomic import AtomicFile
from visualizer.errors import OutputError
from visualizer.output.target import Inputs, check_free_space, check_output_path, refuse


def check_screenshot_path(path: Path, inputs: Inputs, option: str = "--screenshot") -> None:
    """Refuse, before a window opens, a PNG path that could not or must not be written
    at its end: not `.png`, in a missing or read-only folder, not a regular file, an input."""
    check_output_path(path, option, inputs, create_folder=False)
    if path.suffix.lower() != ".png":
        raise refuse(option, path, f"screenshots are PNG images; name it {path.with_suffix('.png').name}")
    check_free_space(path, option, 0, "a screenshot")


def write_png(path: Path, image: np.ndarray) -> Path:
    """Write `image` ((height, width, 3 or 4) uint8, top row first) to `path`.

    OutputError (one line) if the folder is missing or not writable.
    """
    import imageio.v3 as iio

    path = Path(path)
    try:
        with AtomicFile(path, keep_suffix=True, durable=False) as temp:
            iio.imwrite(temp, image, extension=".png")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the PNG ({exc.strerror or exc})") from exc
    return path
