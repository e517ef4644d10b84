// Mimic Bloom: the print, at full resolution: the finished picture
// (iChannel1, sRGB display values, film grain already in it) stretched to the
// screen, with an ordered dither so its smooth glows do not band in 8 bits.
// Kept lean on purpose: on a CPU rasterizer every full-resolution operation
// counts.
#include "lib/post.glsl"

void main() {
    vec3 col = texture(iChannel1, gl_FragCoord.xy / iResolution.xy).rgb;
    fragColor = vec4(col + bayerDither(ivec2(gl_FragCoord.xy), iFrame) * (1.0 / 255.0), 1.0);
}
