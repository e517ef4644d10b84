// Dissolve: each pixel switches at its own moment, from a stable hash of its
// position and uSeed (the same frames every run), through a short soft step.
// A touch of value noise clumps the grain into drifting flecks.
#include "lib/noise.glsl"

const float EDGE = 0.08;   // softness of each pixel's switch, in progress
const float CLUMP = 0.35;  // 0 pure per-pixel grain .. 1 smooth blotches

vec4 transition(vec2 uv, float progress) {
    ivec2 pixel = ivec2(floor(uv * uResolution));
    float grain = hashPixel(pixel, int(uSeed * 9973.0));
    float blotch = valueNoise(uv * uResolution / 12.0 + uSeed * 101.0);
    float threshold = clamp(mix(grain, blotch, CLUMP), 0.0, 1.0);
    float front = progress * (1.0 + EDGE);
    return mix(fromColor(uv), toColor(uv), smoothstep(threshold, threshold + EDGE, front));
}
