// Spectral Landscape: every ridge shaped once per column (a 512x48 target),
// so the picture reads a ridge's height with one fetch instead of computing
// it per pixel.
//   iChannel1: the land's memory and state (land.glsl)
// Texel (column, k): ridge k at screen x = q * (the front range's half-width),
// q running -SL_REACH..SL_REACH over the columns;
//   r = the ridge line's height on screen (screen heights),
//   g = how visible its line is (the section's density, fading beyond the range),
//   b = |world x| (1 = the range's edge; the band position while below 1),
//   a = 1 where its body hides what lies behind (its line is drawn at all).
#include "terrain.glsl"

void main() {
    setup();
    int k = int(gl_FragCoord.y);
    float q = (gl_FragCoord.x / iResolution.x * 2.0 - 1.0) * SL_REACH;
    float d = rowDistance(k);
    float z = rowZ(k);
    float x = q * z;
    float serial = gSerial - float(k);
    float level = textureLod(iChannel1, memoryUv(k, abs(x)), 0.0).r;
    // A sparse section hides every other ridge; the one in front of a hidden
    // ridge carries its peaks, so no loud moment goes missing.
    if (gDensity < 1.0 && k + 1 < SL_ROWS) {
        level = max(level, (1.0 - gDensity) * textureLod(iChannel1, memoryUv(k + 1, abs(x)), 0.0).r);
    }
    float h = ridgeHeight(level, x, d, serial);
    float y = gBottom + gSpan * (plainAt(z) + h / z);
    float density = rowVisibility(serial);
    float vis = density * (1.0 - smoothstep(1.0, SL_REACH, abs(x)));
    fragColor = vec4(y, vis, abs(x), density > 0.3 ? 1.0 : 0.0);
}
