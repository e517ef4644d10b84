// Rainbow Meadow: one layer of the field at distance z: the ground, grass
// blades and a row of flowers on stems, all bending in the gust. Layers are
// drawn back to front with haze (see scene.glsl). Linear HDR light.
#ifndef MEADOW_FIELD
#define MEADOW_FIELD

#include "story.glsl"
#include "lib/sdf.glsl"

uniform float flowerDensity;  // share of the flower slots that hold a flower

const float BLADE = 0.035;   // spacing of grass blades (layer units)
const float SLOT = 0.2;      // spacing of flower slots

// How far a plant of height h leans at height y above the ground in this
// pixel's gust (gGust), plus its own `kick`: the tip goes furthest.
float lean(float y, float h, float kick) {
    float f = clamp(y / h, 0.0, 1.0);
    return f * f * (0.12 * gGust + kick) * h;
}

// Grass blade i of the layer at w (x along, y up, layer units): coverage and
// how lit it is (up the blade, on the side toward the light).
vec2 blade(vec2 w, float i, float seed, float aa) {
    vec3 h = hash31(i * 1.7 + seed);
    // Heights vary a lot (short tufts to tall stalks); each blade leans its own
    // way, its tip up to a blade's spacing aside.
    float height = 0.06 + 0.34 * h.x * h.x + 0.08 * h.z;
    float base = (i + 0.5 + 0.8 * (h.y - 0.5)) * BLADE;
    float x = w.x - base - lean(w.y, height, (h.z - 0.5) * 2.2 * BLADE / height);
    float f = w.y / height;
    // Thin and tapered to a point: widest at the foot.
    float half_ = (0.0032 + 0.0025 * h.y) * (1.0 - f) + 0.0003;
    float cover = smoothstep(aa, -aa, abs(x) - half_) * step(0.0, w.y) * step(f, 1.0);
    // .y: the lit edge (the side toward the light) and the tip.
    return vec2(cover, f * (0.4 + 0.6 * smoothstep(-half_, half_, x)));
}

// Grass of the layer: colour (premultiplied) and coverage. Dark at the foot,
// green to gold up the lit edge, the tips catching the rainbow's light (a
// hue by screen position, under the bow).
vec4 grass(vec2 w, float seed, float aa, int reach) {
    // Look the blades up where a blade of middling height leaning here grew
    // from: leaning blades are found, not cut at their cells' edges.
    float i = floor((w.x - lean(w.y, 0.25, 0.0)) / BLADE);
    vec4 acc = vec4(0.0);
    for (int k = -1; k <= 1; ++k) {
        if (abs(k) > reach) continue;
        float n = i + float(k);
        vec2 b = blade(w, n, seed, aa);
        vec3 green = mix(vec3(0.02, 0.32, 0.14), vec3(0.3, 0.62, 0.05), hash11(n * 5.3 + seed));
        vec3 tint = mix(vec3(0.004, 0.02, 0.012), green, b.y * b.y) + gBowLight * smoothstep(0.6, 1.0, b.y);
        acc += vec4(tint, 1.0) * b.x * (1.0 - acc.a);
    }
    return acc;
}

// Flower of slot j at w: colour (premultiplied) and coverage. Petals in a
// ring around a golden heart; `gOpen` unfolds them (a bud when closed), each
// flower a hue of the rainbow that turns on every bar; hats (uHighHit) glint
// pollen on the heart.
vec4 flower(vec2 w, float j, float seed, float aa) {
    vec4 h = vec4(hash21(j * 3.1 + seed), hash21(j * 7.3 + seed * 2.0));
    // The drop wakes hidden buds too: every slot flowers for a while.
    if (h.x > flowerDensity * (1.0 + 0.4 * gBurst)) return vec4(0.0);
    float height = 0.12 + 0.32 * h.y;
    float radius = (0.04 + 0.03 * h.z) * (1.0 + 0.3 * gBurst);
    float foot = (j + 0.5 + 0.3 * (h.w - 0.5)) * SLOT;
    // The stem, bending with the same gust.
    float sx = w.x - foot - lean(w.y, height, 0.0);
    float stem = smoothstep(aa, -aa, abs(sx) - 0.006) * step(0.0, w.y) * step(w.y, height);
    vec2 centre = vec2(foot + lean(height, height, 0.0), height);
    vec2 q = (w - centre) / radius;
    if (dot(q, q) > 2.2) return vec4(vec3(0.01, 0.06, 0.02), 1.0) * stem;
    float r = length(q);
    float a = atan(q.y, q.x);
    float n = 5.0 + floor(h.y * 4.0);
    float open = clamp(gOpen + 0.2 * (h.z - 0.5), 0.05, 1.25);
    float petal = 0.55 + 0.45 * abs(cosFast(0.5 * n * a + h.w * 6.0));
    float edge = mix(0.35, 1.0, open) * petal;
    float aaq = aa / radius;
    float cover = smoothstep(aaq, -aaq, r - edge);
    float heart = smoothstep(aaq, -aaq, r - 0.28 * mix(0.8, 1.0, open));
    vec3 hue = rainbow(gHue + h.x * 3.7 + h.z);
    float along = r / max(edge, 1e-3);
    vec3 petals = hue * (0.3 + 1.2 * smoothstep(0.2, 1.0, along)) * (0.7 + 0.5 * petal) * 1.3;
    // The drop's light shines through the petals from behind: their edges glow.
    petals *= 1.0 + 2.5 * (gFlash + 0.5 * gBurst) * smoothstep(0.4, 1.0, along);
    vec3 col = mix(petals, vec3(1.0, 0.55, 0.05) * 0.6, heart);
    // A pollen glint on the heart when the hats hit (half the flowers).
    col += vec3(1.0, 0.85, 0.5) * 3.0 * uHighHit * step(0.5, fract(h.y * 9.0)) * smoothstep(0.16, 0.0, r);
    col = mix(vec3(0.01, 0.06, 0.02), col, cover);
    return vec4(col, 1.0) * max(cover, stem);
}

// One layer at distance z seen from screen point p (nothing above its
// tallest plant): colour (premultiplied) and coverage. Below its ground line
// the meadow floor of this layer fills in.
vec4 meadowLayer(vec2 p, float z, float seed, float blur, int reach) {
    float s = 1.0 / z;
    float ground = HORIZON - CAM_H * s;
    if (p.y > ground + 0.62 * s) return vec4(0.0);
    vec2 w = vec2((p.x - gCamX * s) / s + seed * 13.0, (p.y - ground) / s);
    float aa = (gPx + blur) / s;
    vec4 col = vec4(0.0);
    // Flowers over the grass in front of them: the nearer slot first.
    float j = floor(w.x / SLOT);
    float side = fract(w.x / SLOT) < 0.5 ? -1.0 : 1.0;
    vec4 f = flower(w, j, seed, aa);
    f += flower(w, j + side, seed, aa) * (1.0 - f.a);
    vec4 g = grass(w, seed, aa, reach);
    col = g + f * (1.0 - g.a);
    // The floor: dense grass in shadow, as dark as the blades' feet.
    float floor_ = smoothstep(0.0, -0.03, w.y);
    if (floor_ > 0.0) {
        vec3 dark = vec3(0.005, 0.024, 0.014) * (0.6 + 0.8 * valueNoise(w * vec2(40.0, 5.0)));
        col += vec4(dark, 1.0) * floor_ * (1.0 - col.a);
    }
    return col;
}

#endif
