// Signed distances in 3D (negative inside), after Inigo Quilez's catalogue,
// and 3D operators. Units are the caller's (world units); y is up. The
// distance operators of lib/sdf.glsl (smoothUnion, smoothSubtract,
// smoothIntersect, opRound, opOnion) work on these distances too.
#ifndef LIB_SDF3
#define LIB_SDF3

#include "lib/sdf.glsl"

// ---------------------------------------------------------------- shapes

float sdSphere(vec3 p, float radius) {
    return length(p) - radius;
}

// The segment a..b thickened by `radius` (a pill).
float sdCapsule(vec3 p, vec3 a, vec3 b, float radius) {
    vec3 pa = p - a, ba = b - a;
    float h = clamp(dot(pa, ba) / dot(ba, ba), 0.0, 1.0);
    return length(pa - ba * h) - radius;
}

// A torus lying in the xz plane: ring radius `major`, tube radius `minor`.
float sdTorus(vec3 p, float major, float minor) {
    return length(vec2(length(p.xz) - major, p.y)) - minor;
}

// An axis-aligned box of half-size `halfSize`, centred on the origin.
float sdBox(vec3 p, vec3 halfSize) {
    vec3 d = abs(p) - halfSize;
    return length(max(d, 0.0)) + min(max(d.x, max(d.y, d.z)), 0.0);
}

// A capped cone around the y axis from y = -halfHeight (radius `bottom`) to
// y = +halfHeight (radius `top`); top = 0 gives a pointed cone. Exact.
float sdCone(vec3 p, float halfHeight, float bottom, float top) {
    vec2 q = vec2(length(p.xz), p.y);
    vec2 k1 = vec2(top, halfHeight);
    vec2 k2 = vec2(top - bottom, 2.0 * halfHeight);
    vec2 ca = vec2(q.x - min(q.x, q.y < 0.0 ? bottom : top), abs(q.y) - halfHeight);
    vec2 cb = q - k1 + k2 * clamp(dot(k1 - q, k2) / dot(k2, k2), 0.0, 1.0);
    float s = (cb.x < 0.0 && ca.y < 0.0) ? -1.0 : 1.0;
    return s * sqrt(min(dot(ca, ca), dot(cb, cb)));
}

// ---------------------------------------------------------------- operators
// On points: evaluate a shape at the returned point.

// Infinite repetition with cell size `period` (cells centred on multiples of it).
vec3 opRepeat(vec3 p, vec3 period) {
    return p - period * round(p / period);
}

// Repetition limited to cells -count..count on each axis (whole numbers).
vec3 opRepeatLimited(vec3 p, vec3 period, vec3 count) {
    return p - period * clamp(round(p / period), -count, count);
}

// `n` copies around the y axis (polar repetition of xz): draw one on +x.
vec3 opPolarRepeatY(vec3 p, float n) {
    vec2 q = opPolarRepeat(p.xz, n);
    return vec3(q.x, p.y, q.y);
}

// Twist around the y axis by `rate` radians per unit of height. Distorts
// distances: scale the step (e.g. * 0.6) when marching a twisted shape.
vec3 opTwist(vec3 p, float rate) {
    vec2 xz = rot2(rate * p.y) * p.xz;
    return vec3(xz.x, p.y, xz.y);
}

// Stretch a shape along each axis by `halfExtent` (a sphere becomes a
// capsule or a rounded box): evaluate sd(opElongate(p, h)). Exact outside.
vec3 opElongate(vec3 p, vec3 halfExtent) {
    return p - clamp(p, -halfExtent, halfExtent);
}

#endif
