// White Void: musical state, a 2x1 rgba32f feedback target (iChannel1 = itself),
// run from the first frame, so a render from any --start matches.
//   texel 0: x = beats counted last frame, y = beats now (both mod 840),
//            z = the line's character (0 waveform .. 1 spectrum silhouette),
//                easing toward the section's over about a second
//   texel 1: the time (iTime) each of the four echo slots was stamped; a slot
//            wiped on the bar holds -1e4 (long gone)
// Slot k holds the echo of beat k of the bar (mod 4; the bar as uBarPhase
// counts it): ink.glsl draws it, and paper.glsl sinks and fades it by its age.

void main() {
    int texel = int(gl_FragCoord.x);
    vec4 s0 = texelFetch(iChannel1, ivec2(0, 0), 0);
    vec4 s1 = texelFetch(iChannel1, ivec2(1, 0), 0);
    float dt = clamp(iTimeDelta, 1.0 / 240.0, 0.25);
    if (iFrame == 0 || s0.w < 0.5) {
        s0 = vec4(mod(uBeatCount, 840.0), mod(uBeatCount, 840.0), mod(uSection, 2.0), 1.0);
        s1 = vec4(-1e4);
    }

    // The beat grid: a new beat (uBeatCount) stamps its slot; the first beat
    // of a bar (uBarPhase) wipes the others (the day resets).
    float beats = mod(uBeatCount, 840.0);
    float inBar = floor(uBarPhase * max(uBeatsPerBar, 1.0) + 1e-3);  // 0 on the downbeat
    bool newBeat = beats != s0.y;
    bool newBar = newBeat && inBar < 0.5;
    if (newBar) s1 = vec4(-1e4);
    if (newBeat) {
        int slot = int(mod(inBar, 4.0));
        s1[slot] = iTime;
    }
    s0.x = s0.y;
    s0.y = beats;

    // The section sets the line's character; it morphs over about a second.
    float target = mod(uSection, 2.0);
    float mode = s0.z + (target - s0.z) * (1.0 - exp(-dt / 0.3));
    s0.z = abs(target - mode) < 0.004 ? target : mode;

    fragColor = texel == 0 ? s0 : s1;
}
