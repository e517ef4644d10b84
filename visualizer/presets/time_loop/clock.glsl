// 7:03: the motif, a sun that is also a clock face stopped at 7:03, ringed
// with rainbow petals, in linear light. Angles run clockwise from 12.
//   hands: the hour and minute hands at 7:03; over each day the minute hand
//          creeps toward 7:04 and the rewind takes it back (`creep`); the
//          second hand ticks once per beat (`tick`, in turns)
//   petals: `petals` of them (the day's count), opened by the kick (`open`)
// Silence (`alive` 0) leaves one thin hand in the dark.
#include "lib/sdf.glsl"
#include "lib/palette.glsl"
#include "lib/space.glsl"

struct Day {
    vec2 centre;    // the sun's centre, fit units
    float radius;   // the face's radius
    float hue;      // the day's hue (turns)
    float petals;   // petal count
    float tilt;     // the face turned a little (radians)
    float creep;    // 0 at 7:03 .. 1 at 7:04
    float tick;     // the second hand, turns
    float open;     // petal opening 0..1+
    float alive;    // 0 silence .. 1
};

// A hand from the centre along `turns` (clockwise from 12) of length `len`.
float hand(vec2 d, float turns, float len) {
    vec2 dir = vec2(sin(TAU * turns), cos(TAU * turns));
    return sdSegment(d, -0.12 * len * dir, len * dir);
}

// Light of a line at distance `dist` of half-width `w`: a sharp core and a glow.
float line(float dist, float w) {
    return smoothstep(w, 0.0, dist) + 0.25 * w / (abs(dist) + w);
}

// Returns light (rgb) and coverage (a) for the echoes beneath.
vec4 clockFace(Day day, vec2 p) {
    vec2 d = rot2(day.tilt) * (p - day.centre);
    float R = day.radius;
    float r = length(d);
    float a = atan(d.x, d.y);                       // clockwise from 12
    float inside = smoothstep(R + 0.004, R - 0.004, r);
    vec3 sun = rainbow(day.hue + 0.5 * a / TAU);    // a full rainbow half turn around the face
    // The sun disc: a hot core fading to a coloured face.
    vec3 light = (vec3(1.0, 0.9, 0.75) * exp(-r * r / (0.04 * R * R)) * 0.8
               + sun * (0.1 + 0.3 * r / R)) * inside * day.alive;
    // The rim and twelve hour marks.
    light += (vec3(1.0) + sun) * line(abs(r - R), 0.006) * day.alive;
    vec2 cell = polarCell(-a, 12.0);
    vec2 q = r * vec2(sin(cell.y), cos(cell.y));
    float major = mod(cell.x, 3.0) < 0.5 ? 1.6 : 1.0;
    light += vec3(1.0) * line(sdSegment(q, vec2(0.0, R * (0.9 - 0.06 * major)), vec2(0.0, R * 0.95)), 0.004 * major)
           * inside * day.alive;
    // Petals outside the rim: one rainbow turn around, opened by the kick.
    vec2 pc = polarCell(a, day.petals);
    vec2 pq = r * vec2(sin(pc.y), cos(pc.y)) - vec2(0.0, R * 1.02);
    float petalLen = R * (0.22 + 0.35 * day.open);
    float petal = sdPetal(pq, petalLen, petalLen * 0.38);
    vec3 petalHue = rainbow(day.hue + wrapIndex(pc.x, day.petals) / day.petals);
    float petalFill = smoothstep(0.006, -0.006, petal);
    light += petalHue * (petalFill * (0.5 + 1.2 * pq.y / max(2.0 * petalLen, 1e-3)) + 0.6 * line(abs(petal), 0.004))
           * day.alive;
    // The hands: 7:03 creeping toward 7:04; the second hand ticks with the beat.
    float minute = (3.0 + day.creep) / 60.0;
    float hour = (7.0 + minute) / 12.0;
    light += vec3(1.0, 0.95, 0.9) * line(hand(d, hour, R * 0.5), 0.011) * day.alive * 1.5;
    // The minute hand stays in silence: the one thin hand.
    light += vec3(1.0) * line(hand(d, minute, R * 0.82), mix(0.004, 0.007, day.alive)) * mix(1.2, 1.5, day.alive);
    light += vec3(1.0, 0.15, 0.1) * line(hand(d, day.tick, R * 0.9), 0.0025) * day.alive * 2.0;
    float cover = max(inside, petalFill) * day.alive;
    return vec4(light, cover);
}
