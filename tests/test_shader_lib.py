"""The shared GLSL library (visualizer/shaders/lib/): every file compiles through the
project's own shader path (include resolution, prelude, driver), and its functions
give the values their comments promise, read back as float32 pixels and checked
against analytic answers with numpy."""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import frame_inputs
from visualizer.paths import shaders_dir
from visualizer.preset.spec import PassSpec, PresetSpec, TargetSpec
from visualizer.render.graph import RenderGraph

LIB = shaders_dir() / "lib"
MAP = ("float map(vec3 p) { return min(sdSphere(p, 1.0), p.y + 1.0); }  // a ball on the floor\n"
       '#include "lib/raymarch.glsl"\n')  # after the map it marches


def evaluate(ctx, tmp_path, body: str, size=(16, 1), libs=("noise",), head: str = "",
             source: str | None = None) -> np.ndarray:
    """Run `body` (GLSL setting `vec4 o` from `vec2 pixel`, pixel centres at i + 0.5)
    in a one-pass preset in tmp_path that includes lib/<libs>.glsl; returns the float32
    pixels as (height, width, 4), bottom row first. `source`: the body of an earlier
    pass drawing target "src" (rgba32f), bound to iChannel1."""
    def shader(name: str, text: str) -> str:
        includes = "".join(f'#include "lib/{lib}.glsl"\n' for lib in libs)
        path = tmp_path / name
        path.write_text(includes + head + "void mainImage(out vec4 o, in vec2 pixel) {\n"
                        "    o = vec4(0.0);\n" + text + "\n}\n")
        return path

    passes = [PassSpec(shader("probe.glsl", body), TargetSpec("output", "rgba32f"),
                       (("iChannel1", "src"),) if source else ())]
    if source:
        passes.insert(0, PassSpec(shader("src.glsl", source), TargetSpec("src", "rgba32f")))
    graph = RenderGraph(ctx, PresetSpec("lib-probe", tuple(passes)), size)
    try:
        graph.render(frame_inputs(0))
        data = graph.targets["output"].texture.read()
    finally:
        graph.release()
    return np.frombuffer(data, np.float32).reshape(size[1], size[0], 4)


def row(ctx, tmp_path, expression: str, xs, libs, head: str = "") -> np.ndarray:
    """`expression` (a vec4, of `float x`) at each x of xs: one pixel each, as (len(xs), 4)."""
    xs = np.asarray(xs, np.float64)
    table = ", ".join(f"{x:.9g}" for x in xs)
    head = head + f"const float XS[{len(xs)}] = float[{len(xs)}]({table});\n"
    body = f"float x = XS[int(pixel.x)];\n    o = vec4({expression});"
    return evaluate(ctx, tmp_path, body, (len(xs), 1), libs, head)[0]


def vec(*values) -> str:
    return f"vec{len(values)}(" + ", ".join(f"{v:.9g}" for v in values) + ")"


# ---------------------------------------------------------------- every file compiles

@pytest.mark.parametrize("name", sorted(p.stem for p in LIB.glob("*.glsl")))
def test_each_library_file_compiles_on_its_own(ctx, tmp_path, name):
    head = MAP if name == "raymarch" else ""
    libs = ("sdf3",) if name == "raymarch" else (name,)
    pixels = evaluate(ctx, tmp_path, "o = vec4(1.0);", (2, 2), libs, head)
    assert (pixels == 1.0).all()


# ---------------------------------------------------------------- noise

def test_simplex_and_fbm_stay_in_minus_one_to_one_with_mean_zero(ctx, tmp_path):
    body = ("vec2 p = pixel * 0.137 - 20.0;\n"
            "o = vec4(simplex(p), simplex(vec3(p, 0.37 * p.x - 3.1)), fbmSimplex(p, 4), fbmSimplex(vec3(p, 2.0), 3));")
    v = evaluate(ctx, tmp_path, body, (128, 128))
    assert np.isfinite(v).all()
    assert v.min() >= -1.0 and v.max() <= 1.0
    assert np.abs(v.reshape(-1, 4).mean(axis=0)).max() < 0.05
    spread = v.reshape(-1, 4).max(axis=0) - v.reshape(-1, 4).min(axis=0)
    assert (spread > 1.2).all(), spread  # uses its range, not a narrow band around 0
    assert spread[:2].min() > 1.8  # plain simplex reaches near +-1


