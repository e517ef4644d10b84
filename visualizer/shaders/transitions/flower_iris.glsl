// Flower iris: the Mimic flower opens from the centre onto the incoming frame.
// Two layers of broad petals (the inner layer turned half a petal, its tips
// filling the outer one's notches) turn slightly as they open; a pastel
// rainbow glow rides the petal edge and a soft shadow falls on the outgoing frame.
#include "lib/colour.glsl"
#include "lib/space.glsl"

const float PETALS = 6.0;
const float NOTCH = 0.45;   // depth of the notch between petals, fraction of the tip radius
const float POINT = 0.45;   // 0 round petal tips .. 1 pointed
const float INNER = 0.8;    // inner layer's size relative to the outer
const float EDGE = 0.03;    // softness, in screen heights
const float TURN = 0.7;     // radians turned over the whole transition

// Petal outline at `angle`: 1 at a petal's tip, 1 - NOTCH in a notch.
float petalRadius(float angle) {
    float across = abs(polarCell(angle, PETALS).y) / (PI / PETALS);  // 0 tip .. 1 notch
    float round = sqrt(max(1.0 - across * across, 0.0));
    return 1.0 - NOTCH + NOTCH * mix(round, 1.0 - across, POINT);
}

// (distance to the outer layer, to the inner one): 1 on the outline, scaled like a radius.
vec2 layerDistances(vec2 p, float turn) {
    float angle = atan(p.y, p.x) + turn;
    float r = length(p);
    return vec2(r / petalRadius(angle), r / (INNER * petalRadius(angle + PI / PETALS)));
}

vec4 transition(vec2 uv, float progress) {
    float aspect = uResolution.x / uResolution.y;
    vec2 p = (uv - 0.5) * vec2(aspect, 1.0);
    float reach = 0.5 * length(vec2(aspect, 1.0)) / (1.0 - NOTCH) + EDGE;  // covers the corners
    float radius = reach * progress * (0.3 + 0.7 * progress);  // lingers while the bloom is small
    vec2 layers = layerDistances(p, TURN * progress + uSeed * TAU);
    float d = min(layers.x, layers.y);
    float inside = 1.0 - smoothstep(radius - EDGE, radius, d);
    float alive = 4.0 * progress * (1.0 - progress);  // 0 at both ends: exact frames there
    float width = EDGE + 0.015 * radius;
    float rim = exp(-pow((d - radius) / width, 2.0)) * alive;
    float seam = exp(-pow((layers.x - radius) / (0.5 * width), 2.0)) * inside * alive;  // outer petals over the inner
    float shadow = exp(-max(d - radius, 0.0) / (4.0 * width)) * (1.0 - inside) * alive;
    vec3 glow = hsv2rgb(vec3(atan(p.y, p.x) / TAU + 0.3 * progress, 0.45, 1.0));
    vec4 to = toColor(uv);
    vec3 colour = mix(fromColor(uv).rgb * (1.0 - 0.5 * shadow), to.rgb, inside);
    colour += (rim + 0.35 * seam) * (0.6 * glow + 0.4 * to.rgb);
    return vec4(colour, 1.0);
}
