// Bloom Tunnel: the picture (half resolution; the post chain adds bloom,
// chromatic aberration, vignette and grain). Flying down an endless tunnel
// whose walls are rings of blossoms: the frame in log-polar coordinates (log
// radius, angle) tiled with one flower per cell, so every flower stays round
// and rings grow as they rush outward past the viewer.
//   iChannel1: the musical state (state.glsl): travel, the travel at the last
//              two beats, downbeats and hats counted.
// Output: sRGB display values.
#include "lib/noise.glsl"
#include "lib/colour.glsl"
#include "lib/post.glsl"
#include "flower.glsl"

uniform float exposure;    // base light
uniform float flowers;     // blossoms around each ring
uniform float hueStepSize; // hue shift of the rings on each downbeat (turns)
uniform float bend;        // how far a section bends the tunnel's far end (short sides of the frame)
uniform float flashRed;    // strength of the drop's red flash

const float BLOOM_RADIUS = 0.25;  // short sides of the frame: where a ring bursts open on the beat

// The music, per frame.
float gTravel;    // rings flown past
float gPopRing;   // the ring that burst open on the last beat (those past it are open)
float gWasOpen;   // the ring that burst open on the beat before (already open: it only flares)
float gBeatAge;   // seconds since the beat
float gHue;       // the bar's hue shift (+ half a turn after an odd drop)
float gHats;      // hats counted
float gInside;    // 1 after an odd drop: the tunnel turned inside out (it flows inward)
vec2 gEnd;        // where the tunnel's far end sits (sections bend the path)
float gPx;        // a pixel, in units of the frame's short side
float gK;         // ring rows per unit of log radius (square cells)
float gEnergy;    // the song's energy, smoothed (state.glsl): the light rises with it
float gFill;      // share of the blossoms lit: the song's energy (uLevel,
                  // uIntensity, uBuild; less in a breakdown): silence is dark

// The far end's place for section s: each section leans the tunnel anew.
vec2 sectionBend(float s) {
    vec2 h = hash21(s * 7.31 + 2.0) - 0.5;
    vec2 wide = iResolution.x > iResolution.y ? vec2(1.4, 0.9) : vec2(0.9, 1.4);  // lean along the long side
    return s < 0.5 ? vec2(0.0) : h * wide * bend;
}

void setup() {
    vec4 flight = texelFetch(iChannel1, ivec2(0, 0), 0);
    vec4 count = texelFetch(iChannel1, ivec2(1, 0), 0);
    gK = flowers / TAU;
    gTravel = flight.x;
    gInside = mod(uDropCount, 2.0);
    float zone = gK * log(BLOOM_RADIUS) * (gInside > 0.5 ? -1.0 : 1.0);
    gPopRing = floor(zone - flight.y);  // the ring straddling the bloom line on the beat
    gWasOpen = floor(zone - flight.z);
    gBeatAge = uBeatPhase * 60.0 / max(uTempo, 30.0);
    gHue = (count.x + smoothstep(0.0, 0.2, uBarPhase)) * hueStepSize + uSeed + 0.5 * gInside;
    gHats = count.z;
    // Sections bend the path: the far end glides to its new place over the
    // first fifth of the section, and drifts a little all the time.
    gEnd = mix(sectionBend(uSection - 1.0), sectionBend(uSection), smoothstep(0.0, 0.2, uSectionPhase));
    gEnd += 0.04 * vec2(sinFast(0.31 * iTime), sinFast(0.23 * iTime + 1.0));
    gPx = 1.0 / min(iResolution.x, iResolution.y);
    gEnergy = texelFetch(iChannel1, ivec2(2, 0), 0).x;
    gFill = 0.03 + 0.97 * smoothstep(0.62, 0.76, gEnergy) * (1.0 - 0.45 * uBreakdown);
}

// How lit this blossom is: those whose hash falls under the fill glow, the
// rest stay dark silhouettes; the ring bursting open on the beat lights up
// anyway (the beat shows even in the quiet).
float blossomLit(float h, float pop) {
    return max(smoothstep(h - 0.06, h + 0.06, gFill), uTempo > 30.0 ? 0.8 * pop : 0.0);
}

// The drop in linear light: the flowers lit red (their light turned to
// blood, red emission along their shapes), blacks kept, a white-hot core.
vec3 dropLight(vec3 col, float cover, vec2 fromEnd, float amount) {
    float luma = dot(col, vec3(0.3, 0.55, 0.15));
    vec3 blood = vec3(1.0, 0.05, 0.025) * (1.1 * luma + 0.35) * cover;  // the gaps go black
    float core = exp(-dot(fromEnd, fromEnd) / 0.003);
    return mix(col, blood, amount) + vec3(1.0, 0.9, 0.8) * 6.0 * core * amount;
}

// How open ring j is and its pop: on each beat the ring passing
// BLOOM_RADIUS bursts open (the rings past it are open, those still coming
// are buds, parting as they near it; inside out, all are open).
vec2 ringBloom(float j, float v) {
    if (j > gPopRing) return vec2(1.0, 0.0);
    if (j == gPopRing) {
        float t = gBeatAge + 0.03;  // already half open on the beat's own frame
        float open = (1.0 - exp(-t * 22.0)) * (1.0 + 0.25 * exp(-t * 6.0));
        return vec2(j == gWasOpen || gInside > 0.5 ? 1.0 : open, exp(-t * 7.0));
    }
    return vec2(gInside > 0.5 ? 1.0 : 0.15 * smoothstep(-3.0, 0.0, v - gPopRing), 0.0);
}

