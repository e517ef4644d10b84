// Resolve: box-filter the SSAA "output" target down to the output size,
// optionally flipping rows so a readback is top row first.
uniform int uSSAA;
uniform bool uFlip;

void main() {
    ivec2 pixel = ivec2(gl_FragCoord.xy);
    if (uFlip) pixel.y = int(iResolution.y) - 1 - pixel.y;
    vec4 sum = vec4(0.0);
    for (int y = 0; y < uSSAA; ++y)
        for (int x = 0; x < uSSAA; ++x)
            sum += texelFetch(iChannel0, pixel * uSSAA + ivec2(x, y), 0);
    fragColor = vec4(clamp(sum.rgb / float(uSSAA * uSSAA), 0.0, 1.0), 1.0);
}
