// Spectral Landscape: what the memory pass (land.glsl) and the picture
// (scene.glsl) share: the memory's layout and the land's colours.
#include "lib/palette.glsl"
#include "lib/space.glsl"

const int SL_BANDS = 64;  // columns 0..63 of the memory: the bands of one ridge
const int SL_ROWS = 48;   // rows of the memory: ridges, the front one first
const vec2 SL_SIZE = vec2(65.0, 48.0);
const int SL_COLUMNS = 512;   // columns of the ridge pass (ridges.glsl)
const int SL_BLOCK = 8;       // ridges per block of the crest pass (crest.glsl)

// A vivid colour of the rainbow at its full brightness (largest channel 1).
vec3 slVivid(vec3 c) {
    return c / max(max(c.r, c.g), max(c.b, 1e-3));
}

// The line colour of one section's look (look 0..3, repeating), at band
// position u (0 bass .. 1 highs), depth d (0 front .. 1 horizon), for the
// ridge with serial number `serial`.
//   0: moonlight, cold white with a blue breath toward the horizon;
//   1: the spectrum itself, bass red through green to violet highs;
//   2: ember, gold at the front burning to magenta in the distance;
//   3: the loop, each ridge its own hue, a rainbow receding in bands.
vec3 slLook(int look, float u, float d, float serial) {
    if (look == 0) return mix(vec3(0.85, 0.95, 1.0), vec3(0.35, 0.55, 1.0), d);
    if (look == 1) return slVivid(spectral(mix(640.0, 430.0, u)));
    if (look == 2) return mix(vec3(1.0, 0.5, 0.03), vec3(1.0, 0.04, 0.45), smoothstep(0.0, 0.7, d + 0.3 * u));
    return slVivid(rainbow(serial * 0.045 + 0.35 * u));
}

// The line colour for an eased section number (section colours blend for a
// moment when a new section begins).
vec3 slLineColour(float section, float u, float d, float serial) {
    float s = max(section, 0.0);
    int a = int(mod(floor(s), 4.0));
    int b = int(mod(floor(s) + 1.0, 4.0));
    float t = fract(s);
    vec3 c = slLook(a, u, d, serial);
    return t < 0.01 ? c : mix(c, slLook(b, u, d, serial), t);
}