def test_noise_is_continuous(ctx, tmp_path):
    # Steps of 0.002 noise cells: a continuous noise moves by a small multiple of the step.
    body = ("vec2 p = vec2(pixel.x * 0.002 + 3.3, 7.1 + floor(pixel.y) * 1.37);\n"
            "o = vec4(simplex(p), simplex(vec3(p, 0.5)), fbmSimplex(p, 3), valueNoise(p));")
    v = evaluate(ctx, tmp_path, body, (1000, 4))
    steps = np.abs(np.diff(v.astype(np.float64), axis=1))
    assert steps.max() < 0.05, steps.max()
    assert steps.mean(axis=(0, 1)).min() > 1e-4  # and it does move


def test_curl_flow_is_divergence_free_and_of_the_stated_speed(ctx, tmp_path):
    h = 0.02
    v = evaluate(ctx, tmp_path, f"o = vec4(curl(pixel * {h} + vec2(1.7, -4.2), 0.5), 0.0, 0.0);", (96, 96))
    u, w = v[..., 0].astype(np.float64), v[..., 1].astype(np.float64)
    divergence = np.gradient(u, h, axis=1) + np.gradient(w, h, axis=0)
    vorticity = np.gradient(w, h, axis=1) - np.gradient(u, h, axis=0)
    assert np.abs(divergence).mean() < 0.05 * np.abs(vorticity).mean()
    speed = np.hypot(u, w)
    assert speed.max() < 6.0 and 0.5 < speed.mean() < 3.0, (speed.max(), speed.mean())


def test_domain_warp_moves_points_at_most_amount_per_axis(ctx, tmp_path):
    body = ("vec2 p = pixel * 0.21;\n"
            "o = vec4(domainWarp(p, 0.0, 1.0, 3) - p, domainWarp(p, 0.7, 1.0, 3) - p);")
    v = evaluate(ctx, tmp_path, body, (48, 48))
    assert np.abs(v[..., :2]).max() < 1e-5  # amount 0: the identity
    assert np.abs(v[..., 2:]).max() <= 0.7 + 1e-5
    assert np.abs(v[..., 2:]).mean() > 0.05  # and it does warp


# ---------------------------------------------------------------- 2D distances

def test_2d_shapes_are_exact_at_known_points(ctx, tmp_path):
    cases = [  # (GLSL, exact distance)
        ("sdCircle(vec2(3.0, 4.0), 2.0)", 3.0),
        ("sdCircle(vec2(0.3, 0.0), 1.0)", -0.7),
        ("sdBox(vec2(3.0, 0.5), vec2(1.0, 1.0))", 2.0),
        ("sdBox(vec2(2.0, 3.0), vec2(1.0, 2.0))", math.sqrt(2.0)),
        ("sdPolygon(vec2(0.0, 2.0), 1.0, 6.0)", 1.0),  # a vertex on +y
        ("sdPolygon(vec2(0.0), 1.0, 6.0)", -math.cos(math.pi / 6)),  # the inradius
        ("sdStar(vec2(0.0, 1.5), 1.0, 5.0, 3.0)", 0.5),  # above the top tip
        ("sdStar(vec2(0.3, 0.4), 1.0, 5.0, 2.0) - sdPolygon(vec2(0.3, 0.4), 1.0, 5.0)", 0.0),
        ("sdVesica(vec2(0.0, 3.0), 1.0, 0.3)", 2.0),  # beyond the tip
        ("sdVesica(vec2(0.3, 0.0), 1.0, 0.3)", 0.0),  # the widest point
        ("sdVesica(vec2(0.0), 1.0, 0.3)", -0.3),
        ("sdPetal(vec2(0.0), 0.5, 0.2)", 0.0),  # the base sits on the origin
        ("sdPetal(vec2(0.0, 0.5), 0.5, 0.2)", -0.2),
        ("sdArc(vec2(0.0, 2.0), 1.0, 2.0, 0.1)", -0.1),  # on the arc's middle
        ("sdArc(vec2(0.0, -3.0), 0.5, 2.0, 0.0)", math.dist((0, -3), (2 * math.sin(0.5), 2 * math.cos(0.5)))),
        ("sdRing(vec2(0.0, 1.5), 1.0, 0.1)", 0.4),
        ("opRound(sdBox(vec2(2.0, 0.0), vec2(1.0)), 0.25)", 0.75),
        ("opOnion(sdCircle(vec2(0.0), 1.0), 0.1)", 0.9),
        ("smoothIntersect(1.0, -2.0, 0.5)", 1.0),  # far apart: the plain max
        ("smoothSubtract(1.0, -2.0, 0.5)", 2.0),  # max(a, -b)
        ("smoothUnion(1.0, -2.0, 0.5)", -2.0),
    ]
    expression = " : ".join(f"i == {n} ? {glsl}" for n, (glsl, _) in enumerate(cases)) + " : 0.0"
    body = f"int i = int(pixel.x);\n    o = vec4({expression});"
    got = evaluate(ctx, tmp_path, body, (len(cases), 1), ("sdf",))[0, :, 0]
    expected = np.array([d for _, d in cases])
    bad = [(cases[i][0], got[i], expected[i]) for i in np.flatnonzero(np.abs(got - expected) > 2e-5)]
    assert bad == []


