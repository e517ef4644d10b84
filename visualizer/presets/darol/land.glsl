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
    gSkyHorizon = rainbow(gHue + 0.04) * (0.9 + 0.5 * gRise);
    gSkyMiddle = rainbow(gHue + 0.84) * 0.16;
    gSkyZenith = rainbow(gHue + 0.68) * 0.02;
}
#define skyHorizon() gSkyHorizon
#define skyMiddle() gSkyMiddle
#define skyZenith() gSkyZenith

// Two or three birds, far off: tiny dark wing-beats drifting across the
// sky. They are what tells how big Darol is.
float birds(vec2 w) {
    float ink = 0.0;
    for (int i = 0; i < 3; ++i) {
        float fi = float(i);
        vec2 at = vec2(fract(0.31 * fi + 0.015 * iTime) * 3.0 - 1.5 + gBase.x, HORIZON + 0.1 + 0.11 * fi);
        at.y += 0.006 * dlSin(iTime * 0.7 + fi * 2.0);
        vec2 q = (w - at) / (0.008 - 0.0015 * fi);
        if (dot(q, q) > 4.0) continue;
        float flap = 0.35 * dlSin(iTime * (6.0 + fi) + fi * 4.0);
        float wing = abs(q.y - (abs(q.x) * (0.5 + flap))) * step(abs(q.x), 1.0);
        ink = max(ink, smoothstep(0.35, 0.0, wing));
    }
    return ink;
}

// The sky at world point w: a calm dusk gradient, a low sun behind the land,
// one or two long thin streaks of cloud lit from below, a few high stars.
vec3 sky(vec2 w) {
    float h = max(w.y - HORIZON, 0.0);
    vec3 col = mix(skyHorizon(), skyMiddle(), smoothstep(0.0, 0.16, h));
    col = mix(col, skyZenith(), smoothstep(0.12, 0.6, h));
    vec2 sun = vec2(gBase.x - 0.55 * clamp(gAspect - 0.6, 0.0, 1.0) - 0.08, HORIZON + 0.02);
    float ds = length((w - sun) * vec2(1.0, 1.6));
    col += rainbow(gHue + 0.1) * (exp(-ds * 10.0) * 0.7 + smoothstep(0.026, 0.022, ds) * 1.6);
    float n = valueNoise(vec2(w.x * 0.9 + iTime * 0.004, w.y * 22.0));
    float band = smoothstep(0.62, 0.85, n) * smoothstep(0.04, 0.1, h) * (1.0 - smoothstep(0.18, 0.3, h));
    col = mix(col, skyHorizon() * 0.6 + skyMiddle(), band * 0.35);
    float star = step(0.9985, hash12(floor(w * 160.0))) * smoothstep(0.45, 0.8, h);
    col = col + star * 0.2;
    return col * (1.0 - 0.85 * birds(w));
}

// One far ridge, low in the haze (the scale of the land), and a shallow
// nearer swell; returns colour and coverage.
vec4 ridges(vec2 wFar, vec2 wNear) {
    float yFar = HORIZON + 0.006 + 0.018 * dlNoise1(wFar.x * 3.0) + 0.005 * dlNoise1(wFar.x * 11.0 + 4.0);
    float yNear = HORIZON - 0.002 + 0.008 * dlNoise1(wNear.x * 2.0 + 9.0);
    float far = smoothstep(gPx, -gPx, wFar.y - yFar);
    float near = smoothstep(gPx, -gPx, wNear.y - yNear);
    vec3 haze = skyHorizon() * 0.55 + skyMiddle() * 0.3;
    vec3 col = mix(haze, skyMiddle() * 0.25, near);
    return vec4(col, max(far, near));
}

