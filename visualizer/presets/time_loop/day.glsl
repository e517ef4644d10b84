// 7:03: where this pixel is in the loop, shared by both picture passes so
// they agree: the day (Loop), the shard it lies in after a drop, and how the
// sun-clock returns today (Day, seeded by the day's number).
#ifndef TIME_LOOP_DAY
#define TIME_LOOP_DAY
#include "loop.glsl"
#include "clock.glsl"
#include "lib/noise.glsl"

uniform float clockSize;   // the face's radius, in short sides of the frame

struct Loop {
    float id;       // the day's number (seeds how it returns)
    float phase;    // 0 at the reset .. 1
    float since;    // seconds since the reset
    float seconds;  // length of a day
    float perBar;   // days per bar
};

Loop loopNow(vec4 state) {
    Loop l;
    l.perBar = state.x;
    float bar = clamp(uBarPhase, 0.0, 1.0) * l.perBar;
    float sub = min(floor(bar), l.perBar - 1.0);
    l.phase = bar - sub;
    l.id = barIndex() * 4.0 + sub * (4.0 / l.perBar);
    l.seconds = beatSeconds() * beatsPerBar() / l.perBar;
    l.since = l.phase * l.seconds;
    return l;
}

// 1 at the reset, easing to 0 over the rewind.
float rewindOf(Loop l) {
    return 1.0 - smoothstep(0.0, min(0.3, 0.4 * l.seconds), l.since);
}

// The flash of an onset (uOnset): the light and the echoes flare on the frame
// of the hit; not on the reset, which is its own event (the alarm).
float flashOf(Loop l) {
    return hit() * (1.0 - rewindOf(l));
}

// Silence: 0 (a still black frame, one thin hand) .. 1.
float aliveNow() {
    return smoothstep(0.015, 0.12, uLevel);
}

Day dayOf(Loop l, float shard, vec2 halfFrame) {
    vec3 h = hash31(l.id * 1.618 + shard * 17.3 + uSeed * 5.0 + 0.5);
    float h4 = hash11(l.id * 3.7 + shard * 5.1 + 1.3);
    Day day;
    day.radius = clockSize * (1.0 + 0.06 * uBassHit + 0.15 * uBuild);
    vec2 range = max(halfFrame - day.radius * 1.5, vec2(0.03));
    // A faster loop (a build-up) moves it less far each day: the loop tightens.
    day.centre = (h.xy - 0.5) * 1.7 * range * inversesqrt(l.perBar);
    day.hue = h.z;
    day.petals = floor(5.0 + 8.0 * h4);
    day.tilt = (fract(h4 * 13.1) - 0.5) * 0.5;
    // The second hand ticks once a beat (an eased snap on uBeatPhase); the
    // rewind spins it back a whole turn and takes the minute hand back to 7:03.
    float rewind = rewindOf(l);
    float perDay = beatsPerBar() / l.perBar;
    float beat = floor(l.phase * perDay - uBeatPhase + 0.5);
    day.tick = (beat + smoothstep(0.0, 0.1, uBeatPhase)) / perDay + rewind;
    day.creep = max(smoothstep(0.1, 1.0, l.phase), rewind);
    day.open = 0.3 + 0.4 * uBass + 0.7 * uBassHit + 0.3 * uBuild;
    day.alive = aliveNow();
    return day;
}

// This pixel's place: after a drop the frame is `shards` x `shards` small
// copies of itself (state.z); each shard is a whole frame in miniature.
struct Place {
    vec2 uv;         // 0..1 over the target
    vec2 cell;       // which shard
    vec2 cuv;        // 0..1 within it
    vec2 p;          // fit units within the shard (the short side spans -0.5..0.5)
    vec2 halfFrame;  // half the frame in fit units
    float shards;
};

Place placeOf(vec2 pixel, vec2 res, float shards) {
    Place at;
    at.uv = pixel / res;
    at.halfFrame = 0.5 * res / min(res.x, res.y);
    at.shards = shards;
    at.cell = floor(at.uv * shards);
    at.cuv = fract(at.uv * shards);
    at.p = (at.cuv - 0.5) * 2.0 * at.halfFrame;
    return at;
}

// This pixel's loop, place and day from the loop's state texel (state.glsl):
// what every pass of the picture starts from.
Day dayHere(vec4 state, out Loop l, out Place at) {
    l = loopNow(state);
    at = placeOf(gl_FragCoord.xy, iResolution.xy, state.z);
    return dayOf(l, at.cell.x + 7.0 * at.cell.y, at.halfFrame);
}

#endif
