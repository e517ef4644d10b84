// Mimic Bloom: what glows. A 4x downsample of the picture (iChannel1, sRGB
// display values, back to about-linear by squaring), weighted by its alpha
// (the share of the live flower, so glow and echoes do not glow again),
// keeping the bright part through a soft knee.

uniform float bloomThreshold;  // luminance where glow starts (linear)

void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    vec2 texel = 1.0 / vec2(textureSize(iChannel1, 0));
    vec3 c = vec3(0.0);
    for (int i = 0; i < 4; ++i) {
        vec4 t = texture(iChannel1, uv + texel * vec2(i == 0 || i == 2 ? -1.0 : 1.0, i < 2 ? -1.0 : 1.0));
        c += t.rgb * t.rgb * t.a * 0.25;
    }
    // Brightness by the largest channel, not luminance: blues and violets
    // glow as much as yellows, and the glow stays coloured.
    float l = max(max(c.r, c.g), c.b);
    float knee = bloomThreshold * 0.7;
    float soft = clamp(l - bloomThreshold + knee, 0.0, 2.0 * knee);
    soft = soft * soft / (4.0 * knee + 1e-4);
    float keep = max(soft, l - bloomThreshold) / max(l, 1e-4);
    fragColor = vec4(c * keep, 1.0);
}
