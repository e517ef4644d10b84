// Darol's Roots: what surrounds the network. Dark glassy earth with strata
// and obsidian glints, the trunk coming down from the surface, spores
// suspended in the soil. Linear HDR light.
#ifndef ROOTS_SOIL
#define ROOTS_SOIL

#include "story.glsl"

uniform float sporeAmount;  // how many spores sparkle on the hats

// The earth behind everything at world point w (depth layer 0.3): black
// glass with slow strata, lit by the network's glow around the crown.
vec3 soil(vec2 w, vec3 glow) {
    float strata = fbm(vec2(w.x * 1.2, w.y * 7.0 + 0.3 * sinFast(w.x * 2.0)), 2);
    float band = smoothstep(0.45, 0.75, strata);
    vec3 col = vec3(0.003, 0.004, 0.009) + glow * (0.04 + 0.15 * band);
    // Obsidian glints: a few facets catch the light of each beat.
    vec2 cell = floor(w * 14.0);
    float h = hash12(cell);
    vec2 f = fract(w * 14.0) - hash22(cell);
    float glint = step(0.93, h) * exp(-dot(f, f) * 900.0) * (0.4 + 2.0 * gBeat + 4.0 * gErupt);
    return col + glint * (glow * 4.0 + 0.02);
}

// The trunk: Darol's tap root coming down from the surface to the crown,
// dark bark lit from inside. A slug of light runs down it on every bar
// (uBarPhase), into the roots; through a build-up (uBuild) light climbs it
// on every beat toward the surface; the kick (uBassHit) flares it.
vec4 trunk(vec2 w, vec3 tint) {
    if (w.y < -0.06) return vec4(0.0);
    float y = max(w.y, 0.0);
    float centre = 0.025 * sinFast(y * 3.0 + 1.0) - 0.01;
    float half_ = 0.055 + 0.04 * y + 0.03 * exp(-y * 12.0) + 0.006 * gKick;
    float xn = (w.x - centre) / half_;
    float inside = smoothstep(gPx, -gPx, abs(xn) * half_ - half_) * smoothstep(-0.06, 0.01, w.y);
    if (inside <= 0.0) return vec4(0.0);
    float round_ = sqrt(max(1.0 - xn * xn, 0.0));
    float fibre = 0.7 + 0.3 * sinFast(xn * 14.0 + 2.0 * sinFast(y * 9.0));
    vec3 col = vec3(0.012, 0.008, 0.016) * fibre * (0.4 + round_);
    col += tint * 0.6 * pow(abs(xn), 6.0);                    // rim: the glow behind
    float down = y - (1.0 - uBarPhase) * 1.2;
    float up = fract(uBeatPhase) * 1.1 - y;
    float slug = exp(-down * down * 30.0) * (1.0 - gBuild) + exp(-up * up * 25.0) * gBuild * 2.0;
    float vein = exp(-pow(fract(xn * 1.5 + 0.5 + 0.15 * sinFast(y * 7.0)) - 0.5, 2.0) * 50.0);
    float heat = (0.25 + 0.5 * uLevel + 3.0 * gKick + 2.0 * gBuild + 2.5 * gErupt) * exp(-y * 1.2) * round_;
    col += mix(tint, vec3(1.0), 0.4) * (vein * (0.3 + 2.5 * slug) + 0.35 * heat) * fibre * rootGlow;
    return vec4(col * inside, inside);
}

// Spores hanging in the soil at depth layer `layer` (0 far, 1 near): most
// are faint; on the hats (uHighHit) a chosen few sparkle, a new choice on
// every beat. The drop throws them all upward and lights them.
vec3 spores(vec2 w, float layer) {
    float size = mix(0.06, 0.1, layer);
    float rise = iTime * 0.02 + gAwake * 0.5 * (1.0 - exp(-uSinceDrop * 1.5));
    vec2 g = w / size + vec2(layer * 17.0, -rise / size);
    vec2 cell = floor(g);
    vec2 f = fract(g) - 0.5;
    float h = hash12(cell + layer * 31.0);
    vec2 at = (hash22(cell + 5.0) - 0.5) * 0.7;
    float d2 = dot(f - at, f - at) * size * size;
    float dot_ = gPx * mix(0.7, 1.2, layer);
    float chosen = step(1.0 - sporeAmount, hash12(cell + floor(uBeatCount) * 0.37));
    float bright = step(0.5, h) * 0.03 + chosen * (1.4 * uHighHit + 0.15 * uHigh) + 2.0 * gErupt * step(0.8, h);
    // Gold against the roots' hue (its complement), every hue after the drop.
    vec3 tint = mix(rainbow(gHue + 0.45 + 0.15 * h), rainbow(h * 3.0), gRainbow);
    tint = mix(tint, vec3(1.5, 0.25, 0.1), gRed);
    return mix(tint, vec3(1.0), 0.3) * exp(-d2 / (dot_ * dot_)) * bright;
}

#endif
