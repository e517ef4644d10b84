// Mimic Swarm: one small Mimic and its pollen, in linear HDR light, in the
// flower's own frame u (1 = the tip of a fully open outer petal).
#ifndef MIMIC_SWARM_MIMIC
#define MIMIC_SWARM_MIMIC

#include "lib/palette.glsl"
#include "lib/space.glsl"
#include "lib/noise.glsl"

// How far a flower is open, t seconds after its onset (t < 0: never).
// Bursts open in ~0.1 s with a springy overshoot (already half open on the
// onset's own frame: on the beat, not after it), then closes over seconds.
float bloomEnvelope(float t) {
    if (t < 0.0 || t > 14.0) return 0.0;
    t += 0.05;
    float burst = (1.0 - exp(-t * 16.0)) * (1.0 + 0.3 * exp(-t * 5.0) * sin(t * 20.0));
    return burst * exp(-max(t - 0.35, 0.0) / 2.4);
}

// One ring of n petals; a: angle (radians, already turned), r: radius.
// Returns (signed distance in u units, along 0..1, across -1..1).
vec3 petalRing(float r, float a, float n, float len, float spread) {
    float sector = TAU / n;
    float da = a - sector * floor(a / sector + 0.5);
    float t = r / len;
    float tc = clamp(t, 0.0, 1.0);
    float profile = sqrt(tc) * (1.0 - tc * tc * tc) * 1.45;
    float halfAngle = 0.5 * sector * spread * profile + 0.02;
    float f = max(r * (abs(da) - halfAngle), r - len);
    return vec3(f, t, da / halfAngle);
}

// The colour of a petal at (along, across): the flower's hue (base =
// rainbow(hue)), thin-film iridescence sliding with the curl, brighter toward
// the tip, a dark vein down the middle.
vec3 petalColour(vec3 g, vec3 base, float hue, float light, bool detail) {
    vec3 c = detail ? mix(base, thinFilm(hue + 0.7 * g.y + 0.35 * abs(g.z)), 0.25) : base;
    float vein = 1.0 - 0.45 * exp(-g.z * g.z * 30.0) * step(0.15, g.y);
    return c * (0.3 + 1.2 * g.y * g.y) * vein * light;
}

// The flower: premultiplied colour and coverage at u. open 0 (bud) .. 1+;
// hue: turns; seed 0..1; aa: a pixel in u units (wider = softer, hazier);
// beat: 0..1 pulse on the beat (open petals swell and flare); detail: false
// for far flowers (a few pixels wide): one ring of petals, no iridescence.
vec4 mimic(vec2 u, float open, float hue, float seed, float aa, float beat, bool detail) {
    float r = length(u);
    open = clamp(open, 0.0, 1.25);
    float opened = min(open, 1.0);
    float reach = mix(0.45, 1.12, opened);
    // A soft halo of the flower's hue, ending at 1.35 reach (the 2x2 cell search).
    float fall = 1.0 - r * r / (1.8 * reach * reach);
    if (fall <= 0.0) return vec4(0.0);
    vec3 base = rainbow(hue);
    vec3 halo = base * (0.05 + 0.4 * open * (1.0 + beat)) * fall * fall * fall;
    if (r > reach + aa) return vec4(halo, 0.0);
    float a = atan(u.y, u.x) + seed * TAU + 0.5 * open;
    float n = 5.0 + floor(seed * 4.0);

    // Outer petals: short, wide and overlapping in the bud; long and parted open.
    float len = mix(0.4, 1.0, open) * (1.0 + 0.1 * beat);
    vec3 outer = petalRing(r, a, n, len, mix(1.5, 0.78, opened));
    // Inner petals: between the outer ones, shorter, paler.
    vec3 inner = detail ? petalRing(r, a + PI / n, n, len * mix(0.8, 0.55, open), mix(1.4, 0.9, opened)) : vec3(1.0);
    float covOuter = smoothstep(aa, -aa, outer.x);
    float covInner = detail ? smoothstep(aa, -aa, inner.x) : 0.0;
    float rh = 0.12 + 0.1 * open;
    float heart = smoothstep(rh + aa, rh - aa, r);
    float cov = max(max(covOuter, covInner), heart);
    if (cov <= 0.0) return vec4(halo, 0.0);  // between the petals: only the halo

    // Buds glow brighter as the music gets louder (uLevel); open petals blaze.
    float light = (0.3 + 0.9 * uLevel + 1.1 * open) * (1.0 + 0.6 * beat);
    vec3 col = petalColour(outer, base, hue, light, detail);
    col += base * smoothstep(-3.0 * aa, 0.0, outer.x) * covOuter * 0.6 * light;  // rim light
    if (detail) col = mix(col, petalColour(inner, base, hue + 0.08, light * 1.2, true) + 0.15 * light, covInner);
    // The heart: a glowing seed disc, gold to white as it opens.
    float seeds = detail ? 0.75 + 0.25 * cos(a * 13.0 + r * 70.0) : 1.0;
    vec3 gold = mix(vec3(1.0, 0.55, 0.15), vec3(1.0, 0.9, 0.7), opened);
    col = mix(col, gold * seeds * (0.4 + 2.2 * open * (1.0 + beat)), heart);
    return vec4(col * cov + halo * (1.0 - cov), cov);
}

// Pollen puffed out by an opening flower, t seconds ago (strength 0..1):
// six grains flying out and drifting up, fading over ~2 s; the hats (uHighHit)
// make half of them sparkle. Additive light. Only pixels in the ring the
// grains fly through pay for them; directions turn by a fixed rotation.
vec3 pollen(vec2 u, float t, float strength, float hue, float seed, float aa) {
    float fly = 0.3 + 0.95 * (1.0 - exp(-t * 2.4));
    float size = 0.05 + aa;
    vec2 v = u - vec2(0.0, 0.12 * t);
    float r = length(v);
    if (t < 0.0 || t > 3.0 || r < 0.7 * fly - 3.0 * size || r > 1.05 * fly + 3.0 * size) return vec3(0.0);
    float fade = exp(-t * 1.6) * (0.5 + strength) * smoothstep(3.0, 2.0, t);
    float ang = TAU * seed;
    vec2 dir = vec2(cos(ang), sin(ang));
    const mat2 turn = mat2(0.5, 0.8660254, -0.8660254, 0.5);  // 60 degrees
    float light = 0.0;
    for (int i = 0; i < 6; ++i) {
        float fi = float(i);
        float dist = fly * (0.7 + 0.35 * fract(fi * 0.618 + seed));
        vec2 d = v - dist * dir;
        float sparkle = 1.0 + 3.0 * uHighHit * step(0.4, fract(fi * 0.754 + seed * 3.0));
        light += exp(-dot(d, d) / (size * size)) * sparkle;
        dir = turn * dir;
    }
    return light * fade * mix(vec3(1.0, 0.8, 0.45), rainbow(hue + 0.1), 0.4);
}

#endif
