// Mimic Swarm: the picture (0.35 resolution; the post chain adds bloom,
// chromatic aberration, vignette and grain). A field of small Mimics at three
// depths (far: small, dim, hazy and soft; near: large and sharp), each layer a
// drifting grid with one flower per cell (parallax: near layers drift
// faster). A pixel looks only in its own cell (far, middle layers) or the
// 2x2 cells nearest it (near layer).
//   iChannel1: the musical state (state.glsl): onsets counted, the ring of
//              recent onsets, downbeats counted.
// Output: sRGB display values.
#include "lib/colour.glsl"
#include "lib/post.glsl"
#include "mimic.glsl"

uniform float exposure;   // base exposure
uniform float flashRed;   // strength of the red flash on the drop
uniform float hueStepSize; // hue wheel step per downbeat (turns)

const float CELL[3] = float[3](0.2, 0.32, 0.5);   // cell size per layer (far, mid, near)
const float HAZE[3] = float[3](0.35, 0.15, 0.0);  // how much of the far haze colours each layer
const float DIM[3] = float[3](0.5, 0.8, 1.1);    // light per layer: far is dim
const float SOFT[3] = float[3](2.6, 1.4, 1.0);    // edge width in pixels: far is soft

// The frame, per pixel.
vec2 gExtent;       // visible width and height (area-normalised units: w * h = 1)
float gPx;          // one pixel, in those units
vec2 gPeriod[3];    // cells per layer before the layout repeats (covers the frame)
float gBase[3];     // first flower index of each layer
float gCount;       // flowers in the whole field (F)
// The music, per pixel.
float gOnsets;      // onsets counted so far
float gDrift;       // how far the field has drifted (faster when loud)
float gHue;         // the wheel: advanced one step on each downbeat, gliding
float gBeat;        // 1 on the beat, decaying through it
float gBuild;       // uBuild
float gPresence;    // how many cells hold a grown bud (the build adds more)
float gSection;     // layout seed (a new section reshuffles)
float gRegrow;      // 0 at a section change, back to 1 (the new field sprouts)
float gRed;         // the drop's red, fading to rainbow
float gDropOpen;    // how far the drop has opened every flower
vec2 gWaveFrom;     // where this beat's wave of light starts
float gWaveFront;   // how far it has travelled (area units)
float gWave;        // its strength: 1 on the beat, fading through it

void setup() {
    vec2 res = iResolution.xy;
    gPx = 1.0 / sqrt(res.x * res.y);
    gExtent = res * gPx;
    float base = 0.0;
    for (int l = 0; l < 3; ++l) {
        gPeriod[l] = ceil(gExtent / CELL[l]) + 1.0;
        gBase[l] = base;
        base += gPeriod[l].x * gPeriod[l].y;
    }
    gCount = base;
    vec4 head = texelFetch(iChannel1, ivec2(0, 0), 0);
    gOnsets = head.y;
    gDrift = texelFetch(iChannel1, ivec2(1, 0), 0).x;
    // The bar: one step of the hue wheel on every downbeat, gliding in 0.15 bars.
    gHue = (head.w - 1.0 + smoothstep(0.0, 0.15, uBarPhase)) * hueStepSize + uSeed;
    gBeat = exp(-uBeatPhase * 5.0) * (0.3 + 0.7 * uTempoConfidence);
    gBuild = uBuild;
    gPresence = clamp(0.5 + 0.5 * uBuild + 0.2 * uIntensity, 0.0, 1.0);
    gSection = uSection;
    // A section change re-sprouts the field; at a drop the flash covers the cut.
    gRegrow = 1.0 - 0.75 * uSectionChange * (1.0 - uDrop);
    gRed = exp(-uSinceDrop * 2.2);
    gDropOpen = bloomEnvelope(uSinceDrop);
    // The beat: a wave of light bursts from a point near the edge (a new one
    // on every beat, a golden angle round from the last) and sweeps the whole
    // frame in under half a beat, fading as it goes; brighter when loud (uLevel).
    float a = uBeatCount * 2.39996 + uSeed * TAU;
    gWaveFrom = 0.45 * gExtent * vec2(cos(a), sin(a));
    gWaveFront = 0.25 + uBeatPhase * 4.0;
    gWave = exp(-5.0 * uBeatPhase) * (0.3 + 0.7 * uTempoConfidence) * (0.2 + 1.4 * uLevel);
}

// How much of the beat's wave of light is on a flower whose centre is at c
// (frame units): a band 0.12 wide.
float waveOn(vec2 c) {
    float d = (length(c - gWaveFrom) - gWaveFront) / 0.12;
    return gWave * exp(-d * d);
}

