// Darol: the empty land at dusk. Sky (palette per section), far and near
// ridges in haze, the ground plane in perspective and, under it, the glowing
// root network; fog layers on top. Linear HDR light.
#ifndef DAROL_LAND
#define DAROL_LAND

#include "story.glsl"

// Horizon, middle and zenith colours of the dusk sky for the current palette.
// (Computed once per pixel by landSetup: used by every layer.)
vec3 gSkyHorizon, gSkyMiddle, gSkyZenith;
void landSetup() {
    gSkyHorizon = dlRainbow(gHue + 0.04) * (0.9 + 0.5 * gRise);
    gSkyMiddle = dlRainbow(gHue + 0.84) * 0.3;
    gSkyZenith = dlRainbow(gHue + 0.66) * 0.035;
}
#define skyHorizon() gSkyHorizon
#define skyMiddle() gSkyMiddle
#define skyZenith() gSkyZenith

// The sky at world point w: gradient, a low setting sun behind the land,
// streaks of cloud lit from below, a few stars.
vec3 sky(vec2 w) {
    float h = max(w.y - HORIZON, 0.0);
    vec3 col = mix(skyHorizon(), skyMiddle(), smoothstep(0.0, 0.22, h));
    col = mix(col, skyZenith(), smoothstep(0.18, 0.75, h));
    vec2 sun = vec2(gBase.x - 0.45 * clamp(gAspect - 0.6, 0.0, 1.0), HORIZON + 0.03);
    float ds = length((w - sun) * vec2(1.0, 1.6));
    col += dlRainbow(gHue + 0.1) * (exp(-ds * 9.0) * 0.8 + smoothstep(0.05, 0.045, ds) * 1.6);
    float n = dlNoise(vec2(w.x * 2.0 + iTime * 0.006, w.y * 16.0));
    float band = smoothstep(0.5, 0.78, n) * smoothstep(0.03, 0.12, h) * (1.0 - smoothstep(0.3, 0.55, h));
    col = mix(col, skyHorizon() * 0.55 + skyMiddle(), band * 0.7);
    float star = step(0.997, dlHash(floor(w * 200.0))) * smoothstep(0.35, 0.7, h);
    return col + star * 0.25;
}

// Silhouette ridges in atmospheric haze; returns colour and coverage.
vec4 ridges(vec2 wFar, vec2 wNear) {
    float yFar = HORIZON + 0.012 + 0.045 * dlNoise1(wFar.x * 2.6) + 0.012 * dlNoise1(wFar.x * 9.0 + 4.0);
    float yNear = HORIZON - 0.004 + 0.028 * dlNoise1(wNear.x * 6.0 + 9.0);
    float far = smoothstep(gPx, -gPx, wFar.y - yFar);
    float near = smoothstep(gPx, -gPx, wNear.y - yNear);
    vec3 haze = skyHorizon() * 0.45 + skyMiddle() * 0.3;
    vec3 col = mix(haze, skyMiddle() * 0.25, near);
    return vec4(col, max(far, near));
}

// The root network at ground-plane offset d from Darol's foot: main roots
// (meandering rays), finer side roots and capillaries. Returns (core, halo).
vec3 rootLines(vec2 d, float r) {
    float a = atan(d.y, d.x);
    float n = dlFbm(d * 1.6 + 3.0);
    float a1 = a + (n - 0.5) * 1.8;
    float s1 = DL_TAU / 7.0;
    float k1 = floor(a1 / s1 + 0.5);
    float l1 = a1 - s1 * k1;
    float w1 = 0.028 / (1.0 + 0.9 * r);
    float d1 = r * abs(l1);
    float a2 = a - (n - 0.5) * 3.2;
    float s2 = DL_TAU / 19.0;
    float l2 = a2 - s2 * floor(a2 / s2 + 0.5);
    float d2 = r * abs(l2);
    float w2 = 0.4 * w1 * smoothstep(0.15, 0.5, r);
    float cap = 1.0 - abs(dlNoise(d * 7.0) - 0.5) * 2.0;
    cap *= cap; cap *= cap; cap *= cap;
    float core = exp(-d1 * d1 / (w1 * w1)) + 0.6 * exp(-d2 * d2 / (w2 * w2 + 1e-6)) + 0.12 * cap;
    float halo = w1 * 2.0 / (d1 + w1 * 2.0) + 0.4 * w2 / (d2 + w2);
    return vec3(core, halo, mod(k1, 7.0));
}

