"""Frame n is the same picture whichever frame a render starts from.

Features and the parameter engine run from frame 0; the preset's feedback
history is drawn unseen before the start. Starts are drawn at random, well
past the history, so the warm-up alone could never explain a match.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

import numpy as np
import pytest

from visualizer.api import Renderer
from visualizer.audio.demo import demo_track_path
from visualizer.preset.loader import load_preset

FPS = 15
SIZE = (48, 28)
TRAILS = {
    "trails.toml": """
        [meta]
        name = "Trails"
        history = 2.5
        seed = 3

        [params.gain]
        default = 0.5
        min = 0.0
        max = 1.0

        [[modulations]]
        param = "gain"
        source = "bass"
        amount = 0.5
        attack = 0.05
        release = 0.6

        [[passes]]
        shader = "trails.glsl"
        target = "trail"
        format = "rgba8"
        feedback = true
        inputs = { iChannel1 = "trail", iChannel2 = "spectrogram" }

        [[passes]]
        shader = "show.glsl"
        target = "output"
        inputs = { iChannel1 = "trail" }
    """,
    "trails.glsl": """
        // Feedback with finite memory: each frame fades by 10% and loses 2/255,
        // so anything older than about 25 frames is exactly gone.
        uniform float gain;
        void main() {
            vec2 uv = gl_FragCoord.xy / iResolution.xy;
            vec4 past = texture(iChannel1, uv);
            vec2 dot = vec2(0.5 + 0.4 * sin(iTime * 2.3), 0.5 + 0.4 * cos(iTime * 1.7));
            float spot = smoothstep(0.12, 0.0, distance(uv, dot)) * gain;
            float history = texture(iChannel2, vec2(uv.x, 0.1)).x;
            vec4 now = vec4(spot, history * uv.y, uBassHit * (1.0 - uv.x), 1.0);
            fragColor = max(max(past * 0.9 - 2.0 / 255.0, 0.0), now);
        }
    """,
    "show.glsl": """
        void main() {
            vec2 uv = gl_FragCoord.xy / iResolution.xy;
            fragColor = vec4(texture(iChannel1, uv).rgb, 1.0);
        }
    """,
}


def _frames(preset, start: float, seconds: float, **values: float) -> list[np.ndarray]:
    with Renderer(preset, size=SIZE, fps=FPS) as renderer:
        renderer.set(**values)
        return [image for _, image in renderer.frames(demo_track_path(), start=start, seconds=seconds)]


def _mismatches(preset, full: list[np.ndarray], starts: list[float], **values: float) -> list[tuple[float, int, int]]:
    """(start, frame, max difference) for every frame that differs from the full render."""
    found = []
    for start in starts:
        first = round(start * FPS)
        for offset, image in enumerate(_frames(preset, start, 0.4, **values)):
            difference = np.abs(image.astype(int) - full[first + offset].astype(int)).max()
            if difference:
                found.append((start, first + offset, int(difference)))
    return found


def write_preset(folder, files: dict[str, str], toml: str):
    """Write {name: indented text} into `folder`; the loaded preset from its `toml` file."""
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"))
    return load_preset(folder / toml)


@pytest.fixture(scope="module")
def trails(tmp_path_factory):
    return write_preset(tmp_path_factory.mktemp("trails"), TRAILS, "trails.toml")


@pytest.fixture(scope="module")
def random_starts() -> list[float]:
    """Three starts past the trails' history, anywhere in the demo's first 20 s."""
    rng = np.random.default_rng(20261205)
    return sorted(round(float(s), 2) for s in rng.uniform(4.0, 20.0, size=3))


def test_random_starts_of_a_feedback_preset_equal_the_full_render(trails, random_starts):
    full = _frames(trails, 0.0, 21.0)
    assert _mismatches(trails, full, random_starts) == []


def test_without_its_history_the_same_starts_differ(trails, random_starts):
    """The check above can fail: drawn with no history, the trails are missing."""
    full = _frames(trails, 0.0, 21.0)
    assert _mismatches(replace(trails, history=0.0), full, random_starts)


@pytest.mark.parametrize("extremes", [
    {"echoFade": 1.0, "echoGrow": 0.0, "echoSpin": 1.0, "echoHue": 4.0, "exposure": 3.0},
    {"echoFade": 1.0, "echoGrow": 0.35, "echoSpin": 0.0, "echoHue": 4.0, "exposure": 3.0},
], ids=["still-echoes", "drifting-echoes"])
def test_random_starts_of_the_default_preset_equal_the_full_render(random_starts, extremes):
    """Mimic Bloom with its longest-lived echoes (the two slowest to converge that
    a sweep of every parameter's extremes found): springs and a hue relaxing over
    2 s in a 3x1 float state pass (run from frame 0), echoes covered by its history."""
    spec = load_preset("mimic_bloom")
    full = _frames(spec, 0.0, 21.0, **extremes)
    assert _mismatches(spec, full, random_starts, **extremes) == []


COUNTER = {
    "counter.toml": """
        [meta]
        name = "Counter"
        history = 0.0

        [[passes]]
        shader = "count.glsl"
        target = "state"
        format = "rgba32f"
        size = [1, 1]
        feedback = true
        inputs = { iChannel1 = "state" }

        [[passes]]
        shader = "paint.glsl"
        target = "output"
        inputs = { iChannel1 = "state" }
    """,
    "count.glsl": """
        // Musical state with a long memory: a phase that every kick pushes on.
        void main() {
            float phase = texelFetch(iChannel1, ivec2(0), 0).x;
            fragColor = vec4(fract(phase + 0.01 + 0.2 * uBassHit), 0.0, 0.0, 1.0);
        }
    """,
    "paint.glsl": """
        void main() {
            float phase = texelFetch(iChannel1, ivec2(0), 0).x;
            fragColor = vec4(phase, fract(phase * 7.0), gl_FragCoord.x / iResolution.x, 1.0);
        }
    """,
}


@pytest.fixture(scope="module")
def counter(tmp_path_factory):
    return write_preset(tmp_path_factory.mktemp("counter"), COUNTER, "counter.toml")


def test_state_passes_run_from_the_first_frame_so_starts_match_without_history(counter, random_starts):
    assert counter.history_seconds == 0.0
    full = _frames(counter, 0.0, 21.0)
    assert _mismatches(counter, full, random_starts) == []


def test_each_frames_call_starts_over(counter):
    """A Renderer reused for several ranges (or after `render`) gives the same pixels as a new one:
    the counter's state pass would otherwise carry on from the last call."""
    with Renderer(counter, size=SIZE, fps=FPS) as renderer:
        first = [image for _, image in renderer.frames(demo_track_path(), start=6.0, seconds=0.4)]
        renderer.render(3.0)
        again = [image for _, image in renderer.frames(demo_track_path(), start=6.0, seconds=0.4)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again)) and len(first) == len(again) == 6


def test_history_counts_frames_at_four_per_second_when_slower(trails):
    from visualizer.frames.loop import history_frames

    assert history_frames(trails, 30.0, 1000) == 75  # 2.5 s at 30 fps
    assert history_frames(trails, 2.0, 1000) == 10  # shaders clamp iTimeDelta to 0.25 s: 2.5 s at 4 fps
    assert history_frames(trails, 30.0, 12) == 12  # never before the first frame
