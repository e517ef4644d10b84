// Palettes, in linear RGB: cosine palettes, vivid rainbows, a physical
// spectrum by wavelength, thin-film iridescence, gradient stops and a hue that
// steps with the beat. Hues and palette positions t are periodic (1 = a turn)
// unless a comment says otherwise.
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

// One lobe of a piecewise Gaussian: width `below` left of `mean`, `above` right.
float spectralLobe(float x, float mean, float below, float above) {
    float t = (x - mean) / (x < mean ? below : above);
    return exp(-0.5 * t * t);
}

// The colour of pure light of wavelength `nm` (380..700 nanometres), linear
// sRGB 0..1: the CIE 1931 observer (Wyman, Sloan and Shirley's 2013 fit) to
// sRGB, out-of-gamut negatives clipped. Violet 380-440, blue ~450, cyan
// ~490, green ~530, yellow ~575, orange ~600, red 620-700; brightness follows
// the eye (dark at both ends, brightest ~555-610). For spectrum visualizers:
// map frequency to wavelength.
vec3 spectral(float nm) {
    float x = 1.056 * spectralLobe(nm, 599.8, 37.9, 31.0) + 0.362 * spectralLobe(nm, 442.0, 16.0, 26.7)
            - 0.065 * spectralLobe(nm, 501.1, 20.4, 26.2);
    float y = 0.821 * spectralLobe(nm, 568.8, 46.9, 40.5) + 0.286 * spectralLobe(nm, 530.9, 16.3, 31.1);
    float z = 1.217 * spectralLobe(nm, 437.0, 11.8, 36.0) + 0.681 * spectralLobe(nm, 459.0, 26.0, 13.8);
    const mat3 xyzToRgb = mat3(3.2406, -0.9689, 0.0557,    // columns: X, Y, Z
                               -1.5372, 1.8758, -0.2040,
                               -0.4986, 0.0415, 1.0570);
    return clamp(xyzToRgb * vec3(x, y, z) * 0.4, 0.0, 1.0);
}

// Gradient through `count` (1..8) colours evenly spaced over t = 0..1
// (clamped, not periodic), blended linearly in linear RGB. Unused entries
// of `stops` are ignored: vec3 stops[8] = vec3[8](red, gold, vec3(0), ...).
vec3 gradient(vec3 stops[8], int count, float t) {
    float x = clamp(t, 0.0, 1.0) * float(max(count - 1, 0));
    int i = min(int(x), max(count - 2, 0));
    return mix(stops[i], stops[min(i + 1, count - 1)], clamp(x - float(i), 0.0, 1.0));
}

// Gradient through `count` (1..8) colours at increasing `positions` (0..1):
// before the first stop its colour, after the last the last colour.
vec3 gradientStops(vec3 stops[8], float positions[8], int count, float t) {
    vec3 c = stops[0];
    for (int i = 1; i < 8; ++i) {
        if (i >= count) break;
        c = mix(c, stops[i], clamp((t - positions[i - 1]) / max(positions[i] - positions[i - 1], 1e-6), 0.0, 1.0));
    }
    return c;
}

// A hue (turns) that turns 1/`steps` of the wheel on every beat, gliding
// over the first `glide` (0..1) of the beat and resting after: pass
// uBeatCount and uBeatPhase, so the palette steps visibly on the beat (and
// with tap tempo). Continuous across beats; feed it to rainbow() or a palette.
float hueStep(float beatCount, float beatPhase, float steps, float glide) {
    float eased = smoothstep(0.0, max(glide, 1e-4), beatPhase);
    return fract((beatCount - 1.0 + eased) / steps);
}

#endif
