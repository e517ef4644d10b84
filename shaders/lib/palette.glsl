// Colour: vivid rainbows, iridescence and hue rotation, in linear RGB.
#ifndef LIB_PALETTE
#define LIB_PALETTE

// Inigo Quilez's cosine palette: a + b * cos(2pi (c t + d)).
vec3 cosinePalette(float t, vec3 a, vec3 b, vec3 c, vec3 d) {
    return a + b * cos(6.28318530718 * (c * t + d));
}

// HSV to RGB with smooth (C1) hue transitions: no hard seams between hues.
vec3 hsv2rgb(vec3 c) {
    vec3 rgb = clamp(abs(mod(c.x * 6.0 + vec3(0.0, 4.0, 2.0), 6.0) - 3.0) - 1.0, 0.0, 1.0);
    rgb = rgb * rgb * (3.0 - 2.0 * rgb);
    return c.z * mix(vec3(1.0), rgb, c.y);
}

// Fully saturated rainbow, hue h (periodic, 1 = full turn), linear RGB.
// Blues and violets are lifted so every hue reads about equally luminous.
vec3 rainbow(float h) {
    vec3 c = hsv2rgb(vec3(fract(h), 1.0, 1.0));
    float luma = dot(c, vec3(0.2126, 0.7152, 0.0722));
    return c * inversesqrt(max(luma, 0.05)) * 0.55;
}

// Thin-film interference look: hue cycles with film thickness (0..1 and
// beyond), more saturated than a plain rainbow near grazing angles.
vec3 thinFilm(float thickness) {
    return cosinePalette(thickness, vec3(0.5), vec3(0.5), vec3(1.0, 1.0, 1.0),
                         vec3(0.0, 0.33, 0.67));
}

// Rotate hue by `angle` radians around the grey axis (keeps luminance-ish).
vec3 hueRotate(vec3 c, float angle) {
    const vec3 k = vec3(0.57735);
    float co = cos(angle);
    return c * co + cross(k, c) * sin(angle) + k * dot(k, c) * (1.0 - co);
}

float luminance(vec3 c) {
    return dot(c, vec3(0.2126, 0.7152, 0.0722));
}

// Push saturation: s > 1 moves away from grey (clamped at 0).
vec3 saturate3(vec3 c, float s) {
    return max(mix(vec3(luminance(c)), c, s), 0.0);
}

// A preset `palette` parameter (uniform vec3 NAME[4]: the a, b, c, d rows of
// a cosine palette) at position t (periodic, 1 = one cycle).
vec3 paletteColor(vec3 coefficients[4], float t) {
    return cosinePalette(t, coefficients[0], coefficients[1], coefficients[2], coefficients[3]);
}

#endif