def test_smooth_booleans_blend_only_near_the_seam(ctx, tmp_path):
    xs = np.linspace(-1.0, 1.0, 41)  # a - b
    v = row(ctx, tmp_path, "smoothUnion(x, 0.0, 0.4), smoothIntersect(x, 0.0, 0.4), "
                           "smoothSubtract(x, 0.0, 0.4), 0.0", xs, ("sdf",))
    assert (v[:, 0] <= np.minimum(xs, 0.0) + 1e-6).all() and (v[:, 1] >= np.maximum(xs, 0.0) - 1e-6).all()
    far = np.abs(xs) >= 0.4
    assert np.allclose(v[far, 0], np.minimum(xs, 0)[far]) and np.allclose(v[far, 1], np.maximum(xs, 0)[far])
    assert np.allclose(v[:, 2], v[:, 1])  # a minus b = a intersect (not b), here with -0 = 0


def test_repetition_is_periodic_and_polar_repetition_rotation_invariant(ctx, tmp_path):
    body = ("vec2 p = vec2(pixel.x * 0.173 - 1.0, pixel.y * 0.091 - 0.7);\n"
            "float n = 7.0;\n"
            "vec2 q = rot2(TAU / n) * p;\n"
            "o = vec4(opRepeat(p, vec2(0.5, 0.3)) - opRepeat(p + vec2(1.0, -0.6), vec2(0.5, 0.3)),\n"
            "         opPolarRepeat(p, n) - opPolarRepeat(q, n));")
    v = evaluate(ctx, tmp_path, body, (24, 24), ("sdf",))
    assert np.abs(v).max() < 1e-4
    limited = row(ctx, tmp_path, "opRepeatLimited(vec2(x, 0.0), vec2(1.0), vec2(2.0)), 0.0, 0.0",
                  [0.2, 1.2, 2.2, 3.2, 5.2], ("sdf",))[:, 0]
    assert np.allclose(limited, [0.2, 0.2, 0.2, 1.2, 3.2], atol=1e-5)  # cells -2..2 only


# ---------------------------------------------------------------- 3D distances

