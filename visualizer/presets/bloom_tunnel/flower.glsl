// Bloom Tunnel: one blossom on the tunnel wall, in linear HDR light, in its
// cell's frame (-0.5..0.5 on both axes). Two whorls of soft, shaded petals:
// the outer whorl deep in hue, a shorter, lighter inner whorl between them,
// a golden heart; each flower has its own size, turn and petal count.
#ifndef BLOOM_TUNNEL_FLOWER
#define BLOOM_TUNNEL_FLOWER

#include "lib/sdf.glsl"
#include "lib/palette.glsl"
#include "lib/space.glsl"

struct Blossom {
    float open;   // 0 a closed bud .. 1 open (and a little past on the pop)
    float pop;    // 1 the moment it bursts open on the beat, fading
    float hue;    // turns
    float seed;   // 0..1: petal count and turn
    float size;   // 0.65..1.15: this flower's size in its cell
    float aa;     // a pixel, in cell units (small far flowers blur)
    float sparkle; // 0..1: the petal tips catch the light (the hats)
};

// One whorl's petal at polar (r, a): (distance, along 0..1, across -1..1).
vec3 whorlPetal(float r, float a, float n, float len, float halfWidth) {
    vec2 cell = polarCell(a, n);
    vec2 q = r * vec2(sin(cell.y), cos(cell.y));
    float d = sdPetal(q, 0.5 * len, halfWidth);
    return vec3(d, clamp(q.y / len, 0.0, 1.0), clamp(q.x / max(halfWidth, 1e-4), -1.0, 1.0));
}

// A petal's soft shading: dark at its base, full toward the tip, rounded
// across (darker at the curled edges), a pale midrib.
float petalShade(vec3 pet) {
    float body = (0.35 + 0.75 * pet.y * (1.3 - 0.5 * pet.y)) * (1.0 - 0.55 * pet.z * pet.z);
    return body + 0.18 * exp(-abs(pet.z) * 10.0) * pet.y;
}

// Premultiplied colour and coverage of the blossom at f; its halo glows in alpha 0.
vec4 blossom(vec2 f, Blossom b) {
    float r = length(f);
    float open = clamp(b.open, 0.0, 1.3);
    vec3 base = rainbow(b.hue);
    float reach = mix(0.16, 0.47, min(open, 1.0)) * (1.0 + 0.12 * b.pop) * b.size;
    float edge = max(abs(f.x), abs(f.y));  // the halo ends inside the cell: no seams
    vec3 halo = base * (0.04 + 0.3 * open + 2.5 * b.pop) * exp(-r * r / (reach * reach) * 2.0) * smoothstep(0.5, 0.3, edge);
    if (r > reach + b.aa) return vec4(halo, 0.0);
    float n = 5.0 + floor(b.seed * 3.0);
    float a = atan(f.y, f.x) + b.seed * 37.0 + 0.6 * open;
    // Outer whorl: broad petals; inner whorl: shorter, between them, turned on.
    vec3 outer = whorlPetal(r, a, n, reach, 0.34 * reach);
    vec3 inner = whorlPetal(r, a + PI / n + 0.3 * open, n, 0.62 * reach, 0.24 * reach);
    float heart = (0.045 + 0.03 * open) * b.size;
    float cover = smoothstep(b.aa, -b.aa, min(min(outer.x, inner.x), r - heart));
    if (cover <= 0.0) return vec4(halo, 0.0);
    // Outer petals: the hue deepening to the heart, a thin-film sheen at the tip,
    // shadowed where the inner whorl lies on them, a dark crease at the rim.
    vec3 outerCol = mix(base * 0.5, mix(base, thinFilm(b.hue + outer.y), 0.3) * 1.35, outer.y) * petalShade(outer);
    outerCol *= 0.55 + 0.45 * smoothstep(0.0, 0.05, inner.x);
    outerCol *= 0.6 + 0.4 * smoothstep(0.0, 2.0 * b.aa + 0.02, -outer.x);
    // Inner petals: paler, lit through, a shifted hue.
    vec3 innerBase = mix(rainbow(b.hue + 0.06), vec3(1.0, 0.97, 0.92), 0.4);
    vec3 innerCol = innerBase * petalShade(inner) * 1.25 * (0.7 + 0.3 * smoothstep(0.0, 2.0 * b.aa + 0.015, -inner.x));
    vec3 petal = mix(outerCol, innerCol, smoothstep(b.aa, -b.aa, inner.x));
    vec3 gold = mix(vec3(1.0, 0.6, 0.2), vec3(1.0, 0.95, 0.8), b.pop);
    vec3 col = mix(petal, gold * (1.2 + 2.0 * b.pop), smoothstep(heart + b.aa, heart - b.aa, r));
    col *= (0.35 + 0.9 * open) * (1.0 + 2.5 * b.pop);
    col += vec3(1.0, 0.95, 0.9) * b.sparkle * smoothstep(0.6, 1.0, outer.y) * step(outer.x, 0.0) * 1.5;
    return vec4(col * cover + halo * (1.0 - cover), cover);
}

#endif
