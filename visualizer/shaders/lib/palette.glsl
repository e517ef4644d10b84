// Palettes: cosine palettes, vivid rainbows and thin-film iridescence, in linear RGB.
#ifndef LIB_PALETTE
#define LIB_PALETTE

#include "lib/colour.glsl"

// Inigo Quilez's cosine palette: a + b * cos(2pi (c t + d)).
vec3 cosinePalette(float t, vec3 a, vec3 b, vec3 c, vec3 d) {
    return a + b * cos(6.28318530718 * (c * t + d));
}

// Fully saturated rainbow, hue h (periodic, 1 = full turn), linear RGB.
// Blues and violets are lifted so every hue reads about equally luminous.
vec3 rainbow(float h) {
    vec3 c = hsv2rgb(vec3(fract(h), 1.0, 1.0));
    return c * inversesqrt(max(luminance(c), 0.05)) * 0.55;
}

// Thin-film interference look: hue cycles with film thickness (0..1 and
// beyond), more saturated than a plain rainbow near grazing angles.
vec3 thinFilm(float thickness) {
    return cosinePalette(thickness, vec3(0.5), vec3(0.5), vec3(1.0, 1.0, 1.0),
                         vec3(0.0, 0.33, 0.67));
}

// A preset `palette` parameter (uniform vec3 NAME[4]: the a, b, c, d rows of
// a cosine palette) at position t (periodic, 1 = one cycle).
vec3 paletteColor(vec3 coefficients[4], float t) {
    return cosinePalette(t, coefficients[0], coefficients[1], coefficients[2], coefficients[3]);
}

#endif
