// Signed distances in 2D (negative inside), after Inigo Quilez's catalogue,
// and their smooth union. Units are the caller's (e.g. screen heights).
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

#endif
