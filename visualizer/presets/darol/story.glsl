// Darol: the song's story, read once per pixel from the structure uniforms,
// and the camera. Everything here is a pure function of the uniforms (no
// feedback), so a render from any --start matches a full one.
#ifndef DAROL_STORY
#define DAROL_STORY

#include "darol_lib.glsl"

uniform float rootGlow;     // brightness of the root network
uniform float flowerScale;  // size of the open flower head
uniform float skyHue;       // palette offset, turns
uniform float fogDensity;   // atmosphere

const float HORIZON = 0.24;     // screen heights from the bottom
const float CAM_H = 0.1;        // camera height over the ground plane (perspective)
const float FOOT_DEPTH = 0.04;  // Darol's foot this far below the horizon: far out

float gRise;    // 0 intro .. 1 risen (the build-up, then kept after the drop)
float gOpen;    // petals: 0 closed bud .. 1 open, over 1 in the burst
float gLight;   // the flower's inner light
float gBurst;   // the eruption: 1 at the drop, fading over a few seconds
float gAwake;   // 1 once the first drop has happened
float gSleep;   // the breakdown: dim and foggy
float gHue;     // sky and petal palette, turns (steps per section)
float gClose;   // camera close-in (the drop), negative pulls back
float gBeat;    // 1 on the beat, falling through it (scaled by gGroove)
float gPulse;   // the beat's flash (uBeatPhase): 1 on the beat, gone in ~0.3 s (scaled by gGroove)
float gNod;     // the bar (uBarPhase): 1 on the downbeat, easing off in ~0.4 s: the head nods
float gHit;     // any onset (uOnset, squared: sharp): a flash of rainbow light on that frame
float gKick;    // the kick (uBassHit, squared): the ground and roots flare, the head swells
float gWake;    // 0.35 in the intro (the bud sleeps) .. 1 from the next section or the build on: the hits' reach
float gGroove;  // how much the beat grid shows: full when the music is loud (uLevel), calm when quiet or asleep
float gPx;      // one output pixel in screen heights
float gAspect;  // width / height
vec2 gBase;     // Darol's foot (world)
vec2 gHead;     // the head's centre (world)
float gStemLen; // stem length (world)
float gHeadR;   // head radius (world)
vec2 gFocus;    // where the camera puts the head on screen
vec2 gCam;      // camera drift (on the bar)
float gFit;     // 1 on wide screens, smaller on tall ones

// Palette offset of section s: four dusks in turn (pink under violet,
// violet under blue, red under violet, blue under cyan), never olive.
float sectionHue(float s) {
    float i = mod(max(s, 0.0), 4.0);
    return i < 0.5 ? 0.0 : i < 1.5 ? -0.14 : i < 2.5 ? 0.05 : -0.28;
}

