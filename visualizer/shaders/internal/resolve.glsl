// Resolve: box-filter the SSAA "output" target down to the output size,
// optionally flipping rows so a readback is top row first. SSAA (1..4) and
// FLIP (0 or 1) are compile-time constants: one small program per setting, as
// a CPU rasterizer runs every branch and loop bound it cannot see through.
void main() {
    ivec2 pixel = ivec2(gl_FragCoord.xy);
#if FLIP
    pixel.y = int(iResolution.y) - 1 - pixel.y;
#endif
#if SSAA == 1
    fragColor = vec4(clamp(texelFetch(iChannel0, pixel, 0).rgb, 0.0, 1.0), 1.0);
#else
    vec4 sum = vec4(0.0);
    for (int y = 0; y < SSAA; ++y)
        for (int x = 0; x < SSAA; ++x)
            sum += texelFetch(iChannel0, pixel * SSAA + ivec2(x, y), 0);
    fragColor = vec4(clamp(sum.rgb / float(SSAA * SSAA), 0.0, 1.0), 1.0);
#endif
}
