// Radial iris: a circle opens from the centre onto the incoming frame, round
// at any aspect, with a soft edge; it covers the corners at progress 1.
const float EDGE = 0.06;  // softness, in screen heights

vec4 transition(vec2 uv, float progress) {
    float aspect = uResolution.x / uResolution.y;
    vec2 p = (uv - 0.5) * vec2(aspect, 1.0);
    float corner = 0.5 * length(vec2(aspect, 1.0));
    float radius = progress * (corner + EDGE);
    float inside = 1.0 - smoothstep(radius - EDGE, radius, length(p));
    return mix(fromColor(uv), toColor(uv), inside);
}
