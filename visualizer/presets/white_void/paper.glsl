// White Void: the page. Pure white space, the live ink line drawn at full
// resolution over its faint echoes (iChannel1, from ink.glsl; the state,
// state.glsl, in iChannel2; the line's shape, shape.glsl, in iChannel3). Each
// echo drops one spacing on each beat (closer in a build) and fades; none
// outlives 4 s.
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

// Paper tooth (fixed per pixel) and film grain (per frame), -1..1: a cheap
// integer hash, so the page needs no full-resolution film pass.
float wvHash(uvec3 v) {
    uint h = v.x * 1664525u + v.y * 1013904223u + v.z * 2654435761u;
    h ^= h >> 16u; h *= 2246822519u; h ^= h >> 13u; h *= 3266489917u; h ^= h >> 16u;
    return float(h & 65535u) / 32767.5 - 1.0;
}

// How many steps an echo `beats` old has sunk: one step on each beat, most of
// it on the beat's own frame, the rest within ~0.1 s (the ink drops off the
// line on the beat, then rests).
float echoSteps(float beats, float beatSeconds) {
    return floor(beats) + 1.0 - 0.4 * exp(-fract(beats) * beatSeconds / 0.035);
}

// The four echoes of the bar, each sunk and faded by its age (seconds since
// its beat, in texel 1 of the state).
float echoes(vec2 p, vec2 res) {
    vec4 stamped = texelFetch(iChannel2, ivec2(1, 0), 0);
    float beatSeconds = wvBeatSeconds();
    float spacing = echoSpacing * (1.0 - 0.6 * uBuild) * res.y;
    float ink = 0.0;
    for (int k = 0; k < 4; ++k) {
        float age = iTime - stamped[k];
        if (age < 0.0 || age > 4.0) continue;
        float fade = exp(-age / echoFade) * smoothstep(4.0, 3.0, age);
        float sunk = spacing * echoSteps(age / beatSeconds, beatSeconds);
        float here = texture(iChannel1, (p + vec2(0.0, sunk)) / res)[k];
        ink = max(ink, here * fade);
    }
    return ink * echoInk;
}

void main() {
    vec2 res = iResolution.xy;
    vec2 p = gl_FragCoord.xy;
    vec3 s = wvStroke();

    // The line's shape and the beat's ripple once per column; each string of
    // the fan reuses them.
    vec2 at0 = wvShapeRippleAt(p.x);
    vec2 at1 = wvShapeRippleAt(p.x + 1.0);
    float small = min(res.x, res.y);
    float sh0 = at0.x, sh1 = at1.x;
    float rip0 = small * at0.y, rip1 = small * at1.y;
    float fan = 0.3 + 0.7 * wvTaper(p.x / res.x);
    int copies = split > 0.01 ? COPIES : 1;
    float gap = split * 0.06 * min(res.x, res.y) * fan;
    // Strings bend softly back before the frame's edge (composition at any aspect).
    float headroom = min(s.x, res.y - s.x) - 0.06 * res.y;
    float ink = 0.0;
    for (int k = 0; k < copies; ++k) {
        float j = copies == 1 ? 0.0 : float(k - COPIES / 2);
        float scale = 1.0 + 0.12 * j * split;
        float y0 = s.x + headroom * tanh((j * gap + s.y * scale * sh0 + rip0) / headroom);
        float y1 = s.x + headroom * tanh((j * gap + s.y * scale * sh1 + rip1) / headroom);
        float width = s.z * (j == 0.0 ? 1.0 : 0.55);
        ink = max(ink, wvInk(p, y0, y1, width));
    }
    float echo = echoes(p, res);
    float dark = max(ink, echo);

    // The drop: the page turns black for a few frames, the line burns red.
    bool inverted = uDrop > 0.62;
    vec3 page = inverted ? vec3(0.0) : vec3(1.0);
    vec3 pen = inverted ? vec3(1.0, 0.12, 0.06) : vec3(0.0);
    vec3 colour = mix(page, pen, dark);
    uvec2 pixel = uvec2(p);
    float tooth = wvHash(uvec3(pixel, 7u));
    float grain = wvHash(uvec3(pixel, uint(iFrame)));
    // Within 1% of the page's tone, so the void stays pure; strongest on the ink's edge.
    float film = 0.006 * tooth + (0.008 + 0.05 * dark * (1.0 - dark)) * grain;
    fragColor = vec4(colour + 0.5 * film, 1.0);
}
