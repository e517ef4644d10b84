"""`visualizer live` under Xvfb and a PulseAudio null sink (both started here):
OSC switches presets and sets parameters (pixels and stats checked), the file's
sound reaches the sink's monitor, keys go through the window layer, a transition
reaches 1 and leaves the new preset, broken presets never stop the show, the
audio input lost and back, and MIDI through the mapping layer (clock included).

Windows run in subprocesses (an EGL context then a GLX one fails in one process).
Timing is counted or driven by a fake clock, never asserted on the wall clock.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
import soundfile

from pulse import click_track, find_clicks, pulse_server_fixture

VISUALIZER = str(Path(sys.executable).parent / "visualizer")
pulse = pulse_server_fixture("module")

FLAT = "uniform vec3 tint;\nuniform float gain;\nvoid main() { fragColor = vec4(tint * gain, 1.0); }\n"
PRESET = """[meta]
name = "{name}"
[params.tint]
type = "color"
default = [{rgb}]
[params.gain]
type = "float"
default = 1.0
min = 0.0
max = 1.0
[[passes]]
shader = "{shader}"
target = "output"
"""
SET = """[set]
name = "Test set"
advance = "manual"
[set.transition]
style = "fade"
beats = 1
on = "now"
[[entry]]
preset = "red.toml"
favourite = 1
[[entry]]
preset = "green.toml"
[[entry]]
preset = "blue.toml"
"""


@pytest.fixture
def set_file(tmp_path) -> Path:
    (tmp_path / "flat.glsl").write_text(FLAT)
    (tmp_path / "broken.glsl").write_text(FLAT.replace("tint * gain", "broken"))
    for name, rgb, shader in (("red", "1, 0, 0", "flat.glsl"), ("green", "0, 1, 0", "flat.glsl"),
                              ("blue", "0, 0, 1", "flat.glsl"), ("broken", "1, 1, 1", "broken.glsl")):
        (tmp_path / f"{name}.toml").write_text(PRESET.format(name=name, rgb=rgb, shader=shader))
    (tmp_path / "set.toml").write_text(SET)
    return tmp_path / "set.toml"


def lines_of(stream, found: queue.Queue) -> None:
    for line in stream:
        found.put(line)


def wait_for(found: queue.Queue, pattern: str, seen: list[str], timeout: float = 120.0) -> re.Match:
    """The first line (from a reader thread) matching `pattern`; fails after `timeout` s (a hang)."""
    while True:
        try:
            line = found.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no line matching {pattern!r} in: {''.join(seen)[-2000:]}")
        seen.append(line)
        match = re.search(pattern, line)
        if match:
            return match


def read_stats(path: Path) -> tuple[list[dict], list[dict]]:
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    return [line for line in lines if "frame" in line], [line for line in lines if "event" in line]


def test_live_follows_osc_plays_the_sound_and_writes_stats(display, pulse, set_file, tmp_path):
    from pythonosc.udp_client import SimpleUDPClient

    clicks = tmp_path / "clicks.wav"
    soundfile.write(clicks, click_track(40, 0.25), 48000)
    stats, shot, heard = tmp_path / "stats.jsonl", tmp_path / "shot.png", tmp_path / "heard.raw"
    env = {**pulse.env(), "DISPLAY": display}
    with open(heard, "wb") as sink:
        recorder = subprocess.Popen(["parec", "--device=vsink.monitor", "--format=float32le", "--rate=48000",
                                     "--channels=1", "--raw"], stdout=sink, env=env)
        try:
            show = subprocess.Popen([VISUALIZER, "live", "--playlist", str(set_file), "--audio-file", str(clicks),
                                     "--osc", "0", "--duration", "6", "--stats", str(stats), "--screenshot",
                                     str(shot), "--size", "160x90", "--fps", "30"],
                                    stderr=subprocess.PIPE, text=True, env=env)
            found: queue.Queue = queue.Queue()
            seen: list[str] = []
            threading.Thread(target=lines_of, args=(show.stderr, found), daemon=True).start()
            port = int(wait_for(found, r"listening for OSC on 127\.0\.0\.1:(\d+)", seen).group(1))
            client = SimpleUDPClient("127.0.0.1", port)
            client.send_message("/visualizer/preset", "blue")
            client.send_message("/visualizer/param/gain", 0.5)
            client.send_message("/visualizer/nonsense", 1)
            assert show.wait(timeout=180) == 0, "".join(seen)
        finally:
            recorder.terminate()
            recorder.wait(timeout=10)
    frames, events = read_stats(stats)
    assert [e["to"] for e in events if e["event"] == "switch"] == ["blue"]
    blends = [f["blend"] for f in frames if f["blend"] is not None]
    assert blends and blends[-1] == 1.0 and blends == sorted(blends)  # the fade reached 1, one way
    assert frames[-1]["preset"] == "blue" and [f["frame"] for f in frames] == list(range(len(frames)))
    controls = [e["control"]["type"] for e in events if e["event"] == "control"]
    assert controls == ["LoadPreset", "SetParam"]  # the unknown address was ignored
    pixel = iio.imread(shot)[45, 80].astype(int)
    assert abs(pixel[2] - 128) <= 2 and pixel[0] == pixel[1] == 0  # blue at half gain
    monitor = np.fromfile(heard, np.float32)
    assert len(find_clicks(monitor)) >= 10, "the file's clicks reached the null sink"
    assert any(e["event"] == "audio" and "sound" in e["status"] for e in events)


KEYS_DRIVER = """
import json, sys
from pathlib import Path
import glfw
from visualizer.live.show import PlaySettings, Show
from visualizer.live.rig import LiveRig, RigSettings
from visualizer.preset.playlist import load_playlist

