// Rainbow Meadow: the song read once per pixel from the uniforms (no
// feedback: a render from any --start matches a full one), and the camera.
#ifndef MEADOW_STORY
#define MEADOW_STORY

#include "lib/noise.glsl"
#include "lib/palette.glsl"
#include "lib/space.glsl"

uniform float windAmount;  // how far the gusts bend the meadow
uniform float hueOffset;   // palette offset, turns

const float HORIZON = 0.1;  // screen heights above the centre
const float CAM_H = 0.36;   // camera height: a layer at distance z meets the ground CAM_H / z below the horizon

float gOpen;     // flowers: 0 closed bud .. 1 open, over 1 in the burst
float gBurst;    // the drop: 1 at the drop, fading over a few seconds
float gFlash;    // the drop's flash of light, gone in ~0.4 s
float gBright;   // exposure of the whole field
float gDusk;     // 0 silence/intro (a dim dusk) .. 1 loud (bright, open): the song's energy
float gBow;      // the rainbow's light: faint at dusk, blazing in the build
float gHue;      // the flowers' hue turn: steps on every bar
float gPx;       // one picture pixel in screen heights
float gCamX;     // camera drift (8-bar cycle), screen heights
float gZoom;     // camera zoom
float gArc;      // the rainbow's radius
float gGust;     // the gust at this pixel's screen x (see gust())
vec3 gBowLight;  // the rainbow's light on the grass tips at this pixel's screen x

// The gust: on every beat the meadow snaps to the other side (over the first
// third of the beat) and rests; the gust sweeps across the field from left to
// right (x, screen heights), so tempo and beat phase set the wind.
float gust(float x) {
    float b = uBeatCount + uBeatPhase - 0.25 * x;
    float side = mod(floor(b), 2.0) < 0.5 ? 1.0 : -1.0;
    return side * (2.0 * smoothstep(0.0, 0.35, fract(b)) - 1.0) * windAmount * (0.35 + 0.6 * uLevel + 0.5 * gBurst);
}

void meadowStory() {
    float aspect = iResolution.x / iResolution.y;
    gPx = 1.0 / iResolution.y;
    float awake = uDropCount > 0.5 ? 1.0 : 0.0;
    float t = awake * uSinceDrop;
    gBurst = awake * exp(-t * 0.7);
    gFlash = smoothstep(0.25, 0.95, uDrop);
    float build = smoothstep(0.0, 1.0, uBuild);
    // The song's energy: the level (uLevel) and its slow envelope (uIntensity);
    // the song's first section (uSection 0: the intro) stays at dusk, and a
    // breakdown (uBreakdown) lets the dusk back in.
    float intro = uSection < 0.5 ? 0.35 : 1.0;
    gDusk = clamp((0.35 * uLevel + 0.9 * uIntensity) * intro - 0.5 * uBreakdown, 0.0, 1.0);
    // Closed buds at dusk; the energy opens them, the kick (uBassHit) pops
    // them open, a build-up opens them further, the drop bursts them all open.
    gOpen = 0.05 + 0.6 * gDusk + 0.4 * uBassHit + 0.3 * build + 0.6 * gBurst;
    // A dim dusk in silence, bright when loud; the build makes the light rise.
    gBright = 0.3 + 0.8 * gDusk + 0.9 * build + 0.3 * uBassHit + 0.5 * gBurst;
    gBow = 0.04 + 0.45 * gDusk + 4.0 * build + 0.3 * uBassHit + 1.0 * gBurst;
    // The palette turns a sixth of the wheel on every bar (gliding over a tenth of it).
    float bar = floor((uBeatCount - 1.0) / max(uBeatsPerBar, 1.0) + 0.001);
    gHue = hueOffset + hueStep(bar + 1.0, uBarPhase, 6.0, 0.1);
    float bars = (uBeatCount + uBeatPhase) / max(uBeatsPerBar, 1.0);
    gCamX = 0.05 * sinFast(bars * TAU / 8.0);
    gZoom = 1.0 + 0.02 * uBassHit + 0.08 * build + 0.12 * gBurst;
    gArc = clamp(0.33 * aspect, 0.24, 0.6);
}

#endif
