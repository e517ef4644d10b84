// Post: film grain, strongest in the mid-tones; deterministic per pixel and frame.
#include "lib/post.glsl"
uniform float grain_amount;

void main() {
    vec3 c = texture(iChannel1, gl_FragCoord.xy / iResolution.xy).rgb;
    fragColor = vec4(addFilmGrain(c, ivec2(gl_FragCoord.xy), iFrame, grain_amount), 1.0);
}
