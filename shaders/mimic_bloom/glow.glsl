// Mimic Bloom: the glow at 1/8 resolution: the vertical half of the bloom's
// Gaussian (iChannel1 = the horizontal half), saturated so it stays coloured,
// pulsed by the music (state in iChannel3): brighter with the level, flaring
// on kicks. (No wide halo: averaged over a rainbow it only greys the void.)
#include "lib/blur.glsl"
#include "lib/palette.glsl"

uniform float bloomGain;  // glow strength

void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    vec4 s0 = texelFetch(iChannel3, ivec2(0, 0), 0);
    vec4 s1 = texelFetch(iChannel3, ivec2(1, 0), 0);
    float pulse = s0.z * exp(-s0.y * 7.0);
    float music = 0.45 + 0.55 * s1.z + 0.8 * pulse;
    vec3 bloom = gaussian13(iChannel1, uv, vec2(0.0, 1.0), 1.0 / vec2(textureSize(iChannel1, 0)));
    vec3 glow = saturate3(bloom * bloomGain, 1.5) * music;
    fragColor = vec4(glow, 1.0);
}