// Seconds since flower `slot` last opened and that onset's strength
// (t = -1 when it has not opened in the last 32 onsets).
vec2 flowerAge(float slot) {
    float back = mod(gOnsets - 1.0 - slot, gCount);
    float k = gOnsets - back;
    if (k < 1.0 || back >= 32.0) return vec2(-1.0, 0.0);
    vec4 e = texelFetch(iChannel1, ivec2(2 + int(mod(k, 32.0)), 0), 0);
    if (abs(e.x - k) > 0.5) return vec2(-1.0, 0.0);
    return vec2(iTime - e.y, e.z + 0.3 * e.w);
}

// Where a layer's grid sits: drifting (faster when near), shifted per section,
// and turned its own way so the three lattices never line up into a grid.
vec2 layerDrift(int l) {
    return (float(l) + 1.0) * vec2(gDrift * 0.035, 0.02 * sin(gDrift * 0.21 + float(l)));
}

vec2 layerPoint(vec2 p, int l, float cellSize) {
    return rot2(0.45 + 0.9 * float(l)) * (p + layerDrift(l)) / cellSize + hash21(gSection * 3.1 + float(l)) * 7.0;
}

// The inverse: a layer's grid point q back in frame units.
vec2 layerToFrame(vec2 q, int l, float cellSize) {
    vec2 grid = (q - hash21(gSection * 3.1 + float(l)) * 7.0) * cellSize;
    return rot2(-0.45 - 0.9 * float(l)) * grid - layerDrift(l);
}

// One layer: premultiplied colour and coverage; its pollen is added to glow.
// l: 0 far, 1 mid, 2 near; cellSize: its grid; soft: edge width in pixels.
// The far and middle layers look only in the pixel's own cell (their flowers
// stay inside it); the near layer in the 2x2 cells nearest the pixel (a
// flower, its halo and pollen never reach past 0.8 cells from its centre).
vec4 layer(vec2 p, int l, float cellSize, float soft, vec2 period, float base, inout vec3 glow) {
    vec2 q = layerPoint(p, l, cellSize);
    vec2 cell = floor(q);
    bool far = l < 2;  // confined to its own cell
    float aaCells = soft * gPx / cellSize;
    vec4 acc = vec4(0.0);
    float stride = mod(gCount, 7.0) == 0.0 ? 11.0 : 7.0;
    vec2 toward = step(0.5, q - cell) * 2.0 - 1.0;
    int cells = far ? 1 : 4;
    for (int j = 0; j < cells; ++j) {
        vec2 c = cell + toward * vec2(float(j & 1), float(j >> 1));
        vec2 w = mod(c, period);
        vec3 rnd = hash33(vec3(w, float(l) * 7.0 + gSection * 13.0));
        vec2 centre = c + 0.5 + (rnd.xy - 0.5) * (far ? 0.12 : 0.24);
        vec2 d = q - centre;
        float d2 = dot(d, d);
        if (d2 > 0.64) continue;
        float id = base + w.y * period.x + w.x;
        vec2 age = flowerAge(mod(id * stride + gSection * 5.0, gCount));
        float pt = age.x;
        float ps = age.y;
        if (uSinceDrop < 3.0 && (pt < 0.0 || uSinceDrop < pt)) { pt = uSinceDrop; ps = 1.0; }
        bool puffing = pt >= 0.0 && pt < 3.0;
        if (!puffing && d2 > 0.37) continue;  // petals and halo stay within ~0.6 cells
        // Open: its own onset, or the drop opening everything at once; the
        // build lets buds part a little.
        float open = max(bloomEnvelope(age.x), gDropOpen);
        // The beat's wave of light parts every bud it passes and lights it.
        float wave = waveOn(layerToFrame(centre, l, cellSize));
        open = max(open, max(0.22 * gBuild, 0.45 * wave));
        // Size: seeds grow into buds as the build adds presence; opening grows them.
        float grown = smoothstep(rnd.z - 0.2, rnd.z + 0.05, gPresence);
        float radius = (0.14 + 0.18 * grown + 0.08 * clamp(open, 0.0, 1.0)) * gRegrow * (far ? 0.75 : 1.0)
                     * (1.0 + 0.15 * wave);
        if (radius < 0.01) continue;
        // Silence: closed buds breathe slowly.
        radius *= 1.0 + 0.05 * sin(iTime * 1.4 + rnd.x * TAU);
        vec2 u = d / radius;
        float aa = aaCells / radius;
        float hue = fract(id * 0.618034) + gHue;
        float seed = rnd.z;
        // The beat: open flowers swell and flare together; buds give a small throb.
        vec4 f = mimic(u, open, hue, seed, aa, gBeat * (0.25 + 0.75 * clamp(open, 0.0, 1.0)), l > 0);
        // The drop: petals flash red, then the rainbow returns.
        // Shaded by the petal's own light, so veins, edges and hearts still read.
        f.rgb = mix(f.rgb, vec3(1.0, 0.06, 0.03) * 1.6 * luminance(f.rgb), gRed * 0.85);
        f *= vec4(vec3((0.5 + 0.5 * grown) * (1.0 + 2.0 * wave)), 1.0);
        vec3 puff = puffing ? pollen(u, pt, ps, hue, seed, aa) * (0.6 + 0.4 * float(l)) : vec3(0.0);
        // A confined flower fades out before its cell's edge (it is looked for only there).
        if (far) {
            float window = smoothstep(0.5, 0.4, max(abs(q.x - c.x - 0.5), abs(q.y - c.y - 0.5)));
            f *= window;
            puff *= window;
        }
        acc.rgb = acc.rgb * (1.0 - f.a) + f.rgb;
        acc.a = acc.a + f.a * (1.0 - acc.a);
        glow += puff;
    }
    return acc;
}

