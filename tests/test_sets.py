"""Sets rendered offline: the deck blends presets through a transition, cues land
on the whole track's sections and drop, and a render from `--start` gives the
same frames as a full one (starts inside a blend, just after a cue, and long
after one), through the CLI as a user types it too."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from visualizer.audio.decode import AudioFile
from visualizer.audio.demo import demo_track_path
from visualizer.features.frame import FrameFeatures
from visualizer.frames.clock import FixedClock
from visualizer.frames.deck import Deck, PresetSlot
from visualizer.frames.set_loop import PlannedCue, SetRenderer, first_drawn_cue, plan_cues
from visualizer.params.director import Cue
from visualizer.params.engine import modulation_engine
from visualizer.preset.loader import load_preset
from visualizer.preset.playlist import load_playlist
from visualizer.render.graph import RenderGraph
from visualizer.render.mixer import Mixer
from visualizer.render.resources import GpuResources

VISUALIZER = str(Path(sys.executable).parent / "visualizer")
FPS = 10.0
SIZE = (48, 27)

FLAT = "uniform vec3 tint;\nvoid main() {{ fragColor = vec4(tint * (0.5 + 0.5 * uBeatPulse), 1.0); }}\n"
PRESET = '[params.tint]\ntype = "color"\ndefault = [{r}, {g}, {b}]\n\n[[passes]]\nshader = "flat.glsl"\ntarget = "output"\n'
SET = """[set]
name = "Test set"
advance = "sections"
min_dwell_bars = 2
cut_on_drop = true
[set.transition]
style = "fade"
beats = 4
on = "bar"
[[entry]]
preset = "red.toml"
[[entry]]
preset = "green.toml"
[[entry]]
preset = "blue.toml"
"""


@pytest.fixture(scope="module")
def set_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("set")
    (folder / "flat.glsl").write_text(FLAT.format())
    for name, rgb in (("red", (1, 0, 0)), ("green", (0, 1, 0)), ("blue", (0, 0, 1))):
        (folder / f"{name}.toml").write_text(PRESET.format(r=rgb[0], g=rgb[1], b=rgb[2]))
    (folder / "set.toml").write_text(SET)
    return folder / "set.toml"


def render_set(ctx, playlist, start: int, count: int) -> list[np.ndarray]:
    renderer = SetRenderer(ctx, playlist, SIZE, FPS, 44100.0)
    frames = []
    try:
        with AudioFile(demo_track_path()) as audio:
            for _ in renderer.frames(audio, start, count):
                data = renderer.output.read(components=3, alignment=1)
                frames.append(np.frombuffer(data, np.uint8).reshape(SIZE[1], SIZE[0], 3).copy())
    finally:
        renderer.release()
    return frames


@pytest.fixture(scope="module")
def whole_set(gl_session, set_file):
    """Frames 0-329 (33 s: the whole demo) of the test set, and its cues."""
    playlist = load_playlist(set_file)
    with AudioFile(demo_track_path()) as audio:
        cues = plan_cues(playlist, audio, FPS, 330)
    return playlist, render_set(gl_session, playlist, 0, 330), cues


def test_cues_follow_the_demo_sections_and_its_drop(whole_set):
    """The analysis puts sections at 7.9991, 16.0009, 24.0009 and 27.9978 s and the drop at
    27.9978 s (`visualizer analyze --json`): each cue is the first frame at or after its time."""
    _, _, cues = whole_set
    expected = [(80, "section"), (161, "section"), (241, "section"), (280, "drop")]
    assert [(c.frame, c.cue.reason) for c in cues] == expected
    assert [c.cue.entry for c in cues] == [1, 2, 0, 1]
    assert cues[0].cue.seconds == pytest.approx(2.0, abs=0.01) and cues[3].cue.style == "red_flash_cut"


def test_a_blend_goes_from_one_preset_to_the_next(whole_set):
    _, frames, _ = whole_set
    channel = lambda frame, c: frames[frame][..., c].astype(int).mean()  # noqa: E731
    assert channel(79, 0) > 100 and channel(79, 1) == 0  # red before the cue at 8.0 s
    assert channel(90, 0) > 20 and channel(90, 1) > 20  # half way: both
    assert channel(101, 0) == 0 and channel(101, 1) > 100  # green after 2 s of fade
    reds = [channel(frame, 0) / max(1, channel(frame, 0) + channel(frame, 1)) for frame in range(80, 101)]
    assert all(a >= b - 0.02 for a, b in zip(reds, reds[1:])), "the fade goes one way"


@pytest.mark.parametrize("start", [85, 100, 150, 244, 281])
def test_a_render_from_start_gives_the_frames_of_a_full_one(ctx, whole_set, start):
    """Starts inside the first blend, on its last frame, long after it, inside the
    third blend, and just after the drop's cut."""
    playlist, frames, _ = whole_set
    again = render_set(ctx, playlist, start, 6)
    assert all(np.array_equal(a, b) for a, b in zip(again, frames[start:start + 6]))


