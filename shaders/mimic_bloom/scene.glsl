// Mimic Bloom: the picture, at reduced resolution (0.4, set in the preset),
// remembering itself.
//   iChannel0: this target's previous frame (echoes; sRGB display values)
//   iChannel1: the musical state (see state.glsl)
//   iChannel2: the glow of the previous frame (glow.glsl)
// The flower is drawn in linear HDR light, the glow added, exposed by the
// music and tone mapped. Behind it, the last frame drifts outward, turns,
// shifts hue and fades: echoes that hint at the time loop. Keeping the
// brighter of echo and live image means a still flower does not pile up on
// itself; only what moves or shrinks leaves ghosts. The echo is read with red
// and blue split radially: the touch of chromatic aberration fringing every
// ghost and the flower's silhouette. Output: sRGB display values (echoes fade
// in that space); alpha = how much of the pixel is the live flower itself
// (not glow, not echo): the bloom feeds on that alone, so the glow never feeds
// back on itself.
#include "lib/palette.glsl"
#include "lib/post.glsl"
#include "mimic_bloom/flower.glsl"

uniform float echoFade;    // seconds for an echo to fade to 1/e
uniform float echoGrow;    // outward drift of echoes (zoom per second)
uniform float echoSpin;    // echo rotation, radians per second
uniform float echoHue;     // hue turn of echoes, radians per second
uniform float aberration;  // red/blue split at the screen edge (uv units)
uniform float vignetteAmount;
uniform float grainAmount;  // film grain amplitude in display values
uniform float exposure;     // base exposure

void main() {
    vec2 res = iResolution.xy;
    vec2 uv = gl_FragCoord.xy / res;
    vec2 p = (gl_FragCoord.xy - 0.5 * res) / res.y;
    flowerSetup(texelFetch(iChannel1, ivec2(2, 0), 0));

    // The live image: flower, glow, exposure, tone curve, vignette.
    vec4 bloom = flower(p);
    vec4 glow = texture(iChannel2, uv);
    // Exposure follows the level and flashes on the kick, on the very frame.
    float expo = exposure * (0.85 + 0.35 * uLevel + 0.3 * gPulse);
    vec3 live = linearToSrgbFast(tonemapVivid((bloom.rgb + glow.rgb * (1.0 - 0.7 * bloom.a)) * expo, 0.3));
    live *= vignette(uv, res.x / res.y, vignetteAmount, 0.45);
    // Film grain, strongest in the mid-tones. Drawn at this resolution its
    // grains come out a little soft and clumped, like 16 mm stock.
    float l = dot(live, vec3(0.333));
    live += filmGrain(ivec2(gl_FragCoord.xy), iFrame) * grainAmount * (0.15 + 3.0 * l * (1.0 - l));

    // Last frame, zoomed out a little around the centre (faster on the kick)
    // and turned (small angles: sin a ~ a). Two reads: red from the full
    // drift pushed outward, blue from half the drift pulled inward, so the
    // steps between frames smear into streaks with colour fringes.
    float dt = clamp(iTimeDelta, 1.0 / 240.0, 0.25);
    float zoom = 1.0 + dt * echoGrow * (1.0 + 3.0 * uBass * uBass);
    float a = dt * echoSpin;
    vec2 e = (p + a * vec2(p.y, -p.x)) / zoom;
    vec2 euv = e * vec2(res.y / res.x, 1.0) + 0.5;
    vec2 split = (euv - 0.5) * aberration * (1.0 + uBass);
    vec2 halfway = mix(e, p, 0.5) * vec2(res.y / res.x, 1.0) + 0.5;
    vec3 echoR = texture(iChannel0, euv + split).rgb;
    vec3 echoB = texture(iChannel0, halfway - split).rgb;
    vec3 echo = vec3(echoR.r, 0.5 * (echoR.g + echoB.g), echoB.b);
    // Hue turn by a small angle h around the grey axis (Rodrigues, 2nd order).
    float h = dt * echoHue;
    const vec3 k = vec3(0.57735);
    echo = echo * (1.0 - 0.5 * h * h) + cross(k, echo) * h + k * dot(k, echo) * (0.5 * h * h);
    echo = max(echo, 0.0) * exp(-dt / echoFade);

    // Echoes only around the live flower, never through it.
    echo *= 1.0 - bloom.a;
    const vec3 w = vec3(0.2126, 0.7152, 0.0722);
    float own = dot(bloom.rgb, w) / max(dot(bloom.rgb + glow.rgb, w), 1e-4);
    own *= step(dot(echo, w), dot(live, w));
    fragColor = vec4(max(max(echo, live), 0.0), own);
}