def test_3d_shapes_are_exact_at_known_points(ctx, tmp_path):
    cases = [
        ("sdSphere(vec3(1.0, 2.0, 2.0), 1.0)", 2.0),
        ("sdSphere(vec3(0.0), 0.5)", -0.5),
        ("sdBox(vec3(2.0, 2.0, 2.0), vec3(1.0))", math.sqrt(3.0)),
        ("sdBox(vec3(0.0, 0.0, 1.5), vec3(1.0, 1.0, 2.0))", -0.5),
        ("sdTorus(vec3(2.0, 0.0, 0.0), 2.0, 0.5)", -0.5),
        ("sdTorus(vec3(0.0, 0.0, 0.0), 2.0, 0.5)", 1.5),
        ("sdTorus(vec3(0.0, 3.0, 2.0), 2.0, 0.5)", 2.5),
        ("sdCapsule(vec3(0.0, 1.0, 3.0), vec3(0.0), vec3(0.0, 2.0, 0.0), 0.5)", 2.5),
        ("sdCapsule(vec3(0.0, 4.0, 0.0), vec3(0.0), vec3(0.0, 2.0, 0.0), 0.5)", 1.5),
        ("sdCone(vec3(0.0, 2.0, 0.0), 1.0, 1.0, 0.0)", 1.0),  # above the tip
        ("sdCone(vec3(0.0, -1.5, 0.0), 1.0, 1.0, 0.0)", 0.5),  # below the base
        ("sdCone(vec3(2.0, -1.0, 0.0), 1.0, 1.0, 0.0)", 1.0),  # beside the rim
        ("sdCone(vec3(0.0), 1.0, 1.0, 0.0)", -1.0 / math.sqrt(5.0)),  # inside, nearest the slant
        ("sdCone(vec3(0.0, 0.0, 2.0), 1.0, 0.5, 0.5)", 1.5),  # top = bottom: a cylinder
        ("sdSphere(opRepeat(vec3(4.1, 0.0, -3.9), vec3(2.0)), 0.5)", math.sqrt(0.02) - 0.5),
        ("sdSphere(opElongate(vec3(0.0, 3.0, 0.0), vec3(0.0, 1.0, 0.0)), 0.5)", 1.5),
        ("sdBox(opTwist(vec3(0.0, 0.0, 0.0), 2.0), vec3(1.0))", -1.0),
        ("sdSphere(opPolarRepeatY(vec3(0.0, 0.0, 2.0), 4.0) - vec3(2.0, 0.0, 0.0), 0.5)", -0.5),
    ]
    expression = " : ".join(f"i == {n} ? {glsl}" for n, (glsl, _) in enumerate(cases)) + " : 0.0"
    body = f"int i = int(pixel.x);\n    o = vec4({expression});"
    got = evaluate(ctx, tmp_path, body, (len(cases), 1), ("sdf3",))[0, :, 0]
    expected = np.array([d for _, d in cases])
    bad = [(cases[i][0], got[i], expected[i]) for i in np.flatnonzero(np.abs(got - expected) > 2e-5)]
    assert bad == []


# ---------------------------------------------------------------- raymarching

def test_the_sphere_tracer_hits_where_the_ray_meets_the_ball(ctx, tmp_path):
    # Rays from (0, 0, -5) toward points of the plane z = 0: x*x + y*y < 1 hits the unit ball.
    body = ("vec2 s = (pixel - 16.0) / 10.0;\n"
            "vec3 ro = vec3(0.0, 0.0, -5.0);\n"
            "vec3 rd = normalize(vec3(s, 5.0));\n"
            "float t = rayMarch(ro, rd);\n"
            "vec3 n = t > 0.0 ? mapNormal(ro + rd * t) : vec3(0.0);\n"
            "o = vec4(t, n);")
    v = evaluate(ctx, tmp_path, body, (32, 32), ("sdf3",), MAP).astype(np.float64)
    y, x = (np.mgrid[0:32, 0:32] + 0.5 - 16.0) / 10.0
    d = np.stack([x, y, np.full_like(x, 5.0)], -1)
    d /= np.linalg.norm(d, axis=-1, keepdims=True)
    o = np.array([0.0, 0.0, -5.0])
    b = d @ o
    disc = b * b - (o @ o - 1.0)
    ball = disc > 0.05  # clear of the silhouette
    t_ball = -b - np.sqrt(np.maximum(disc, 0.0))
    t = v[..., 0][ball]
    assert np.abs(t - t_ball[ball]).max() < 0.05
    hit = o + d[ball] * t[:, None]
    assert np.abs(np.linalg.norm(hit, axis=-1) - 1.0).max() < 0.001 * 5.0  # within RM_EPSILON * t of the surface
    normal = hit / np.linalg.norm(hit, axis=-1, keepdims=True)  # the ball's normal points out of its centre
    assert np.abs(v[..., 1:][ball] - normal).max() < 2e-3
    floor = (disc < -0.05) & (d[..., 1] < -0.15)  # grazing rays may run out of RM_STEPS
    t_floor = v[..., 0][floor]
    assert np.abs(t_floor - (-1.0 / d[..., 1][floor])).max() < 0.1
    assert (np.abs(d[..., 1][floor] * t_floor + 1.0) < 0.001 * t_floor).all()  # on the floor, y = -1
    sky = (disc < -0.05) & (d[..., 1] > 0.0)
    assert (v[..., 0][sky] == -1.0).all()  # a miss


