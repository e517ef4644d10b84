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


def test_a_png_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    (tmp_path / "real.png").write_bytes(b"old")
    (tmp_path / "shot.png").symlink_to("real.png")
    write_png(tmp_path / "shot.png", np.zeros((2, 2, 3), np.uint8))
    assert (tmp_path / "shot.png").is_symlink() and iio.imread(tmp_path / "real.png").shape == (2, 2, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real.png", "shot.png"]


def test_a_fifo_is_refused_and_left_alone(tmp_path):
    import os
    import stat

    os.mkfifo(tmp_path / "shot.png")
    with pytest.raises(OutputError, match="shot.png: cannot write the PNG"):
        write_png(tmp_path / "shot.png", np.zeros((2, 2, 3), np.uint8))
    assert stat.S_ISFIFO((tmp_path / "shot.png").lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["shot.png"]
