// 7:03: musical state, a 1x1 rgba32f feedback target (iChannel1 = itself),
// run from the first frame (exact from any --start).
//   x = days per bar (1, 2 or 4): latched on each downbeat from uBuild, so
//       the build-up speeds the loop only on the grid
//   y = the bar that was latched on
//   z = shards across the frame after a drop: 4 on the drop (uDrop), halved
//       on each downbeat after it, back to 1 (one whole picture)
//   w = 1 once initialised
#include "loop.glsl"

void main() {
    vec4 s = texelFetch(iChannel1, ivec2(0), 0);
    float bar = barIndex();
    if (s.w < 0.5) {
        s = vec4(daysPerBar(uBuild), bar, 1.0, 1.0);
    }
    if (bar != s.y) {  // a downbeat: a new day
        s.x = daysPerBar(uBuild);
        s.y = bar;
        s.z = max(1.0, floor(s.z * 0.5));
    }
    if (uDrop > 0.9) {  // the moment of death: the loop shatters
        s.z = 4.0;
    }
    fragColor = s;
}
