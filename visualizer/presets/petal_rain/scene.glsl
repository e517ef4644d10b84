// Petal Rain: the picture (half resolution; the post chain adds bloom,
// chromatic aberration, vignette and grain). Iridescent petals fall through a
// black void in three layers (far: small, dim, blurred; middle: sharp, in
// focus, veined; near: large, soft, out of focus), each a falling lattice of
// cells holding at most one petal. A far petal stays in its own cell; a
// middle or near one may be thrown up to half a cell past it by the kick's
// gust, so a pixel looks in the 2x2 cells nearest it.
//   iChannel1: the musical state (state.glsl): fall distance, downbeats, tumble clock.
// Output: sRGB display values.
#include "lib/noise.glsl"
#include "lib/colour.glsl"
#include "lib/post.glsl"
#include "petal.glsl"

uniform float exposure;    // base light
uniform float density;     // share of cells holding a petal (the build adds more)
uniform float gust;        // how far a kick throws the petals (cells)
uniform float hueStepSize; // hue nudge per bar (turns)
uniform float flashRed;    // strength of the drop's red flash

const float CELL[3] = float[3](0.24, 0.42, 0.8);   // cell size, screen heights (far, mid, near)
const float FALL[3] = float[3](0.45, 1.0, 1.9);     // fall speed: parallax
const float BLUR[3] = float[3](0.06, 0.0, 0.12);     // depth of field: edge width in petal lengths
const float DIM[3] = float[3](0.3, 1.2, 0.38);        // light per layer
const float JITTER[3] = float[3](0.25, 0.25, 0.1);    // how far a petal wanders in its cell
const float SHARE[3] = float[3](0.9, 1.5, 1.25);    // of the density: about one near petal in frame
const float LENGTH = 0.6;                           // petal length in cells

// The music, per frame.
float gFall;     // distance fallen
float gTumble;   // tumble clock
float gHue;      // the bar's hue nudge
float gSwing;    // the beat's sway: -1 .. 1, swinging across on every beat
float gGust;     // the kick's gust 0..1
float gFlare;    // the beat's flare: 1 on the beat, fading through it
float gRed;      // the drop's red on the petals
float gBurst;    // the drop's blast: radius of the hole it clears (middle and near petals)
float gShock;    // the blast's ring of light, fading as it spreads
float gShow;     // petals' presence (0 while the burst has carried them off)
float gDensity;  // share of cells holding a petal
float gPx;       // a pixel in screen heights
vec2 gBeam;      // the shaft of light: x where it meets mid-frame, its slant

void setup() {
    vec4 s = texelFetch(iChannel1, ivec2(0, 0), 0);
    gFall = s.x;
    gTumble = s.w;
    // The bar: each downbeat nudges the hue, gliding over a quarter bar.
    gHue = (s.z + smoothstep(0.0, 0.25, uBarPhase)) * hueStepSize + uSeed;
    // The beat: a pendulum swing from one side to the other, snapping a
    // half of the way on the beat's own frame, then easing across.
    float side = mod(uBeatCount, 2.0) * 2.0 - 1.0;
    float rest = 1.0 - uBeatPhase;
    rest *= rest;
    float ease = 1.0 - 0.45 * rest * rest;
    gSwing = mix(-side, side, ease) * (0.35 + 0.65 * uTempoConfidence);
    gGust = uBassHit * uBassHit * uBassHit * gust;  // cubed: a sharp shove, a soft settle
    gFlare = exp(-uBeatPhase * 10.0) * (0.35 + 0.65 * uTempoConfidence);
    // The drop: frozen, red, then a burst outward; the rain returns after 1.3 s (the far
    // petals are pushed less: they are further from the blast).
    float t = uSinceDrop;
    gRed = flashRed * exp(-t * 2.0) * step(0.0, t);
    float out_ = 1.0 - exp(-max(t - 0.12, 0.0) * 3.5);
    gBurst = t < 1.3 ? 1.1 * out_ : 0.0;
    gShock = t < 1.3 ? exp(-max(t - 0.12, 0.0) * 2.5) * step(0.12, t) * flashRed : 0.0;
    gShow = t < 1.3 ? 1.0 - smoothstep(0.6, 1.25, t) : smoothstep(1.3, 2.3, t);
    // The build thickens the rain; the breakdown leaves a few petals alone.
    gDensity = clamp(density * (1.0 + 0.25 * uBuild - 0.6 * uBreakdown), 0.0, 1.0);
    gPx = 1.0 / iResolution.y;
    // A shaft of light falls through the rain, wandering slowly, leaning anew each section.
    float aspect = iResolution.x / iResolution.y;
    gBeam = vec2(0.22 * aspect * sinFast(0.11 * iTime + 2.0 * uSection), 0.45 * sinFast(1.3 + 1.7 * uSection));
}

