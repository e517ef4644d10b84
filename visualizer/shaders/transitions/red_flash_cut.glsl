// Red flash cut, the film's moment of death: a hard cut at progress 0.5 under
// a short saturated red flash with a white-hot core. The flash builds in the
// last moment before the cut, peaks on it and burns out after; under it the
// picture turns to a red silhouette of itself and a starburst leaves the core.
#include "lib/colour.glsl"

const float CUT = 0.5;
const float RISE = 0.08;   // the flash builds over this much progress before the cut
const float DECAY = 0.36;  // and burns out over this much after it
const vec3 CRIMSON = vec3(1.0, 0.03, 0.02);
const vec3 EMBER = vec3(1.0, 0.38, 0.08);
const vec3 WHITE_HOT = vec3(1.0, 0.97, 0.92);

float flashEnvelope(float progress) {
    if (progress < CUT) {
        float rise = smoothstep(CUT - RISE, CUT, progress);
        return rise * rise;
    }
    float fall = 1.0 - smoothstep(CUT, CUT + DECAY, progress);
    return fall * fall * fall;
}

// Rays around the core, 0.4..1, seamless in angle (whole-number frequencies).
float rays(float angle) {
    return 0.7 + 0.3 * sin(13.0 * angle + 2.0 * sin(5.0 * angle)) * sin(7.0 * angle + uSeed * 6.0);
}

vec4 transition(vec2 uv, float progress) {
    vec4 base = progress < CUT ? fromColor(uv) : toColor(uv);
    float flash = flashEnvelope(progress);
    float aspect = uResolution.x / uResolution.y;
    vec2 p = (uv - 0.5) * vec2(aspect, 1.0);
    float r2 = dot(p, p);
    float luma = clamp(luminance(base.rgb), 0.0, 1.0);
    // The picture as a red silhouette: crimson shadows, ember highlights, darker at the frame's edges.
    vec3 red = CRIMSON * (0.45 + 0.9 * luma) + EMBER * smoothstep(0.4, 1.0, luma) * 0.7;
    red *= 0.45 + 0.55 * exp(-r2 * 3.0);
    vec3 colour = mix(base.rgb, red, min(1.0, 1.25 * flash));
    // The core: white at the cut, shrinking and cooling as the flash burns out.
    float size = 0.04 + 0.1 * flash;
    float core = exp(-r2 / (size * size));
    float burst = exp(-sqrt(r2) / (1.6 * size)) * rays(atan(p.y, p.x));
    float streak = exp(-abs(p.y) / (0.12 * size) - abs(p.x) / (5.0 * size));
    float f2 = flash * flash;
    colour += EMBER * burst * 0.9 * f2 + WHITE_HOT * (core + 0.6 * streak) * f2 * flash;
    return vec4(colour, 1.0);
}
