// Black Void: one living thing in pure black space, a rainbow spectrum ring.
// Drawn in linear HDR light at reduced resolution (the preset's scale) and
// tone mapped; bloom, chromatic aberration, vignette and grain follow from
// the shared post chain. Local helpers, prefixed bv (candidates for lib/):
//   bvSpectral: a full-spectrum hue wheel, bvSpectrum: the mirrored band
//   levels around the ring, bvSpikes: the ring's bars. Glow and shock rings
//   come from lib/light.glsl. (lib/palette.glsl's rainbow cannot come in: its
//   hueStep() would clash with this preset's hueStep parameter.)

#include "lib/light.glsl"

uniform float ringRadius;   // radius of the outer ring, in the frame's smaller side
uniform float spikeLength;  // longest spectrum bar, in the frame's smaller side
uniform float hueStep;      // hue turn per bar (1 = the whole wheel)
uniform float exposure;     // base light
uniform float spikes;       // bars around the ring

const float TAU_ = 6.28318530718;

// Fully saturated spectral hue, h periodic (1 = one turn), linear light;
// smooth between primaries so no hue band reads as a step.
vec3 bvSpectral(float h) {
    vec3 c = clamp(abs(mod(h * 6.0 + vec3(0.0, 4.0, 2.0), 6.0) - 3.0) - 1.0, 0.0, 1.0);
    c = c * c * (3.0 - 2.0 * c);
    return c / max(dot(c, vec3(0.30, 0.55, 0.15)), 0.35) * 0.45;
}

// Band level (uBands) at mirrored position m (0 at the top of the ring, 1 at
// the bottom): bass on top, highs below, symmetric left and right; 0..1.
// Music falls off toward the highs, so the upper bands are lifted (a tilt)
// and the lower arc lives as much as the top.
float bvSpectrum(float m) {
    float band = texture(uBands, vec2(0.03 + 0.9 * m, 0.5)).x;
    band *= 0.85 + 1.0 * m * m;
    float floor_ = 0.22 - 0.1 * m;
    return pow(clamp((band - floor_) / (1.0 - floor_), 0.0, 1.0), 1.4);
}

// The drop (uSinceDrop): five concentric shock rings already thrown out on
// the drop's own frame, racing outward and fading; the first red-hot.
vec3 bvShockRings(float r, float a, float radius, float hue) {
    vec3 c = vec3(0.0);
    for (int j = 0; j < 5; ++j) {
        float fj = float(j);
        float t = uSinceDrop - 0.04 * fj;                     // one after another
        if (t < 0.0) break;
        float front = radius + 0.04 + (1.1 + 0.15 * fj) * t;
        float d = (r - front) / (0.0025 + 0.002 * t);
        float w = exp(-d * d) * exp(-t * 7.5);
        vec3 tint = j == 0 ? vec3(3.0, 0.35, 0.15) : mix(vec3(2.2, 0.2, 0.1), bvSpectral(hue + 0.2 * fj + a / TAU_) * 2.0, 0.5);
        c += tint * w * (j == 0 ? 1.2 : 0.7);
    }
    return c;
}

// The drop's flash at the heart (uDrop, ~0.3 s): a white-hot core inside a
// red bloom, held inside the ring so the void stays black.
vec3 bvHeartFlash(float r, float radius) {
    float f = uDrop * uDrop;
    float core = exp(-r * r / (0.035 * 0.035));
    float red = exp(-r * r / (0.2 * radius * radius)) * smoothstep(0.8 * radius, 0.4 * radius, r);
    return (vec3(4.0) * core + vec3(1.8, 0.12, 0.06) * red) * f;
}

// The ring's spectrum bars at radius r, angle a: bars from `radius` outward,
// `len` long, `aa` the size of a pixel. Brightest at their tips.
float bvSpikes(float r, float a, float radius, float len, float aa) {
    float cell = fract(a / TAU_ * spikes) - 0.5;
    float across = abs(cell) * TAU_ / spikes * r;                 // distance to the bar's axis
    float halfWidth = 0.24 * TAU_ / spikes * radius;
    float side = smoothstep(halfWidth + aa, halfWidth - aa, across);
    float dr = r - radius;
    float along = smoothstep(-aa, aa, dr) * smoothstep(len + aa, len - aa, dr);
    return side * along * (0.35 + 0.65 * clamp(dr / max(len, 1e-4), 0.0, 1.0));
}

void main() {
    vec2 res = iResolution.xy;
    float small = min(res.x, res.y);
    vec2 p = (gl_FragCoord.xy - 0.5 * res) / small;
    float aa = 1.2 / small;
    float r = length(p);
    float a = atan(p.x, p.y);           // 0 at the top, +-pi at the bottom
    float m = abs(a) / 3.14159265;

    // The bar turns the hue wheel one step, eased over the first beat's start
    // so the turn lands on the downbeat.
    float bar = floor(uBeatCount / max(uBeatsPerBar, 1.0));
    float hue = hueStep * (bar - 1.0 + smoothstep(0.0, 0.1, uBarPhase)) + uSeed;
    // The beat pulse expands the ring; a build contracts it and brightens it.
    float radius = ringRadius * (1.0 + 0.14 * uBeatPulse) * (1.0 - 0.4 * uBuild);
    float light = exposure * (0.55 + 0.6 * uLevel) * (1.0 + 1.8 * uBuild);
    float level = bvSpectrum(m);

    // The section sets how many nested rings (1, 2, 3, then 1 again); each
    // inner one is smaller, turned half a wheel and a beat behind in hue.
    int rings = 1 + int(mod(uSection, 3.0));
    vec3 colour = vec3(0.0);
    for (int k = 0; k < rings; ++k) {
        float scale = pow(0.6, float(k));
        float rk = radius * scale;
        float len = spikeLength * scale * level * (1.0 - 0.3 * uBuild);
        vec3 tint = bvSpectral(hue + a / TAU_ + 0.5 * float(k));
        float bars = bvSpikes(r, a, rk, len, aa) * (1.0 + 1.5 * uHigh * smoothstep(0.6 * len, len, r - rk));
        float core = glowLine(r - rk, 0.004 + 0.003 * uBassHit) * (0.5 + 1.2 * uBassHit);
        colour += tint * (1.6 * bars + core);
    }

    // Each beat sends a faint echo of the ring outward (the beat grid, visible).
    float beatAge = uBeatPhase * (uTempo > 1.0 ? 60.0 / uTempo : 0.5);
    colour += bvSpectral(hue + a / TAU_) * 0.5 * shockwave(r, radius, 0.9, beatAge, 0.004);

    // The drop throws out five concentric shock rings, the first red-hot.
    if (uSinceDrop < 4.0) colour += bvShockRings(r, a, radius, hue);
    colour *= light;
    colour += bvHeartFlash(r, radius);   // the red flash at the heart, white at its core

    // Tone map: soft shoulder, black stays black.
    fragColor = vec4(1.0 - exp(-max(colour, 0.0)), 1.0);
}
