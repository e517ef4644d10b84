// Mimic Swarm: musical state, a 34x1 rgba32f feedback target (iChannel1 = itself).
// It counts onsets and bars so the scene knows which flower opened when:
//   texel 0 (header): x = last frame's onset pulse (max of uOnset, uBassHit,
//            uMidHit), y = onsets counted so far, z = last frame's uBarPhase,
//            w = downbeats counted so far (the hue wheel's step)
//   texel 1: x = the field's drift (travelled distance): it surges forward on
//            every beat and glides to a stop before the next (uBeatPhase), so
//            it moves at the tempo, further when the music is loud (uLevel);
//            a slow creep keeps it alive when no beat grid runs;
//            y = last frame's uBeatPhase
//   texel 2 + (k mod 32): onset number k (1-based): x = k, y = its time (iTime),
//            z = its strength 0..1, w = 1 for a kick (uBassHit), else 0
// Onset k opens flower slot (k - 1) mod F (the scene knows F, the flowers in
// its frame). All texels read the previous header and reach the same verdict,
// so the header and the ring agree on every frame. State passes run from the
// song's first frame, so a render from any --start matches.

const int RING = 32;
const int FIRST = 2;  // the ring's first texel

uniform float driftSpeed;  // parallax drift of the field

// Share of a beat's surge done at beat phase x: a small jolt on the
// beat's own frame, most of the rest just after.
float surge(float x) {
    return 0.15 + 0.85 * (1.0 - exp(-6.0 * x)) / (1.0 - exp(-6.0));
}

float onsetPulse() {
    return max(uOnset, max(uBassHit, uMidHit));
}

void main() {
    int texel = int(gl_FragCoord.x);
    vec4 head = texelFetch(iChannel1, ivec2(0, 0), 0);
    vec4 own = texelFetch(iChannel1, ivec2(texel, 0), 0);

    // An onset: any of the three pulses jumps up (they only rise on a hit).
    float pulse = onsetPulse();
    float rise = pulse - head.x;
    bool onset = rise > 0.2;
    float count = head.y + (onset ? 1.0 : 0.0);
    // A downbeat: the bar phase wraps from near 1 back to near 0.
    bool downbeat = uBarPhase < head.z - 0.5;

    if (texel == 0) {
        fragColor = vec4(pulse, count, uBarPhase, head.w + (downbeat ? 1.0 : 0.0));
        return;
    }
    if (texel == 1) {
        float dt = clamp(iTimeDelta, 0.0, 0.25);
        // How far through its surge the beat is: fast on the beat, then easing.
        float was = surge(own.y), now = surge(uBeatPhase);
        float moved = uBeatPhase - own.y;  // wrapping back by over half: a new beat
        float beats = moved >= 0.0 ? now - was : moved < -0.5 ? 1.0 - was + now : 0.0;
        beats = iFrame == 0 ? 0.0 : beats;
        float step = 0.5 * beats * (0.2 + 1.6 * uLevel) + 0.08 * dt;
        fragColor = vec4(own.x + driftSpeed * step, uBeatPhase, 0.0, 0.0);
        return;
    }
    bool mine = onset && int(mod(count, float(RING))) == texel - FIRST;
    float kick = uBassHit > 0.9 ? 1.0 : 0.0;
    fragColor = mine ? vec4(count, iTime, clamp(0.4 + rise, 0.0, 1.0), kick) : own;
}
