// Post: darken toward the corners.
#include "lib/post.glsl"
uniform float vignette_amount;
uniform float vignette_softness;

void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    float v = vignette(uv, iResolution.x / iResolution.y, vignette_amount, vignette_softness);
    fragColor = vec4(texture(iChannel1, uv).rgb * v, 1.0);
}
