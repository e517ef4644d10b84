"""Transition shaders (shaders/transitions/) and their pass (render/transition.py),
drawn at 64x36 between two known frames and compared with numpy."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from visualizer.errors import PresetError, ShaderCompileError, ShaderError
from visualizer.render.resources import GpuResources
from visualizer.render.transition import TRANSITIONS, TransitionPass, transition_file, transitions_dir

SIZE = (64, 36)
COVERING = ("luma_wipe", "radial_iris", "dissolve", "flower_iris")
"""Transitions that move each pixel from outgoing to incoming at its own moment."""


def gradients(size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(outgoing, incoming) as (height, width, 4) uint8: outgoing brightens left to right
    (warm), incoming bottom to top (cool); no pixel alike in both."""
    width, height = size
    x = np.linspace(0.0, 1.0, width)[None, :].repeat(height, 0)
    y = np.linspace(0.0, 1.0, height)[:, None].repeat(width, 1)
    outgoing = np.stack([40 + 200 * x, 20 + 120 * x, 10 + 20 * x, np.ones_like(x)], -1)
    incoming = np.stack([10 + 20 * y, 30 + 150 * y, 60 + 180 * y, np.ones_like(y)], -1)
    outgoing[..., 3] = incoming[..., 3] = 255
    return outgoing.round().astype(np.uint8), incoming.round().astype(np.uint8)


class Bench:
    """Two frames as textures, a target, and a TransitionPass on shared resources."""

    def __init__(self, ctx, size: tuple[int, int] = SIZE):
        self.ctx, self.size = ctx, size
        self.outgoing, self.incoming = gradients(size)
        self.resources = GpuResources(ctx)
        self.transitions = TransitionPass(ctx, self.resources)
        self.textures = [ctx.texture(size, 4, image.tobytes()) for image in (self.outgoing, self.incoming)]
        self.target = ctx.texture(size, 4)
        self.framebuffer = ctx.framebuffer([self.target])

    def draw(self, name: str, progress: float, seed: float = 0.0) -> np.ndarray:
        """The transition's frame as (height, width, 4) uint8."""
        self.transitions.draw(name, *self.textures, progress, self.framebuffer, seed=seed)
        width, height = self.size
        return np.frombuffer(self.framebuffer.read(components=4), np.uint8).reshape(height, width, 4)

    def incoming_share(self, frame: np.ndarray, tolerance: int = 2) -> np.ndarray:
        """(height, width) bool: pixels equal to the incoming frame within `tolerance` levels."""
        return np.abs(frame.astype(int) - self.incoming).max(-1) <= tolerance

    def release(self) -> None:
        self.transitions.release()
        for obj in (self.framebuffer, self.target, *self.textures):
            obj.release()
        self.resources.release()


@pytest.fixture(scope="module")
def bench(gl_session):
    made = Bench(gl_session)
    yield made
    made.release()


def test_the_shipped_list_is_the_folder():
    assert TRANSITIONS == tuple(sorted(p.stem for p in transitions_dir().glob("*.glsl")))
    assert {"fade", "luma_wipe", "radial_iris", "dissolve", "flower_iris", "red_flash_cut"} <= set(TRANSITIONS)


@pytest.mark.parametrize("name", TRANSITIONS)
def test_ends_are_the_two_frames_and_alpha_is_one(ctx, bench, name):
    for progress, expected in ((0.0, bench.outgoing), (1.0, bench.incoming),
                               (-0.5, bench.outgoing), (1.5, bench.incoming)):  # clamped
        frame = bench.draw(name, progress)
        assert np.abs(frame.astype(int) - expected).max() <= 1, (name, progress)
    for progress in (0.25, 0.5, 0.75):
        assert (bench.draw(name, progress)[..., 3] == 255).all()


