// Post: tone map HDR to display, keeping saturated colours saturated.
#include "lib/post.glsl"
uniform float tonemap_exposure;

void main() {
    vec3 c = texture(iChannel1, gl_FragCoord.xy / iResolution.xy).rgb * tonemap_exposure;
    fragColor = vec4(tonemapVivid(c, 1.0), 1.0);
}
