"""PNG stills (screenshots, snapshots), written atomically: a reader sees no
file or the whole picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from visualizer.atomic import AtomicFile
from visualizer.errors import OutputError


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
