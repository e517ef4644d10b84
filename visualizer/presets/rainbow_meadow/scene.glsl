// Rainbow Meadow: the picture (at reduced scale; the post chain adds bloom,
// chromatic aberration, vignette and grain). Back to front: the sky and the
// rainbow, far hills, six layers of the meadow (parallax and haze by
// distance, the nearest out of focus), pollen in the air, the drop's flash
// of light. Output: sRGB display values.
#include "story.glsl"
#include "sky.glsl"
#include "meadow.glsl"
#include "lib/post.glsl"

uniform float exposure;   // base exposure
uniform float hazeAmount; // atmosphere between the layers

// Pollen in the air: specks drifting up, glinting on the hats (uHighHit).
vec3 pollen(vec2 p, float layer) {
    float size = mix(0.05, 0.09, layer);
    vec2 g = (p - vec2(gCamX * (1.0 + layer), 0.0)) / size + vec2(layer * 11.0, -iTime * 0.15);
    vec2 cell = floor(g);
    vec2 f = fract(g) - 0.5 - (hash22(cell) - 0.5) * 0.7;
    float h = hash12(cell + 3.0);
    float d2 = dot(f, f) * size * size;
    float dot_ = gPx * mix(0.8, 1.4, layer);
    float low = smoothstep(HORIZON + 0.3, HORIZON - 0.1, p.y);
    float glint = low * step(0.55, h) * (0.05 + 1.8 * uHighHit * step(0.7, fract(h * 7.0 + floor(uBeatCount) * 0.37)) + 2.0 * gBurst);
    return mix(vec3(1.0, 0.8, 0.35), rainbow(h * 5.0 + gHue), 0.5 * gBurst) * exp(-d2 / (dot_ * dot_)) * glint;
}

void main() {
    vec2 res = iResolution.xy;
    meadowStory();
    vec2 p = (gl_FragCoord.xy - 0.5 * res) / res.y / gZoom;
    gGust = gust(p.x);
    gBowLight = rainbow(0.8 * clamp(0.5 + 0.5 * p.x / gArc, 0.0, 1.0)) * 0.5;

    // Near to far, each veiled by haze by its distance; a layer's floor
    // covers everything below it, so the loop stops there.
    const int LAYERS = 9;
    float zs[9] = float[9](0.5, 0.8, 1.15, 1.6, 2.2, 3.0, 4.2, 6.0, 9.0);
    vec4 acc = vec4(0.0);
    for (int i = 0; i < LAYERS; ++i) {
        float z = zs[i];
        // Far blades are under a pixel apiece: one per cell is enough there.
        vec4 layer = meadowLayer(p, z, float(i) * 3.7 + 1.0, i == 0 ? 3.0 * gPx : i == 1 ? gPx : 0.0, z > 3.5 ? 0 : 1);
        if (layer.a <= 0.0) continue;
        float veil = smoothstep(1.5, 12.0, z) * 0.8 * hazeAmount;
        vec3 lit = mix(layer.rgb * gBright, haze() * 0.5 * layer.a, veil);
        acc += vec4(lit, layer.a) * (1.0 - acc.a);
        if (acc.a > 0.995) break;
    }
    vec3 col = sky(p);
    vec4 hl = hills(p);
    col = mix(col, hl.rgb, hl.a);
    col = col * (1.0 - acc.a) + acc.rgb;
    col += pollen(p, 0.0) + pollen(p, 1.0);
    // The drop: light bursting from behind the field (see sky()), through the
    // gaps in the grass; the field's darks stay dark.
    col += vec3(1.0, 0.85, 0.6) * gFlash * 0.6 * smoothstep(0.6, 0.0, length(p - vec2(0.0, HORIZON))) * (1.0 - 0.8 * acc.a);
    col *= exposure * min(iTime * 1.5 + 0.1, 1.0);
    fragColor = vec4(linearToSrgb(tonemapVivid(col, 0.5)), 1.0);
}
