// Kaleido Bloom: musical state, a 3x1 rgba32f feedback target (iChannel1 =
// itself). It reads only the built-in audio and itself, so it is a state
// pass: it runs from the first frame and a render from any --start matches.
//   texel 0: x = zoom (petal rings the tunnel has moved, mod 4000), y = beat
//            position last frame (beats + eased phase), z = the central
//            bloom's opening (1 on a kick's frame, closing), w = 1 once set
//   texel 1: x = fold choice now (0, 1, 2: 6, 8, 12 folds), y = the fold
//            choice before, z = seconds since the folds changed, w = onset light
//   texel 2: x = rotation (radians, mod 2 pi), y = the section seen last,
//            z = the song's energy: the level (uLevel, weighted by
//            uIntensity) plus the build (uBuild), smoothed over ~1 s
// The tunnel moves on the beat: each beat (uBeatCount, uBeatPhase) it lurches
// inward by `stepPerBeat` rings and turns by `turnPerBeat`, half of it on the
// beat's frame, so its speed is the tempo's; a build-up (uBuild) adds a
// smooth glide (the zoom accelerates) and the drop (uDrop) throws it forward.
#include "lib/space.glsl"

uniform float stepPerBeat;  // rings the tunnel moves inward on each beat
uniform float turnPerBeat;  // radians the mandala turns on each beat
uniform int folds;          // the first section's fold choice (6, 8, 12)

// Beats so far, eased: half of a beat's motion lands on the beat's own
// frame, most of the rest within its first tenth, the last 15% across it.
float beatPosition() {
    float phase = clamp(uBeatPhase, 0.0, 1.0);
    return uBeatCount - 0.5 + 0.35 * smoothstep(0.0, 0.1, phase) + 0.15 * phase;
}

void main() {
    int texel = int(gl_FragCoord.x);
    vec4 s0 = texelFetch(iChannel1, ivec2(0, 0), 0);
    vec4 s1 = texelFetch(iChannel1, ivec2(1, 0), 0);
    vec4 s2 = texelFetch(iChannel1, ivec2(2, 0), 0);
    float dt = clamp(iTimeDelta, 1.0 / 240.0, 0.25);
    float beat = beatPosition();
    float choice = mod(float(folds) + uSection, 3.0);
    float energy = uLevel * (0.5 + 0.5 * uIntensity) + 0.5 * uBuild;
    if (iFrame == 0 || s0.w < 0.5) {
        s0 = vec4(0.0, beat, 0.0, 1.0);
        s1 = vec4(choice, choice, 100.0, 0.0);
        s2 = vec4(0.0, uSection, energy, 0.0);
    }

    // Beats since last frame (a seek or a restarted count moves nothing);
    // with no tempo yet, a slow creep.
    float moved = beat - s0.y;
    moved = moved < 0.0 || moved > 2.0 ? 0.0 : moved;
    float steps = uTempo > 1.0 ? moved : dt * 0.5;
    // A build-up adds a steady glide on top of the steps (beats a second
    // times up to three more steps a beat): the zoom accelerates smoothly.
    float glide = uTempo > 1.0 ? dt * uTempo / 60.0 : 0.0;
    // The steps are whole while the bass plays and softer without it.
    float punch = 0.35 + 0.65 * uBassPresence;
    float zoom = s0.x + stepPerBeat * (punch * steps + 3.0 * uBuild * uBuild * glide)
               + dt * 2.5 * uDrop;                       // the drop throws it forward
    s0.x = mod(zoom, 4000.0);  // a whole number of hue turns (0.07 a ring): no step at the wrap
    s0.y = beat;
    s2.x = mod(s2.x + punch * steps * turnPerBeat, TAU);

    // The kick opens the central bloom on its frame; it closes over ~0.3 s.
    s0.z = max(s0.z * exp(-dt / 0.3), uBassHit);
    // Every onset lights the petals at once (fully while the bass plays).
    s1.w = max(s1.w * exp(-dt / 0.45), uOnset * (0.3 + 0.7 * uBassPresence));

    // A new section (they change on the downbeat) sets the next fold count;
    // the picture grows it from the centre over a beat (no pop).
    if (uSection != s2.y) {
        s1.y = s1.x;
        s1.x = choice;
        s1.z = 0.0;
        s2.y = uSection;
    }
    s1.z = min(s1.z + dt, 100.0);
    s2.z = mix(energy, s2.z, exp(-dt / 0.8));
    fragColor = texel == 0 ? s0 : texel == 1 ? s1 : s2;
}