// How much of the shaft's light reaches p: 1 in its heart; the kick flares it.
float beam(vec2 p) {
    float x = p.x - gBeam.x - gBeam.y * p.y;
    float w = 0.24 + 0.08 * gGust;
    return exp(-x * x / (w * w)) * (1.0 + 0.5 * gGust);
}

// One fan of n thin rays from the centre (offset: turns), width growing
// outward; a ray under a pixel wide is widened to one and dimmed to match
// (its light kept, no shimmer).
float rayFan(vec2 polar, float n, float offset) {
    float along = polarCell(polar.y + offset * TAU, n).y * polar.x;  // distance from the ray's line
    float width = 0.0015 + 0.008 * polar.x;
    float drawn = max(width, 1.5 * gPx);
    return exp(-along * along / (drawn * drawn)) * width / drawn;
}

// The blast's edge: a thin ring of red-white light at the hole's rim.
float shockRing(float r) {
    float width = 0.006;
    float drawn = max(width, 1.5 * gPx);
    float d = r - gBurst;
    return exp(-d * d / (drawn * drawn)) * width / drawn * gShock;
}

// The drop's red light behind the frozen petals: a white-hot core and thin
// red rays bursting between them (black between the rays: the void holds).
vec3 deathLight(vec2 p) {
    vec2 polar = toPolar(p);
    float rays = max(rayFan(polar, 5.0, 0.0), rayFan(polar, 7.0, 0.21));
    float r2 = polar.x * polar.x;
    vec3 red = vec3(1.0, 0.04, 0.02) * (0.6 * exp(-r2 * 200.0) + 1.2 * rays * exp(-polar.x * 5.0));
    return red + vec3(1.0, 0.55, 0.45) * exp(-r2 * 500.0);
}

// The petal of cell c in layer l at q (cells), premultiplied; len: its length in cells.
vec4 cellPetal(vec2 q, vec2 c, int l, float len, float aa) {
    vec3 r1 = hash33(vec3(c, float(l) * 17.0 + 3.0));
    // The build (uBuild) thickens the rain in the middle layer (and thins the near one).
    float thick = l == 1 ? 1.0 + 2.0 * uBuild : l == 2 ? 1.0 - 0.8 * uBuild : 1.0 + uBuild;
    float present = clamp((gDensity * SHARE[l] * thick - r1.x) * 12.0, 0.0, 1.0);
    if (present <= 0.0) return vec4(0.0);
    vec3 r2 = hash33(vec3(c, float(l) * 17.0 + 11.0));
    // Where it is: jittered in its cell, thrown up and aside by the kick's gust
    // (a far petal stays inside its cell).
    vec2 centre = c + 0.5 + (r2.xy - 0.5) * JITTER[l];
    centre += gGust * vec2((r1.y - 0.5) * 0.6, 0.25 + 0.2 * r1.z) * (l == 0 ? 0.3 : l == 2 ? 0.7 : 1.0);
    // Sizes vary: a petal is 0.7 .. 1.15 of its layer's length.
    vec2 u = (q - centre) / (len * (0.7 + 0.45 * fract(r1.z * 13.0)));
    if (dot(u, u) > 0.7) return vec4(0.0);
    Petal pt;
    float spin = (r2.z < 0.5 ? -1.0 : 1.0) * (0.7 + 1.6 * r1.z);
    pt.turn = r2.x * TAU + gTumble * spin * 1.5;
    // A near petal rocks rather than flips: its curved face stays toward us.
    if (l == 2) pt.turn = 0.9 * sinFast(pt.turn);
    pt.tilt = (r2.y - 0.5) * 2.4 + 0.6 * gSwing + gGust * spin * 0.8;
    pt.hue = r1.y * 0.3 + gHue + 0.1 * float(l);
    pt.blur = BLUR[l] + aa;
    pt.light = (1.0 + 0.8 * uLevel + 0.4 * uBuild) * (1.0 + 0.6 * gGust + 0.4 * gFlare + 0.8 * uMidHit * uMidHit * uMidHit) * (0.7 + 0.6 * r2.z);
    pt.bend = (r1.z < 0.5 ? -1.0 : 1.0) * (0.2 + 0.25 * r2.y);
    pt.glint = uHighHit * uHighHit * uHighHit * (0.5 + 0.5 * step(0.5, r1.z));
    vec4 f = petal(u, pt, l == 1) * present;
    // The drop: every petal burns red, the brightest white-hot.
    // (the near ones, out of focus in front of the light, darken to a red veil).
    f.rgb = mix(f.rgb, vec3(1.0, 0.06, 0.03) * (l == 2 ? 0.5 : 2.2) * luminance(f.rgb), gRed);
    return f;
}

