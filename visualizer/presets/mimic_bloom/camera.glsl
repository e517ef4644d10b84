// Mimic Bloom: the song's story and the camera, from the music. Every value
// here is the same for every pixel (uniforms and the state's texel 3).
//   wake  (state): a bud in the intro, opening over the first bars of music,
//                  faster in a build-up, at once on a drop;
//   sleep (state): a breakdown, or the bass gone: the flower closes and dims,
//                  the camera pulls back and lets it wander to a third;
//   a build-up (uBuild): it comes to the centre and is pushed in on;
//   the drop: a cut to a close-up, easing back out over a few seconds;
//   the bar (downbeats counted in the state, uBarPhase): the flower drifts
//                  through the frame at the tempo, a lap in eight bars, and
//                  turns a step on every downbeat;
//   the beat (uBeatPhase, uBeatCount): a pulse and a hue step exactly on it.
// Frame units: the shorter side of the screen spans 1 (lib/space fitUv), so
// the flower fits 9:16 and 1:1 and has room to travel at 16:9.
#ifndef MIMIC_BLOOM_CAMERA
#define MIMIC_BLOOM_CAMERA

#include "lib/noise.glsl"
#include "lib/space.glsl"

uniform float barTurn;    // radians the flower turns on each downbeat
uniform float barDrift;   // how far it travels each bar, a share of the free room
uniform float dropClose;  // extra zoom of the close-up on the drop
uniform float beatHue;    // hue step on each beat (turns)

float gWake;    // 0 bud .. 1 awake
float gSleep;   // 0 awake .. 1 asleep (breakdown, no bass)
float gClose;   // 1 on the drop, easing to 0 over ~4 s
float gBeat;    // 1 on the beat, gone by mid-beat
float gBeatHue; // the hue wheel's beat steps (turns)
float gZoom;    // camera scale (flower units per frame unit)
float gTurn;    // the flower's turn, radians
vec2 gCentre;   // the flower's centre, frame units from the middle

// Where the flower stands `bars` bars into the song (counted bars plus the
// bar's phase): a slow loop through the frame, one lap in eight bars (it
// moves at the tempo and stands still when the beat grid does); -1..1.
vec2 barPath(float bars) {
    float a = TAU * (bars / 8.0 + uSeed);
    return vec2(sinFast(a), 0.7 * sinFast(2.0 * a + 1.3));
}

// From texel 3 of the state (x: bar phase, y: bars, z: wake, w: sleep),
// the frame's half extent in frame units and the open flower's radius.
void cameraSetup(vec4 story, vec2 halfExtent, float radius) {
    gWake = story.z;
    gSleep = story.w;
    float bars = story.y;
    gClose = uSinceDrop < 60.0 ? exp(-uSinceDrop * 0.5) : 0.0;
    gBeat = exp(-uBeatPhase * 10.0) * (0.35 + 0.65 * uTempoConfidence);
    gBeatHue = beatHue * uBeatCount;  // a step on the beat's own frame
    // Scale: close on the bud while the song wakes; pulled back in its sleep;
    // pushed in through a build-up; close on the drop.
    float bud = 1.0 - smoothstep(0.1, 0.9, gWake);
    gZoom = (1.0 + 0.5 * bud) * (1.0 - 0.4 * gSleep) * (1.0 + 0.35 * uBuild) * (1.0 + dropClose * gClose);
    // The bar: the flower drifts along its path with the bar's phase, and
    // turns a step on every downbeat, a cut on the downbeat's own frame.
    vec2 room = max(halfExtent - 0.75 * radius * gZoom, 0.0);
    // A build-up (uBuild) draws it to the centre, ready for the drop.
    float gather = (1.0 - gClose) * (1.0 - smoothstep(0.1, 0.6, uBuild));
    gCentre = barPath(bars + uBarPhase) * room * min(barDrift + 0.5 * gSleep, 1.0) * gather;
    gTurn = barTurn * bars;
}

// Frame point -> the flower's own units (its centre at the origin).
vec2 toFlower(vec2 p) {
    return rot2(-gTurn) * (p - gCentre) / gZoom;
}

#endif
