// Darol: the picture (drawn at half resolution; the post chain adds bloom,
// chromatic aberration, vignette and grain). Back to front, each layer seen
// through the same camera at its own depth (parallax): sky, hazy ridges,
// the ground with its roots, the stem, horizon mist over its foot, the head,
// spores, near fog; the drop's red light (behind the flower, then on it). Output: sRGB display values.
#include "story.glsl"
#include "land.glsl"
#include "flower.glsl"

uniform float exposure;   // base exposure
uniform float flashRed;   // strength of the red flash on the drop (uDrop)

void main() {
    vec2 p = (gl_FragCoord.xy - vec2(0.5 * iResolution.x, 0.0)) / iResolution.y;
    darolStory();
    landSetup();

    // Far to near: sky (depth 0.1), ridges (0.3, 0.55), Darol's plane (1).
    vec2 wSky = darolView(p, 0.1);
    vec2 w = darolView(p, 1.0);
    // The drop: a flash of red light, the moment of death, burning out in
    // ~0.3 s (uDrop eased) into the eruption. The red comes from behind and
    // inside the flower, so its silhouette and burst read through it.
    float flash = smoothstep(0.35, 0.95, uDrop) * flashRed;
    vec3 col = sky(wSky);
    float nearHead = exp(-length(w - gHead) * 2.5);
    // The flower lights the sky; on every beat (gPulse) its heart's white-gold
    // light flares through the air around it.
    col += rainbow(gHue + 0.95) * gLight * 0.12 * nearHead * 1.3;
    col += vec3(1.0, 0.7, 0.45) * gLight * 0.5 * nearHead * nearHead * gPulse;
    col += vec3(2.2, 0.1, 0.06) * flash * (0.2 + 1.8 * nearHead);
    vec4 rid = ridges(darolView(p, 0.3), darolView(p, 0.55));
    col = mix(col, rid.rgb, rid.a);
    if (w.y < HORIZON) col = mix(col, ground(w), smoothstep(HORIZON, HORIZON - 0.004, w.y));

    // The stem rises out of the horizon mist: its foot is far away.
    vec4 st = stem(w);
    col = mix(col, st.rgb, st.a);
    vec4 far = fog(darolView(p, 0.6), 0.0);
    col = col * (1.0 - far.a) + far.rgb;
    vec4 hd = head(w);
    col = col * (1.0 - hd.a) + hd.rgb;
    col += burstSpores(w);
    col += airSpores(darolView(p, 0.7), 0.0) + airSpores(darolView(p, 1.4), 1.0);
    vec4 near = fog(darolView(p, 1.5), 1.0);
    col = col * (1.0 - 0.7 * near.a) + 0.7 * near.rgb;

    // Exposure follows the story (dim in the intro, brighter once risen).
    col *= exposure * (0.9 + 0.25 * gRise) * (1.0 - 0.3 * gSleep) * min(iTime * 1.5 + 0.1, 1.0);
    // Everything is seen in the red light while the flash lasts: colour goes,
    // brightness (and so every shape) stays; deep red, never pink.
    vec3 display = linearToSrgb(dlTone(col));
    float lum = dot(display, vec3(0.3, 0.6, 0.1));
    display = mix(display, vec3(0.05 + (0.3 + 1.25 * lum) * lum, 0.01 + 0.08 * lum * lum * lum, 0.008), flash);
    fragColor = vec4(display, 1.0);
}
