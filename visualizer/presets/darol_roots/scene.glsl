// Darol's Roots: the picture (at reduced scale; the post chain adds bloom,
// chromatic aberration, vignette and grain). Back to front, each layer seen
// through one drifting camera at its own depth (parallax) with fog between:
// the earth, far roots, middle roots, the trunk and the main roots, spores,
// near out-of-focus roots; the drop's red flash. Output: sRGB display values.
#include "story.glsl"
#include "roots.glsl"
#include "soil.glsl"
#include "lib/post.glsl"

uniform float exposure;   // base exposure
uniform float fogDensity; // the haze between the layers
uniform float flashRed;   // strength of the red flash on the drop (uDrop)

// The drop (uDrop): the moment of death as light, not a tint. Red is already
// the light the roots carry (rootTint); here the soil between them is pushed
// back to black, green and blue leave the lit roots, and a white-hot core
// bursts at the crown with a red corona around it. Blacks stay black.
vec3 dropFlash(vec3 c, vec2 q) {
    float a = gFlash * flashRed;
    float d2 = dot(q, q);
    float lum = dot(c, vec3(0.3, 0.5, 0.2));
    c *= mix(1.0, smoothstep(0.05, 0.35, lum), a);            // darks to black
    c *= mix(vec3(1.0), vec3(1.0, 0.3, 0.22), a);              // the lit roots burn red
    c += vec3(1.0, 0.08, 0.04) * exp(-d2 * 9.0) * a * 0.8;     // red corona
    float core = exp(-d2 / (0.012 + 0.02 * a)) * a;            // white-hot core
    return clamp(mix(c, vec3(1.0), core), 0.0, 1.0);
}

void main() {
    vec2 res = iResolution.xy;
    vec2 p = (gl_FragCoord.xy - 0.5 * res) / min(res.x, res.y);
    rootsStory();

    // The glow of the crown: lights the soil and the fog; the kick flares it.
    vec3 tint = rootTint(0.5);
    vec2 wc = rootsView(p, 1.0);
    float nearCrown = exp(-length(wc * vec2(1.0, 1.4)) * 3.5);
    vec3 glow = tint * nearCrown * (0.1 + 0.2 * uLevel + 1.2 * gKick + 0.8 * gBuild + 0.5 * gErupt) * rootGlow;
    vec3 col = soil(rootsView(p, 0.3), glow);

    // Far and middle roots, each behind a veil of fog lit by the glow.
    vec3 fogCol = tint * 0.006 + glow * 0.15 * (1.0 - 0.7 * gRed);
    vec4 far = rootLayer(p, 0.45, 3.0, 8.0, 0.4, 1.5, 0.25);
    col += far.rgb;
    col = mix(col, fogCol, 0.35 * fogDensity);
    vec4 mid = rootLayer(p, 0.7, 7.0, 8.0, 0.3, 0.6, 0.5);
    col += mid.rgb;
    col = mix(col, fogCol, 0.25 * fogDensity);

    // The crown's plane: the trunk over the main roots.
    vec4 main_ = rootLayer(p, 1.0, 1.0, 7.0, 0.0, 0.0, 1.0);
    col = col * (1.0 - 0.6 * main_.a) + main_.rgb;
    vec4 tr = trunk(wc, tint);
    col = col * (1.0 - tr.a) + tr.rgb;
    col += glow * 0.2;
    col += spores(rootsView(p, 0.8), 0.0) + spores(rootsView(p, 1.3), 1.0);

    // Near roots, out of focus, crossing in front from the side.
    vec4 near = rootLayer(p + vec2(1.2, -0.45), 1.9, 11.0, 6.0, 0.3, 6.0, 0.5);
    col = col * (1.0 - 0.85 * near.a) + near.rgb * 0.08;

    col *= exposure * min(iTime * 1.5 + 0.1, 1.0);
    vec3 display = linearToSrgb(tonemapVivid(col, 0.6));
    fragColor = vec4(dropFlash(display, p - gCrown), 1.0);
}
