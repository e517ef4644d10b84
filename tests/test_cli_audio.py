"""`analyze`, `devices` and `listen` as a user types them; live ones through a
real PulseAudio null sink. What `listen` hears is counted in-process (the
function the command runs), stopping on a count of onsets rather than a timer."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile
from pulse import click_track, pulse_server_fixture
from rich.console import Console

from visualizer.cli.listen import listen
from visualizer.features.frame import FrameFeatures

VISUALIZER = str(Path(sys.executable).parent / "visualizer")
RATE = 44100

pulse = pulse_server_fixture("module")


def run(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([VISUALIZER, *args], capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def kicks_wav(tmp_path_factory) -> Path:
    """12 s of a 120 BPM kick drum with 8th-note hats, over a -60 dBFS floor."""
    t = np.arange(12 * RATE) / RATE
    kick = np.sin(2 * np.pi * (50 + 100 * np.exp(-(t % 0.5) * 40)) * t) * np.exp(-(t % 0.5) * 10)
    noise = np.random.default_rng(3).standard_normal(len(t))
    hats = np.diff(noise, prepend=0) * np.exp(-((t + 0.25) % 0.25) * 60) * 0.15
    path = tmp_path_factory.mktemp("audio") / "kicks.wav"
    soundfile.write(path, (0.7 * kick + hats + noise * 1e-3).astype(np.float32), RATE)
    return path


@pytest.mark.parametrize("mode", ["offline", "live"])
def test_analyze_json_is_one_object_with_tempo_beats_and_onsets(kicks_wav, mode):
    result = run("analyze", str(kicks_wav), "--json", "--mode", mode)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # exactly one JSON document on stdout
    assert isinstance(report["tempo_bpm"], float) and abs(report["tempo_bpm"] - 120) < 2
    beats, onsets = report["beats"], report["onsets"]
    assert beats == sorted(beats) and onsets == sorted(onsets)
    late_beats = np.array([b for b in beats if b > 5.0])
    assert len(late_beats) >= 12
    offsets = (late_beats + 0.25) % 0.5 - 0.25  # distance to the nearest true beat
    assert np.median(np.abs(offsets)) < 0.02
    assert len(onsets) >= 40  # 24 kicks plus hats


def test_live_onsets_are_reported_after_offline_ones(kicks_wav):
    offline = json.loads(run("analyze", str(kicks_wav), "--json").stdout)["onsets"]
    live = json.loads(run("analyze", str(kicks_wav), "--json", "--mode", "live").stdout)["onsets"]
    delays = [min((l - o for l in live if l >= o - 1e-3), default=1.0) for o in offline[4:20]]
    assert 0.0 < np.median(delays) < 0.03  # the detection delay an audience sees


def test_analyze_summary_and_plot(kicks_wav, tmp_path):
    plot = tmp_path / "plots" / "kicks.png"
    result = run("analyze", str(kicks_wav), "--plot", str(plot))
    assert result.returncode == 0, result.stderr
    assert "tempo     120" in result.stdout and "beats" in result.stdout
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in plot.parent.iterdir()) == ["kicks.png"]


def test_analyze_bad_inputs(tmp_path):
    missing = run("analyze", str(tmp_path / "nope.wav"))
    assert missing.returncode == 2 and missing.stderr == f"error: {tmp_path / 'nope.wav'}: audio file not found; check the path\n"
    broken = tmp_path / "broken.ogg"
    broken.write_bytes(os.urandom(3000))
    result = run("analyze", str(broken), "--json")
    assert result.returncode == 2 and result.stdout == "" and "broken.ogg: cannot decode audio" in result.stderr


def test_one_sample_and_silent_files_analyse_without_errors(tmp_path):
    for name, samples in {"one.wav": np.zeros(1), "silence.wav": np.zeros(RATE * 3)}.items():
        soundfile.write(tmp_path / name, samples.astype(np.float32), RATE)
        report = json.loads(run("analyze", str(tmp_path / name), "--json").stdout)
        assert report["onsets"] == [] and report["beats"] == []


def test_devices_without_any_server_says_how_to_fix(tmp_path):
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/none"}
    result = run("devices", env=env)
    assert result.returncode == 2
    assert result.stderr == "error: no audio input devices found; connect one, or start PulseAudio/PipeWire\n"


def test_devices_lists_the_null_sink_monitor(pulse):
    result = run("devices", env=pulse.env())
    assert result.returncode == 0, result.stderr
    assert "pulse" in result.stdout and "default" in result.stdout


def test_listen_hears_clicks_through_the_null_sink(pulse):
    # 30 s of clicks 0.25 s apart; listening ends (Ctrl-C, as a sound check does) once 12
    # onsets are heard, or when the clicks run out (a hang).
    player = pulse.play(click_track(120, 0.25, lead_s=0.5))
    frames: list[FrameFeatures] = []
    onsets: list[int] = []  # index in `frames` of each new onset pulse, as listen counts them

    def on_frame(features: FrameFeatures) -> None:
        if features.onset > (frames[-1].onset if frames else 0.0) + 0.25:
            onsets.append(len(frames))
        frames.append(features)
        if len(onsets) >= 12 or player.poll() is not None:
            raise KeyboardInterrupt

    try:
        summary = listen("default", None, on_frame, console=Console(file=io.StringIO()))
    finally:
        player.kill()
        player.wait()
    assert summary.onsets == len(onsets) == 12, f"the clicks ran out: {summary}"
    assert summary.frames == len(frames)
    # One onset per click, 30 analysis frames per second of audio: the last 8 (a null sink
    # may replay a click of its backlog first) come 7.5 frames apart, give or take one.
    spacing = np.diff(onsets[-8:])
    assert np.all(np.abs(spacing - 7.5) <= 1.0), spacing
    assert np.allclose(np.diff([f.time for f in frames]), 1 / 30)


def test_listen_with_a_manual_bpm_reports_it(pulse):
    result = run("listen", "--audio-device", "default", "--seconds", "1", "--bpm", "128", env=pulse.env())
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("128.0 BPM")


def test_listen_by_the_index_devices_lists(pulse):
    table = run("devices", env=pulse.env()).stdout
    default = next(line for line in table.splitlines() if line.lstrip().startswith("*"))
    index = default.split()[1]
    result = run("listen", "--audio-device", index, "--seconds", "0.5", env=pulse.env())
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("analysed ")
    missing = run("listen", "--audio-device", "9999", "--seconds", "0.5", env=pulse.env())
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert missing.stderr.startswith("error: no input device has index 9999; available inputs: ")


def test_unknown_input_device_lists_the_available_ones(pulse):
    result = run("listen", "--audio-device", "nosuchcard", "--seconds", "1", env=pulse.env())
    assert result.returncode == 2
    assert "nosuchcard" in result.stderr and "default" in result.stderr and "Traceback" not in result.stderr
