// Spectral Landscape: the land's geometry, shared by the ridge pass
// (ridges.glsl, which shapes every ridge once per column) and the picture
// (scene.glsl). Screen positions are in screen heights, y up, 0 mid-frame.
//   iChannel1 (both passes): the land's memory and state (land.glsl)
#include "landscape.glsl"

uniform float amplitude;   // tallest ridge, as a share of the way up to the horizon
uniform float kickLift;    // how high a kick throws the front ridges
uniform float depthRatio;  // how far the horizon ridge is, in front-ridge distances
uniform float buildLift;   // how far a build-up lifts the horizon, in screen heights

const float SL_REACH = 1.6;  // the ridge pass spans -1.6..1.6 front-range half-widths

// This frame's setup, from the state (column 64 of the memory).
float gFrac;      // how far the ridges have slid back since the last was laid down
float gSerial;    // serial number of the front ridge
float gDensity;   // 1: every ridge drawn; 0: every other one
float gSpring;    // the kick's lift (1 on a kick's frame, sinking)
float gFlash;     // the onset light (1 on an onset's frame, fading)
float gSection;   // the section colour (eased section number)
float gHorizon;   // horizon height on screen
float gBottom;    // where the front ridge's plain lies on screen
float gSpan;      // from there up to the horizon
float gDz;        // depth step between ridges
float gFar;       // 1 / the horizon ridge's distance
float gBreath;    // silence: the land breathes

void setup() {
    vec4 s0 = texelFetch(iChannel1, ivec2(SL_BANDS, 0), 0);
    vec4 s1 = texelFetch(iChannel1, ivec2(SL_BANDS, 1), 0);
    gFrac = fract(s0.x);
    gSerial = s0.z;
    gSection = s1.x;
    gDensity = s1.y;
    gSpring = s1.w;
    gFlash = texelFetch(iChannel1, ivec2(SL_BANDS, 2), 0).x;
    // A build-up lifts the camera: the horizon climbs the frame and the land
    // spreads out beneath it.
    gHorizon = 0.04 + buildLift * s1.z;
    gBottom = -0.54;
    gSpan = gHorizon - gBottom;
    gDz = (depthRatio - 1.0) / float(SL_ROWS);
    gFar = 1.0 / depthRatio;
    gBreath = (1.0 - smoothstep(0.05, 0.3, uLevel)) * sinFast(iTime * 1.3);
}

// Ridge k's distance from the front (rows) and from the camera (z, 1 = front).
float rowDistance(int k) {
    return float(k) + gFrac;
}

float rowZ(int k) {
    return 1.0 + rowDistance(k) * gDz;
}

// Where the plain lies at distance z, 0 at the front .. 1 at the horizon:
// perspective, rescaled so the farthest ridge sits on the horizon.
float plainAt(float z) {
    return (1.0 - 1.0 / z) / (1.0 - gFar);
}

// The ridge's height (0 = the plain, 1 = up to the horizon) at world x (1 =
// the range's half-width), d rows from the front.
float ridgeHeight(float level, float x, float d, float serial) {
    float u = abs(x);
    // The highs sharpen the peaks: a higher power narrows every summit.
    float h = amplitude * pow(level, 1.0 + 2.5 * uHigh) * (1.0 + 0.3 * uHigh);
    h *= 1.0 - smoothstep(0.7, 1.0, u);
    h += 0.05 * amplitude * level * sinFast(x * 23.0 + serial * 1.7);
    // Silence: flat lines, breathing.
    h += 0.012 * gBreath * (0.6 + 0.4 * sinFast(x * 3.0 + d * 0.5));
    // The kick throws the front ridges up (the whole line heaves).
    h += kickLift * gSpring * exp(-d * 0.6) * (1.0 - 0.5 * smoothstep(0.0, 2.0, u));
    return h;
}

// How visible ridge `serial` is at the section's density: odd ridges fade.
float rowVisibility(float serial) {
    return mod(serial, 2.0) < 0.5 ? 1.0 : gDensity;
}

// The memory's texel coordinates for ridge k at band position u (0 at the
// range's middle .. 1 at its edges). The range starts at ~40 Hz: the lowest
// bands are mostly empty and would notch every summit.
vec2 memoryUv(int k, float u) {
    float band = 3.0 + clamp(u, 0.0, 1.0) * 60.0;
    return vec2((band + 0.5) / SL_SIZE.x, (float(k) + 0.5) / SL_SIZE.y);
}