clock = [0.0]
show = Show(PlaySettings(None, (64, 36), 30.0, playlist=load_playlist(Path(sys.argv[1]))), Silent(),
            now=lambda: clock[0])
rig = LiveRig(show, RigSettings())
def frames(count):
    for _ in range(count):
        clock[0] += 1 / 30
        show.step()
def press(key):
    show.host.key_event(show.host.window, getattr(glfw, "KEY_" + key), 0, glfw.PRESS, 0)
    frames(1)
def pixel():
    return [int(v) for v in show.host.grab(gui=False)[18, 32]]
def settle(size):  # the X server answers a resize within a few event polls
    for _ in range(300):
        if show.host.size == size:
            break
        glfw.wait_events_timeout(0.01); frames(1)
    frames(2)
report = {}
try:
    frames(2)
    report["first"] = (show.slot.name, pixel())
    press("RIGHT")
    progress = []
    while show.deck.blend is not None:
        progress.append(show.deck.progress)
        frames(1)
    report["progress"] = progress + [show.deck.progress]
    report["after"] = (show.slot.name, pixel(), len(show.deck.slots()))
    press("B"); report["blackout"] = pixel()
    press("B"); press("X"); press("RIGHT"); frames(20)
    report["frozen"] = (show.slot.name, pixel())
    press("X"); report["thawed"] = pixel()
    press("LEFT"); frames(20); report["back"] = show.slot.name
    press("1"); frames(20); report["favourite"] = show.slot.name
    press("F12"); report["snapshots"] = [p.name.split("-")[0] for p in Path("renders").glob("*.png")]
    press("TAB"); report["panel"] = (rig.editor.state.path.name, rig.editor.visible)
    press("RIGHT"); frames(40); report["panel_follows"] = rig.editor.state.path.name
    glfw.set_window_size(show.host.window, 96, 96); settle((96, 96))
    report["resized"] = (list(show.host.grab(gui=False).shape), list(show.deck.size), show.slot.name, pixel())
    press("F"); settle((1280, 720))
    report["fullscreen"] = (show.host.fullscreen, list(show.host.size), show.slot.name)
    press("F"); settle((96, 96))
    report["windowed"] = (show.host.fullscreen, list(show.host.size))
    press("ESCAPE"); report["asked"] = (show.host.should_close, rig.hud.visible, rig.controls.message)
    press("H"); report["hud"] = rig.hud.visible
    press("ESCAPE"); report["closed"] = show.host.should_close
finally:
    rig.close()
    show.close()