def test_soft_shadow_and_occlusion_under_the_ball(ctx, tmp_path):
    xs = [0.0, 0.6, 4.0, 8.0]  # floor points at distance x from under the ball
    head = MAP
    v = row(ctx, tmp_path, "softShadow(vec3(x, -0.99, 0.0), vec3(0.0, 1.0, 0.0), 10.0, 8.0), "
                           "ambientOcclusion(vec3(x, -1.0, 0.0), vec3(0.0, 1.0, 0.0), 0.5), 0.0, 0.0",
            xs, ("sdf3",), head)
    shadow, occlusion = v[:, 0], v[:, 1]
    assert shadow[0] < 0.01 and shadow[2] > 0.99 and shadow[3] > 0.99
    assert 0.0 <= shadow.min() and shadow.max() <= 1.0
    assert occlusion[1] < 0.95 and occlusion[3] > 0.999  # tucked under the ball vs. open floor


# ---------------------------------------------------------------- palettes

def test_spectral_colour_follows_the_wavelength(ctx, tmp_path):
    nm = np.arange(380.0, 701.0, 5.0)
    c = row(ctx, tmp_path, "spectral(x), 0.0", nm, ("palette",))[:, :3]
    assert c.min() >= 0.0 and c.max() <= 1.0
    at = {w: c[list(nm).index(w)] for w in (450.0, 550.0, 650.0)}
    assert np.argmax(at[450.0]) == 2 and np.argmax(at[550.0]) == 1 and np.argmax(at[650.0]) == 0
    assert c[0].max() < 0.05 and c[-1].max() < 0.05  # dark at the ends of the visible range
    assert c.max(axis=1).argmax() in range(list(nm).index(555.0), list(nm).index(615.0) + 1)


def test_gradients_pass_through_their_stops(ctx, tmp_path):
    head = ("const vec3 STOPS[8] = vec3[8](vec3(1, 0, 0), vec3(0, 1, 0), vec3(0, 0, 1), vec3(1),\n"
            "                             vec3(0), vec3(0), vec3(0), vec3(0));\n"
            "const float AT[8] = float[8](0.0, 0.2, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0);\n")
    xs = [-0.5, 0.0, 1.0 / 6.0, 1.0 / 3.0, 0.5, 1.0, 1.5]
    even = row(ctx, tmp_path, "gradient(STOPS, 4, x), 0.0", xs, ("palette",), head)[:, :3]
    assert np.allclose(even, [[1, 0, 0], [1, 0, 0], [0.5, 0.5, 0], [0, 1, 0], [0, 0.5, 0.5], [1, 1, 1],
                              [1, 1, 1]], atol=1e-5)
    placed = row(ctx, tmp_path, "gradientStops(STOPS, AT, 3, x), 0.0", [-1.0, 0.1, 0.2, 0.55, 0.9, 2.0],
                 ("palette",), head)[:, :3]
    assert np.allclose(placed, [[1, 0, 0], [0.5, 0.5, 0], [0, 1, 0], [0, 0.5, 0.5], [0, 0, 1], [0, 0, 1]],
                       atol=1e-5)


