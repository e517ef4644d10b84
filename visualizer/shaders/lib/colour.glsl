// Colour: HSV, luminance, saturation, hue rotation, the sRGB encoding (both
// ways) and the filmic tone curves (ACES, AgX), in linear RGB unless a name
// says otherwise. lib/post.glsl builds its tone-map effect from these.
#ifndef LIB_COLOUR
#define LIB_COLOUR

// HSV to RGB with smooth (C1) hue transitions: no hard seams between hues.
vec3 hsv2rgb(vec3 c) {
    vec3 rgb = clamp(abs(mod(c.x * 6.0 + vec3(0.0, 4.0, 2.0), 6.0) - 3.0) - 1.0, 0.0, 1.0);
    rgb = rgb * rgb * (3.0 - 2.0 * rgb);
    return c.z * mix(vec3(1.0), rgb, c.y);
}

// Relative luminance (Rec. 709 weights).
float luminance(vec3 c) {
    return dot(c, vec3(0.2126, 0.7152, 0.0722));
}

// Push saturation: s > 1 moves away from grey (clamped at 0, which can shift
// luminance; saturateLuma keeps it).
vec3 saturate3(vec3 c, float s) {
    return max(mix(vec3(luminance(c)), c, s), 0.0);
}

// Saturation s (0 grey, 1 unchanged, > 1 more vivid) at exactly the same
// Rec. 709 luminance: where pushing would drive a channel below 0, s stops at
// the gamut edge instead of clipping (no hue or brightness shift).
vec3 saturateLuma(vec3 c, float s) {
    float l = luminance(c);
    vec3 d = c - l;
    float lowest = min(min(d.r, d.g), d.b);
    float edge = lowest < 0.0 ? l / -lowest : s;  // the largest s keeping every channel >= 0
    return l + d * min(s, max(edge, 0.0));
}

// Rotate hue by a small `angle` (radians, |angle| < ~0.3) around the grey
// axis: Rodrigues' rotation to second order, no sin or cos. Per-frame drifts
// are small; turn a larger angle in steps.
vec3 hueRotateSmall(vec3 c, float angle) {
    const vec3 k = vec3(0.57735);
    float half2 = 0.5 * angle * angle;
    return c * (1.0 - half2) + cross(k, c) * angle + k * dot(k, c) * half2;
}

// Linear -> sRGB display encoding, 0..1 (Ian Taylor's fit: within 1/255 of
// the exact curve from code 7 up, linear 0.002; the darkest codes come out up
// to 3/255 darker): three sqrt() instead of pow(), which CPU rasterizers
// expand into exp(log()). linearToSrgbExact is the exact curve.
vec3 linearToSrgb(vec3 c) {
    c = clamp(c, 0.0, 1.0);
    vec3 s1 = sqrt(c);
    vec3 s2 = sqrt(s1);
    vec3 s3 = sqrt(s2);
    return clamp(0.585122381 * s1 + 0.783140355 * s2 - 0.368262736 * s3, 0.0, 1.0);
}

// sRGB display encoding -> linear light, exact (IEC 61966-2-1), 0..1.
vec3 srgbToLinear(vec3 c) {
    c = clamp(c, 0.0, 1.0);
    return mix(c * (1.0 / 12.92), pow((c + 0.055) * (1.0 / 1.055), vec3(2.4)), step(0.04045, c));
}

// Linear light -> sRGB display encoding, exact (the inverse of
// srgbToLinear), 0..1. Costs pow(); linearToSrgb is the cheap fit.
vec3 linearToSrgbExact(vec3 c) {
    c = clamp(c, 0.0, 1.0);
    return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(0.0031308, c));
}

// ---------------------------------------------------------------- tone curves

// Krzysztof Narkowicz's ACES filmic fit, per channel: x linear HDR -> 0..1.
vec3 acesFitted(vec3 x) {
    return clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);
}

// AgX's base contrast curve on log-encoded 0..1 (a 6th-order polynomial fit).
vec3 agxContrast(vec3 x) {
    vec3 x2 = x * x;
    vec3 x4 = x2 * x2;
    return 15.5 * x4 * x2 - 40.14 * x4 * x + 31.96 * x4 - 6.868 * x2 * x + 0.4298 * x2 + 0.1191 * x - 0.00232;
}

// AgX filmic tone map (Benjamin Wrensch's minimal fit of Troy Sobotka's AgX):
// linear HDR (0.18 mid grey, up to ~16) -> sRGB-encoded display 0..1, already
// encoded: do not apply linearToSrgb after it. Monotonic; very bright
// saturated light bends toward white as film does (ACES keeps it coloured).
vec3 tonemapAgX(vec3 x) {
    const mat3 inset = mat3(0.842479062253094, 0.0423282422610123, 0.0423756549057051,
                            0.0784335999999992, 0.878468636469772, 0.0784336,
                            0.0792237451477643, 0.0791661274605434, 0.879142973793104);
    const mat3 outset = mat3(1.19687900512017, -0.0528968517574562, -0.0529716355144438,
                             -0.0980208811401368, 1.15190312990417, -0.0980434501171241,
                             -0.0990297440797205, -0.0989611768448433, 1.15107367264116);
    const float minEv = -12.47393;
    const float maxEv = 4.026069;
    vec3 ev = clamp(log2(max(inset * x, 1e-10)), minEv, maxEv);
    vec3 y = agxContrast((ev - minEv) / (maxEv - minEv));
    return clamp(outset * y, 0.0, 1.0);
}

#endif
