// Post: bloom, step 2 of 4 (small): horizontal Gaussian of iChannel1, sigma
// bloom_radius pixels of the picture (iChannel2, whose size gives the scale).
#include "lib/post.glsl"
uniform float bloom_radius;

void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    float step = bloomBlurStep(bloom_radius, iResolution.y / iChannelResolution[2].y);
    fragColor = vec4(gaussian13(iChannel1, uv, vec2(step, 0.0), 1.0 / iResolution.xy), 1.0);
}
