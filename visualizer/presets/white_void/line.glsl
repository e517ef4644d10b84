// White Void: the one living thing, a calligraphic ink line across the frame.
// Shared by ink.glsl (the echoes it stamps on each beat) and paper.glsl (the
// live line). Local helpers, prefixed wv (candidates for lib/ later):
//   wvWave, wvSilhouette: the line's two characters (waveform, spectrum)
//   wvShape: the line's shape (drawn once per column by shape.glsl)
//   wvShapeAt, wvLineY: that shape, and the line's height, at a pixel column
//   wvInk: 0..1 ink coverage of a calligraphic stroke at a pixel
#ifndef WV_LINE
#define WV_LINE

uniform float amplitude;  // line swing, in the frame's smaller side
uniform float lineWidth;  // stroke width in pixels at 360 lines
uniform float nibAngle;   // pen nib angle (radians): thick and thin strokes

// The waveform (uAudio row 1) at x (0..1), low-passed by a Gaussian over 17
// samples (sigma 3) so hats do not fray the brush: -1..1, 0 in silence.
// shape.glsl calls it once per column, so the taps cost little.
float wvWave(float x) {
    float sum = 0.0;
    float weights = 0.0;
    for (int i = -8; i <= 8; ++i) {
        float w = exp(-float(i * i) / 18.0);
        sum += w * texture(uAudio, vec2(0.02 + 0.96 * x + float(i) / 512.0, 0.75)).x;
        weights += w;
    }
    return (sum / weights - 0.5) * 2.0;
}

// The spectrum as a mirrored silhouette: bass (uBands) in the middle of the
// frame, highs toward both ends; 0..1 upward, 0 in silence.
float wvSilhouette(float x) {
    float f = abs(2.0 * x - 1.0);
    float u = 0.03 + 0.85 * f;
    float band = 0.5 * texture(uBands, vec2(u, 0.5)).x
               + 0.25 * (texture(uBands, vec2(u - 1.0 / 64.0, 0.5)).x + texture(uBands, vec2(u + 1.0 / 64.0, 0.5)).x);
    return max(band - 0.3, 0.0) * 1.45;
}

// The stroke's taper: a brush touching down and lifting off near the edges.
float wvTaper(float x) {
    return smoothstep(0.015, 0.22, x) * smoothstep(0.985, 0.78, x);
}

// The line's shape at x (0..1): waveform and silhouette mixed by `mode` (the
// section's character), tapered; in units of the frame's smaller side.
float wvShape(float x, float mode) {
    float wave = wvWave(x);
    float sil = mode > 0.001 ? wvSilhouette(x) : 0.0;
    // The silhouette keeps a shiver of the waveform along its ridge.
    return wvTaper(x) * mix(wave, 0.45 * sil + 0.18 * wave, mode);
}

// Seconds per beat at the tempo (uTempo; 0.5 until it is known).
float wvBeatSeconds() {
    return uTempo > 30.0 ? 60.0 / uTempo : 0.5;
}

// The beat grid's envelope: 1 on each beat (uBeatPhase), falling to 1/e in
// `decay` seconds; the downbeat (the first beat of uBarPhase) strikes harder.
float wvBeat(float decay) {
    float beat = exp(-uBeatPhase * wvBeatSeconds() / decay);
    bool downbeat = uBarPhase * max(uBeatsPerBar, 1.0) < 1.0;
    return beat * (downbeat ? 1.5 : 1.0);
}

// The line's heartbeat: the ink swells on the beat, gone within ~0.3 s.
float wvBeatInk() {
    return wvBeat(0.11);
}

// The beat's ripple at x (0..1), in the frame's smaller side: on each beat
// (uBeatPhase) the line is plucked at its middle and a small wave runs out to
// both ends, fading as it goes; the downbeat's is bigger. shape.glsl draws it
// once per column (its w), beside the shape.
float wvRipple(float x) {
    float seconds = uBeatPhase * wvBeatSeconds();
    float front = 0.5 * (1.0 - exp(-seconds / 0.25));
    float c = x - 0.5;
    float d = (sqrt(c * c + 0.0004) - front) / 0.045;  // a rounded |c|: no kink mid-line
    return 0.03 * wvBeat(0.2) * exp(-d * d) * wvTaper(x);
}

// Baseline (pixels), swing (pixels) and stroke width (pixels) of this frame:
// the build (uBuild) raises and tightens the line, the breakdown lowers it,
// the level (uLevel) makes it breathe and swing, the kick (uBassHit) thickens
// it on the hit, each beat (wvBeatInk) swells the ink; in silence it is a
// still horizon, barely breathing.
vec3 wvStroke() {
    float small = min(iResolution.x, iResolution.y);
    float base = iResolution.y * (0.5 + 0.13 * uBuild - 0.05 * uBreakdown);
    // The loudness, lifted by the kick on its own frame (the level's RMS
    // window catches the hit a frame later).
    float level = max(uLevel, uBassHit);
    float swing = small * amplitude * (0.3 + 0.9 * level) * (1.0 - 0.6 * uBuild);
    float breath = 1.0 + 0.1 * sin(iTime * 1.3);
    // Widths scale with the frame, but a small frame keeps a readable stroke.
    float width = lineWidth * max(small / 360.0, 0.5) * breath
                * (0.6 + 0.6 * level + max(1.6 * uBassHit, 2.0 * wvBeatInk())) * (1.0 - 0.4 * uBuild);
    return vec3(base, swing, width);
}

// The shape at pixel column px, from shape.glsl's target (in iChannel3).
float wvShapeAt(float px) {
    return texture(iChannel3, vec2(px / iResolution.x, 0.5)).x;
}

// The shape (x) and the beat's ripple (y) at pixel column px, both in the
// frame's smaller side, from shape.glsl's target (in iChannel3).
vec2 wvShapeRippleAt(float px) {
    return texture(iChannel3, vec2(px / iResolution.x, 0.5)).xw;
}

// Height in pixels of a line with baseline `base` (pixels) at pixel column px.
float wvLineY(float px, float base, float swing) {
    return base + swing * wvShapeAt(px);
}

// Ink coverage 0..1 at pixel `p` of a stroke through heights y0 (here) and y1
// (one pixel to the right), `width` pixels wide where the nib is broadside:
// the nib makes up-strokes thin and down-strokes thick.
float wvInk(vec2 p, float y0, float y1, float width) {
    float slope = y1 - y0;
    float d = abs(p.y - y0) * inversesqrt(1.0 + slope * slope);
    float nib = 0.3 + 0.7 * abs(sin(atan(slope) - nibAngle));
    float half_ = max(0.5 * width * nib * wvTaper(p.x / iResolution.x), 0.35);
    return 1.0 - smoothstep(half_ - 0.6, half_ + 0.6, d);
}

#endif