print("REPORT " + json.dumps(report))
"""


def run_driver(display: str, driver: str, *args: str, cwd: Path, env: dict | None = None) -> tuple[dict, str]:
    from test_play_window import SILENT_FEED

    result = subprocess.run([sys.executable, "-c", SILENT_FEED + driver, *args],
                            env={**(env or os.environ), "DISPLAY": display}, cwd=cwd,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.split("REPORT ", 1)[1]), result.stderr


def test_keys_switch_blend_black_out_freeze_and_quit_on_the_second_escape(display, set_file):
    report, _ = run_driver(display, KEYS_DRIVER, str(set_file), cwd=set_file.parent)
    assert report["first"] == ["red", [255, 0, 0]]
    progress = report["progress"]
    assert progress[0] < 0.1 and progress[-1] == 1.0 and progress == sorted(progress) and len(progress) >= 10
    assert report["after"] == ["green", [0, 255, 0], 1]  # the new preset alone, the old one retired
    assert report["blackout"] == [0, 0, 0]
    assert report["frozen"] == ["blue", [0, 255, 0]]  # the show moved on under the held picture
    assert report["thawed"] == [0, 0, 255]
    assert report["back"] == "green" and report["favourite"] == "red"
    assert report["snapshots"] == ["red"]  # F12 without the panel
    assert report["panel"] == ["red.toml", True] and report["panel_follows"] == "green.toml"
    assert report["resized"] == [[96, 96, 3], [96, 96], "green", [0, 255, 0]]  # drawn at the new size
    assert report["fullscreen"] == [True, [1280, 720], "green"]  # the Xvfb screen; the show goes on
    assert report["windowed"] == [False, [96, 96]]
    assert report["asked"] == [False, False, "press Esc again to quit"] and report["hud"] is True
    assert report["closed"] is True


FAULTS_DRIVER = """
import json, sys
from pathlib import Path
from visualizer.live.show import PlaySettings, Show
from visualizer.control.events import LoadPreset, NextPreset, SetTransitionStyle
from visualizer.live.rig import LiveRig, RigSettings
from visualizer.preset.playlist import load_playlist

show = Show(PlaySettings(None, (64, 36), 30.0, playlist=load_playlist(Path(sys.argv[1]))), Silent())
rig = LiveRig(show, RigSettings())
report = {}
try:
    show.step()
    show.bus.push(LoadPreset(str(Path(sys.argv[1]).parent / "broken.toml")))
    for _ in range(5):
        show.step()
    report["switch"] = (show.slot.name, show.error is not None and "broken" in show.error)
    bad = Path(sys.argv[1]).parent / "bad_transition.glsl"
    bad.write_text("vec4 transition(vec2 uv, float progress) {\\n    return nope;\\n}\\n")
    show.bus.push(SetTransitionStyle(str(bad)))
    show.step()
    report["style"] = rig.controls.message
    show.bus.push(NextPreset())
    for _ in range(3):
        show.step()
    report["after_style"] = show.slot.name
    shader = Path(sys.argv[1]).parent / "flat.glsl"
    original = shader.read_text()
    shader.write_text(original.replace("tint * gain", "oops"))
    while show.live.error is None:
        assert show.live.watcher.wait_for_change(60), "no reload error"  # bounds a hang
        show.step()
    before = show.frame
    for _ in range(5):
        show.step()
    report["reload"] = (show.slot.name, "oops" in show.live.error, show.frame - before,
                        [int(v) for v in show.host.grab(gui=False)[18, 32]])
    report["hud"] = rig.model().error
finally:
    rig.close()
    show.close()
shader.write_text(original)
first_broken = Path(sys.argv[1]).with_name("broken_first.toml")
first_broken.write_text(Path(sys.argv[1]).read_text().replace('"red.toml"', '"broken.toml"'))
show = Show(PlaySettings(None, (64, 36), 30.0, playlist=load_playlist(first_broken)), Silent())
try:
    show.step()
    report["first_broken"] = (show.slot.name, "broken" in (show.error or ""))
finally:
    show.close()
