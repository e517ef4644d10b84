// Hashes and procedural noise: value noise, simplex noise (2D, 3D), fbm over
// either, 2D curl noise and domain warping. Deterministic: same input, same
// output, on every driver (no sin()-based hashes, whose precision varies by
// GPU). Inputs are in noise cells (one feature per unit); keep |p| < 1e4.
#ifndef LIB_NOISE
#define LIB_NOISE

// Output scales that bring simplex() to about -1..1 (measured, not derived).
#define SIMPLEX2_SCALE 98.0
#define SIMPLEX3_SCALE 40.0

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

vec2 hash22(vec2 p) {
    vec3 p3 = fract(vec3(p.xyx) * vec3(0.1031, 0.1030, 0.0973));
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.xx + p3.yz) * p3.zy);
}

vec3 hash33(vec3 p) {
    vec3 p3 = fract(p * vec3(0.1031, 0.1030, 0.0973));
    p3 += dot(p3, p3.yxz + 33.33);
    return fract((p3.xxy + p3.yxx) * p3.zyx);
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

// ---------------------------------------------------------------- simplex

// A unit gradient for lattice point i (2D or 3D).
vec2 simplexGradient(vec2 i) {
    return normalize(hash22(i) - 0.5 + 1e-4);
}

vec3 simplexGradient(vec3 i) {
    return normalize(hash33(i) - 0.5 + 1e-4);
}

// 2D simplex noise (gradient noise on a triangle lattice), -1..1, mean 0,
// C2-smooth; features about 1 unit apart. Three gradients per sample.
float simplex(vec2 p) {
    const float K1 = 0.366025404;  // (sqrt(3) - 1) / 2
    const float K2 = 0.211324865;  // (3 - sqrt(3)) / 6
    vec2 i = floor(p + (p.x + p.y) * K1);
    vec2 a = p - i + (i.x + i.y) * K2;
    vec2 o = a.x > a.y ? vec2(1.0, 0.0) : vec2(0.0, 1.0);
    vec2 b = a - o + K2;
    vec2 c = a - 1.0 + 2.0 * K2;
    vec3 h = max(0.5 - vec3(dot(a, a), dot(b, b), dot(c, c)), 0.0);
    vec3 n = vec3(dot(a, simplexGradient(i)), dot(b, simplexGradient(i + o)),
                  dot(c, simplexGradient(i + 1.0)));
    h *= h;
    return clamp(dot(h * h, n) * SIMPLEX2_SCALE, -1.0, 1.0);
}

// 3D simplex noise, -1..1, mean 0; features about 1 unit apart. Animate 2D
// noise smoothly with simplex(vec3(p, time)). Four gradients per sample.
float simplex(vec3 p) {
    const float F3 = 1.0 / 3.0;
    const float G3 = 1.0 / 6.0;
    vec3 s = floor(p + dot(p, vec3(F3)));
    vec3 x = p - s + dot(s, vec3(G3));
    vec3 e = step(vec3(0.0), x - x.yzx);
    vec3 i1 = e * (1.0 - e.zxy);
    vec3 i2 = 1.0 - e.zxy * (1.0 - e);
    vec3 x1 = x - i1 + G3;
    vec3 x2 = x - i2 + 2.0 * G3;
    vec3 x3 = x - 1.0 + 3.0 * G3;
    vec4 w = max(0.6 - vec4(dot(x, x), dot(x1, x1), dot(x2, x2), dot(x3, x3)), 0.0);
    vec4 d = vec4(dot(x, simplexGradient(s)), dot(x1, simplexGradient(s + i1)),
                  dot(x2, simplexGradient(s + i2)), dot(x3, simplexGradient(s + 1.0)));
    w *= w;
    return clamp(dot(w * w, d) * SIMPLEX3_SCALE, -1.0, 1.0);
}

// Fractal sum of `octaves` simplex noises (1..6), -1..1, mean 0.
// Each octave doubles the frequency and halves the amplitude; cost is one
// simplex per octave: <= 3 at full resolution on a CPU rasterizer.
float fbmSimplex(vec2 p, int octaves) {
    float sum = 0.0;
    float amp = 0.5;
    float norm = 0.0;
    for (int i = 0; i < 6; ++i) {
        if (i >= octaves) break;
        sum += amp * simplex(p);
        norm += amp;
        p = mat2(1.6, 1.2, -1.2, 1.6) * p + 17.3;
        amp *= 0.5;
    }
    return sum / norm;
}

float fbmSimplex(vec3 p, int octaves) {
    float sum = 0.0;
    float amp = 0.5;
    float norm = 0.0;
    for (int i = 0; i < 6; ++i) {
        if (i >= octaves) break;
        sum += amp * simplex(p);
        norm += amp;
        p = p * 2.0 + vec3(17.3, -9.1, 5.7);
        amp *= 0.5;
    }
    return sum / norm;
}

// 2D curl noise: the rotated gradient of simplex(vec3(p, t)), a
// divergence-free flow (particles and smoke swirl, never bunch up). Speed is
// about 0..4 per unit of p (mean ~1.5); scale it to taste. Four simplex samples.
vec2 curl(vec2 p, float t) {
    const float e = 0.01;
    float n1 = simplex(vec3(p.x, p.y + e, t));
    float n2 = simplex(vec3(p.x, p.y - e, t));
    float n3 = simplex(vec3(p.x + e, p.y, t));
    float n4 = simplex(vec3(p.x - e, p.y, t));
    return vec2(n1 - n2, n4 - n3) * (0.5 / e);
}

// Domain warp: p pushed by two fbmSimplex fields (Inigo Quilez's warping),
// at most `amount` units away (in p's units). Feed the result to any noise
// or shape for liquid, marbled forms; animate with `t`. Cost: 2 x octaves simplex.
vec2 domainWarp(vec2 p, float amount, float t, int octaves) {
    vec2 q = vec2(fbmSimplex(vec3(p, t), octaves), fbmSimplex(vec3(p + vec2(5.2, 1.3), t), octaves));
    return p + amount * q;
}

#endif
