"""Screenshots and snapshots are written whole or not at all."""

from __future__ import annotations

import imageio.v3 as iio
import numpy as np
import pytest

from visualizer.errors import OutputError
from visualizer.output.png import write_png


def test_a_png_appears_whole_and_leaves_no_temporary(tmp_path):
    image = np.zeros((3, 4, 3), np.uint8)
    image[0, 0] = [255, 0, 0]  # top-left, top row first
    path = write_png(tmp_path / "shot.png", image)
    assert np.array_equal(iio.imread(path), image)
    assert [p.name for p in tmp_path.iterdir()] == ["shot.png"]


def test_an_unwritable_place_is_one_line_for_the_user(tmp_path):
    with pytest.raises(OutputError, match=r"missing/shot.png: cannot write the PNG \(No such file or directory\)"):
        write_png(tmp_path / "missing" / "shot.png", np.zeros((2, 2, 3), np.uint8))
    assert list(tmp_path.iterdir()) == []
