// Darol: the picture (drawn at half resolution; the post chain adds bloom,
// chromatic aberration, vignette and grain). Back to front, each layer seen
// through the same camera at its own depth (parallax): sky, hazy ridges,
// the ground with its roots, far fog, the flower, spores, near fog; then the
// red flash of the drop over everything. Output: sRGB display values.
#include "story.glsl"
#include "land.glsl"
#include "flower.glsl"

uniform float exposure;   // base exposure
uniform float flashRed;   // strength of the red flash on the drop

void main() {
    vec2 p = (gl_FragCoord.xy - vec2(0.5 * iResolution.x, 0.0)) / iResolution.y;
    darolStory();
    landSetup();

    // Far to near: sky (depth 0.1), ridges (0.3, 0.55), Darol's plane (1).
    vec2 wSky = darolView(p, 0.1);
    vec2 w = darolView(p, 1.0);
    vec3 col = sky(wSky);
    col += dlRainbow(gHue + 0.95) * gLight * 0.12 * exp(-length(w - gHead) * 3.0);  // the flower lights the sky
    vec4 rid = ridges(darolView(p, 0.3), darolView(p, 0.55));
    col = mix(col, rid.rgb, rid.a);
    if (w.y < HORIZON) col = mix(col, ground(w), smoothstep(HORIZON, HORIZON - 0.004, w.y));
    vec4 far = fog(darolView(p, 0.6), 0.0);
    col = col * (1.0 - far.a) + far.rgb;

    vec4 st = stem(w);
    col = mix(col, st.rgb, st.a);
    vec4 hd = head(w);
    col = col * (1.0 - hd.a) + hd.rgb;
    col += burstSpores(w);
    col += airSpores(darolView(p, 0.7), 0.0) + airSpores(darolView(p, 1.4), 1.0);
    vec4 near = fog(darolView(p, 1.5), 1.0);
    col = col * (1.0 - 0.7 * near.a) + 0.7 * near.rgb;

    // Exposure follows the story; the drop: a flash of red light, the moment
    // of death, that burns out in ~0.3 s (uDrop) as the flower erupts.
    col *= exposure * (0.9 + 0.25 * gRise) * (1.0 - 0.3 * gSleep) * min(iTime * 1.5 + 0.1, 1.0);
    // (In display values, so the red stays deep red, never pink.)
    vec3 display = dlSrgb(dlTone(col));
    float flash = clamp(uDrop * flashRed, 0.0, 0.95);
    float lum = dot(display, vec3(0.3, 0.6, 0.1));
    display = mix(display, vec3(0.55 + 0.45 * lum, 0.015, 0.01), flash);
    fragColor = vec4(display, 1.0);
}
