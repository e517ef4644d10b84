// Fade: a straight crossfade from the outgoing frame to the incoming one.
vec4 transition(vec2 uv, float progress) {
    return mix(fromColor(uv), toColor(uv), progress);
}
