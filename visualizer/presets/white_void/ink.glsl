// White Void: the echoes, one per beat of the bar, remembering themselves.
//   iChannel1: this target's previous frame; iChannel2: the state (state.glsl);
//   iChannel3: the line's shape (shape.glsl)
// Channel k (r, g, b, a) holds the line as it was on beat k of the bar (mod 4),
// stamped in place on that beat; the page (paper.glsl) sinks and fades each by
// its age, so echoes never blur by being resampled frame after frame.
#include "line.glsl"

void main() {
    vec4 s0 = texelFetch(iChannel2, ivec2(0, 0), 0);
    vec4 ink = texelFetch(iChannel1, ivec2(gl_FragCoord.xy), 0);
    float beats = s0.y;
    if (beats != s0.x) {
        float inBar = floor(uBarPhase * max(uBeatsPerBar, 1.0) + 1e-3);  // 0 on the downbeat
        if (inBar < 0.5) ink = vec4(0.0);
        vec3 s = wvStroke();
        vec2 p = gl_FragCoord.xy;
        float y0 = wvLineY(p.x, s.x, s.y);
        float y1 = wvLineY(p.x + 1.0, s.x, s.y);
        int slot = int(mod(inBar, 4.0));
        ink[slot] = wvInk(p, y0, y1, max(0.8 * s.z, 1.2));
    }
    fragColor = ink;
}