void darolStory() {
    gAspect = iResolution.x / iResolution.y;
    gPx = 1.0 / iResolution.y;
    float build = smoothstep(0.0, 1.0, uBuild);
    gAwake = uDropCount > 0.5 ? 1.0 : 0.0;
    float t = gAwake * uSinceDrop;
    gBurst = gAwake * exp(-t * 0.9);
    gSleep = uBreakdown;
    // The music's reactions: sharp on the frame of the hit, gone in a few frames.
    gHit = uOnset * uOnset;
    gKick = uBassHit * uBassHit;
    gGroove = mix(0.3, 1.0, smoothstep(0.2, 0.6, uLevel)) * (1.0 - 0.6 * gSleep);
    // The build-up makes it rise; after the drop it stays up.
    gRise = max(build, gAwake);
    // The bud breathes with the level; the build opens it; the drop bursts it
    // open (overshoot), then it settles open; a breakdown lets it close.
    // After the intro (a later section, uSection) the bud stirs: it half-wakes
    // and each kick (uBassHit) parts the petals a little.
    float wake = clamp(uSection, 0.0, 1.0) * (1.0 - gAwake) * (1.0 - build);
    gWake = mix(0.35, 1.0, max(clamp(uSection, 0.0, 1.0), gRise));
    gOpen = 0.04 + 0.08 * uLevel + wake * (0.22 + 0.12 * uBassHit) + 0.55 * build + gAwake * (0.8 + 0.45 * gBurst);
    gOpen += 0.1 * gKick;  // each kick parts the petals, on its frame
    gOpen *= 1.0 - 0.55 * gSleep;
    gLight = (0.35 + 0.3 * uLevel + wake * (0.25 + 0.35 * uBassHit) + 1.3 * build + gAwake * (1.0 + 2.5 * gBurst)) * (1.0 - 0.6 * gSleep);
    // Each section turns the palette; uSectionChange (1 -> 0 in 0.3 s)
    // glides from the old hue to the new one.
    gHue = skyHue + mix(sectionHue(uSection), sectionHue(uSection - 1.0), uSectionChange) + 0.02 * dlSin(iTime * 0.1);
    gBeat = 1.0 - uBeatPhase;
    gBeat *= gBeat * gGroove;
    // Sharp on the beat and the bar, decaying after (seconds since each, at the tempo).
    float beatSeconds = uTempo > 30.0 ? 60.0 / uTempo : 0.5;
    gPulse = exp(-uBeatPhase * beatSeconds / 0.12) * gGroove;
    gNod = exp(-uBarPhase * max(uBeatsPerBar, 1.0) * beatSeconds / 0.18) * gGroove;

    // Composition: a giant. The foot stands far out on the plain, just below
    // the horizon (so the roots run toward the viewer over the whole ground);
    // the stem is a tower and the head fills a third (a closed bud) to half
    // (open) of the frame height. Right of centre on wide screens, centred on tall.
    float wide = clamp((gAspect - 1.0) / 0.78, 0.0, 1.0);
    float fit = clamp(gAspect / 0.8, 0.7, 1.0);
    gFit = fit;
    gBase = vec2(0.3 * wide, HORIZON - FOOT_DEPTH);
    // The build raises the head from mid-frame into the upper frame.
    float headY = mix(0.5, 0.72, max(gRise, 0.15 * wake)) + 0.006 * dlSin(iTime * 0.4);
    gHeadR = flowerScale * fit * mix(0.2, 0.3, clamp(gOpen, 0.0, 1.2));
    // Asleep (breakdown) it sinks a little and its head nods over.
    headY -= 0.06 * gSleep;
    // Each downbeat (uBarPhase) the head nods: it dips and leans, then rises back.
    headY -= 0.03 * gNod * fit;
    gStemLen = headY - gBase.y;
    float bend = 0.025 * dlSin(iTime * 0.23) - 0.04 * wide - 0.06 * gSleep - 0.02 * gNod;
    gHead = gBase + vec2(bend, gStemLen);

    // Camera: pushes in a little through the build, closes in on the head at
    // the drop and eases back; pulls back in a breakdown; drifts on the bar
    // (an 8-bar cycle, beat-locked).
    float bars = (uBeatCount + uBeatPhase) / max(uBeatsPerBar, 1.0);
    gCam = vec2(0.02 * dlSin(bars * DL_TAU / 8.0), 0.008 * dlSin(bars * DL_TAU / 4.0));
    float dropIn = gAwake * (1.0 - exp(-t * 5.0)) * (0.22 * exp(-t / 6.0) + 0.05) * fit;
    gClose = 0.05 * build + dropIn - 0.1 * gSleep;
    gFocus = mix(gHead, vec2(0.5 * gHead.x, gHead.y), clamp(dropIn * 3.0, 0.0, 1.0));
}

// Screen point p to the world of a layer at depth factor d (0: the sky at
// infinity, 1: Darol's plane, > 1: in front of it): parallax from one camera.
vec2 darolView(vec2 p, float d) {
    float zoom = 1.0 + gClose * d;
    vec2 focus = mix(gHead, gFocus, min(d, 1.0));
    return gHead + (p - focus) / zoom + gCam * d;
}

// Stem width factor: slimmer on tall screens.
float fitWidth() { return mix(0.8, 1.0, gFit); }

#endif
