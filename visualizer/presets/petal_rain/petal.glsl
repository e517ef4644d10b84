// Petal Rain: one petal, in linear HDR light: a rounded, notched blossom
// petal (broad tip, narrow base), translucent, with a fan of veins and
// thin-film colour, seen tumbling (foreshortened as it turns).
#ifndef PETAL_RAIN_PETAL
#define PETAL_RAIN_PETAL

#include "lib/sdf.glsl"
#include "lib/palette.glsl"
#include "lib/space.glsl"

// The petal's look this frame (set per petal by the scene).
struct Petal {
    float turn;    // tumble angle (radians): the face turns toward and away from us
    float tilt;    // in-plane rotation (radians)
    float hue;     // its own colour (turns)
    float blur;    // edge width in petal lengths (depth of field)
    float light;   // brightness
    float glint;   // 0..1 edge sparkle (the hats)
    float bend;    // how far the petal curves sideways (tip offset, petal lengths)
};

// Signed distance to the petal outline, base at the origin, tip at y = 1: a
// narrow claw at the base fanning out to a broad, rounded, notched blade.
float petalShape(vec2 q) {
    float tip = sdCircle((q - vec2(0.0, 0.62)) * vec2(0.72, 1.0), 0.32);
    float base = sdPetal(q, 0.4, 0.1);
    float d = smoothUnion(tip, base, 0.16);
    return smoothSubtract(d, sdCircle(q - vec2(0.0, 1.0), 0.12), 0.06);  // the notch
}

// Premultiplied colour and coverage at u (petal lengths, centred on the
// petal's middle); vec4(0) outside it. detail: veins and film sheen (the
// layer in focus); far and near petals are too small or too blurred for them.
vec4 petal(vec2 u, Petal pt, bool detail) {
    u = rot2(pt.tilt) * u;
    float face = cos(pt.turn);                  // 1 facing us, 0 edge-on
    float width = max(abs(face), 0.15);
    vec2 q = vec2(u.x / width, u.y + 0.5);
    // The petal curves like a cupped blade: its midline bends to one side.
    q.x -= pt.bend * q.y * q.y / width;
    // Foreshortened distance (about): x is squeezed by the turn, y is not,
    // so divide by the stretch in the outward direction.
    vec2 n = normalize(q - vec2(0.0, 0.55) + 1e-4);
    float d = petalShape(q) / length(vec2(n.x / width, n.y));
    // Depth of field: a blurred petal seen edge-on spreads its little light thin.
    float thin = mix(1.0, smoothstep(0.15, 0.7, width), min(1.0, pt.blur * 12.0));
    float cover = smoothstep(pt.blur, -pt.blur, d) * thin;
    if (cover <= 0.002) return vec4(0.0);
    float along = clamp(q.y, 0.0, 1.0);
    // Colour: its hue, sliding with the view angle (the turn) and along the
    // petal as a thin film does.
    float film = pt.hue + 0.22 * face + 0.18 * along;
    vec3 col = rainbow(film);
    float vein = 0.0;
    if (detail) {
        // A paler film sheen where it faces us; a fan of veins from the base.
        col = mix(col, thinFilm(film + 0.4) * 0.8, 0.2 * face * face);
        float v = abs(cosFast(atan(q.x, q.y + 0.08) * 9.0));
        v *= v; v *= v; v *= v;
        vein = v * smoothstep(0.05, 0.3, along) * (1.0 - 0.5 * along);
    }
    col *= (0.45 + 0.75 * along) * (1.0 + 1.3 * vein) * (0.75 + 0.35 * face * face);
    // Rim: light through the thin edge; the hats make it glint white.
    float rim = smoothstep(-0.08 - pt.blur, 0.0, d);
    col += mix(rainbow(film + 0.12), vec3(1.0), 0.15 + 0.85 * pt.glint) * rim * (0.6 + 7.0 * pt.glint);
    float alpha = cover * (0.55 + 0.3 * rim + 0.15 * vein);
    return vec4(col * pt.light * cover, alpha);
}

#endif