// The light at the tunnel's end: the kick pulses it; the build swells it
// white-hot; after an odd drop it burns pink.
vec3 endLight(float r) {
    float size = 0.05 + 0.12 * uBuild + 0.03 * uBassHit;
    vec3 tint = mix(mix(vec3(1.0, 0.85, 0.7), vec3(1.0), uBuild), vec3(1.0, 0.45, 0.6), gInside);
    return tint * (0.15 + 0.6 * gEnergy + 1.5 * uBassHit + 3.0 * uBuild) * exp(-r * r / (size * size));
}

// The far end's light hanging in the air (the walls dissolve into it with depth).
vec3 endHaze(float turn) {
    vec3 tint = mix(thinFilm(turn + gHue) * 0.7 + 0.08, vec3(1.0, 0.35, 0.5), gInside);
    return tint * 0.5 * (1.0 + 1.5 * uBuild + 0.8 * uBassHit);
}

// Pollen streaks: on each hat, a new scatter of thin radial streaks flies
// out of the far end (a log-polar slot each, most of them dark).
vec3 pollen(float lr, float turn) {
    float slots = 96.0;
    float slot = floor(turn * slots);
    vec3 h = hash33(vec3(slot, gHats, 3.0));
    if (h.x < 0.8) return vec3(0.0);
    float across = abs(fract(turn * slots) - 0.5) * 2.0;
    float head = -2.5 + 3.0 * h.y + 8.0 * gBeatAge;
    float along = lr - head;
    float streak = smoothstep(0.0, -0.05, along) * exp(along * 3.0);
    return mix(vec3(1.0, 0.9, 0.6), rainbow(h.z), 0.4) * streak * (1.0 - across) * uHighHit * 2.0;
}

void main() {
    setup();
    vec2 p = (gl_FragCoord.xy - 0.5 * iResolution.xy) * gPx;
    // The bend: the far end (small radius) is shifted most, the walls by us least.
    vec2 q = p - gEnd * exp(-length(p - gEnd) * 2.5);
    float r = max(length(q), 1e-4);
    float turn = atan(q.y, q.x) / TAU;
    float lr = log(r);
    float flow = gInside > 0.5 ? -lr : lr;  // inside out: the rings pour into the far end
    // The wall lattice: rows of rings (v) and flowers around them (u).
    float v = flow * gK - gTravel;
    float j = floor(v);
    float u = turn * flowers + 0.5 * mod(j, 2.0);
    vec2 f = vec2(fract(u), fract(v)) - 0.5;
    vec3 cell = hash33(vec3(mod(floor(u), flowers), j, 7.0));
    vec2 bloom = ringBloom(j, v);
    float lit = blossomLit(fract(cell.y * 7.13 + cell.z * 3.7), bloom.y);
    Blossom b;
    b.open = bloom.x * (0.85 + 0.3 * cell.x);
    b.pop = bloom.y;
    b.hue = turn + 0.07 * j + gHue + 0.05 * cell.y;
    b.seed = cell.z;
    b.size = 0.65 + 0.5 * fract(cell.x * 5.31 + cell.z * 1.7);
    b.aa = gPx / (r * TAU / flowers) * 1.5;
    b.sparkle = uHighHit * uHighHit * uHighHit;
    vec4 fl = blossom(f, b);
    fl.rgb *= mix(0.035, 1.0, lit);
    // The wall behind: deep and dark, tinted by the ring's hue; inside out it glows.
    vec3 wall = rainbow(turn + 0.07 * v + gHue + 0.5) * (0.03 + 0.14 * gInside);  // the flowers' complement
    vec3 col = wall * (1.0 - fl.a) + fl.rgb;
    // Depth: the walls fade into the light at the far end; far buds stand
    // dark against it.
    float near = smoothstep(0.02, 0.4, r);
    col *= near * (0.2 + 1.5 * smoothstep(0.3, 0.75, gEnergy)) * (1.0 + 0.4 * exp(-uBeatPhase * 8.0));
    vec2 fromEnd = p - gEnd;  // the light's own frame (not bent)
    col += endHaze(atan(fromEnd.y, fromEnd.x) / TAU) * exp(-length(fromEnd) * 9.0) * (0.3 + 0.7 * gFill) * (1.0 - 0.3 * fl.a) * (1.0 + 2.0 * fl.a * (1.0 - b.open));  // buds glow in it
    col += fl.rgb * b.pop * (1.0 - near);  // a bursting ring shines through the depth
    col += endLight(length(fromEnd));
    col += pollen(lr, turn);
    // The drop: a red flash at the moment we blast through the far end.
    col = dropLight(col, fl.a, fromEnd, smoothstep(0.0, 0.6, uDrop) * flashRed);
    float expo = exposure * (0.6 + 0.5 * gFill + 0.2 * uBuild + 0.3 * uDrop * flashRed);
    vec3 display = linearToSrgb(tonemapVivid(col * expo, 0.4));
    fragColor = vec4(display, 1.0);
}
