// Signed distances in 2D (negative inside), after Inigo Quilez's catalogue,
// and the operators that combine and repeat them. Units are the caller's
// (e.g. screen heights); angles in radians. Exact distances unless a comment
// says "bound" (a lower bound: fine for masks and glow, not for marching).
// 3D shapes are in lib/sdf3.glsl.
#ifndef LIB_SDF
#define LIB_SDF

#include "lib/space.glsl"

// ---------------------------------------------------------------- shapes

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

// A vesica (lens: two circle arcs meeting in points) centred on the origin,
// pointed along y: half-length `halfLength` >= half-width `halfWidth`.
float sdVesica(vec2 p, float halfLength, float halfWidth) {
    float d = 0.5 * (halfLength * halfLength / halfWidth - halfWidth);  // arc centres at x = +-d
    float r = d + halfWidth;                                            // arc radius
    p = abs(p);
    return (p.y - halfLength) * d > p.x * halfLength ? length(p - vec2(0.0, halfLength))
                                                      : length(p + vec2(d, 0.0)) - r;
}

// A pointed petal growing from the origin along +y: a vesica of length
// 2 * halfLength and width 2 * halfWidth. Rotate p (rot2) to fan petals.
float sdPetal(vec2 p, float halfLength, float halfWidth) {
    return sdVesica(p - vec2(0.0, halfLength), halfLength, halfWidth);
}

// A regular polygon of `n` sides (n >= 3) with circumradius `radius`, a
// vertex on +y.
float sdPolygon(vec2 p, float radius, float n) {
    float an = PI / n;
    vec2 acs = vec2(cos(an), sin(an));
    float bn = mod(atan(p.x, p.y), 2.0 * an) - an;
    p = length(p) * vec2(cos(bn), abs(sin(bn)));
    p -= radius * acs;
    p.y += clamp(-p.y, 0.0, radius * acs.y);
    return length(p) * sign(p.x);
}

// A star of `n` points (tips at `radius`, one on +y); sharpness m in 2..n:
// 2 is the n-gon, n the thinnest spikes.
float sdStar(vec2 p, float radius, float n, float m) {
    float an = PI / n;
    float en = PI / m;
    vec2 acs = vec2(cos(an), sin(an));
    vec2 ecs = vec2(cos(en), sin(en));
    float bn = mod(atan(p.x, p.y), 2.0 * an) - an;
    p = length(p) * vec2(cos(bn), abs(sin(bn)));
    p -= radius * acs;
    p += ecs * clamp(-dot(p, ecs), 0.0, radius * acs.y / ecs.y);
    return length(p) * sign(p.x);
}

// An arc of a circle of radius `radius`, centred on +y, spanning
// `halfAngle` (0..PI) to each side, with round ends of half-width `halfWidth`.
float sdArc(vec2 p, float halfAngle, float radius, float halfWidth) {
    vec2 sc = vec2(sin(halfAngle), cos(halfAngle));
    p.x = abs(p.x);
    return (sc.y * p.x > sc.x * p.y ? length(p - sc * radius) : abs(length(p) - radius)) - halfWidth;
}

// ---------------------------------------------------------------- operators
// On distances (any dimension): round, onion and the smooth booleans.

// Smooth union of two distances, blending over `k` (polynomial smooth min).
float smoothUnion(float a, float b, float k) {
    float h = max(k - abs(a - b), 0.0) / k;
    return min(a, b) - h * h * k * 0.25;
}

// Smooth intersection of a and b, blending over `k`.
float smoothIntersect(float a, float b, float k) {
    return -smoothUnion(-a, -b, k);
}

// a with b cut out, the cut's edge blended over `k`.
float smoothSubtract(float a, float b, float k) {
    return -smoothUnion(-a, b, k);
}

// The shape grown by `radius`: corners rounded (shrink the shape first to
// keep its size).
float opRound(float d, float radius) {
    return d - radius;
}

// A shell of half-thickness `halfWidth` around the shape's edge; nest for
// concentric outlines: opOnion(opOnion(d, 0.1), 0.02).
float opOnion(float d, float halfWidth) {
    return abs(d) - halfWidth;
}

// ---------------------------------------------------------------- repetition
// On points: evaluate a shape at the returned point. Shapes must fit in one
// cell (half a period from the centre) for the distance to stay exact.

// Infinite grid repetition with cell size `period` (cells centred on
// multiples of period).
vec2 opRepeat(vec2 p, vec2 period) {
    return p - period * round(p / period);
}

// Repetition limited to cells -count..count on each axis (count: whole numbers).
vec2 opRepeatLimited(vec2 p, vec2 period, vec2 count) {
    return p - period * clamp(round(p / period), -count, count);
}

// Polar repetition: p rotated into the sector of `n` around the origin
// (sector k centred on angle k * TAU / n from +x, as polarCell). Draw one
// copy on +x; it appears n times.
vec2 opPolarRepeat(vec2 p, float n) {
    vec2 cell = polarCell(atan(p.y, p.x), n);
    return length(p) * vec2(cos(cell.y), sin(cell.y));
}

#endif
