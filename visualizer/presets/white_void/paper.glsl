// White Void: the page. Pure white space, the live ink line drawn at full
// resolution over its faint echoes (iChannel1, from ink.glsl; the state,
// state.glsl, in iChannel2). Each echo sinks one spacing per beat of its age
// (closer in a build) and fades; none outlives 4 s.
// The drop (uDrop) inverts the page for a few frames, black with a red-hot
// line (the film's flash at the moment of death), and splits the line into a
// fan of strings (`split`, which the drop raises and lets fall over seconds)
// that converge toward the stroke's ends and merge back into one.
#include "line.glsl"

uniform float split;     // 0..1: how far the drop has split the line
uniform float echoSpacing;  // how far an echo sinks per beat, in frame heights
uniform float echoInk;      // darkness of a fresh echo
uniform float echoFade;     // seconds for an echo to fade to 1/e

const int COPIES = 7;

// The four echoes of the bar, each sunk and faded by its age (seconds since
// its beat, in texel 1 of the state).
float echoes(vec2 p, vec2 res) {
    vec4 stamped = texelFetch(iChannel2, ivec2(1, 0), 0);
    float beatSeconds = uTempo > 1.0 ? 60.0 / uTempo : 0.5;
    float spacing = echoSpacing * (1.0 - 0.6 * uBuild) * res.y / beatSeconds;
    float ink = 0.0;
    for (int k = 0; k < 4; ++k) {
        float age = iTime - stamped[k];
        if (age < 0.0 || age > 4.0) continue;
        float fade = exp(-age / echoFade) * smoothstep(4.0, 3.0, age);
        float here = texture(iChannel1, (p + vec2(0.0, spacing * age)) / res)[k];
        ink = max(ink, here * fade);
    }
    return ink * echoInk;
}

void main() {
    vec2 res = iResolution.xy;
    vec2 p = gl_FragCoord.xy;
    float mode = texelFetch(iChannel2, ivec2(0, 0), 0).z;
    vec3 s = wvStroke();

    // The line's shape once per column; each string of the fan reuses it.
    float sh0 = wvShape(p.x / res.x, mode);
    float sh1 = wvShape((p.x + 1.0) / res.x, mode);
    float fan = 0.3 + 0.7 * wvTaper(p.x / res.x);
    int copies = split > 0.01 ? COPIES : 1;
    float gap = split * 0.055 * res.y * fan;
    float ink = 0.0;
    for (int k = 0; k < copies; ++k) {
        float j = copies == 1 ? 0.0 : float(k - COPIES / 2);
        float scale = 1.0 + 0.22 * j * split;
        float y0 = s.x + j * gap + s.y * scale * sh0;
        float y1 = s.x + j * gap + s.y * scale * sh1;
        float width = s.z * (j == 0.0 ? 1.0 : 0.55);
        ink = max(ink, wvInk(p, y0, y1, width));
    }
    float echo = echoes(p, res);
    float dark = max(ink, echo);

    // The drop: the page turns black for a few frames, the line burns red.
    bool inverted = uDrop > 0.62;
    vec3 page = inverted ? vec3(0.0) : vec3(1.0);
    vec3 pen = inverted ? vec3(1.0, 0.12, 0.06) : vec3(0.0);
    fragColor = vec4(mix(page, pen, dark), 1.0);
}
