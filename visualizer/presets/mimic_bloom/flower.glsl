// Mimic Bloom: the flower and its pollen, in linear HDR light.
// flowerSetup() takes the musical state (texels 2 and 3 of state.glsl) and
// places the camera (camera.glsl); flower(p) returns colour and coverage at
// p (frame units: the shorter side spans 1, origin at the middle).
#ifndef MIMIC_BLOOM_FLOWER
#define MIMIC_BLOOM_FLOWER

#include "lib/palette.glsl"
#include "lib/space.glsl"
#include "camera.glsl"

uniform float flowerSize;  // radius of the open flower, in screen heights

// Musical state, read once per pixel.
float gOpen;   // petal opening, ~0 closed .. 1 open (spring, overshoots)
float gKickT;  // seconds since the last kick
float gKick;   // strength of that kick 0..1
float gPulse;  // kick envelope: 1 on the hit, gone in ~0.3 s
float gHue;    // global hue offset, turns
float gLevel;  // overall level (uLevel)
float gPx;     // one pixel, in screen heights
float gBirth;  // 0 -> 1 over the first second of the song: the bud appears
float gBud;    // 1 a closed bud (the intro; half of it in its sleep) .. 0 open
vec2 gRadial;  // unit vector from the flower's centre to this pixel

// ---------------------------------------------------------------- petals
// The flower is searched front to back (heart, then four petal layers) for
// the first surface under the pixel; only that one is shaded. That keeps the
// cost flat however many petals overlap.

// A petal lying along +x from the origin, in its own frame q.
// len: length; width: greatest half-width as a fraction of len;
// pointed: 0 rounded tip .. 1 pointed tip. No pow(): cheap on CPU rasterizers.
// Returns (f, u, v, halfWidth): f < 0 inside (about a distance near the
// sides), u = 0 at the base .. 1 at the tip, v = -1..1 across.
vec4 petalShape(vec2 q, float len, float width, float pointed) {
    float u = q.x / len;
    float uc = clamp(u, 0.0, 1.0);
    // Rises from the base like sqrt, closes at the tip round or pointed.
    float close = max(1.0 - uc * uc * uc, 0.0);
    float profile = sqrt(uc) * mix(sqrt(close), close, pointed) * 1.45;
    float halfWidth = width * len * profile;
    float f = abs(q.y) - halfWidth;
    f = max(f, max(-q.x, q.x - len));  // closes the base and the tip
    return vec4(f, u, q.y / max(halfWidth, 1e-4), halfWidth);
}

// Per-petal random numbers: golden-ratio sequences are enough here and far
// cheaper than a hash. kw: petal index 0..n-1, li: layer.
vec3 petalRandom(float kw, float li) {
    return fract(vec3(0.618034, 0.754878, 0.569840) * (kw + 13.0 * li + 1.0) + uSeed);
}

// Geometry of petal k (raw sector index) of a layer of n petals, at polar
// point pr (angle relative to the layer's rotation).
// Returns (signed distance f, u along 0..1, v across -1..1, coverage).
vec4 petalGeometry(vec2 pr, float k, float n, float li, float len, float width, float pointed) {
    vec3 rnd = petalRandom(wrapIndex(k, n), li);
    // Organic imperfection: every petal has its own length, width and sway,
    // and the petals curve like a pinwheel as they open.
    float sway = 0.07 * sinFast(iTime * (0.55 + 0.5 * rnd.x) + rnd.y * TAU) + (rnd.z - 0.5) * 0.7 / n;
    float ang = pr.y - k * (TAU / n) - sway - 0.22 * (pr.x / len) * (0.3 + gOpen);
    len *= 0.9 + 0.2 * rnd.y;
    width *= 0.88 + 0.24 * rnd.x;
    // Petal frame without trigonometry: along = radius, across = arc length,
    // the width rippling along the edge (ruffles).
    vec2 q = vec2(pr.x, pr.x * ang);
    q.y *= 1.0 + 0.06 * sinFast(q.x / len * 17.0 + rnd.z * TAU + iTime * 1.3);
    vec4 P = petalShape(q, len, width, pointed);
    return vec4(P.x, clamp(P.y, 0.0, 1.0), clamp(P.z, -1.0, 1.0), smoothstep(1.7 * gPx, -1.7 * gPx, P.x));
}

