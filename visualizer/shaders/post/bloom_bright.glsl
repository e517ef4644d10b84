// Post: bloom, step 1 of 4 (small): the light of the image (iChannel1) above
// bloom_threshold.
#include "lib/post.glsl"
uniform float bloom_threshold;

void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    vec2 size = vec2(textureSize(iChannel1, 0));
    vec3 light = downsampleLight(iChannel1, uv, 1.0 / size, size.y / iResolution.y);
    fragColor = vec4(bloomPrefilter(light, bloom_threshold), 1.0);
}
