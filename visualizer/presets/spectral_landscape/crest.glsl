// Spectral Landscape: the crest of each block of 8 ridges, per column (a
// 512x6 target), so the picture skips a whole block whose ridges all stay
// below a pixel: they can neither draw there nor hide it.
//   iChannel2: the ridges (ridges.glsl)
// Texel (column, b): r = the highest line of ridges 8b..8b+7 over this column
// and the next (the picture blends the two).
#include "landscape.glsl"

void main() {
    int column = int(gl_FragCoord.x);
    int block = int(gl_FragCoord.y);
    int next = min(column + 1, SL_COLUMNS - 1);
    float crest = -10.0;
    for (int j = 0; j < SL_BLOCK; ++j) {
        int k = block * SL_BLOCK + j;
        crest = max(crest, max(texelFetch(iChannel2, ivec2(column, k), 0).r, texelFetch(iChannel2, ivec2(next, k), 0).r));
    }
    fragColor = vec4(crest, 0.0, 0.0, 1.0);
}
