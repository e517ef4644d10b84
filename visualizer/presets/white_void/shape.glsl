// White Void: the line's shape, once per column (a 2048x1 target that
// remembers itself), so the page and the echoes read it with one fetch
// instead of ten per pixel.
//   iChannel1: this target's previous frame (x = shape, y = uOnset then,
//              z = how hard that frame was struck)
//   iChannel2: the state (state.glsl; texel 0's z is the line's character)
// r = the shape at x = (column + 0.5) / 2048, in the frame's smaller side;
// a = the beat's ripple there (wvRipple), in the same units.
// The line holds its shape between hits, settling slowly; on the frame an
// onset arrives (uOnset jumps) the hit strikes it into the waveform of that
// moment.
#include "line.glsl"

void main() {
    float mode = texelFetch(iChannel2, ivec2(0, 0), 0).z;
    float live = wvShape(gl_FragCoord.x / iResolution.x, mode);
    vec4 before = texelFetch(iChannel1, ivec2(gl_FragCoord.xy), 0);
    float strike = clamp(1.5 * (uOnset - before.y), 0.0, 1.0);
    // Between hits the struck shape settles (like a plucked string going
    // still), drifting a little toward the live waveform.
    float held = mix(before.x * 0.96, live, 0.04);
    // The frame after a hit takes in some of its body (the kick's loudest
    // swing comes a few milliseconds after its attack).
    float take = max(strike, 0.35 * before.z);
    float x = gl_FragCoord.x / iResolution.x;
    fragColor = vec4(iFrame == 0 ? live : mix(held, live, take), uOnset, strike, wvRipple(x));
}