print("REPORT " + json.dumps(report))
"""


def test_broken_presets_at_a_switch_and_on_disk_never_stop_the_show(display, set_file):
    report, stderr = run_driver(display, FAULTS_DRIVER, str(set_file), cwd=set_file.parent)
    assert report["switch"] == ["red", True]  # the broken entry was skipped, red still shows
    assert "bad_transition.glsl:2:" in report["style"]  # a transition that does not compile is refused
    assert report["after_style"] == "green"  # and the next switch goes on (the set's own style)
    assert report["reload"] == ["green", True, 5, [0, 255, 0]]  # the last good version goes on
    assert "oops" in report["hud"]  # the error is in the HUD
    assert report["first_broken"] == ["green", True]  # a set opening on a broken preset skips it
    assert "broken.glsl:3: error" in stderr


MIDI_DRIVER = """
import json, sys
from pathlib import Path
import mido
import numpy as np
from visualizer.live.show import PlaySettings, Show
from visualizer.control.events import TogglePanel
from visualizer.live.rig import LiveRig, RigSettings
from visualizer.preset.playlist import load_playlist

class Quiet(Silent):  # silence, a frame's worth each read: the analyzer runs
    def read(self): return np.zeros((1600, 2), np.float32)

show = Show(PlaySettings(None, (64, 36), 30.0, playlist=load_playlist(Path(sys.argv[1]))), Quiet())
rig = LiveRig(show, RigSettings(midi_map=Path(sys.argv[2])))
report = {}
try:
    show.step()
    rig.midi.handle(mido.Message("control_change", channel=0, control=7, value=64), 0.0)
    show.step(); show.step()
    report["gain"] = [int(v) for v in show.host.grab(gui=False)[18, 32]]
    rig.midi.handle(mido.Message("note_on", channel=0, note=36, velocity=100), 0.0)
    for _ in range(40):
        show.step()
    report["note"] = show.slot.name
    now = 1.0
    rig.midi.handle(mido.Message("start"), now)
    for pulse in range(24 * 8):  # eight beats of MIDI clock at 100 BPM
        rig.midi.handle(mido.Message("clock"), now + pulse * 0.6 / 24)
        if pulse % 6 == 0:
            show.step()
    show.step()
    report["bpm"] = show.features.tempo_bpm
    show.bus.push(TogglePanel()); show.step()
    rig.editor.panel.actions.learn("param:gain"); show.step()  # the panel's right-click "MIDI learn"
    report["learning"] = rig.midi.learning
    for value, now in ((127, 9.0), (126, 9.1), (0, 9.2)):  # learnt; picked up at the value; turned down
        rig.midi.handle(mido.Message("control_change", channel=0, control=21, value=value), now)
        show.step()
    show.step(); show.step()
    report["learned"] = [int(v) for v in show.host.grab(gui=False)[18, 2]]
finally:
    rig.close()
    show.close()
print("REPORT " + json.dumps(report))
"""

MIDI_MAP = """[[cc]]
channel = 1
control = 7
target = "param:gain"
takeover = "jump"

[[note]]
channel = 1
note = 36
action = "next"
"""


def test_midi_messages_through_the_mapping_steer_the_show_and_its_clock_sets_the_tempo(display, set_file):
    (set_file.parent / "midi.toml").write_text(MIDI_MAP)
    report, _ = run_driver(display, MIDI_DRIVER, str(set_file), str(set_file.parent / "midi.toml"),
                           cwd=set_file.parent)
    assert abs(report["gain"][0] - 128) <= 2 and report["gain"][1:] == [0, 0]  # CC 64 of 127: half gain
    assert report["note"] == "green"
    assert report["bpm"] == pytest.approx(100.0, abs=0.5)
    assert report["learning"] == "param:gain" and report["learned"] == [0, 0, 0]  # the learned knob at 0
    assert "control = 21" in (set_file.parent / "midi.toml").read_text()  # saved into the map


def test_the_audio_input_lost_and_back_the_show_goes_on(display, pulse, set_file, tmp_path):
    stats = tmp_path / "stats.jsonl"
    env = {**pulse.env(), "DISPLAY": display}
    show = subprocess.Popen([VISUALIZER, "live", "--playlist", str(set_file), "--audio-device", "default",
                             "--duration", "15", "--stats", str(stats), "--size", "64x36", "--fps", "30"],
                            stderr=subprocess.PIPE, text=True, env=env)
    found: queue.Queue = queue.Queue()
    seen: list[str] = []
    threading.Thread(target=lines_of, args=(show.stderr, found), daemon=True).start()
    try:
        wait_for(found, r"INFO live: Test set \(3 presets\)", seen)
        pulse.kill()
        wait_for(found, r"audio input .* lost", seen)
        pulse.start()
        wait_for(found, r"audio input .* is back", seen)
        assert show.wait(timeout=180) == 0, "".join(seen)
    finally:
        if show.poll() is None:
            show.kill()
        if not pulse.running:
            pulse.start()
    frames, events = read_stats(stats)
    statuses = [e for e in events if e["event"] == "audio"]
    lost = next(e["t"] for e in statuses if "lost" in e["status"].lower() or "retry" in e["status"].lower())
    back = next(e["t"] for e in statuses if e["t"] > lost and "lost" not in e["status"].lower())
    assert sum(lost < f["t"] < back for f in frames) >= 3  # frames went on while it was lost
    assert frames[-1]["t"] > back


SLOW_DRIVER = """
import json, sys
from pathlib import Path
from visualizer.live.show import PlaySettings, Show
from visualizer.live.rig import LiveRig, RigSettings
from visualizer.preset.playlist import load_playlist