def test_hue_step_turns_one_step_per_beat_and_never_jumps(ctx, tmp_path):
    beats = np.arange(0.0, 8.0, 1.0 / 64.0)  # 8 beats, 64 samples each
    v = row(ctx, tmp_path, "hueStep(floor(x), fract(x), 8.0, 0.25), 0.0, 0.0, 0.0", beats, ("palette",))[:, 0]
    unwrapped = np.unwrap(v.astype(np.float64) * 2 * np.pi) / (2 * np.pi)
    assert np.abs(np.diff(unwrapped)).max() < 0.02  # continuous, also across beats
    resting = unwrapped[32::64]  # mid-beat, after the glide: one step per beat
    assert np.allclose(np.diff(resting), 1.0 / 8.0, atol=1e-4)
    assert np.all(np.diff(unwrapped) >= -1e-6)


# ---------------------------------------------------------------- colour

def test_srgb_round_trips_within_one_code(ctx, tmp_path):
    codes = np.arange(256.0) / 255.0
    v = row(ctx, tmp_path, "linearToSrgbExact(srgbToLinear(vec3(x))).r, linearToSrgb(srgbToLinear(vec3(x))).r, "
                           "srgbToLinear(vec3(x)).r, 0.0", codes, ("colour",))
    assert np.abs(v[:, 0] - codes).max() < 1.0 / 255.0
    assert np.abs(v[7:, 1] - codes[7:]).max() < 1.0 / 255.0  # the cheap fit too, above its toe
    assert np.abs(v[:7, 1] - codes[:7]).max() < 3.5 / 255.0
    exact = np.where(codes <= 0.04045, codes / 12.92, ((codes + 0.055) / 1.055) ** 2.4)
    assert np.abs(v[:, 2] - exact).max() < 1e-5


def test_tone_maps_are_monotonic_and_within_zero_to_one(ctx, tmp_path):
    xs = np.geomspace(1e-4, 64.0, 200)
    v = row(ctx, tmp_path, "tonemapAgX(vec3(x)).g, acesFitted(vec3(x)).g, tonemapAgX(vec3(x, 0.3 * x, 0.05 * x)).r, "
                           "tonemapAgX(vec3(x, 0.3 * x, 0.05 * x)).g", xs, ("colour",))
    assert v.min() >= 0.0 and v.max() <= 1.0
    assert (np.diff(v, axis=0) >= -1e-6).all()
    assert v[0, 0] < 0.02 and v[-1, 0] > 0.95  # black stays black, highlights reach white
    mid = v[np.searchsorted(xs, 0.18), 0]
    assert 0.3 < mid < 0.6  # mid grey lands mid-screen (display-encoded)


def test_luma_preserving_saturation(ctx, tmp_path):
    body = ("vec3 c = vec3(fract(pixel.x * 0.37), fract(pixel.y * 0.29), fract((pixel.x + pixel.y) * 0.13));\n"
            "float s = 0.25 * floor(pixel.x / 4.0);\n"
            "vec3 d = saturateLuma(c, s);\n"
            "o = vec4(luminance(d) - luminance(c), min(min(d.r, d.g), d.b), distance(saturateLuma(c, 1.0), c),\n"
            "         distance(saturateLuma(c, 0.0), vec3(luminance(c))));")
    v = evaluate(ctx, tmp_path, body, (48, 16), ("colour",))
    assert np.abs(v[..., 0]).max() < 1e-5  # luminance kept at every strength, 0..2.75
    assert v[..., 1].min() >= -1e-6  # never below zero
    assert np.abs(v[..., 2:]).max() < 1e-5  # 1 is the identity, 0 is grey


# ---------------------------------------------------------------- space

