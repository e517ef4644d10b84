// Polar helpers and petal shapes for radially symmetric forms.
#ifndef LIB_POLAR
#define LIB_POLAR

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

// Wrap a sector index into 0..n-1 (for per-petal hashes across the seam).
float wrapIndex(float k, float n) {
    return mod(k, n);
}

// A petal lying along +x from the origin, in its own frame q.
// len: length; width: greatest half-width as a fraction of len;
// pointed: 0 rounded tip .. 1 pointed tip. No pow(): cheap on CPU rasterizers.
// Returns (f, u, v, halfWidth): f < 0 inside (about a distance near the
// sides), u = 0 at the base .. 1 at the tip, v = -1..1 across.
vec4 petalShape(vec2 q, float len, float width, float pointed) {
    float u = q.x / len;
    float uc = clamp(u, 0.0, 1.0);
    // Rises from the base like sqrt, closes at the tip round or pointed.
    float close = max(1.0 - uc * uc * uc, 0.0);
    float profile = sqrt(uc) * mix(sqrt(close), close, pointed) * 1.45;
    float halfWidth = width * len * profile;
    float f = abs(q.y) - halfWidth;
    f = max(f, max(-q.x, q.x - len));  // closes the base and the tip
    return vec4(f, u, q.y / max(halfWidth, 1e-4), halfWidth);
}

#endif
