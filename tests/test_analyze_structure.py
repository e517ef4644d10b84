"""`visualizer analyze` reports the song's structure, as a user types it: the JSON
contract (sections covering the track, builds, drops, breakdowns) in both modes,
the drops of songs whose structure is known, and the `--plot` figure."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
from test_cli_audio import RATE, run

from visualizer.audio import demo
from visualizer.audio.songs import BUILD_DROP_ON_BAR_9
from visualizer.output.plot_structure import DROP_COLOR

DEMO_DROP_S = demo.SECTIONS["drop"][0] * demo.BAR_S  # 28.0
SONG_DROP_S = 8 * 4 * 60.0 / BUILD_DROP_ON_BAR_9.bpm  # the downbeat of bar 9: 15.0


@pytest.fixture(scope="module")
def demo_flac() -> Path:
    return demo.demo_track_path()


@pytest.fixture(scope="module")
def song_wav(tmp_path_factory) -> Path:
    """BUILD_DROP_ON_BAR_9: 4 bars verse, 4 bars build, the drop on bar 9, 8 bars drop."""
    song = BUILD_DROP_ON_BAR_9.render()
    path = tmp_path_factory.mktemp("songs") / "build_drop_on_bar_9.wav"
    soundfile.write(path, song.samples, song.sample_rate)
    return path


@pytest.fixture(scope="module")
def report():
    """`analyze FILE --json [--mode MODE]` parsed; each (file, mode) run once per module."""
    seen: dict[tuple[Path, str], dict] = {}

    def analyse(path: Path, mode: str = "offline") -> dict:
        if (path, mode) not in seen:
            result = run("analyze", str(path), "--json", "--mode", mode)
            assert result.returncode == 0, result.stderr
            seen[path, mode] = json.loads(result.stdout)
        return seen[path, mode]

    return analyse


def assert_structure_contract(report: dict) -> None:
    """Keys and types; sections contiguous over [0, duration]; every interval ordered
    within the duration; drops sorted within it."""
    duration = report["duration_s"]
    for key in ("sections", "builds", "breakdowns"):
        spans = report[key]
        assert isinstance(spans, list), key
        for span in spans:
            assert sorted(span) == ["end", "start"], (key, span)
            assert all(isinstance(span[k], float) for k in span), (key, span)
            assert 0.0 <= span["start"] <= span["end"] <= duration, (key, span)
        starts = [span["start"] for span in spans]
        assert starts == sorted(starts), key
    sections = report["sections"]
    assert sections[0]["start"] == 0.0 and sections[-1]["end"] == duration
    assert all(a["end"] == b["start"] for a, b in zip(sections, sections[1:]))
    assert all(span["start"] < span["end"] for span in sections)
    drops = report["drops"]
    assert isinstance(drops, list) and all(isinstance(t, float) for t in drops)
    assert drops == sorted(drops) and all(0.0 <= t <= duration for t in drops)


def test_demo_json_has_the_structure_and_the_drop_at_28_s(demo_flac, report):
    result = report(demo_flac)
    assert_structure_contract(result)
    assert len(result["sections"]) >= 2
    assert len(result["drops"]) == 1 and abs(result["drops"][0] - DEMO_DROP_S) <= demo.BEAT_S, result["drops"]


def test_generated_song_has_one_drop_within_a_beat_of_bar_9(song_wav, report):
    result = report(song_wav)
    assert_structure_contract(result)
    beat_s = 60.0 / BUILD_DROP_ON_BAR_9.bpm
    assert len(result["drops"]) == 1 and abs(result["drops"][0] - SONG_DROP_S) <= beat_s, result["drops"]
    assert any(b["start"] < SONG_DROP_S <= b["end"] + beat_s for b in result["builds"]), result["builds"]


def test_live_json_has_the_same_contract_and_flags_the_drop_after_it(demo_flac, song_wav, report):
    for path, drop in ((demo_flac, DEMO_DROP_S), (song_wav, SONG_DROP_S)):
        result = report(path, "live")
        assert result["mode"] == "live"
        assert_structure_contract(result)
        assert len(result["drops"]) == 1, (path.name, result["drops"])
        late = result["drops"][0] - drop  # flagged once heard: never before the hit
        assert 0.0 <= late <= 60.0 / result["tempo_bpm"], (path.name, result["drops"])


def test_silence_is_one_section_without_events(tmp_path, report):
    path = tmp_path / "silence.wav"
    soundfile.write(path, np.zeros(RATE * 3, np.float32), RATE)
    for mode in ("offline", "live"):
        result = report(path, mode)
        assert_structure_contract(result)
        assert result["sections"] == [{"start": 0.0, "end": 3.0}]
        assert result["builds"] == result["drops"] == result["breakdowns"] == []


def test_plot_draws_the_drop_and_the_summary_names_it(song_wav, tmp_path):
    from PIL import Image

    plot = tmp_path / "song.png"
    result = run("analyze", str(song_wav), "--plot", str(plot))
    assert result.returncode == 0, result.stderr
    assert "sections  " in result.stdout and "drops     1 at 15.0" in result.stdout
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = np.asarray(Image.open(plot).convert("RGB"), np.int16)
    red = np.array([int(DROP_COLOR[i:i + 2], 16) for i in (1, 3, 5)])
    drop_columns = np.flatnonzero((np.abs(pixels - red).max(axis=2) <= 8).sum(axis=0) > 100)
    assert len(drop_columns) >= 1  # the drop's line runs down the waveform and spectrogram panels
