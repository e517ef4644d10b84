// Post effects, one implementation each: tone mapping, bloom, vignette, film
// grain, dither, chromatic aberration, feedback trails and the red flash. The
// [post] chain's passes (shaders/post/) are built from these; a preset's own
// passes may call them too.
#ifndef LIB_POST
#define LIB_POST

#include "lib/colour.glsl"
#include "lib/noise.glsl"

// ---------------------------------------------------------------- tone

// The tone curves themselves (acesFitted, tonemapAgX) are in lib/colour.glsl.

// ACES-like curve that keeps saturated colours saturated: the curve is applied
// to the brightest channel (hue and saturation preserved), then blended toward
// the per-channel curve only for very bright values, so hot cores whiten.
vec3 tonemapVivid(vec3 x, float whiten) {
    x = max(x, 0.0);
    float peak = max(max(x.r, x.g), x.b);
    float mapped = acesFitted(vec3(peak)).r;
    vec3 huePreserving = x * (mapped / max(peak, 1e-5));
    float t = clamp(whiten * (peak - 1.0) / (peak + 2.0), 0.0, 1.0);
    return mix(huePreserving, acesFitted(x), t);
}

// ---------------------------------------------------------------- bloom
// Bloom works in light: display values squared. Bright parts are cut out at
// reduced size (bloomPrefilter of downsampleLight), blurred (gaussian13 twice)
// and screened back over the picture (addGlow).

// The part of light c above `threshold`, through a soft knee. Brightness is
// the largest channel, not luminance: blues glow as much as yellows.
vec3 bloomPrefilter(vec3 c, float threshold) {
    float l = max(max(c.r, c.g), c.b);
    float knee = threshold * 0.7;
    float soft = clamp(l - threshold + knee, 0.0, 2.0 * knee);
    soft = soft * soft / (4.0 * knee + 1e-4);
    return c * (max(soft, l - threshold) / max(l, 1e-4));
}

// The light of the texels of `tex` (display values) under a `ratio` times
// smaller pixel at uv: 4 bilinear fetches, each a 2x2 average, spread to
// cover the pixel; texel = 1 / texture size.
vec3 downsampleLight(sampler2D tex, vec2 uv, vec2 texel, float ratio) {
    vec2 spread = texel * max(0.25 * ratio, 1.0);
    vec3 sum = vec3(0.0);
    for (int i = 0; i < 4; ++i) {
        vec3 t = texture(tex, uv + spread * vec2(i == 0 || i == 2 ? -1.0 : 1.0, i < 2 ? -1.0 : 1.0)).rgb;
        sum += t * t;
    }
    return sum * 0.25;
}

// 13-tap Gaussian (sigma ~2.4 steps) from 7 bilinear fetches along `dir`
// (one step, in texels, e.g. (1,0)); uv in 0..1, texel = 1 / texture size.
vec3 gaussian13(sampler2D tex, vec2 uv, vec2 dir, vec2 texel) {
    const float offsets[3] = float[3](1.41176470, 3.29411764, 5.17647058);
    const float weights[3] = float[3](0.29690696, 0.09447039, 0.01038136);
    vec3 sum = texture(tex, uv).rgb * 0.19648255;
    for (int i = 0; i < 3; ++i) {
        vec2 o = dir * texel * offsets[i];
        sum += (texture(tex, uv + o).rgb + texture(tex, uv - o).rgb) * weights[i];
    }
    return sum;
}

// The gaussian13 step, in texels of a bloom target `scale` times the size of
// the picture, that makes its sigma `radius` pixels of the picture.
float bloomBlurStep(float radius, float scale) {
    return radius * scale / 2.4;
}

// Display colour c with `glow` (light) screened over it as light: never past
// white. A toe keeps the glow's faint edge from greying the void; saturation
// > 1 keeps the glow coloured.
vec3 addGlow(vec3 c, vec3 glow, float saturation) {
    glow = saturate3(glow, saturation);
    glow *= glow / (glow + 0.02);
    vec3 light = clamp(c * c, 0.0, 1.0);
    return sqrt(light + glow * (1.0 - light));
}

// ---------------------------------------------------------------- film

// 1 in the centre falling to 1 - amount in the corners; uv is 0..1.
float vignette(vec2 uv, float aspect, float amount, float softness) {
    vec2 d = (uv - 0.5) * vec2(aspect, 1.0);
    float r = length(d) / length(vec2(aspect, 1.0) * 0.5);
    return 1.0 - amount * smoothstep(1.0 - softness, 1.0 + softness * 0.2, r) * r;
}