@pytest.mark.parametrize("name", COVERING)
def test_the_incoming_share_grows_with_progress(ctx, bench, name):
    shares = [bench.incoming_share(bench.draw(name, p)).mean() for p in np.linspace(0.05, 0.95, 10)]
    assert all(later >= earlier for earlier, later in zip(shares, shares[1:])), shares
    assert shares[0] < 0.25 and shares[-1] > 0.75, shares


def test_fade_is_a_straight_mix(ctx, bench):
    expected = 0.5 * bench.outgoing.astype(float) + 0.5 * bench.incoming
    assert np.abs(bench.draw("fade", 0.5)[..., :3] - expected[..., :3]).max() <= 1


def test_luma_wipe_takes_the_darkest_first(ctx, bench):
    turned = bench.incoming_share(bench.draw("luma_wipe", 0.4)).mean(0)  # per column, dark left
    assert turned[:10].min() == 1.0 and turned[-10:].max() == 0.0


def test_radial_iris_opens_from_the_centre_and_is_round(ctx, bench):
    turned = bench.incoming_share(bench.draw("radial_iris", 0.2))
    width, height = SIZE
    assert turned[height // 2, width // 2] and not turned[0, 0] and not turned[-1, -1]
    across, down = turned[height // 2].sum(), turned[:, width // 2].sum()
    assert across > 4 and abs(int(across) - int(down)) <= 2  # a circle, not the frame's aspect


def _coverage_on_a_circle(bench, name: str, progress: float, radius: float) -> np.ndarray:
    """Closer to incoming (True) than to outgoing at 72 angles on a circle of `radius`
    pixels around the centre (the petals' glowing edges count as what they are closer to)."""
    frame = bench.draw(name, progress).astype(int)
    turned = np.abs(frame - bench.incoming).sum(-1) < np.abs(frame - bench.outgoing).sum(-1)
    angles = np.linspace(0.0, 2 * np.pi, 72, endpoint=False)
    height, width = turned.shape
    rows = np.round(height / 2 - 0.5 + radius * np.sin(angles)).astype(int)
    columns = np.round(width / 2 - 0.5 + radius * np.cos(angles)).astype(int)
    return turned[rows, columns]


def test_flower_iris_has_petals_where_the_radial_iris_is_round(gl_session):
    large = Bench(gl_session, (128, 72))  # enough pixels on the circle to see petals
    try:
        flower = _coverage_on_a_circle(large, "flower_iris", 0.3, 18.0)
        iris = _coverage_on_a_circle(large, "radial_iris", 0.3, 18.0)
        assert 0.2 < flower.mean() < 0.8  # petals and the gaps between them
        runs = np.count_nonzero(flower != np.roll(flower, 1)) // 2
        assert 5 <= runs <= 12, runs  # one run per petal (6), or per layer's petal (12)
        assert iris.all()
    finally:
        large.release()


def test_dissolve_is_deterministic_and_follows_the_seed(ctx, bench):
    first = bench.draw("dissolve", 0.5, seed=0.25).copy()
    again = bench.draw("dissolve", 0.5, seed=0.25)
    other = bench.draw("dissolve", 0.5, seed=0.75)
    assert np.array_equal(first, again)
    assert 0.25 < bench.incoming_share(first).mean() < 0.75
    assert not np.array_equal(first, other)


def test_red_flash_cut_is_a_red_flash_over_a_hard_cut(ctx, bench):
    assert np.abs(bench.draw("red_flash_cut", 0.3).astype(int) - bench.outgoing).max() <= 1
    assert np.abs(bench.draw("red_flash_cut", 0.95).astype(int) - bench.incoming).max() <= 1
    peak = bench.draw("red_flash_cut", 0.5).astype(float)
    red, green, blue = (peak[..., c].mean() for c in range(3))
    assert red > 2.0 * green and red > 2.0 * blue
    height, width = peak.shape[:2]
    assert peak[height // 2, width // 2, :3].min() > 220  # the white-hot core
    for progress, follows, other in ((0.46, bench.outgoing, bench.incoming), (0.54, bench.incoming, bench.outgoing)):
        shade = bench.draw("red_flash_cut", progress)[..., 0].astype(float)
        assert shade.mean() > 1.5 * bench.draw("red_flash_cut", progress)[..., 1].mean()
        assert _correlation(shade, follows) > _correlation(shade, other) + 0.3, progress


def _correlation(shade: np.ndarray, frame: np.ndarray) -> float:
    """Correlation of `shade` with the frame's brightness, away from the core."""
    mask = np.ones(shade.shape, bool)
    height, width = shade.shape
    mask[height // 4: 3 * height // 4, width // 4: 3 * width // 4] = False
    return float(np.corrcoef(shade[mask], frame[..., :3].astype(float).sum(-1)[mask])[0, 1])


def test_a_user_transition_can_include_the_library(ctx, bench, tmp_path):
    path = tmp_path / "noise_fade.glsl"
    path.write_text('#include "lib/noise.glsl"\n'
                    "vec4 transition(vec2 uv, float progress) {\n"
                    "    return mix(fromColor(uv), toColor(uv), step(hash12(uv * 97.0), progress));\n}\n")
    assert np.abs(bench.draw(str(path), 1.0).astype(int) - bench.incoming).max() <= 1


def test_a_broken_user_transition_names_its_file_and_line(ctx, bench, tmp_path):
    path = tmp_path / "broken.glsl"
    path.write_text('#include "lib/colour.glsl"\n\nvec4 transition(vec2 uv, float progress) {\n'
                    "    return mix(fromColor(uv), toColor(uv), nonsense);\n}\n")
    with pytest.raises(ShaderCompileError) as caught:
        bench.transitions.prepare(str(path))
    assert str(caught.value).startswith(f"{path}:4: ")
    assert "nonsense" in str(caught.value)


def test_an_unknown_name_gets_a_did_you_mean():
    with pytest.raises(PresetError) as caught:
        transition_file("flower_irsi")
    assert 'did you mean "flower_iris"?' in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(PresetError, match="missing.glsl: transition file not found"):
        transition_file("missing.glsl")
    assert transition_file("fade") == transitions_dir() / "fade.glsl"


def test_programs_are_shared_and_release_leaves_no_gl_objects(counting_ctx):
    resources = GpuResources(counting_ctx)
    first, second = TransitionPass(counting_ctx, resources), TransitionPass(counting_ctx, resources)
    for name in TRANSITIONS:
        first.prepare(name)
    compiled = len(resources.programs)
    second.prepare("fade")
    assert len(resources.programs) == compiled == len(TRANSITIONS)  # compiled once, shared
    for transitions in (first, second):
        transitions.release()
        transitions.release()  # safe twice
    resources.programs.prune()  # nobody uses them now
    kinds = {type(obj).__name__ for obj in counting_ctx.live()}
    assert not kinds & {"VertexArray", "Program"}, kinds
    resources.release()
    assert counting_ctx.live() == []


def test_the_documented_example_keeps_the_contract(ctx, bench, tmp_path):
    text = (Path(__file__).resolve().parent.parent / "docs" / "transitions.md").read_text()
    path = tmp_path / "slide.glsl"
    path.write_text(re.search(r"```glsl\n(.*?)```", text, re.S).group(1))
    assert np.abs(bench.draw(str(path), 0.0).astype(int) - bench.outgoing).max() <= 1
    assert np.abs(bench.draw(str(path), 1.0).astype(int) - bench.incoming).max() <= 1


def test_a_user_transition_with_its_own_main_is_told_why(ctx, bench, tmp_path):
    path = tmp_path / "own_main.glsl"
    path.write_text("vec4 transition(vec2 uv, float progress) { return toColor(uv); }\n"
                    "void main() { fragColor = vec4(1.0); }\n")
    with pytest.raises(ShaderError, match=rf"^{re.escape(str(path))}:2: a transition file defines transition\(\)"):
        bench.transitions.prepare(str(path))
