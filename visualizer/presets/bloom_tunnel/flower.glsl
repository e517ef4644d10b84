// Bloom Tunnel: one blossom on the tunnel wall, in linear HDR light, in its
// cell's frame (-0.5..0.5 on both axes).
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
    float aa;     // a pixel, in cell units (small far flowers blur)
    float sparkle; // 0..1: the petal tips catch the light (the hats)
};

// Premultiplied colour and coverage of the blossom at f; its halo glows in alpha 0.
vec4 blossom(vec2 f, Blossom b) {
    float r = length(f);
    float open = clamp(b.open, 0.0, 1.3);
    vec3 base = rainbow(b.hue);
    float reach = mix(0.16, 0.46, min(open, 1.0)) * (1.0 + 0.12 * b.pop);
    float edge = max(abs(f.x), abs(f.y));  // the halo ends inside the cell: no seams
    vec3 halo = base * (0.04 + 0.35 * open + 2.5 * b.pop) * exp(-r * r / (reach * reach) * 2.0) * smoothstep(0.5, 0.3, edge);
    if (r > reach + b.aa) return vec4(halo, 0.0);
    float n = 5.0 + floor(b.seed * 4.0);
    // Two whorls from one angle: outer petals, and shorter inner ones between them.
    float a = atan(f.y, f.x) + b.seed * TAU + 0.6 * open;
    vec2 outer = polarCell(a, n);
    vec2 inner = polarCell(a + PI / n, n);
    float width = reach * mix(0.5, 0.4, min(open, 1.0));
    float dOuter = sdPetal(r * vec2(sin(outer.y), cos(outer.y)), 0.5 * reach, 0.5 * width);
    float dInner = sdPetal(r * vec2(sin(inner.y), cos(inner.y)), 0.33 * reach, 0.4 * width);
    float heart = 0.05 + 0.03 * open;
    float d = min(min(dOuter, dInner), r - heart);
    float cover = smoothstep(b.aa, -b.aa, d);
    if (cover <= 0.0) return vec4(halo, 0.0);
    float along = clamp(r / reach, 0.0, 1.0);
    // Petals: the hue deepening toward the heart, a thin-film sheen toward the tip.
    vec3 petal = mix(base * 0.45, mix(base, thinFilm(b.hue + along), 0.25) * 1.4, along);
    // The inner whorl is paler, lit through; a dark seam where it overlaps the outer.
    float innerCover = smoothstep(b.aa, -b.aa, dInner);
    petal = mix(petal, mix(base, vec3(1.0), 0.15) * (0.6 + 0.8 * along), innerCover * 0.8);
    petal *= 0.75 + 0.25 * smoothstep(0.0, 0.03, abs(dInner));
    vec3 gold = mix(vec3(1.0, 0.6, 0.2), vec3(1.0, 0.95, 0.8), b.pop);
    vec3 col = mix(petal, gold * (1.2 + 2.0 * b.pop), smoothstep(heart + b.aa, heart - b.aa, r));
    col *= (0.35 + 0.9 * open) * (1.0 + 2.5 * b.pop);
    col += vec3(1.0, 0.95, 0.9) * b.sparkle * smoothstep(0.55, 1.0, along) * 1.5;
    return vec4(col * cover + halo * (1.0 - cover), cover);
}

#endif
