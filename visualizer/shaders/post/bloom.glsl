// Post: bloom, step 4 of 4: the glow (iChannel2) added to the image
// (iChannel1) as light, bloom_strength of it, kept coloured.
#include "lib/post.glsl"
uniform float bloom_strength;
uniform float bloom_saturation;

void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    vec3 glow = texture(iChannel2, uv).rgb * bloom_strength;
    fragColor = vec4(addGlow(texture(iChannel1, uv).rgb, glow, bloom_saturation), 1.0);
}