// The root network, drawn as seen: roots run straight out from Darol's foot
// along the ground, so on screen they fan from the foot (screen offset sw)
// to the bottom edge, widening toward the viewer; they meander with the
// ground-plane position d (plane distance r). Main roots, finer side roots.
// Returns (core, halo, which main root, angle from the viewer's direction).
vec4 rootLines(vec2 sw, vec2 d, float r) {
    float a = atan(sw.x, -sw.y);  // 0: straight toward the viewer
    float rs = length(sw);
    float n = fbm(d * 1.6 + 3.0, 2);
    float a1 = a + (n - 0.5) * 0.6;
    float s1 = DL_TAU / 14.0;
    float k1 = floor(a1 / s1 + 0.5);
    float d1 = abs(a1 - s1 * k1) * rs;
    float w1 = 0.004 + 0.022 * rs;
    float a2 = a - (n - 0.5) * 1.6;
    float s2 = DL_TAU / 40.0;
    float d2 = abs(a2 - s2 * floor(a2 / s2 + 0.5)) * rs;
    float w2 = 0.3 * w1 * smoothstep(0.06, 0.25, rs);
    float core = exp(-d1 * d1 / (w1 * w1)) + 0.35 * exp(-d2 * d2 / (w2 * w2 + 1e-6));
    float halo = w1 * 2.0 / (d1 + w1 * 2.0) + 0.15 * w2 / (d2 + w2 + 1e-6);
    return vec4(core, halo, mod(k1, 7.0), a);
}

// Light carried by the roots: breathing with the level (intro), a pulse that
// runs out from the foot on every beat (while the bass plays: gGroove), light
// flowing in toward the flower through the build, and on every kick (uBassHit)
// and onset (uOnset) a rainbow pulse: each root flares in its own saturated hue.
vec3 roots(vec2 sw, vec2 d, float depth) {
    float r = length(d);
    vec4 lines = rootLines(sw, d, r);
    float breath = 0.12 + 0.45 * uLevel + 0.08 * dlSin(iTime * 0.9);
    float front = uBeatPhase * 2.6;
    float beatWave = exp(-(r - front) * (r - front) * 5.0) * (1.0 - uBeatPhase) * 4.0 * gGroove + 1.4 * gBeat * gBeat;
    float build = smoothstep(0.0, 1.0, uBuild);
    float flow = 0.5 + 0.5 * dlSin(DL_TAU * (r * 2.5 + iTime * 0.6));
    float gain = breath + beatWave + build * (flow * 1.5 + 3.0 * exp(-r * 1.5)) + gAwake * (0.8 + 2.0 * gBurst);
    // Brightest in the foreground, calm behind the foot (the far plain stays empty).
    float fade = rootGlow * exp(-r * 0.32) * (1.0 - 0.5 * gSleep) * mix(0.12, 1.0, smoothstep(0.01, -0.04, sw.y))
               * mix(0.2, 1.0, smoothstep(1.4, 0.8, abs(lines.w)));
    // Each main root its own hue: a rainbow fanned around the foot.
    vec3 tint = rainbow(gHue + 0.5 + lines.z / 7.0 + r * 0.2 - iTime * 0.03);
    vec3 col = (tint * lines.y * 0.35 + mix(tint, vec3(1.0), 0.35) * lines.x) * gain * fade;
    col += tint * (lines.x * 1.5 + lines.y * 0.6) * (2.5 * gKick + 1.2 * gHit + 0.8 * gPulse) * fade;
    // The ground light around the foot: the kick shakes and flares it.
    col += rainbow(gHue + 0.08) * exp(-r * 2.2) * (0.15 + 0.25 * gLight + 1.6 * gKick) * rootGlow;
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
    float soil = valueNoise(plane * vec2(1.5, 3.0));
    vec3 col = skyMiddle() * (0.04 + 0.04 * soil) + skyHorizon() * 0.1 * exp(-(HORIZON - w.y) * 25.0);
    col += roots(w - gBase, d, depth);
    // Distance haze toward the horizon.
    return mix(col, skyHorizon() * 0.35, smoothstep(2.5, 9.0, depth));
}

// Fog: a mist band lying on the horizon and low drifting banks; thicker in
// a breakdown. Returns colour (premultiplied) and amount.
vec4 fog(vec2 w, float layer) {
    float n = valueNoise(vec2(w.x * (2.0 + layer) - iTime * (0.03 + 0.04 * layer), w.y * 5.0 + layer * 7.0));
    float height = mix(HORIZON + 0.02, 0.12, layer);
    float band = exp(-abs(w.y - height) * mix(10.0, 7.0, layer));
    float amount = band * (0.45 + 0.55 * n) * fogDensity * (0.6 + 1.4 * gSleep) * mix(1.0, 0.4, layer);
    amount = clamp(amount, 0.0, 0.85);
    vec3 col = skyHorizon() * 0.5 + skyMiddle() * 0.4 + rainbow(gHue + 0.5) * 0.08 * gLight;
    return vec4(col * amount, amount);
}

#endif
