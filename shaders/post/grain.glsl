// Post: film grain, deterministic per pixel and frame.
#include "lib/post.glsl"
uniform float grain_amount;

void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    vec3 c = texture(iChannel1, uv).rgb;
    fragColor = vec4(c + grain_amount * filmGrain(ivec2(gl_FragCoord.xy), iFrame), 1.0);
}