clock = [0.0]
show = Show(PlaySettings(None, (64, 36), float(sys.argv[2]), playlist=load_playlist(Path(sys.argv[1]))),
            Silent(), now=lambda: clock[0])
rig = LiveRig(show, RigSettings())
messages = []
try:
    for _ in range(100):  # 3.3 s of frames at 30 per second (on the fake clock)
        clock[0] += 1 / 30
        show.step()
        messages.append(rig.controls.message)
finally:
    rig.close()
    show.close()
print("REPORT " + json.dumps({"first": next((i for i, m in enumerate(messages) if m), None), "last": messages[-1]}))
"""


@pytest.mark.parametrize("asked, warned", [(120, True), (30, False)])
def test_a_show_far_below_the_rate_asked_says_so_once(display, set_file, asked, warned):
    report, stderr = run_driver(display, SLOW_DRIVER, str(set_file), str(asked), cwd=set_file.parent)
    assert (report["last"] == f"30 fps of the {asked} asked at 64x36") is warned
    assert stderr.count("under half the") == int(warned)
    if warned:
        assert report["first"] in (90, 91)  # at 3 s of the frame clock (not at the 120th frame)


TWICE_DRIVER = """
import json, sys
from pathlib import Path
from visualizer.control.events import SetParam
from visualizer.live.show import PlaySettings, Show
from visualizer.preset.playlist import load_playlist

clock = [0.0]
show = Show(PlaySettings(None, (64, 36), 30.0, playlist=load_playlist(Path(sys.argv[1]))), Silent(),
            now=lambda: clock[0])
try:
    for _ in range(30):  # a second: the next entry (the same preset) is compiled ahead
        clock[0] += 1 / 30
        show.step()
    standby = show.bank.standby is not None
    show.bus.push(SetParam("gain", 0.0))
    clock[0] += 1 / 30
    show.step()
    report = {"standby": standby, "pixel": [int(v) for v in show.host.grab(gui=False)[18, 32]]}
finally:
    show.close()
print("REPORT " + json.dumps(report))
"""


def test_a_preset_compiled_ahead_leaves_the_performers_values_on_the_one_shown(display, set_file):
    twice = set_file.with_name("twice.toml")
    twice.write_text(SET.replace('"green.toml"', '"red.toml"').replace('"blue.toml"', '"red.toml"'))
    report, _ = run_driver(display, TWICE_DRIVER, str(twice), cwd=set_file.parent)
    assert report == {"standby": True, "pixel": [0, 0, 0]}


@pytest.mark.parametrize("args, check", [
    (["--monitor", "3"], "--monitor 3: this display has 1 monitor(s) (0 to 0); choose one of them"),
    (["--fullscreen"], (720, 1280, 3)),
])
def test_monitor_and_fullscreen_options(display, set_file, tmp_path, args, check):
    shot = tmp_path / "shot.png"
    result = subprocess.run([VISUALIZER, "live", "--playlist", str(set_file), "--duration", "0.5", "--size", "64x36",
                             "--screenshot", str(shot), *args], env={**os.environ, "DISPLAY": display},
                            capture_output=True, text=True, timeout=120)
    if isinstance(check, str):
        assert result.returncode == 2 and result.stderr.strip().splitlines()[-1] == f"error: {check}"
        assert not shot.exists()
    else:
        assert result.returncode == 0, result.stderr
        assert iio.imread(shot).shape == check  # the whole Xvfb screen