// Colour of a petal surface: cupped glass with a thin-film sheen.
// u, v: place on the petal; li: layer; kw: petal index; angle: its place
// around the flower in turns.
vec3 petalColor(float u, float v, float li, float kw, float angle) {
    vec3 rnd = petalRandom(kw, li);
    // The edges curl up (slope across) and the petal rises out of the bowl
    // (slope along); this screen-space normal lights it.
    vec2 tangent = vec2(-gRadial.y, gRadial.x);
    float cup = 0.9 + 0.5 * rnd.z;
    vec2 slope = -gRadial * (0.9 - 0.7 * u) - tangent * (2.0 * cup * v);
    vec3 normal = normalize(vec3(slope, 1.0));
    const vec3 light = vec3(-0.45, 0.55, 0.70);
    const vec3 halfway = vec3(-0.2606, 0.3185, 0.9114);  // normalize(light + view)
    float diffuse = max(dot(normal, light), 0.0);
    float h = max(dot(normal, halfway), 0.0);
    float h8 = h * h; h8 *= h8; h8 *= h8;
    float spec = h8 * h8 * h8 * h8 * h8;  // h^40: a tight glassy highlight

    // Iridescence: a thin film's colour depends on the angle it is seen at,
    // so the hue slides where the petal curls away from us. The base hue is
    // one rainbow turn around the flower, each layer a step further on.
    float film = 1.0 - normal.z + 0.08 * sinFast(u * 9.0 - iTime * 1.7 + rnd.x * TAU);
    float hue = gHue + angle * (1.0 - 0.5 * gBud) + 0.13 * li + 0.08 * u + 0.32 * film;
    vec3 tint = rainbow(hue);
    float gain = 1.25 - 0.22 * li;  // outer layers sit in the shade

    // Deep, nearly black at the base, luminous toward the tip; fine veins
    // fan out from the base and carry light toward the edge; a darker midrib.
    float glowAlong = smoothstep(0.05, 1.0, u);
    float lit = 0.15 + 1.1 * diffuse;
    float body = (0.01 + 0.85 * glowAlong * glowAlong) * lit * lit;
    float veins = smoothstep(0.85, 1.0, cosFast(v * (8.0 + 4.0 * rnd.z) * (0.5 + 0.8 * u)))
                  * smoothstep(0.25, 0.8, u);
    float midrib = exp(-v * v * 90.0) * smoothstep(0.1, 0.4, u);
    vec3 col = tint * (body * (1.0 - 0.5 * midrib) + 0.15 * veins * (0.3 + gLevel) * glowAlong) * gain;

    // Glass: a tight highlight, faintly white, and a thin translucent rim
    // where light from behind catches the edge (brighter with the level).
    col += (tint * 1.2 + 0.05) * spec * (0.6 + 0.5 * gLevel) * gain;
    float rim = smoothstep(0.6, 1.0, abs(v)) * smoothstep(0.15, 0.7, u);
    col += rim * rim * tint * (0.3 + 0.9 * gLevel);
    // The kick: a bright wave runs from the heart out to the tips.
    float w = (u - gKickT * 2.6) * 5.0;
    float wave = exp(-w * w - gKickT * 2.5) * gKick;
    col += (0.25 * smoothstep(0.85, 1.0, u) + 1.2 * wave) * tint;
    // The beat: light runs up every petal to its tip, exactly on the beat.
    float b = (u - 0.55 - 0.45 * (1.0 - gBeat)) * 6.0;
    col += 0.9 * gBeat * exp(-b * b) * tint;
    // Light from the heart shining through the petal base, flaring on kicks.
    col *= 1.0 + exp(-u * 6.0) * (1.0 + 2.5 * gPulse);
    return col;
}

// ---------------------------------------------------------------- heart

// The heart: a glowing seed head (two families of spirals, like a sunflower)
// ringed by stamens whose tips sparkle with the highs.
vec3 heartColor(vec2 pr, float rc) {
    float x = min(pr.x / rc, 1.0);
    float lr = log(max(x, 1e-3));
    float spin = iTime * 0.15;
    // Seeds where two families of log spirals (8 and 13 arms) cross.
    float s1 = 0.5 + 0.5 * cosFast(8.0 * (pr.y + spin) + 8.0 * 1.2 * lr);
    float s2 = 0.5 + 0.5 * cosFast(13.0 * (pr.y + spin) - 13.0 * 0.75 * lr);
    float seeds = smoothstep(0.45, 0.85, s1 * s2) * smoothstep(0.12, 0.35, x);
    float energy = 0.7 + 1.6 * gPulse + 0.5 * gLevel + (0.6 + 1.5 * gSleep) * gBeat;
    // Hot white-gold centre, seeds glowing gold to rose over dark wine gaps,
    // and a saturated lip where the petals begin.
    vec3 tint = rainbow(gHue + 0.85 + 0.3 * x);
    vec3 seed = mix(vec3(1.6, 0.9, 0.25), tint, smoothstep(0.4, 1.0, x)) * 1.6;
    vec3 col = mix(vec3(0.1, 0.01, 0.05), seed, seeds);
    col += vec3(2.2, 1.4, 0.6) * exp(-x * x * 30.0);
    col += tint * smoothstep(0.82, 1.0, x) * 1.4;
    return col * energy;
}

