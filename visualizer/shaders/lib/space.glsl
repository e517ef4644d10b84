// Space: constants, cheap periodic functions, rotation, polar and log-polar
// coordinates, kaleidoscopes, and frame coordinates that survive any aspect
// (16:9, 9:16, 1:1). Angles in radians.
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

// ---------------------------------------------------------------- frame
// Centred coordinates from a pixel (gl_FragCoord.xy or mainImage's pixel)
// and the target's resolution (iResolution.xy), y up, origin mid-frame.

// Screen heights: y spans -0.5..0.5 and x -0.5 * aspect..0.5 * aspect
// (16:9: x +-0.89; 9:16: x +-0.28, so width-filling scenes get cut).
vec2 centredUv(vec2 pixel, vec2 resolution) {
    return (pixel - 0.5 * resolution) / resolution.y;
}

// Fit: the square -0.5..0.5 is always whole in frame, touching the short
// sides; the long side shows more (16:9: x +-0.89, y +-0.5; 9:16: x +-0.5,
// y +-0.89; 1:1: +-0.5). Compose the subject inside radius 0.5 for every screen.
vec2 fitUv(vec2 pixel, vec2 resolution) {
    return (pixel - 0.5 * resolution) / min(resolution.x, resolution.y);
}

// Cover: the frame always lies within the square -0.5..0.5, which it fills
// along its long side (16:9: x +-0.5, y +-0.28; 9:16: x +-0.28, y +-0.5).
// For backgrounds that must fill the screen and may be cropped.
vec2 coverUv(vec2 pixel, vec2 resolution) {
    return (pixel - 0.5 * resolution) / max(resolution.x, resolution.y);
}

// ---------------------------------------------------------------- mappings

// Kaleidoscope: p folded into the wedge 0 <= angle <= PI / n (same radius),
// so the picture drawn at the result has n-fold rotational symmetry and a
// mirror every PI / n radians, starting on +x. n >= 1 (whole numbers for
// seamless mirrors).
vec2 kaleidoscope(vec2 p, float n) {
    float sector = TAU / n;
    float a = abs(mod(atan(p.y, p.x) + 0.5 * sector, sector) - 0.5 * sector);
    return length(p) * vec2(cos(a), sin(a));
}

// Log-polar coordinates (log radius, angle -pi..pi): scaling p by e^k shifts
// x by k and rotating p shifts y, so a pattern tiled in this space zooms
// forever (Droste, tunnels). Undefined at the origin (x -> -infinity).
vec2 logPolar(vec2 p) {
    return vec2(log(max(length(p), 1e-20)), atan(p.y, p.x));
}

#endif
