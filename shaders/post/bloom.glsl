// Post: bloom. Bright parts (above bloom_threshold) spread over two rings of
// 8 taps, bloom_radius pixels apart, added back with bloom_strength.
uniform float bloom_strength;
uniform float bloom_threshold;
uniform float bloom_radius;

vec3 bright(vec2 uv) {
    vec3 c = texture(iChannel1, uv).rgb;
    return max(c - bloom_threshold, 0.0);
}

void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    vec2 texel = 1.0 / iResolution.xy;
    vec3 glow = bright(uv);
    for (int i = 0; i < 8; ++i) {
        float a = 0.7853981634 * float(i);
        vec2 dir = vec2(cos(a), sin(a)) * texel * bloom_radius;
        glow += bright(uv + dir) * 0.8 + bright(uv + dir * 2.2) * 0.5;
    }
    fragColor = vec4(texture(iChannel1, uv).rgb + glow * (bloom_strength / 11.4), 1.0);
}
