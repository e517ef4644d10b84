// Spectral Landscape: the land's memory, a 65x48 rgba32f feedback target
// (iChannel1 = itself). It reads only the built-in audio and itself, so it is
// a state pass: it runs from the first frame and a render from any --start
// matches a full one.
//   columns 0..63, row k: ridge k of the landscape, k = 0 the front (live) one,
//     r = the band level there (uBands, shaped), g = the onset strength when it
//     was laid down, b = the drop's red when it was laid down, a = the section
//     colour (eased section number) when it was laid down
//   column 64 (the state):
//     row 0: x = scroll clock (rows laid down; fract = how far they have slid
//            back), y = 1 once initialised, z = serial of the front row (mod 4096)
//     row 1: x = section colour (eased toward uSection), y = line density
//            (1 = every ridge, 0 = every other), z = camera lift (eased uBuild),
//            w = the kick's lift (1 on a kick's frame, sinking)
//     row 2: x = onset light (1 on an onset's frame, fading)
// The tempo (uTempo) sets how fast ridges are laid down (rowsPerBeat per beat),
// so the land recedes at the speed of the music; every ridge keeps the
// spectrum of its moment, so a loud moment travels back toward the horizon.
#include "landscape.glsl"

uniform float rowsPerBeat;  // ridges laid down per beat

float shapedBand(int band) {
    float level = texture(uBands, vec2((float(band) + 0.5) / 64.0, 0.5)).x;
    // The quietest part of the range is the room's floor: the ridges start above it.
    return pow(clamp((level - 0.2) / 0.8, 0.0, 1.0), 1.3);
}

vec4 stateAt(int row) {
    return texelFetch(iChannel1, ivec2(SL_BANDS, row), 0);
}

void main() {
    ivec2 px = ivec2(gl_FragCoord.xy);
    float dt = clamp(iTimeDelta, 1.0 / 240.0, 0.25);
    vec4 s0 = stateAt(0), s1 = stateAt(1), s2 = stateAt(2);
    bool fresh = iFrame == 0 || s0.y < 0.5;
    if (fresh) {
        s0 = vec4(0.0, 1.0, 0.0, 0.0);
        s1 = vec4(uSection, mod(uSection, 2.0), uBuild, 0.0);
        s2 = vec4(0.0);
    }

    // The clock: rows laid down at the tempo (2 a second until it is known).
    float rate = rowsPerBeat * (uTempo > 1.0 ? uTempo / 60.0 : 2.0);
    float clock = s0.x + dt * rate;
    int shift = fresh ? 0 : int(floor(clock) - floor(s0.x));

    if (px.x < SL_BANDS) {
        // Row 0 is the live front ridge: the spectrum since the last ridge was
        // laid down, holding its peaks, so a kick between two rows is laid
        // down too. It starts afresh below the frame's edge: no pop.
        vec4 live = vec4(shapedBand(px.x), uOnsetStrength, uDrop, s1.x);
        vec4 front = texelFetch(iChannel1, ivec2(px.x, 0), 0);
        if (shift == 0 && !fresh) live.rgb = max(live.rgb, front.rgb);
        if (px.y == 0) {
            fragColor = live;
        } else {
            int from = px.y - shift;
            vec4 kept = texelFetch(iChannel1, ivec2(px.x, max(from, 0)), 0);
            fragColor = fresh ? vec4(0.0, 0.0, 0.0, live.a) : (from == 0 ? front : (from > 0 ? kept : live));
        }
        return;
    }

    // Column 64: the state.
    s0.z = mod(s0.z + float(shift), 4096.0);
    s0.x = clock - 4096.0 * floor(clock / 4096.0);
    // Each new section turns the colour over 0.6 s and sets the density.
    s1.x += (uSection - s1.x) * (1.0 - exp(-dt / 0.25));
    float dense = mod(uSection, 2.0);  // sparse, dense, sparse, ...
    s1.y += (dense - s1.y) * (1.0 - exp(-dt / 0.5));
    // A build-up lifts the camera: slow rise, quicker fall after the drop.
    s1.z += (uBuild - s1.z) * (1.0 - exp(-dt / (uBuild > s1.z ? 0.4 : 0.8)));
    // The kick throws the front ridges up on its very frame (uBassHit); they
    // sink back over about a quarter second. Every onset (uOnset) lights the
    // land at once (fully while the bass plays), the light fading over half a
    // second: the change lands on the onset's frame, not spread after it.
    s1.w = max(s1.w * exp(-dt / 0.22), uBassHit);
    s2.x = max(s2.x * exp(-dt / 0.45), uOnset * (0.3 + 0.7 * uBassPresence));
    fragColor = px.y == 0 ? s0 : px.y == 1 ? s1 : px.y == 2 ? s2 : vec4(0.0);
}
