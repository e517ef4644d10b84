// Filmic post-processing: tone mapping, vignette, grain, chromatic aberration.
#ifndef LIB_POST
#define LIB_POST

// Krzysztof Narkowicz's ACES filmic fit, per channel: x linear HDR -> 0..1.
vec3 acesFitted(vec3 x) {
    return clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);
}

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
    uint h = (uint(pixel.x) * 1597334677u) ^ (uint(pixel.y) * 3812015801u) ^ (uint(frame) * 2654435769u);
    h = (h ^ (h >> 15u)) * 2246822519u;
    h ^= h >> 13u;
    return (float(h & 65535u) + float(h >> 16u)) * (1.0 / 65535.0) - 1.0;
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

// Linear -> sRGB display encoding.
vec3 linearToSrgb(vec3 c) {
    c = clamp(c, 0.0, 1.0);
    return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(0.0031308, c));
}

// Cheaper linear -> sRGB (Ian Taylor's fit, within ~1% above 0.01): three
// sqrt() instead of pow(), which CPU rasterizers expand into exp(log()).
vec3 linearToSrgbFast(vec3 c) {
    c = clamp(c, 0.0, 1.0);
    vec3 s1 = sqrt(c);
    vec3 s2 = sqrt(s1);
    vec3 s3 = sqrt(s2);
    return clamp(0.585122381 * s1 + 0.783140355 * s2 - 0.368262736 * s3, 0.0, 1.0);
}

// Chromatic aberration: red and blue read from tex pushed radially apart
// around `centre` (uv units, growing toward the edges); green is the caller's
// own unshifted sample, so this costs two fetches.
vec3 chromaticAberration(sampler2D tex, vec2 uv, vec2 centre, float amount, float green) {
    vec2 d = (uv - centre) * amount;
    return vec3(texture(tex, uv + d).r, green, texture(tex, uv - d).b);
}

#endif
