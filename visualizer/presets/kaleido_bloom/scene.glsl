// Kaleido Bloom: the picture. A rainbow mandala of Mimic petals zooming
// inward forever (petals.glsl), a living bloom at the tunnel's end, the red
// flash of the drop and the colour that bursts after it.
//   iChannel1: the musical state (state.glsl)
// Drawn in linear light, exposed and tone mapped to display values, with
// vignette and grain; the bloom follows in the post chain.
#include "petals.glsl"
#include "lib/colour.glsl"
#include "lib/post.glsl"

uniform float exposure;        // base light
uniform float bloomSize;       // the central bloom's radius at rest (frame's smaller side)
uniform float vignetteAmount;  // darker corners
uniform float grainAmount;     // film grain in display values

float foldCount(float choice) {
    return choice < 0.5 ? 6.0 : choice < 1.5 ? 8.0 : 12.0;
}

// The living bloom at the tunnel's end: n petals around a glowing heart,
// opened by the kick (`open` 0..1). Returns (light rgb, coverage).
vec4 heart(vec2 p, float n, float open) {
    float radius = bloomSize * (0.7 + 0.9 * open);
    float r = length(p);
    if (r > 1.6 * radius) return vec4(0.0);
    vec2 q = opPolarRepeat(rot2(-gRot * 1.5) * p, n);   // one petal on +x
    float d = sdPetal(q.yx, 0.5 * radius, radius * (0.22 + 0.12 * open));
    float cover = smoothstep(gPixel, -gPixel, d);
    float along = clamp(length(q) / radius, 0.0, 1.0);
    vec3 petalLight = mix(vec3(1.0, 0.85, 0.55), thinFilm(gHue + 0.6 * along), 0.6) * (1.6 - along);
    float core = exp(-r / (0.25 * radius));
    vec3 light = petalLight * cover + vec3(1.4, 1.2, 0.9) * core * (1.0 + 2.0 * open);
    return vec4(light, max(cover, smoothstep(0.35 * radius, 0.0, r)));
}

void main() {
    vec2 res = iResolution.xy;
    vec2 p = fitUv(gl_FragCoord.xy, res);
    vec4 s0 = texelFetch(iChannel1, ivec2(0, 0), 0);
    vec4 s1 = texelFetch(iChannel1, ivec2(1, 0), 0);
    vec4 s2 = texelFetch(iChannel1, ivec2(2, 0), 0);
    float beatSeconds = uTempo > 1.0 ? 60.0 / uTempo : 0.5;
    gZoom = s0.x;
    gRot = s2.x;
    gPixel = 1.0 / min(res.x, res.y);
    // The beat turns the palette a step; the drop spins it through the wheel.
    gHue = hueStep(uBeatCount, uBeatPhase, 12.0, 0.1) + uSeed + 0.5 * smoothstep(0.0, 2.0, min(uSinceDrop, 10.0));
    gSparkle = uHighHit;                               // hats: the petal edges sparkle
    gSeed16 = floor(uBeatCount * 4.0 + uBeatPhase * 4.0);
    // The song's energy (smoothed in the state) lights the petals; the
    // burst after the drop lights them all.
    float energy = s2.z;
    float burst = smoothstep(0.05, 0.3, uSinceDrop) * exp(-max(uSinceDrop - 0.3, 0.0) / 1.5);
    gFill = max(0.03 + 0.97 * smoothstep(0.62, 0.76, energy) * (1.0 - 0.45 * uBreakdown), burst);

    // The folds now; while a new count grows from the centre (over a beat),
    // the old one still fills the frame beyond it, a ring of light between.
    float n = foldCount(s1.x);
    vec3 light = mandala(p, n);
    float age = s1.z / beatSeconds;
    if (age < 1.5 && s1.x != s1.y) {
        float iris = 0.02 * exp(4.5 * age);            // the new count's edge, growing
        float r = length(p);
        float inside = smoothstep(iris * 1.08, iris * 0.92, r);
        if (inside < 1.0) light = mix(mandala(p, foldCount(s1.y)), light, inside);
        light += rainbow(gHue + 0.3) * 2.0 * exp(-abs(r - iris) / (0.01 + 0.02 * iris));
    }

    // Depth: the tunnel darkens toward its end, where the bloom lives.
    float r = length(p);
    light *= smoothstep(0.0, 0.35, r) * 0.85 + 0.15;
    vec4 bloom = heart(p, n, s0.z);
    light = mix(light, bloom.rgb, bloom.a) + bloom.rgb * (1.0 - bloom.a) * 0.3;

    // Exposure: the onset light (on the onset's frame), the beat, a build-up
    // brightening, and the burst of colour after the drop.
    float expose = exposure * (0.75 + 0.9 * s1.w + 0.25 * uBeatPulse + 0.4 * uBuild + 1.2 * burst);
    expose *= 0.4 + 0.6 * smoothstep(0.3, 0.75, max(energy, burst));   // silence: the mandala dims and waits
    light = saturateLuma(light, 1.3 + 1.0 * burst);
    // The drop: the moment of death. The petals' light turns to blood (red
    // on the shapes, the gaps black), the heart burns white-hot.
    float luma = dot(light, vec3(0.3, 0.55, 0.15));
    light = mix(light, vec3(1.0, 0.06, 0.03) * luma * 1.5, smoothstep(0.0, 0.6, uDrop))
          + vec3(1.0, 0.9, 0.8) * 5.0 * exp(-r * r / 0.004) * uDrop;
    expose *= 1.0 + 0.4 * uDrop;
    vec3 display = linearToSrgb(tonemapVivid(light * expose, 0.1));
    display *= vignette(gl_FragCoord.xy / res, res.x / res.y, vignetteAmount, 0.55);
    display = max(addFilmGrain(display, ivec2(gl_FragCoord.xy), iFrame, grainAmount), 0.0);
    fragColor = vec4(display, 1.0);
}
