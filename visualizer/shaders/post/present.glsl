// Post: the finished picture (iChannel1) stretched to the output, with an
// ordered dither so smooth glows do not band in 8 bits. Appended when the
// chain runs smaller than the output.
#include "lib/post.glsl"

void main() {
    vec3 c = texture(iChannel1, gl_FragCoord.xy / iResolution.xy).rgb;
    fragColor = vec4(c + bayerDither(ivec2(gl_FragCoord.xy), iFrame) * (1.0 / 255.0), 1.0);
}
