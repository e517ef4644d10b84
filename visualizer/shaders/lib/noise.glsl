// Hashes and cheap procedural noise. Deterministic: same input, same output,
// on every driver (no sin()-based hashes, whose precision varies by GPU).
#ifndef LIB_NOISE
#define LIB_NOISE

// Integer hash (PCG-style permutation), uniform over 32 bits.
uint hashU(uint v) {
    uint state = v * 747796405u + 2891336453u;
    uint word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}

// 32 random bits from an integer pixel and frame, for grain and dithering:
// one multiply-xor-shift round, cheap on CPU rasterizers.
uint hashPixelBits(ivec2 pixel, int frame) {
    uint h = (uint(pixel.x) * 1597334677u) ^ (uint(pixel.y) * 3812015801u) ^ (uint(frame) * 2654435769u);
    h = (h ^ (h >> 15u)) * 2246822519u;
    return h ^ (h >> 13u);
}

// 0..1 from an integer pixel and frame.
float hashPixel(ivec2 pixel, int frame) {
    return float(hashPixelBits(pixel, frame)) * (1.0 / 4294967296.0);
}

// Dave Hoskins' "hash without sine": 0..1, fine for moderate inputs (|p| < 1e4).
float hash11(float p) {
    p = fract(p * 0.1031);
    p *= p + 33.33;
    p *= p + p;
    return fract(p);
}

float hash12(vec2 p) {
    vec3 p3 = fract(vec3(p.xyx) * 0.1031);
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.x + p3.y) * p3.z);
}

vec2 hash21(float p) {
    vec3 p3 = fract(vec3(p) * vec3(0.1031, 0.1030, 0.0973));
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.xx + p3.yz) * p3.zy);
}

vec3 hash31(float p) {
    vec3 p3 = fract(vec3(p) * vec3(0.1031, 0.1030, 0.0973));
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.xxy + p3.yzz) * p3.zyx);
}

// Value noise, quintic fade, roughly 0..1.
float valueNoise(vec2 p) {
    vec2 i = floor(p);
    vec2 f = fract(p);
    vec2 u = f * f * f * (f * (f * 6.0 - 15.0) + 10.0);
    float a = hash12(i);
    float b = hash12(i + vec2(1.0, 0.0));
    float c = hash12(i + vec2(0.0, 1.0));
    float d = hash12(i + vec2(1.0, 1.0));
    return mix(mix(a, b, u.x), mix(c, d, u.x), u.y);
}

// Fractal sum of `octaves` value noises (1..6), roughly 0..1. Each octave
// costs one valueNoise: keep it to <= 3 at full resolution.
float fbm(vec2 p, int octaves) {
    float sum = 0.0;
    float amp = 0.5;
    float norm = 0.0;
    for (int i = 0; i < 6; ++i) {
        if (i >= octaves) break;
        sum += amp * valueNoise(p);
        norm += amp;
        p = mat2(1.6, 1.2, -1.2, 1.6) * p + 17.3;
        amp *= 0.5;
    }
    return sum / norm;
}

#endif
