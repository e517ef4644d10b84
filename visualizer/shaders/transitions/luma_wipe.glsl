// Luma wipe: the incoming frame appears where the outgoing one is darkest
// first and reaches its highlights last, through a soft edge.
#include "lib/colour.glsl"

const float EDGE = 0.12;  // softness, in luminance (0..1)

vec4 transition(vec2 uv, float progress) {
    vec4 from = fromColor(uv);
    float luma = clamp(luminance(from.rgb), 0.0, 1.0);
    // The front sweeps luminance 0 -> 1 + EDGE: nothing at 0, everything at 1.
    float front = progress * (1.0 + EDGE);
    return mix(from, toColor(uv), smoothstep(luma, luma + EDGE, front));
}
