// Rainbow Meadow: what lies behind the field. The sky at dusk, a rainbow arc
// (and its faint reversed twin) over the meadow, far hills in haze. Linear HDR.
#ifndef MEADOW_SKY
#define MEADOW_SKY

#include "story.glsl"

// The haze colour at the horizon: warm, it tints every far layer.
vec3 haze() {
    return mix(vec3(0.9, 0.3, 0.45), rainbow(gHue + 0.9), 0.2) * 0.45;
}

// The sky at screen point p: violet above, warm toward the horizon, brighter
// inside the rainbow; the rainbow's bands red outside, violet inside; the
// build and the drop make it blaze.
vec3 sky(vec2 p) {
    float h = p.y - HORIZON;
    // Dusk in bands: gold on the hills, then magenta, violet, indigo, night.
    vec3 stops[8] = vec3[8](vec3(1.0, 0.42, 0.06) * 0.7, vec3(0.95, 0.1, 0.42) * 0.55, vec3(0.42, 0.06, 0.62) * 0.42,
                            vec3(0.06, 0.05, 0.34) * 0.35, vec3(0.006, 0.005, 0.04), vec3(0.0), vec3(0.0), vec3(0.0));
    float positions[8] = float[8](0.0, 0.09, 0.2, 0.34, 0.6, 1.0, 1.0, 1.0);
    vec3 col = gradientStops(stops, positions, 5, h) * (0.3 + 0.7 * gDusk + 1.2 * smoothstep(0.0, 1.0, uBuild));
    col += step(0.997, hash12(floor(p * 300.0))) * smoothstep(0.2, 0.5, h) * 0.4;   // a few stars
    vec2 c = vec2(0.0, HORIZON - 0.06);
    float r = length(p - c) / gArc;
    col *= 1.0 + 0.6 * smoothstep(1.0, 0.5, r);                      // brighter inside the bow
    float band = (r - 1.0) / (0.12 + 0.05 * uBuild);                                    // -1 inner (violet) .. 1 outer (red)
    float bow = smoothstep(1.0, 0.6, abs(band));
    float light = gBow;
    col += rainbow(0.8 * (0.5 - 0.5 * band)) * bow * light * 0.9;
    float band2 = (r - 1.35) / 0.1;                                   // the secondary bow, colours reversed
    col += rainbow(0.8 * (0.5 + 0.5 * band2)) * smoothstep(1.0, 0.5, abs(band2)) * light * 0.2;
    // The build (uBuild): light rising from the horizon, higher as it grows.
    col += vec3(1.0, 0.55, 0.25) * uBuild * 0.9 * exp(-max(h, 0.0) / (0.04 + 0.35 * uBuild));
    // The drop: a burst of light from behind the field, low on the horizon.
    col += vec3(1.0, 0.8, 0.55) * (2.0 * gFlash + 0.6 * gBurst) * exp(-abs(h) * 9.0) * smoothstep(0.9, 0.0, abs(p.x));
    return col;
}

// Far hills in haze just over the horizon: coverage and colour.
vec4 hills(vec2 p) {
    float x = p.x - 0.3 * gCamX;
    float top = HORIZON + 0.025 * valueNoise(vec2(x * 3.0, 1.0)) + 0.01 * valueNoise(vec2(x * 11.0, 4.0));
    float cover = smoothstep(gPx, -gPx, p.y - top);
    return vec4(haze() * vec3(0.35, 0.3, 0.6), cover);
}

#endif
