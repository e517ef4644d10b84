// Signed distances in 2D (negative inside), after Inigo Quilez's catalogue,
// and the petal shape of the Mimics. Units are the caller's (e.g. screen heights).
#ifndef LIB_SDF
#define LIB_SDF

float sdCircle(vec2 p, float radius) {
    return length(p) - radius;
}

// A ring of radius `radius` and half-width `halfWidth`.
float sdRing(vec2 p, float radius, float halfWidth) {
    return abs(length(p) - radius) - halfWidth;
}

// An axis-aligned box of half-size `halfSize`, centred on the origin.
float sdBox(vec2 p, vec2 halfSize) {
    vec2 d = abs(p) - halfSize;
    return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0);
}

// The segment from a to b (a capsule of width 0).
float sdSegment(vec2 p, vec2 a, vec2 b) {
    vec2 pa = p - a, ba = b - a;
    float h = clamp(dot(pa, ba) / dot(ba, ba), 0.0, 1.0);
    return length(pa - ba * h);
}

// Smooth union of two distances, blending over `k` (polynomial smooth min).
float smoothUnion(float a, float b, float k) {
    float h = max(k - abs(a - b), 0.0) / k;
    return min(a, b) - h * h * k * 0.25;
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