def test_kaleidoscope_maps_mirrored_and_rotated_points_together(ctx, tmp_path):
    body = ("vec2 p = vec2(pixel.x * 0.05 - 0.61, pixel.y * 0.05 - 0.57);\n"
            "float n = 5.0;\n"
            "vec2 k = kaleidoscope(p, n);\n"
            "vec2 mirrored = vec2(p.x, -p.y);                       // the mirror on +x\n"
            "float m = PI / n; vec2 axis = vec2(cos(m), sin(m));    // the next mirror\n"
            "vec2 reflected = 2.0 * dot(p, axis) * axis - p;\n"
            "o = vec4(length(kaleidoscope(mirrored, n) - k), length(kaleidoscope(rot2(TAU / n) * p, n) - k),\n"
            "         length(kaleidoscope(reflected, n) - k), abs(length(k) - length(p)));")
    v = evaluate(ctx, tmp_path, body, (24, 24), ("space",))
    assert np.abs(v).max() < 1e-4
    angles = row(ctx, tmp_path, "atan(kaleidoscope(vec2(cos(x), sin(x)), 5.0).y, "
                                "kaleidoscope(vec2(cos(x), sin(x)), 5.0).x), 0.0, 0.0, 0.0",
                 np.linspace(-3.1, 3.1, 40), ("space",))[:, 0]
    assert angles.min() >= -1e-6 and angles.max() <= math.pi / 5 + 1e-5  # folded into the wedge


def test_log_polar_turns_scaling_into_a_shift(ctx, tmp_path):
    v = row(ctx, tmp_path, "logPolar(vec2(x, 0.5 * x)) - vec2(log(length(vec2(1.0, 0.5))), 0.0), "
                           "logPolar(vec2(0.0, -x))", [0.5, 1.0, 2.0, 8.0], ("space",))
    assert np.allclose(v[:, 0], np.log([0.5, 1.0, 2.0, 8.0]), atol=1e-5)
    assert np.allclose(v[:, 1], math.atan2(0.5, 1.0), atol=1e-5)
    assert np.allclose(v[:, 3], -math.pi / 2, atol=1e-5)


@pytest.mark.parametrize(("size", "fit", "cover"), [
    ((32, 18), (16 / 18, 0.5), (0.5, 9 / 32)),    # 16:9
    ((18, 32), (0.5, 16 / 18), (9 / 32, 0.5)),    # 9:16
    ((20, 20), (0.5, 0.5), (0.5, 0.5)),           # 1:1
])
def test_fit_and_cover_coordinates_for_every_aspect(ctx, tmp_path, size, fit, cover):
    body = ("vec2 corner = pixel - 0.5 + step(0.5 * iResolution.xy, pixel);  // the pixel's outer corner\n"
            "o = vec4(abs(fitUv(corner, iResolution.xy)), abs(coverUv(corner, iResolution.xy)));")
    v = evaluate(ctx, tmp_path, body, size, ("space",))
    assert np.allclose(v[..., :2].max(axis=(0, 1)), fit, atol=1e-5)
    assert np.allclose(v[..., 2:].max(axis=(0, 1)), cover, atol=1e-5)
    centred = evaluate(ctx, tmp_path, "o = vec4(centredUv(pixel, iResolution.xy), 0.0, 0.0);", size, ("space",))
    assert np.allclose(centred[..., 1].max(), 0.5 - 0.5 / size[1], atol=1e-5)  # screen heights


# ---------------------------------------------------------------- post

def test_red_flash_is_a_red_wash_with_a_white_core(ctx, tmp_path):
    picture = "vec3(0.1, 0.4, 0.8) * fract(pixel.x * 0.13)"  # a blue picture
    body = ("vec2 p = centredUv(pixel, iResolution.xy);\n"
            f"vec3 c = {picture};\n"
            "o = vec4(redFlash(c, p, 1.0), distance(redFlash(c, p, 0.0), c));")
    v = evaluate(ctx, tmp_path, body, (64, 36), ("space", "post"))
    assert np.abs(v[..., 3]).max() < 1e-6  # amount 0 leaves the picture alone
    full = v[..., :3]
    assert full.min() >= 0.0 and full.max() <= 1.0
    assert full[17:19, 31:33].min() > 0.97  # the core is white
    corners = full[[0, 0, 1, 1, -1, -1, -2, -2], [0, -1, 1, -2, 0, -1, 1, -2]]
    assert (corners[:, 0] > 3.0 * corners[:, 1:].max(axis=1)).all() and corners[:, 0].min() > 0.3  # red
    amounts = np.linspace(0.0, 1.0, 11)
    swept = row(ctx, tmp_path, "redFlash(vec3(0.1, 0.4, 0.8), vec2(0.6, 0.3), x), 0.0", amounts, ("post",))
    redness = swept[:, 0] - swept[:, 2]
    assert np.all(np.diff(redness) > 0)  # redder as amount rises


