// Mimic Bloom: horizontal Gaussian of iChannel1 (bloom chain).
#include "lib/blur.glsl"
void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    fragColor = vec4(gaussian13(iChannel1, uv, vec2(1.0, 0.0), 1.0 / vec2(textureSize(iChannel1, 0))), 1.0);
}
