// Kaleido Bloom: the mandala of Mimic petals, in log-polar space. A ring of
// petals repeats every `ringLength` in log radius, so the picture is the same
// at every scale and moving along log radius is an endless zoom; one petal per
// sector of the fold, alternate rings offset by half a sector, each ring's
// petals lying over the next ring out, like a dahlia seen from above.
// Colours in linear light.
#include "lib/space.glsl"
#include "lib/sdf.glsl"
#include "lib/palette.glsl"
#include "lib/noise.glsl"

uniform float petalLength;  // petal length, in rings (over 1: petals overlap the next ring)
uniform float petalWidth;   // petal half-width, as a share of its cell (3 cells a fold)
uniform float twist;        // the spiral: turns of a sector per ring

// Set per frame by the picture (scene.glsl).
float gZoom;      // rings the tunnel has moved
float gRot;       // the mandala's turn (radians)
float gHue;       // the palette's turn (turns)
float gSparkle;   // the hats' sparkle on the petal edges, 0..1
float gSeed16;    // which petals sparkle: changes every sixteenth note
float gPixel;     // one pixel, in screen units (the frame's smaller side = 1)
float gFill;      // share of the petals lit, from the song's energy: silence is dark

// One petal: q in its cell (x across -0.5..0.5 of the cell, y along from its
// base, in cell widths), `len` its length, `hue` its colour, `seed` which one.
// Returns (light rgb, coverage).
vec4 petal(vec2 q, float len, float hue, float seed, float aa, float lit) {
    float halfWidth = petalWidth * (0.85 + 0.2 * uBass);  // the bass swells the petals
    float d = sdPetal(q, 0.5 * len, halfWidth);
    float cover = smoothstep(aa, -aa, d);
    if (cover <= 0.0) return vec4(0.0);
    float along = clamp(q.y / len, 0.0, 1.0);
    float across = clamp(q.x / halfWidth, -1.0, 1.0);
    // Iridescence: toward the curled edges and the tip the hue slides, as in
    // a thin film; the sheen along the rim is the film itself.
    float slide = 0.18 * across * across + 0.12 * along;
    vec3 colour = rainbow(hue + slide);
    float shade = (0.08 + 1.3 * along * (1.2 - along)) * (1.0 - 0.5 * across * across);
    float vein = exp(-abs(across) * 16.0) * along * 0.4;
    float rim = exp(d / (2.0 * aa)) * smoothstep(0.1, 0.7, along);
    // Hats: a few petals catch the light along their edges.
    float lucky = step(0.7, hash12(vec2(seed, gSeed16)));
    vec3 light = (colour * (shade + vein) + rainbow(hue + 0.3 + 0.4 * along) * rim * 0.6) * mix(0.03, 1.0, lit);
    light += vec3(1.0, 0.95, 0.9) * rim * lucky * gSparkle * 3.0 * (0.1 + 0.9 * lit);
    return vec4(light, cover);
}

// The mandala at centred point p with n folds of `perFold` petals a ring:
// light rgb. The rainbow runs once around, a hue per fold, and shifts a
// little from ring to ring; in each fold the middle petal is the longest and
// brightest, so the n-fold symmetry reads at a glance.
vec3 mandala(vec2 p, float n) {
    const float perFold = 3.0;
    float r = max(length(p), 1e-4);
    float cellAngle = TAU / (n * perFold);
    float ringLength = cellAngle * 1.2;                // conformal: cells about square
    float u = log(r) / ringLength - gZoom;             // rings, increasing outward
    float ring = floor(u);
    float a = atan(p.y, p.x) + gRot + twist * cellAngle * u;
    float aa = gPixel / (r * cellAngle);               // a pixel in cell units
    vec3 light = vec3(0.0);
    float through = 1.0;
    // The energy lights petals from the centre out: quiet, a few near the
    // middle glow in the dark; loud, the whole frame.
    float reach = 0.25 + 1.4 * gFill + 0.25 * uBeatPulse;
    float inReach = smoothstep(reach, 0.6 * reach, r);
    // The ring inside (its petals lie on top), then this ring's own.
    for (int i = 1; i >= 0; --i) {
        float base = ring - float(i);
        float s = a / cellAngle + 0.5 * mod(base, 2.0);
        float cell = floor(s);
        float inFold = mod(cell, perFold) - 1.0;       // -1, 0, 1 across the fold
        float len = petalLength * 1.2 * (1.0 - 0.3 * abs(inFold));
        vec2 q = vec2(fract(s) - 0.5, (u - base) * 1.2);
        float fold = floor(cell / perFold);
        float hue = gHue + (fold + 0.5) / n + 0.06 * abs(inFold) + 0.07 * base;
        // Which petals are lit: the same in every fold (the symmetry holds).
        float h = hash12(vec2(inFold + 3.0, mod(base, 64.0)));
        // The beat (uBeatPulse) flashes more of them, even in the quiet.
        float lit = max(smoothstep(h - 0.08, h + 0.08, gFill), uBeatPulse * step(h, gFill + 0.25)) * inReach;
        vec4 leaf = petal(q, len, hue, mod(cell, n * perFold) + 97.0 * mod(base, 64.0), aa, lit);
        leaf.rgb *= 1.0 - 0.35 * abs(inFold);         // each fold's middle petal leads
        light += through * leaf.rgb * leaf.a;
        through *= 1.0 - leaf.a;
    }
    // Between the petals: the tunnel's dark, lit faintly.
    light += through * rainbow(gHue + a / TAU + 0.5) * 0.025 * gFill;
    return light;
}
