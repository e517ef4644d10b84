// Mimic Bloom: the picture, at reduced resolution (0.4, set in the preset),
// remembering itself.
//   iChannel0: this target's previous frame (echoes; sRGB display values)
//   iChannel1: the musical state (see state.glsl)
// The flower is drawn in linear HDR light, exposed by the music and tone
// mapped. Behind it, the last frame drifts outward, turns, shifts hue and
// fades: echoes that hint at the time loop. Keeping the brighter of echo and
// live image means a still flower does not pile up on itself; only what moves
// or shrinks leaves ghosts. Output: sRGB display values (echoes fade in that
// space). Bloom, vignette, chromatic aberration and grain come after, from
// the shared post chain (the preset's [post]).
#include "lib/colour.glsl"
#include "lib/post.glsl"
#include "flower.glsl"

uniform float echoFade;    // seconds for an echo to fade to 1/e
uniform float echoGrow;    // outward drift of echoes (zoom per second)
uniform float echoSpin;    // echo rotation, radians per second
uniform float echoHue;     // hue turn of echoes, radians per second
uniform float exposure;     // base exposure
uniform float flashRed;     // strength of the red flash on the drop

// The void around the flower breathes with the bar (brightest on the
// downbeat), a faint glow of its hue; in the flower's sleep it breathes
// deeper and pulses on every beat, like a heartbeat.
vec3 voidBreath(vec2 p) {
    vec2 d = (p - gCentre) / (gZoom * flowerSize);
    float breath = 0.5 + 0.5 * cosFast(TAU * uBarPhase);
    float amount = (0.003 + 0.03 * gSleep) * (0.3 + 0.7 * breath) + 0.04 * gSleep * gBeat;
    return rainbow(gHue + 0.5) * amount * exp(-0.35 * dot(d, d));
}

void main() {
    vec2 res = iResolution.xy;
    vec2 uv = gl_FragCoord.xy / res;
    vec2 p = fitUv(gl_FragCoord.xy, res);
    vec2 toUv = vec2(1.0, res.x / res.y) * min(res.x, res.y) / res.x;  // frame units -> uv
    flowerSetup(texelFetch(iChannel1, ivec2(2, 0), 0), texelFetch(iChannel1, ivec2(3, 0), 0));

    // The live image: flower, exposure, tone curve.
    vec4 bloom = flower(p);
    // Exposure follows the level and flashes on the kick, the beat and any
    // onset (uOnset: snares, hats), on the very frame; the light rises as the flower wakes and falls in its sleep.
    float expo = exposure * (0.85 + 0.35 * uLevel + 0.3 * gPulse + 0.3 * gBeat + 0.5 * uOnset * uOnset * uOnset)
               * (0.75 + 0.25 * gWake) * (1.0 - 0.3 * gSleep) * (1.0 + 0.6 * uBuild);  // a build-up: the light rises
    vec3 light = bloom.rgb + voidBreath(p) * (1.0 - bloom.a);
    vec3 live = linearToSrgb(tonemapVivid(light * expo, 0.3));
    // The drop: a flash of red light, a white-hot core in the flower's heart.
    live = redFlash(live, (p - gCentre) * 2.0, uDrop * flashRed);

    // Last frame, zoomed out a little around the flower (faster on the kick)
    // and turned (small angles: sin a ~ a). Two reads: red from the full
    // drift, blue from half of it, so the steps between frames smear into
    // streaks with colour fringes.
    float dt = clamp(iTimeDelta, 1.0 / 240.0, 0.25);
    float zoom = 1.0 + dt * echoGrow * (1.0 + 3.0 * uBass * uBass);
    float a = dt * echoSpin;
    vec2 o = p - gCentre;
    vec2 e = gCentre + (o + a * vec2(o.y, -o.x)) / zoom;
    vec2 euv = e * toUv + 0.5;
    vec2 halfway = mix(e, p, 0.5) * toUv + 0.5;
    vec3 echoR = texture(iChannel0, euv).rgb;
    vec3 echoB = texture(iChannel0, halfway).rgb;
    vec3 echo = vec3(echoR.r, 0.5 * (echoR.g + echoB.g), echoB.b);
    echo = hueRotateSmall(echo, dt * echoHue);
    // Fade, and drain a sliver (0.06 per second, under half a level a frame) so
    // every echo reaches exactly zero within a few time constants: the picture
    // remembers a bounded past, and a render from any --start matches.
    echo = max(echo * exp(-dt / echoFade) - 0.06 * dt, 0.0);

    // Echoes only around the live flower, never through it.
    echo *= 1.0 - bloom.a;
    fragColor = vec4(max(max(echo, live), 0.0), 1.0);
}
