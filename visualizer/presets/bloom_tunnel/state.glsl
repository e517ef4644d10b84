// Bloom Tunnel: musical state, a 2x1 rgba32f feedback target (iChannel1 = itself).
//   texel 0: x = travel (rings flown past): the speed follows the tempo
//            (uTempo) and the intensity (uIntensity), lurches on each kick
//            (uBassHit), the build (uBuild) accelerates it, the drop (uDrop)
//            blasts through; y = the travel at the last beat (the ring then at
//            the bloom line bursts open), z = at the beat before; w = the
//            last uBeatCount seen
//   texel 1: x = downbeats counted (the bar's hue shift), y = last frame's
//            uBarPhase, z = hats counted (which pollen streaks fly), w = last
//            frame's uHighHit
//   texel 2: x = the song's energy, the level (uLevel, weighted by
//            uIntensity) plus the build (uBuild), smoothed over ~1 s (how
//            many blossoms are lit); w = 1 once set
// State passes run from the song's first frame, so any --start matches.

uniform float speed;  // rings per beat at a steady groove

void main() {
    int texel = int(gl_FragCoord.x);
    vec4 flight = texelFetch(iChannel1, ivec2(0, 0), 0);
    vec4 count = texelFetch(iChannel1, ivec2(1, 0), 0);
    float dt = clamp(iTimeDelta, 0.0, 0.25);
    if (texel == 2) {
        vec4 e = texelFetch(iChannel1, ivec2(2, 0), 0);
        float target = uLevel * (0.5 + 0.5 * uIntensity) + 0.5 * uBuild;
        float energy = e.w < 0.5 ? target : mix(target, e.x, exp(-dt / 0.8));
        fragColor = vec4(energy, 0.0, 0.0, 1.0);
        return;
    }
    if (texel == 0) {
        float tempo = uTempo > 30.0 ? uTempo : 110.0;
        float rate = tempo / 60.0 * speed * (0.15 + 0.25 * uIntensity + 4.0 * uBassHit * uBassHit * uBassHit) * (1.0 + 3.0 * uBuild * uBuild * uBuild);  // the build: slow at first, then rushing
        float travel = flight.x + dt * (rate + 14.0 * uDrop);
        bool beat = uBeatCount != flight.w;
        fragColor = beat ? vec4(travel, travel, flight.y, uBeatCount) : vec4(travel, flight.yzw);
        return;
    }
    bool downbeat = uBarPhase < count.y - 0.5;
    bool hat = uHighHit - count.w > 0.2;
    fragColor = vec4(count.x + (downbeat ? 1.0 : 0.0), uBarPhase, count.z + (hat ? 1.0 : 0.0), uHighHit);
}
