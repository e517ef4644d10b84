// 7:03: the beat grid as the loop sees it, shared by state.glsl and scene.glsl.
// One "day" is a bar (uBarPhase), or a half bar or a beat while a build-up
// (uBuild) speeds the loop: state.glsl latches how many days fit in a bar on
// each downbeat, so the loop only ever resets on the grid.
#ifndef TIME_LOOP_GRID
#define TIME_LOOP_GRID

float beatsPerBar() {
    return max(uBeatsPerBar, 1.0);
}

// Seconds per beat (120 BPM until the tempo is known).
float beatSeconds() {
    return 60.0 / (uTempo > 1.0 ? uTempo : 120.0);
}

// Which bar this is, robust to the beat count and the bar phase updating a
// frame apart around the downbeat: on the downbeat uBeatCount = 4k + 1 and
// uBarPhase = 0 give k; just before it 4k and ~0.98 give k - 1.
float barIndex() {
    float bpb = beatsPerBar();
    return floor((uBeatCount - 1.0 - uBarPhase * bpb) / bpb + 0.5);
}

// Days per bar for a build-up this far along: 1, then 2, then 4 (a beat).
float daysPerBar(float build) {
    return build > 0.45 ? 4.0 : build > 0.15 ? 2.0 : 1.0;
}

// How hard the music drives the loop's own motion (the echoes' drift and hue
// turn, the rings): full when loud (uLevel), a third when quiet, so a
// breakdown or a riser calms the picture instead of animating it.
float drive() {
    return mix(0.3, 1.0, smoothstep(0.2, 0.6, uLevel));
}

// Any onset (uOnset), squared so it is sharp: 1 on the frame of the hit.
float hit() {
    return uOnset * uOnset;
}

// The beat phase eased out: the rings and the floor leap on the beat and settle.
float beatLeap() {
    float t = 1.0 - clamp(uBeatPhase, 0.0, 1.0);
    return 1.0 - t * t * t;
}

#endif
