// Space: constants, cheap periodic functions, rotation and polar coordinates.
#ifndef LIB_SPACE
#define LIB_SPACE

#ifndef PI
#define PI 3.14159265359
#endif
#ifndef TAU
#define TAU 6.28318530718
#endif

// Sine without sin(): a refined parabola, max error ~0.001. On CPU
// rasterizers sin() costs several times more; use this for animation.
float sinFast(float x) {
    float t = x * (1.0 / TAU);
    t -= floor(t + 0.5);  // -0.5 .. 0.5 turns
    float y = 8.0 * t - 16.0 * t * abs(t);
    return 0.225 * (y * abs(y) - y) + y;
}

float cosFast(float x) {
    return sinFast(x + 0.5 * PI);
}

// Rotation by `a` radians (counter-clockwise): rot2(a) * p.
mat2 rot2(float a) {
    float c = cos(a), s = sin(a);
    return mat2(c, s, -s, c);
}

// (radius, angle in -pi..pi) of p.
vec2 toPolar(vec2 p) {
    return vec2(length(p), atan(p.y, p.x));
}

// Polar repetition: which of `n` sectors the angle `a` falls in (sector k is
// centred on k * TAU / n) and the angle from that sector's centre.
// Returns (k, local angle); k is an integer-valued float, not wrapped.
vec2 polarCell(float a, float n) {
    float sector = TAU / n;
    float k = floor(a / sector + 0.5);
    return vec2(k, a - k * sector);
}

// Wrap a sector index into 0..n-1 (for per-sector hashes across the seam).
float wrapIndex(float k, float n) {
    return mod(k, n);
}

#endif