// One layer l: premultiplied colour and coverage at p (screen heights).
vec4 layer(vec2 p, int l) {
    float cell = CELL[l];
    float depth = FALL[l];
    vec2 sway = vec2(gSwing, -0.3 * gSwing * gSwing) * 0.07 * depth;
    // The blast pushes every petal outward by gBurst: a hole opens in the
    // middle, the petals from the centre smeared round its rim.
    float r = length(p);
    float hole = l == 0 ? 0.6 * gBurst : gBurst;
    vec2 pushed = p * (max(r - hole, 0.0) / max(r, 1e-4));
    vec2 q = (pushed - sway) / cell + vec2(0.0, gFall * depth / cell);
    vec2 c0 = floor(q);
    float len = LENGTH;
    float aa = gPx / (cell * len);
    // A far petal under ~3 pixels long would only shimmer: it fades out (small renders).
    if (l == 0) return cellPetal(q, c0, l, len, aa) * smoothstep(2.5, 5.0, 1.0 / aa) * (hole > 0.0 ? smoothstep(hole, hole + 0.04, r) : 1.0);
    vec2 toward = step(0.5, q - c0) * 2.0 - 1.0;
    vec4 acc = vec4(0.0);
    for (int j = 0; j < 4; ++j) {
        vec4 f = cellPetal(q, c0 + toward * vec2(float(j & 1), float(j >> 1)), l, len, aa);
        acc.rgb = acc.rgb * (1.0 - f.a) + f.rgb;
        acc.a = acc.a + f.a * (1.0 - acc.a);
    }
    return acc * (gShow * (hole > 0.0 ? smoothstep(hole, hole + 0.04, r) : 1.0));
}

void main() {
    setup();
    vec2 p = (gl_FragCoord.xy - 0.5 * iResolution.xy) * gPx;
    float shaft = beam(p);
    vec3 col = rainbow(gHue + 0.1) * 0.0012 * shaft;  // the shaft in the air: barely there
    // Far to near, written out so each layer's constants fold into its code.
    vec4 f = layer(p, 0);
    col = col * (1.0 - f.a) + f.rgb * DIM[0];
    f = layer(p, 1);
    col = col * (1.0 - f.a) + f.rgb * DIM[1];
    f = layer(p, 2);
    col = col * (1.0 - 0.5 * f.a) + f.rgb * DIM[2];  // out of focus: a veil of light, half occluding
    col *= 0.4 + (1.0 - 0.5 * uDrop) * shaft;  // the drop's death light eclipses the shaft
    col += deathLight(p) * uDrop * flashRed;
    col += vec3(1.0, 0.25, 0.15) * 1.5 * shockRing(length(p));
    float expo = exposure * (0.85 + 0.35 * uLevel + 0.15 * uBuild);
    vec3 display = linearToSrgb(tonemapVivid(col * expo, 0.3));
    // A film toe: the faintest light sinks into the black, so the void stays void.
    fragColor = vec4(max(display - 0.12, 0.0) / 0.88, 1.0);
}
