// Colour: HSV, luminance, saturation, hue rotation and the sRGB encoding, in
// linear RGB unless a name says otherwise.
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

// Push saturation: s > 1 moves away from grey (clamped at 0).
vec3 saturate3(vec3 c, float s) {
    return max(mix(vec3(luminance(c)), c, s), 0.0);
}

// Rotate hue by a small `angle` (radians, |angle| < ~0.3) around the grey
// axis: Rodrigues' rotation to second order, no sin or cos. Per-frame drifts
// are small; turn a larger angle in steps.
vec3 hueRotateSmall(vec3 c, float angle) {
    const vec3 k = vec3(0.57735);
    float half2 = 0.5 * angle * angle;
    return c * (1.0 - half2) + cross(k, c) * angle + k * dot(k, c) * half2;
}

// Linear -> sRGB display encoding, 0..1 (Ian Taylor's fit, within ~1% of the
// exact curve above 0.01): three sqrt() instead of pow(), which CPU
// rasterizers expand into exp(log()).
vec3 linearToSrgb(vec3 c) {
    c = clamp(c, 0.0, 1.0);
    vec3 s1 = sqrt(c);
    vec3 s2 = sqrt(s1);
    vec3 s3 = sqrt(s2);
    return clamp(0.585122381 * s1 + 0.783140355 * s2 - 0.368262736 * s3, 0.0, 1.0);
}

#endif
