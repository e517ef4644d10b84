// Darol's Roots: the song read once per pixel from the uniforms (no
// feedback: a render from any --start matches a full one), and the camera.
#ifndef ROOTS_STORY
#define ROOTS_STORY

#include "lib/noise.glsl"
#include "lib/palette.glsl"
#include "lib/space.glsl"

uniform float rootGlow;    // brightness of the whole network
uniform float pulseSpeed;  // how far a beat's pulse runs in one beat (world units)
uniform float hueOffset;   // palette offset, turns

float gAwake;    // 1 once the first drop has happened
float gErupt;    // the eruption: 1 at the drop, fading over a few seconds
float gFlash;    // the red flash: uDrop eased, gone in ~0.3 s
float gRed;      // red light in the network: the flash, then an afterglow
float gBuild;    // uBuild eased: energy climbing toward the surface
float gKick;     // uBassHit, squared: sharp
float gBeat;     // 1 on the beat, falling through it
float gHue;      // the section's hue, turns
float gRainbow;  // 0: one hue family .. 1: a hue per root (after the drop)
float gPx;       // one picture pixel in world units
vec2 gCrown;     // where the trunk meets the roots, on screen
float gZoom;     // camera zoom
mat2 gTilt;      // camera roll
vec2 gDrift;     // camera drift (an 8-bar cycle)

// Camera framings: crown x, crown y below the top edge, zoom, roll.
const vec4 WIDE = vec4(0.0, 0.24, 1.0, 0.0);          // wide and centred (the intro)
const vec4 ASIDE = vec4(-0.32, 0.3, 1.35, -0.12);     // closer, off to one side
const vec4 OTHER_SIDE = vec4(0.3, 0.27, 1.2, 0.09);   // closer, off to the other side
const vec4 PULLED_BACK = vec4(0.0, 0.18, 0.72, 0.0);  // the whole network (a build)
const vec4 ON_CROWN = vec4(0.22, 0.36, 1.6, 0.1);     // close on the crown (after a drop)
const float AFTER_DROP_HUE = 0.02;  // the rainbow after a drop starts from red
const float DROP_HOLD_BARS = 8.0;  // the close-up holds this long after a drop, then eases away

// Framing of ordinary section s: wide, aside, the other side, in turn. Builds
// and drops frame by their role (rootsStory), whatever their section number.
vec4 framing(float s) {
    float i = mod(max(s, 0.0), 3.0);
    return i < 0.5 ? WIDE : i < 1.5 ? ASIDE : OTHER_SIDE;
}

// Hue of section s: teal, violet, deep blue in turn (red is the drop's alone).
float sectionHue(float s) {
    float i = mod(max(s, 0.0), 3.0);
    return i < 0.5 ? 0.5 : i < 1.5 ? 0.8 : 0.6;
}

void rootsStory() {
    vec2 res = iResolution.xy;
    float unit = min(res.x, res.y);
    gAwake = uDropCount > 0.5 ? 1.0 : 0.0;
    float t = gAwake * uSinceDrop;
    gErupt = gAwake * exp(-t * 1.0);
    gFlash = smoothstep(0.3, 0.95, uDrop);
    gRed = max(gFlash, gAwake * exp(-t * 2.5));
    gBuild = smoothstep(0.0, 1.0, uBuild);
    gKick = uBassHit * uBassHit;
    gBeat = (1.0 - uBeatPhase) * (1.0 - uBeatPhase);
    gRainbow = gAwake * smoothstep(0.2, 1.2, t);

    // Each section frames the network anew; uSectionChange glides the cut
    // over 0.3 s on the downbeat. A build pulls back to the whole network as
    // it rises; a drop closes in on the crown for DROP_HOLD_BARS. The kick
    // punches in.
    vec4 f = mix(framing(uSection), framing(uSection - 1.0), smoothstep(0.0, 1.0, uSectionChange));
    f = mix(f, PULLED_BACK, gBuild);
    float barS = max(uBeatsPerBar, 1.0) * 60.0 / max(uTempo, 30.0);
    float held = 1.0 - smoothstep(DROP_HOLD_BARS - 2.0, DROP_HOLD_BARS, t / barS);
    f = mix(f, ON_CROWN, gAwake * held);
    // The section's hue family; while the drop's close-up holds, the rainbow
    // starts from the drop's red.
    gHue = hueOffset + mix(mix(sectionHue(uSection), sectionHue(uSection - 1.0), uSectionChange),
                           AFTER_DROP_HUE, gAwake * held);
    float topEdge = 0.5 * res.y / unit;
    float tall = clamp(res.y / res.x - 1.0, 0.0, 1.0);
    float bars = (uBeatCount + uBeatPhase) / max(uBeatsPerBar, 1.0);
    gDrift = vec2(0.04 * sinFast(bars * TAU / 8.0), 0.015 * sinFast(bars * TAU / 4.0));
    gCrown = vec2(f.x * (1.0 - tall), topEdge - f.y - 0.25 * tall);
    gZoom = f.z * (1.0 + 0.035 * gKick + 0.12 * gBuild + 0.35 * gErupt * (1.0 - exp(-t * 6.0)));
    gTilt = rot2(f.w + 0.03 * sinFast(bars * TAU / 16.0));
    gPx = 1.0 / (unit * gZoom);
}

// Screen point p (fit units) to the world of a layer at depth d (1: the
// crown's plane; < 1 behind, > 1 in front): parallax from the drifting camera.
vec2 rootsView(vec2 p, float d) {
    return gTilt * (p - gCrown) / (gZoom * d) + gDrift * (d - 1.0);
}

#endif