def test_feedback_trail_zooms_turns_and_fades_the_previous_frame(ctx, tmp_path):
    source = "o = vec4(pixel / iResolution.xy, 0.25, 1.0);  // each pixel holds its own uv"
    body = ("vec2 uv = pixel / iResolution.xy;\n"
            "vec2 c = vec2(0.5);\n"
            "vec4 kept = feedbackTrail(iChannel1, uv, c, 1.0, 1.0, 0.0, 0.5);\n"
            "vec4 turned = feedbackTrail(iChannel1, uv, c, 1.0, 1.0, PI, 1.0);\n"
            "vec4 zoomed = feedbackTrail(iChannel1, uv, c, 1.0, 2.0, 0.0, 1.0);\n"
            "vec4 shrunk = feedbackTrail(iChannel1, uv, c, 1.0, 0.5, 0.0, 1.0);\n"
            "o = vec4(distance(kept.xy, 0.5 * uv), distance(turned.xy, 1.0 - uv),\n"
            "         distance(zoomed.xy, c + (uv - c) * 0.5), length(shrunk));")
    v = evaluate(ctx, tmp_path, body, (16, 16), ("space", "post"), source=source)
    assert np.abs(v[..., :3]).max() < 1e-4
    assert (v[[0, 0, -1, -1], [0, -1, 0, -1], 3] == 0.0).all()  # from outside the old frame: black
    assert v[6:10, 6:10, 3].min() > 0.3


# ---------------------------------------------------------------- one implementation, documented

def library_functions() -> dict[tuple[str, str], list[str]]:
    """{(name, parameter types): [files defining it]} over lib/*.glsl."""
    import re

    found: dict[tuple[str, str], list[str]] = {}
    pattern = re.compile(r"^(?:float|int|uint|bool|void|[biu]?vec[234]|mat[234])\s+(\w+)\s*\(([^)]*)\)\s*\{", re.M)
    for path in sorted(LIB.glob("*.glsl")):
        for name, params in pattern.findall(path.read_text()):
            types = ",".join(p.split()[-2] if len(p.split()) > 1 else p for p in params.split(",") if p.strip())
            found.setdefault((name, types), []).append(path.name)
    return found


def test_glow_line_and_shockwave_fall_off_as_stated(ctx, tmp_path):
    d = np.array([0.0, 0.01, -0.01, 0.05, 0.3])
    glow = row(ctx, tmp_path, "glowLine(x, 0.01), 0.0, 0.0, 0.0", d, ("light",))[:, 0]
    assert np.allclose(glow, np.exp(-np.abs(d) / 0.01) + 0.25 * np.exp(-np.abs(d) / 0.06), atol=1e-5)
    ages = np.array([-0.1, 0.0, 0.5, 1.0])
    at_front = row(ctx, tmp_path, "shockwave(0.2 + 0.8 * x, 0.2, 0.8, x, 0.01), 0.0, 0.0, 0.0", ages, ("light",))
    assert at_front[0, 0] == 0.0  # not started
    assert np.allclose(at_front[1:, 0], np.exp(-1.3 * ages[1:]), atol=1e-5)
    off_front = row(ctx, tmp_path, "shockwave(0.65, 0.2, 0.8, x, 0.01), 0.0, 0.0, 0.0", [0.5], ("light",))
    assert off_front[0, 0] < 1e-6  # 5 widths outside the front at 0.6


def test_each_function_is_defined_once_and_listed_in_the_docs():
    from pathlib import Path

    functions = library_functions()
    assert len(functions) > 60
    assert {key: files for key, files in functions.items() if len(files) > 1} == {}
    docs = (Path(__file__).resolve().parent.parent / "docs" / "presets.md").read_text()
    section = docs[docs.index("## Shader library"):]
    section = section[:section.index("\n## ", 1)]
    missing = sorted({name for name, _ in functions if f"`{name}" not in section})
    assert missing == []