// Stamens: a ring of glowing anthers on fine filaments just outside the
// heart; the highs make them sparkle.
vec3 stamens(vec2 pr, float rc) {
    float n = 13.0;
    vec2 cell = polarCell(pr.y + iTime * 0.08, n);
    float k = wrapIndex(cell.x, n);
    vec3 rnd = petalRandom(k, 7.0);
    float tipR = rc * (1.35 + 0.35 * rnd.x) * (0.85 + 0.3 * gOpen);
    float across = pr.x * (cell.y - 0.15 * (rnd.y - 0.5));
    float filament = smoothstep(gPx, 0.0, abs(across)) * step(pr.x, tipR) * smoothstep(rc, rc * 1.2, pr.x);
    vec2 d = vec2(pr.x - tipR, across);
    float anther = exp(-dot(d, d) / (rc * rc * 0.012));
    float sparkle = 0.5 + 0.5 * sinFast(iTime * (9.0 + 9.0 * rnd.z) + rnd.x * TAU);
    vec3 hue = rainbow(gHue + k / n + 0.5);
    return hue * filament * 0.25
         + mix(vec3(1.0, 0.9, 0.7), hue, 0.5) * anther * (1.0 + (uHigh + 3.0 * uHighHit) * sparkle + 1.5 * gPulse);
}

#include "pollen.glsl"

// ---------------------------------------------------------------- main

// Record a surface g = (f, u, v, coverage) of petal k of layer li met in the
// front-to-back search (see flower()): all about the first, and coverage,
// place along, layer and angle of the second.
void addSurface(vec4 g, float li, float k, float n, inout float fFront, inout vec4 first,
                inout vec3 firstMore, inout vec4 second, inout int found, inout float alpha) {
    bool hit = g.w > 0.0;
    if (hit && found == 0) {
        first = vec4(g.y, g.z, li, k);
        firstMore = vec3(g.w, fFront, k / n);
    }
    if (hit && found == 1) second = vec4(g.w, g.y, li, k / n);
    found += hit ? 1 : 0;
    alpha += (1.0 - alpha) * g.w;
    fFront = min(fFront, g.x);
}

void flowerSetup(vec4 state, vec4 story) {
    vec2 res = iResolution.xy;
    cameraSetup(story, 0.5 * res / min(res.x, res.y), flowerSize);
    gKickT = state.x;
    gKick = state.y;
    gPulse = gKick * exp(-gKickT * 7.0);
    gHue = state.z + gBeatHue;
    gLevel = uLevel;
    gPx = 1.0 / (min(res.x, res.y) * gZoom);
    float b = clamp(iTime, 0.0, 1.0);
    gBirth = b * b * (3.0 - 2.0 * b);
    // The story: a bud while the song wakes, closing again in its sleep.
    gBud = max(1.0 - smoothstep(0.1, 0.9, gWake), 0.5 * gSleep);
    gOpen = mix(-0.1, state.w, gBirth * (1.0 - 0.8 * gBud));
    // A build-up (uBuild) opens it toward the drop, whatever the bass does.
    gOpen = max(gOpen, gBirth * (1.1 * uBuild - 0.1));
}

