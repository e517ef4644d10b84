// Spectral Landscape: the colour and light of every ridge at every band (a
// 65x48 target laid out as the memory), worked out once a frame so the
// picture reads a line's light with one fetch.
//   iChannel1: the land's memory and state (land.glsl)
// Texel (band, k): rgb = ridge k's line light at that band: the section's
// look when it was laid down, red where it was laid down on the drop (and all
// of it on the drop itself), brighter for the onsets and loud bands of its
// moment, fading with distance.
#include "terrain.glsl"

void main() {
    setup();
    ivec2 texel = ivec2(gl_FragCoord.xy);
    if (texel.x >= SL_BANDS) {
        fragColor = vec4(0.0);
        return;
    }
    vec4 moment = texelFetch(iChannel1, texel, 0);
    float u = clamp((float(texel.x) - 3.0) / 60.0, 0.0, 1.0);  // see memoryUv
    float depth = rowDistance(texel.y) / float(SL_ROWS);
    vec3 c = slLineColour(moment.a, u, depth, gSerial - float(texel.y));
    c = mix(c, vec3(1.6, 0.06, 0.03), max(moment.b, uDrop));
    float light = (0.25 + 0.8 * moment.r + 0.8 * moment.g + 1.5 * uDrop) * exp(-3.0 * depth);
    fragColor = vec4(c * light, 1.0);
}
