// Darol: the shared library (hashes, value noise, fbm, rainbow, thin film,
// sRGB) plus the few helpers that are Darol's own: a fast sine, 1D ridge
// noise, a saturated film sheen and a tone curve that keeps colours vivid.
#ifndef DAROL_LIB
#define DAROL_LIB

#include "lib/noise.glsl"
#include "lib/palette.glsl"
#include "lib/colour.glsl"

#define DL_TAU 6.28318530718

// Sine from a refined parabola (max error ~0.001): cheaper than sin() on llvmpipe.
float dlSin(float x) {
    float t = x * (1.0 / DL_TAU);
    t -= floor(t + 0.5);
    float y = 8.0 * t - 16.0 * t * abs(t);
    return 0.225 * (y * abs(y) - y) + y;
}

// 1D value noise along x, 0..1 (two hashes): ridge lines on the horizon.
float dlNoise1(float x) {
    float i = floor(x);
    float f = fract(x);
    f = f * f * (3.0 - 2.0 * f);
    return mix(hash11(i), hash11(i + 1.0), f);
}

// The thin-film hue pushed to full saturation (squared): petal sheen.
vec3 dlFilm(float thickness) {
    vec3 c = thinFilm(thickness);
    return c * c * 1.6;
}

// HDR to display that keeps saturated colours saturated: compress by the
// largest channel, then let the brightest light whiten a little.
vec3 dlTone(vec3 x) {
    x = max(x, 0.0);
    float peak = max(max(x.r, x.g), x.b);
    vec3 c = x / (1.0 + peak);
    float over = peak / (1.0 + peak);
    return mix(c, vec3(over), 0.35 * over * over * over);
}

#endif
