// White Void: the line's shape, once per column (a 2048x1 target), so the
// page and the echoes read it with one fetch instead of ten per pixel.
//   iChannel2: the state (state.glsl; texel 0's z is the line's character)
// r = the shape at x = (column + 0.5) / 2048, in the frame's smaller side.
#include "line.glsl"

void main() {
    float mode = texelFetch(iChannel2, ivec2(0, 0), 0).z;
    fragColor = vec4(wvShape(gl_FragCoord.x / iResolution.x, mode), 0.0, 0.0, 1.0);
}