// Light carried by the roots: breathing with the level (intro), a pulse that
// runs out from the foot on every beat, light flowing in toward the flower
// through the build, the kick flaring the ground around the foot.
vec3 roots(vec2 d) {
    float r = length(d);
    vec3 lines = rootLines(d, r);
    float breath = 0.12 + 0.45 * uLevel + 0.08 * dlSin(iTime * 0.9);
    float front = uBeatPhase * 2.6;
    float beatWave = exp(-(r - front) * (r - front) * 5.0) * (1.0 - uBeatPhase) * 3.0 + 0.8 * gBeat * gBeat;
    float build = smoothstep(0.0, 1.0, uBuild);
    float flow = 0.5 + 0.5 * dlSin(DL_TAU * (r * 2.5 + iTime * 1.8));
    float gain = breath + beatWave + build * (flow * 1.5 + 3.0 * exp(-r * 1.5)) + gAwake * (0.8 + 2.0 * gBurst);
    gain *= rootGlow * exp(-r * 0.32) * (1.0 - 0.5 * gSleep);
    // Each main root its own hue: a rainbow fanned around the foot.
    vec3 tint = dlRainbow(gHue + 0.5 + lines.z / 7.0 + r * 0.2 - iTime * 0.03);
    vec3 col = (tint * lines.y * 0.35 + mix(tint, vec3(1.0), 0.35) * lines.x) * gain;
    // The ground light around the foot: the kick shakes and flares it.
    float kick = uBassHit * uBassHit;
    col += dlRainbow(gHue + 0.08) * exp(-r * 2.2) * (0.15 + 0.25 * gLight + 1.6 * kick) * rootGlow;
    return col;
}

// The ground at world point w (below the horizon): dark soil in perspective,
// lit by the sky near the horizon, with the roots glowing under it.
vec3 ground(vec2 w) {
    float shake = uBassHit * uBassHit * 0.006 * dlSin(iTime * 97.0);
    float depth = CAM_H / max(HORIZON - w.y + shake, 1e-3);
    float baseDepth = CAM_H / (HORIZON - gBase.y);
    vec2 plane = vec2(w.x * depth, depth);
    vec2 d = plane - vec2(gBase.x * baseDepth, baseDepth);
    float soil = 0.5 + 0.5 * dlSin(plane.x * 5.0 + plane.y * 2.0);
    vec3 col = skyMiddle() * (0.05 + 0.08 * soil) + skyHorizon() * 0.1 * exp(-(HORIZON - w.y) * 25.0);
    col += roots(d);
    // Distance haze toward the horizon.
    return mix(col, skyHorizon() * 0.35, smoothstep(2.5, 9.0, depth));
}

// Fog: a mist band lying on the horizon and low drifting banks; thicker in
// a breakdown. Returns colour (premultiplied) and amount.
vec4 fog(vec2 w, float layer) {
    float n = dlNoise(vec2(w.x * (2.0 + layer) - iTime * (0.03 + 0.04 * layer), w.y * 5.0 + layer * 7.0));
    float height = mix(HORIZON + 0.02, 0.12, layer);
    float band = exp(-abs(w.y - height) * mix(10.0, 7.0, layer));
    float amount = band * (0.25 + 0.75 * n) * fogDensity * (0.6 + 1.4 * gSleep);
    amount = clamp(amount, 0.0, 0.85);
    vec3 col = skyHorizon() * 0.5 + skyMiddle() * 0.4 + dlRainbow(gHue + 0.5) * 0.08 * gLight;
    return vec4(col * amount, amount);
}

#endif
