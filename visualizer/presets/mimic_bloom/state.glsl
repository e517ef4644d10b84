// Mimic Bloom: musical state, a 4x1 rgba32f feedback target (iChannel1 = itself).
// It turns the smoothed band levels and the song's shape into values the
// scene can animate with:
//   texel 0: x = previous uBass, y = seconds since the last kick,
//            z = strength of that kick 0..1, w = hue jump (grows on kicks, relaxes)
//   texel 1: x = petal opening (a damped spring chasing the bass),
//            y = its velocity, z = slow level follower, w = 1 once initialised
//   texel 2: what the flower needs, in one fetch: x = seconds since the kick,
//            y = its strength, z = hue (turns, 0..1), w = petal opening
//   texel 3: the song's story: x = last frame's uBarPhase, y = bars counted
//            (downbeats: the bar phase wrapping), z = wake (0 a bud at the
//            start .. 1 fully awake: music playing, faster in a build-up, all
//            at once on a drop), w = sleep (0 .. 1 in a breakdown or when the
//            bass is gone; gone on a drop)
// The state pass runs from the song's first frame, so a render that starts
// mid-song (--start) matches one that got there from the beginning.

uniform float kickThreshold;  // rise of uBass within one frame that counts as a kick
uniform float hueJump;        // hue step per full-strength kick (1 = whole wheel)
uniform float hueSpeed;       // hue drift, turns per second

// Texel 3: bars counted, wake and sleep.
vec4 story(vec4 s3, bool fresh, float dt) {
    if (fresh) s3 = vec4(uBarPhase, 0.0, 0.0, 0.0);
    bool downbeat = uBarPhase < s3.x - 0.5;
    s3.y += downbeat ? 1.0 : 0.0;
    s3.x = uBarPhase;
    // Wake: the bud opens over ~16 s of music, faster through a build-up;
    // long silence lets it close again; a drop wakes it fully at once.
    float playing = step(0.03, uLevel);
    s3.z += dt * (playing * (0.06 + 0.3 * uBuild) - (1.0 - playing) * 0.03);
    s3.z = uDrop > 0.5 ? 1.0 : clamp(s3.z, 0.0, 1.0);
    // Sleep: a breakdown, or the bass gone (eased: ~0.8 s in, ~0.3 s out);
    // a build-up (uBuild, a riser) overrides it: the flower wakes toward the drop.
    float target = max(uBreakdown, 1.0 - uBassPresence) * (1.0 - uDrop) * (1.0 - smoothstep(0.05, 0.4, uBuild));
    float tau = target > s3.w ? 0.8 : 0.3;
    s3.w += (target - s3.w) * (1.0 - exp(-dt / tau));
    return s3;
}

void main() {
    ivec2 pixel = ivec2(gl_FragCoord.xy);
    vec4 s0 = texelFetch(iChannel1, ivec2(0, 0), 0);
    vec4 s1 = texelFetch(iChannel1, ivec2(1, 0), 0);
    float dt = clamp(iTimeDelta, 1.0 / 240.0, 0.25);
    bool fresh = s1.w < 0.5;
    if (pixel.x == 3) {
        fragColor = story(texelFetch(iChannel1, ivec2(3, 0), 0), fresh, dt);
        return;
    }
    if (fresh) {
        s0 = vec4(uBass, 10.0, 0.0, 0.0);
        s1 = vec4(0.3 + 0.7 * uBass, 0.0, uLevel, 1.0);
    }

    // Kick: a fast rise of the bass envelope, at most one per 0.18 s.
    float rise = uBass - s0.x;
    bool kick = !fresh && rise > kickThreshold && s0.y > 0.18;
    float strength = clamp(0.35 + 1.2 * rise, 0.0, 1.0);
    s0.y = kick ? 0.0 : s0.y + dt;
    s0.z = kick ? strength : s0.z;
    s0.w = s0.w * exp(-dt / 2.0) + (kick ? hueJump * strength : 0.0);
    s0.x = uBass;

    // Petal opening: spring (about 2 Hz, under-damped) toward the bass level,
    // kicked open by each hit so petals overshoot and settle like living tissue.
    float target = 0.25 + 0.75 * uBass;
    float velocity = s1.y + (kick ? 3.5 * strength : 0.0);
    float position = s1.x;
    float h = dt / 4.0;
    for (int i = 0; i < 4; ++i) {
        velocity += h * (160.0 * (target - position) - 9.0 * velocity);
        position += h * velocity;
    }
    s1.x = clamp(position, -0.2, 1.6);
    s1.y = velocity;
    float tau = uLevel > s1.z ? 0.05 : 0.4;  // quick rise, slow fall (seconds)
    s1.z += (uLevel - s1.z) * (1.0 - exp(-dt / tau));

    vec4 s2 = vec4(s0.y, s0.z, fract(iTime * hueSpeed + s0.w + uSeed), s1.x);
    fragColor = pixel.x == 0 ? s0 : pixel.x == 1 ? s1 : s2;
}
