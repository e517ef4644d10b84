// Post: chromatic aberration, red and blue pulled apart toward the edges.
#include "lib/post.glsl"
uniform float chromatic_amount;

void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    float green = texture(iChannel1, uv).g;
    fragColor = vec4(chromaticAberration(iChannel1, uv, vec2(0.5), chromatic_amount * 10.0, green), 1.0);
}