// Film grain: zero-mean, triangular distribution in -1..1 (also a good
// dither against banding), seeded by pixel and frame: deterministic, never
// real time. One integer hash per pixel.
float filmGrain(ivec2 pixel, int frame) {
    uint h = hashPixelBits(pixel, frame);
    return (float(h & 65535u) + float(h >> 16u)) * (1.0 / 65535.0) - 1.0;
}

// Display colour c with film grain of `amount` (display values), strongest in
// the mid-tones as on film.
vec3 addFilmGrain(vec3 c, ivec2 pixel, int frame, float amount) {
    float l = clamp(dot(c, vec3(0.333)), 0.0, 1.0);
    return c + filmGrain(pixel, frame) * amount * (0.15 + 3.0 * l * (1.0 - l));
}

// Ordered dither in -0.5..0.5 (4x4 Bayer, shifted every frame): breaks 8-bit
// banding in smooth gradients for a handful of integer operations.
float bayerDither(ivec2 pixel, int frame) {
    ivec2 p = pixel + ivec2(frame, frame * 3);
    ivec2 lo = p & 1;
    ivec2 hi = (p >> 1) & 1;
    int v = 4 * (((lo.x ^ lo.y) << 1) + lo.y) + (((hi.x ^ hi.y) << 1) + hi.y);  // 0..15
    return (float(v) + 0.5) * (1.0 / 16.0) - 0.5;
}

// Chromatic aberration: red and blue read from tex pushed radially apart
// around `centre` (uv units, growing toward the edges); green is the caller's
// own unshifted sample, so this costs two fetches.
vec3 chromaticAberration(sampler2D tex, vec2 uv, vec2 centre, float amount, float green) {
    vec2 d = (uv - centre) * amount;
    return vec3(texture(tex, uv + d).r, green, texture(tex, uv - d).b);
}

// ---------------------------------------------------------------- the loop

// Feedback trail: the previous frame (`previous`, a feedback target read in
// its own pass) as seen from uv (0..1) after zooming by `zoom` (> 1 grows
// outward: 1.01 is a slow tunnel), turning by `angle` radians (per frame)
// around `centre` (uv), and keeping `keep` (0..1) of its light: echoes fade
// by keep^frames. `aspect` (width / height) keeps the turn round. Outside
// the old frame it reads black, so nothing smears in from the edges.
// Combine: max(fresh, feedbackTrail(...)) or fresh + feedbackTrail(...).
vec4 feedbackTrail(sampler2D previous, vec2 uv, vec2 centre, float aspect, float zoom, float angle, float keep) {
    vec2 d = (uv - centre) * vec2(aspect, 1.0);
    float c = cos(angle), s = sin(angle);
    d = mat2(c, -s, s, c) * d / zoom;  // the inverse turn: where this pixel's light was
    vec2 from = centre + d / vec2(aspect, 1.0);
    vec2 inside = step(vec2(0.0), from) * step(from, vec2(1.0));
    return texture(previous, from) * (keep * inside.x * inside.y);
}

// ---------------------------------------------------------------- death

// The red flash at the moment of death: display colour c washed toward a
// deep red over the whole frame, with a white-hot core around the flash's
// centre. p: offset from that centre (screen heights, e.g. centredUv - at);
// amount 0..1 (0 leaves c untouched; drive it with a fast attack and a
// ~0.5 s release from uDrop or a big hit). Returns display 0..1.
vec3 redFlash(vec3 c, vec2 p, float amount) {
    amount = clamp(amount, 0.0, 1.0);
    const vec3 blood = vec3(1.0, 0.07, 0.04);
    float falloff = 1.0 / (1.0 + dot(p, p));                      // a red that dims toward the corners
    vec3 washed = mix(c * vec3(1.0, 0.3, 0.25), blood * falloff, 0.75);
    vec3 red = mix(c, max(washed, c * vec3(1.0, 0.0, 0.0)), amount);
    float coreRadius = 0.05 + 0.3 * amount * amount;               // the white core opens with amount
    float core = exp(-dot(p, p) / (coreRadius * coreRadius)) * smoothstep(0.0, 0.5, amount);
    return clamp(mix(red, vec3(1.0), core), 0.0, 1.0);
}

#endif
