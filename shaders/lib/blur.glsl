// Separable Gaussian blur and smooth upsampling for bloom chains.
#ifndef LIB_BLUR
#define LIB_BLUR

// 13-tap Gaussian (sigma ~2.4 texels) from 7 bilinear fetches along `dir`
// (a unit step in texels, e.g. (1,0)); uv in 0..1, texel = 1 / texture size.
vec3 gaussian13(sampler2D tex, vec2 uv, vec2 dir, vec2 texel) {
    const float offsets[3] = float[3](1.41176470, 3.29411764, 5.17647058);
    const float weights[3] = float[3](0.29690696, 0.09447039, 0.01038136);
    vec3 sum = texture(tex, uv).rgb * 0.19648255;
    for (int i = 0; i < 3; ++i) {
        vec2 o = dir * texel * offsets[i];
        sum += (texture(tex, uv + o).rgb + texture(tex, uv - o).rgb) * weights[i];
    }
    return sum;
}

// Average of the 4x4 source texels under a 4x smaller target pixel
// (4 bilinear fetches): a clean downsample without shimmering.
vec3 downsample4(sampler2D tex, vec2 uv, vec2 texel) {
    return 0.25 * (texture(tex, uv + texel * vec2(-1.0, -1.0)).rgb
                 + texture(tex, uv + texel * vec2(1.0, -1.0)).rgb
                 + texture(tex, uv + texel * vec2(-1.0, 1.0)).rgb
                 + texture(tex, uv + texel * vec2(1.0, 1.0)).rgb);
}

// Cubic B-spline upsampling from 4 bilinear fetches: no bilinear creases when
// a small bloom texture is stretched over the screen. size = texture size.
vec3 textureBSpline(sampler2D tex, vec2 uv, vec2 size) {
    vec2 st = uv * size - 0.5;
    vec2 i = floor(st);
    vec2 f = st - i;
    vec2 f2 = f * f, f3 = f2 * f;
    vec2 w0 = (1.0 - 3.0 * f + 3.0 * f2 - f3) / 6.0;
    vec2 w1 = (4.0 - 6.0 * f2 + 3.0 * f3) / 6.0;
    vec2 w2 = (1.0 + 3.0 * f + 3.0 * f2 - 3.0 * f3) / 6.0;
    vec2 w3 = f3 / 6.0;
    vec2 g0 = w0 + w1, g1 = w2 + w3;
    vec2 h0 = (i - 0.5 + w1 / g0) / size;  // fetch positions between texel centres
    vec2 h1 = (i + 1.5 + w3 / g1) / size;
    return g0.y * (g0.x * texture(tex, vec2(h0.x, h0.y)).rgb + g1.x * texture(tex, vec2(h1.x, h0.y)).rgb)
         + g1.y * (g0.x * texture(tex, vec2(h0.x, h1.y)).rgb + g1.x * texture(tex, vec2(h1.x, h1.y)).rgb);
}

#endif