vec4 flower(vec2 p) {
    // Where the camera put it (camera.glsl); then it sways a little and is
    // seen slightly from below.
    p = toFlower(p);
    vec2 centre = vec2(0.012 * sinFast(iTime * 0.31), 0.01 * sinFast(iTime * 0.23 + 1.0));
    float tilt = 0.05 * sinFast(iTime * 0.2);  // small angle: sin ~ a, cos ~ 1
    vec2 q = (p - centre) + tilt * vec2(p.y - centre.y, centre.x - p.x);
    q.y /= 0.94;
    vec2 pr = toPolar(q);
    gRadial = q / max(pr.x, 1e-5);

    // It breathes; the beat swells it, on the beat.
    float breath = (1.0 + 0.03 * sinFast(iTime * 1.7)) * (1.0 + 0.06 * gBeat);
    float R = flowerSize * breath * (0.9 + 0.12 * gOpen) * (0.3 + 0.7 * gBirth) * (1.0 - 0.3 * gBud);
    float rc = R * (0.12 + 0.025 * gOpen + 0.02 * gPulse) * (1.0 - 0.5 * gBud);

    // Front to back: the heart, then the layers from the inner bud out,
    // recording the first surface found (its place, layer, petal, coverage,
    // the distance to the edge of what is in front of it for its shadow) and
    // the coverage of the second. (On a CPU rasterizer both sides of an if()
    // run; only loops that every pixel of a block has left stop costing, so
    // the search is a loop that ends as soon as the pixel is covered.)
    float fFront = pr.x - rc;
    float heart = smoothstep(1.7 * gPx, -1.7 * gPx, fFront);
    vec4 first = vec4(0.0, 0.0, -1.0, 0.0);  // u, v, layer (-1: heart), petal
    vec3 firstMore = vec3(heart, 1e3, 0.0);  // coverage, shadow distance, angle
    vec4 second = vec4(0.0);                 // coverage, u, layer, angle
    int found = heart > 0.0 ? 1 : 0;
    float alpha = heart;
    float open = clamp(gOpen, -0.1, 1.4);
    for (int i = 0; i < 4; ++i) {
        if (found >= 2 || alpha > 0.995 || pr.x > R * 1.2) break;
        float li = float(i);
        // (Chosen with ?: rather than indexed const arrays: far cheaper on
        // llvmpipe.)
        float n = i == 0 ? 5.0 : i == 1 ? 7.0 : i == 2 ? 8.0 : 9.0;
        // A bud: the layers close up into one tight, wide-petalled knot.
        float len = R * mix(i == 0 ? 0.36 : i == 1 ? 0.58 : i == 2 ? 0.8 : 1.0, 0.42 + 0.09 * li, gBud)
                    * mix(0.78 + 0.06 * li, 1.08 - 0.01 * li, open);
        float width = (i == 0 ? 0.62 : i == 1 ? 0.5 : i == 2 ? 0.42 : 0.36) * mix(0.8, 1.05, open)
                      * (1.0 + 0.45 * gBud);
        float dir = (i == 1 || i == 3) ? 1.0 : -1.0;
        float rot = dir * iTime * (0.05 - 0.008 * li) + li * 0.7 + dir * (0.12 * open + 1.2 * (1.0 - gBirth));
        vec2 rel = vec2(pr.x, pr.y - rot);
        vec2 cell = polarCell(rel.y, n);
        // This sector's petal and its neighbour on the near side; they
        // overlap in a spiral, the counter-clockwise one on top.
        float kTop = cell.x + max(sign(cell.y), 0.0);
        float kBottom = kTop - 1.0;
        vec4 top = petalGeometry(rel, kTop, n, li, len, width, li / 3.0);
        vec4 bottom = petalGeometry(rel, kBottom, n, li, len, width, li / 3.0);
        addSurface(top, li, wrapIndex(kTop, n), n, fFront, first, firstMore, second, found, alpha);
        addSurface(bottom, li, wrapIndex(kBottom, n), n, fFront, first, firstMore, second, found, alpha);
    }
    // Shade the front surface fully. Where its edge is anti-aliased, the one
    // behind shows through in a cheap version of its own colour: it lies in
    // the shadow of that edge anyway.
    vec3 col = first.z < 0.0 ? heartColor(pr, rc)
             : petalColor(first.x, first.y, first.z, first.w, firstMore.z)
               * (1.0 - 0.85 * smoothstep(0.1 * R, 0.0, firstMore.y));  // cast by what is in front
    float along = smoothstep(0.05, 1.0, second.y);
    vec3 behind = rainbow(gHue + second.w + 0.13 * second.z + 0.08 * second.y)
                * ((0.01 + 0.85 * along * along) * (1.25 - 0.22 * second.z) * 0.2);
    col = found > 0 ? col * firstMore.x + (1.0 - firstMore.x) * second.x * behind : vec3(0.0);
    col += stamens(pr, rc) + pollen(pr, R);
    return vec4(col * min(iTime * 2.5, 1.0), alpha);  // out of the dark at the start
}

#endif