// The air: a dark violet-blue void with haze tinted by the wheel; the build
// raises a light from below; the beat's wave of light crosses it.
vec3 backdrop(vec2 p) {
    float y = p.y / gExtent.y + 0.5;
    vec3 col = mix(vec3(0.006, 0.005, 0.014), vec3(0.002, 0.002, 0.006), y);
    col += rainbow(gHue + 0.55) * 0.01 * (1.0 - y);
    col += rainbow(gHue + 0.35 * p.x) * gBuild * 0.3 * exp(-y * 3.5);  // a rainbow dawn from below
    col += rainbow(gHue + 0.3 * gWaveFront) * 0.035 * waveOn(p);  // the beat's wave, glowing in the air
    return col;
}

// Floating motes in front of everything: dim, sparkling on the hats.
vec3 motes(vec2 p) {
    vec2 q = p * 14.0 + vec2(gDrift * 0.3, iTime * 0.05 + gDrift * 0.07);
    vec2 c = floor(q);
    vec3 rnd = hash33(vec3(c, 5.0));
    vec2 d = q - c - 0.2 - 0.6 * rnd.xy;
    float twinkle = step(0.7, rnd.z) * (0.03 + 0.08 * uLevel) + 0.9 * uHighHit * step(0.88, rnd.z);
    return vec3(1.0, 0.85, 0.6) * twinkle * exp(-dot(d, d) * 160.0);
}

// The drop's flash of red light (the moment of death), as light on the
// flowers, not a tint over the frame: the air between them drops to black,
// the lit petals burn red (green and blue leave them), a white-hot core
// bursts at the centre; it burns out with uDrop (~0.3 s) while the petals'
// own red turns back to rainbow.
vec3 deathRed(vec3 c, vec2 p, float amount) {
    float a = clamp(amount, 0.0, 1.0);
    float lum = dot(c, vec3(0.3, 0.5, 0.2));
    c *= mix(1.0, smoothstep(0.12, 0.5, lum), a);            // the air and the halos to black
    c *= mix(vec3(1.0), vec3(1.0, 0.35, 0.25), a);           // the petals burn red
    float d2 = dot(p, p);
    c += vec3(1.0, 0.08, 0.04) * exp(-d2 * 12.0) * a * 0.6;  // red corona
    float core = exp(-d2 / (0.01 + 0.015 * a)) * a;          // white-hot core
    return clamp(mix(c, vec3(1.0), core), 0.0, 1.0);
}

// A layer over what is behind it: hazed and dimmed by its depth.
vec3 composite(vec3 col, vec4 f, vec3 glow, vec3 haze, int l) {
    f.rgb = mix(f.rgb, haze * f.a, HAZE[l]) * DIM[l];
    col = col * (1.0 - f.a) + f.rgb + glow * DIM[l];
    return mix(col, haze, 0.12 * HAZE[l]);  // the haze in front of it
}

void main() {
    setup();
    vec2 p = (gl_FragCoord.xy - 0.5 * iResolution.xy) * gPx;
    vec3 col = backdrop(p);
    vec3 haze = rainbow(gHue + 0.6) * 0.03 + vec3(0.012, 0.01, 0.024);
    // Far to near, each veiled by the haze in front of it. Written out (not a
    // loop) so each layer's constants fold into its code.
    vec3 glow = vec3(0.0);
    vec4 f = layer(p, 0, CELL[0], SOFT[0], gPeriod[0], gBase[0], glow);
    col = composite(col, f, glow, haze, 0);
    glow = vec3(0.0);
    f = layer(p, 1, CELL[1], SOFT[1], gPeriod[1], gBase[1], glow);
    col = composite(col, f, glow, haze, 1);
    glow = vec3(0.0);
    f = layer(p, 2, CELL[2], SOFT[2], gPeriod[2], gBase[2], glow);
    col = composite(col, f, glow, haze, 2);
    col += motes(p);
    // Exposure: the level, the build's rising light, the drop's flare.
    float expo = exposure * (0.75 + 0.5 * uLevel + 0.6 * gBuild + 0.2 * uDrop);
    vec3 display = linearToSrgb(tonemapVivid(col * expo, 0.3));
    fragColor = vec4(deathRed(display, p, uDrop * flashRed), 1.0);
}