def test_first_drawn_cue_finds_the_oldest_visible_preset():
    cue = lambda seconds: Cue(1, "fade", seconds, "section")  # noqa: E731
    planned = [PlannedCue(80, cue(2.0)), PlannedCue(240, cue(2.0)), PlannedCue(250, cue(0.0))]
    assert first_drawn_cue(planned, 10, 10.0) == 0
    assert first_drawn_cue(planned, 85, 10.0) == 0  # blending from the first preset
    assert first_drawn_cue(planned, 100, 10.0) == 0  # the blend's last frame still shows it
    assert first_drawn_cue(planned, 101, 10.0) == 80
    assert first_drawn_cue(planned, 245, 10.0) == 80
    assert first_drawn_cue(planned, 250, 10.0) == 240  # the cut ends the blend early
    assert first_drawn_cue(planned, 400, 10.0) == 250


def test_deck_freeze_and_blackout(ctx, write_files):
    folder = write_files({"flat.glsl": FLAT.format(), "red.toml": PRESET.format(r=1, g=0, b=0)})
    resources = GpuResources(ctx)
    spec = load_preset(folder / "red.toml")
    slot = PresetSlot(RenderGraph(ctx, spec, SIZE, resources=resources), modulation_engine(spec, FPS))
    deck = Deck(Mixer(ctx, resources, SIZE), slot, lambda retired: retired.release(), 44100.0)
    clock = FixedClock(FPS)
    read = lambda: np.frombuffer(deck.output.read(components=3), np.uint8)  # noqa: E731
    try:
        deck.render(clock.tick(), replace(FrameFeatures.silent(), beat_pulse=1.0))
        bright = read().copy()
        deck.freeze(True)
        deck.render(clock.tick(), FrameFeatures.silent())
        assert np.array_equal(read(), bright)  # held while the preset goes on underneath
        deck.freeze(False)
        assert read()[0] < bright[0]
        deck.blackout = True
        assert read().max() == 0
    finally:
        deck.release()
        slot.release()
        resources.release()


def test_render_playlist_through_the_cli(tmp_path, set_file):
    out = tmp_path / "set.mp4"
    result = subprocess.run([VISUALIZER, "render", "--playlist", str(set_file), "--size", "64x36", "--fps", "10",
                             "--start", "7", "--seconds", "2", "--quiet", "--out", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    import imageio_ffmpeg

    assert imageio_ffmpeg.count_frames_and_secs(str(out))[0] == 20


@pytest.mark.parametrize("args, message", [
    (["--preset", "darol", "--playlist", "demo"], "--preset and --playlist: give one of them"),
    (["--playlist", "dmo"], 'did you mean "demo"?'),
    (["--playlist", "nowhere/set.toml"], "set file not found"),
])
def test_bad_playlists_are_one_line(tmp_path, args, message):
    result = subprocess.run([VISUALIZER, "render", *args, "--out", str(tmp_path / "x.mp4")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "x.mp4").exists()
