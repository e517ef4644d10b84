// Darol: small local helpers (hashes, noise, fast sine, rainbow, thin film,
// tone curve). Local on purpose, prefixed `dl`, so the preset does not depend
// on the shared library while it is being reworked.
#ifndef DAROL_LIB
#define DAROL_LIB

#define DL_TAU 6.28318530718

// Dave Hoskins' hash without sine: 0..1.
float dlHash(vec2 p) {
    vec3 p3 = fract(vec3(p.xyx) * 0.1031);
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.x + p3.y) * p3.z);
}

// Value noise with a cubic fade, 0..1.
float dlNoise(vec2 p) {
    vec2 i = floor(p);
    vec2 f = fract(p);
    vec2 u = f * f * (3.0 - 2.0 * f);
    float a = dlHash(i);
    float b = dlHash(i + vec2(1.0, 0.0));
    float c = dlHash(i + vec2(0.0, 1.0));
    float d = dlHash(i + vec2(1.0, 1.0));
    return mix(mix(a, b, u.x), mix(c, d, u.x), u.y);
}

// 1D value noise along x, 0..1 (two hashes).
float dlNoise1(float x) {
    float i = floor(x);
    float f = fract(x);
    f = f * f * (3.0 - 2.0 * f);
    return mix(dlHash(vec2(i, 0.5)), dlHash(vec2(i + 1.0, 0.5)), f);
}

// Two octaves of value noise, 0..1.
float dlFbm(vec2 p) {
    return (2.0 * dlNoise(p) + dlNoise(mat2(1.6, 1.2, -1.2, 1.6) * p + 17.3)) * (1.0 / 3.0);
}

// Sine from a refined parabola (max error ~0.001): cheaper than sin() on llvmpipe.
float dlSin(float x) {
    float t = x * (1.0 / DL_TAU);
    t -= floor(t + 0.5);
    float y = 8.0 * t - 16.0 * t * abs(t);
    return 0.225 * (y * abs(y) - y) + y;
}

// Saturated rainbow, hue h in turns, with even luminance across hues (linear RGB).
vec3 dlRainbow(float h) {
    vec3 c = clamp(abs(mod(fract(h) * 6.0 + vec3(0.0, 4.0, 2.0), 6.0) - 3.0) - 1.0, 0.0, 1.0);
    c = c * c * (3.0 - 2.0 * c);
    float lum = dot(c, vec3(0.2126, 0.7152, 0.0722));
    return c * inversesqrt(max(lum, 0.05)) * 0.55;
}

// Thin-film interference: the hue of an oil film of `thickness` (turns),
// pushed to full saturation.
vec3 dlFilm(float thickness) {
    vec3 c = 0.5 + 0.5 * cos(DL_TAU * (thickness + vec3(0.0, 0.33, 0.67)));
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

// Linear to sRGB display (three square roots: cheap, within ~1%).
vec3 dlSrgb(vec3 c) {
    c = clamp(c, 0.0, 1.0);
    vec3 s1 = sqrt(c);
    vec3 s2 = sqrt(s1);
    vec3 s3 = sqrt(s2);
    return clamp(0.585122381 * s1 + 0.783140355 * s2 - 0.368262736 * s3, 0.0, 1.0);
}

#endif
