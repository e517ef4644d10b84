// 7:03: the world behind the clock, in linear light. Each section of the
// song (uSection) is a different morning: its own palette, ray count, twist
// and layout (an open sky of rays, or rays over a rainbow floor that runs to
// a horizon). The rings of light run outward from the sun on every beat
// (uBeatPhase); everything dims to black in silence (`alive`).
#include "lib/noise.glsl"
#include "lib/palette.glsl"
#include "lib/space.glsl"

struct World {
    float hue;      // palette base (turns)
    float rays;     // ray count
    float twist;    // spiral of the rays
    float horizon;  // 1: a floor below the sun; 0: open sky
};

World worldOf(float section) {
    vec3 h = hash31(section * 7.13 + 3.1 + uSeed * 11.0);
    World w;
    w.hue = h.x;
    w.rays = floor(5.0 + 9.0 * h.y);
    w.twist = (h.z - 0.5) * 3.0;
    w.horizon = step(0.5, fract(h.z * 5.3 + section * 0.5));
    return w;
}

// p: frame point, c: the sun's centre (both in fit units), hue: the day's hue.
vec3 world(World w, vec2 p, vec2 c, float hue, float alive) {
    vec2 d = p - c;
    float r = length(d) + 1e-3;
    float a = atan(d.y, d.x);
    float logr = log(r);
    // Rays turning slowly with time, spiralling by the section's twist.
    float ray = 0.5 + 0.5 * cos(w.rays * a + w.twist * logr * 3.0 - iTime * 0.3);
    ray *= ray;
    // Rings of light born at the sun on each beat, running outward.
    float ring = fract(logr * 1.6 - beatLeap());
    ring = smoothstep(0.0, 0.08, ring) * exp(-ring * 9.0) * (0.4 + 0.6 * uBeatPulse) * drive();
    float t = w.hue + hue + a / TAU + 0.12 * logr;
    vec3 sky = rainbow(t) * (0.015 + 0.3 * ray * ray + 0.2 * ring) / (1.0 + 2.5 * r);
    if (w.horizon > 0.5) {
        // A rainbow floor below the sun: a perspective grid, rainbow across
        // it, its cross lines rushing toward us on each beat.
        float below = c.y - 0.1 - p.y;
        float depth = 0.25 / max(below, 1e-3);
        float across = (p.x - c.x) * depth;
        float rows = fract(depth + 0.5 * (uBeatCount + beatLeap()));
        float rowLine = smoothstep(1.5 * fwidth(depth) + 1e-4, 0.0, min(rows, 1.0 - rows));
        float lanes = 0.5 - abs(fract(across * 2.0) - 0.5);
        float laneLine = smoothstep(2.0 * fwidth(across * 2.0) + 1e-4, 0.0, lanes);
        float lines = rowLine * (0.5 + 0.5 * uBeatPulse) + laneLine;
        vec3 floorLight = rainbow(w.hue + hue + across * 0.25) * (0.012 + 0.5 * lines)
                        * smoothstep(0.0, 0.25, below) / (1.0 + 0.15 * depth);
        sky = below > 0.0 ? mix(sky * 0.4, floorLight, smoothstep(0.0, 0.03, below)) : sky;
    }
    return sky * alive;
}
