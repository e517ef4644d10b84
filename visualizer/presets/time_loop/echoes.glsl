// 7:03: the sun-clock over its own echoes, at 0.4 resolution (remembers
// itself; display values).
//   iChannel0: this target's previous frame
//   iChannel1: the loop's state (state.glsl)
// The echoes drift outward from the sun, turn and shift hue; a kick throws
// them out faster, a build-up keeps them longer. On each reset (the
// downbeat) they are pulled back in (a rewind) while the alarm rings out.
// The drop's red flash goes into them, and on the drop the whole last frame
// is copied into every shard: the loop shatters.
#include "lib/colour.glsl"
#include "lib/post.glsl"
#include "day.glsl"

uniform float echoFade;    // seconds for an echo to fade to 1/e
uniform float echoGrow;    // outward zoom of the echoes, per second
uniform float echoSpin;    // turn of the echoes, radians per second
uniform float echoHue;     // hue turn of the echoes, radians per second
uniform float rewindPull;  // inward zoom of the echoes per second in the rewind
uniform float exposure;    // base exposure
uniform float flashRed;    // the red flash at the drop, 0..1

// The alarm's bell rings, running out from the face at each reset.
vec3 alarmRings(Loop l, Day day, vec2 p) {
    float r = length(p - day.centre);
    vec3 wave = vec3(0.0);
    for (int i = 0; i < 2; ++i) {
        float radius = day.radius * (1.1 + (l.since + 0.06 * float(i)) * 4.0);
        wave += rainbow(day.hue + 0.33 * float(i)) * line(abs(r - radius), 0.006);
    }
    return wave * exp(-l.since / 0.15) * day.alive;
}

void main() {
    vec2 res = iResolution.xy;
    Loop l;
    Place at;
    Day day = dayHere(texelFetch(iChannel1, ivec2(0), 0), l, at);

    vec4 face = clockFace(day, at.p);
    vec3 light = face.rgb + 1.5 * alarmRings(l, day, at.p);
    float expo = exposure * (0.75 + 0.2 * uLevel + 0.15 * uBeatPulse * drive() + 0.5 * flashOf(l));
    vec3 live = linearToSrgb(tonemapVivid(light * expo, 0.3));

    float dt = clamp(iTimeDelta, 1.0 / 240.0, 0.25);
    float rewind = rewindOf(l);
    // The echoes drift out slowly; each kick (uBassHit) throws them outward.
    float grow = echoGrow * (drive() * (0.4 + 1.5 * uBuild) + 5.0 * uBassHit);
    float zoom = mix(1.0 + dt * grow, 1.0 - dt * rewindPull, rewind);
    float angle = dt * echoSpin * (1.0 - 4.0 * rewind);
    float keep = exp(-dt / mix(echoFade * (1.0 + 2.0 * uBuild), 0.15, rewind));
    vec2 centre = (at.cell + day.centre / (2.0 * at.halfFrame) + 0.5) / at.shards;
    vec3 echo = uDrop > 0.9 && at.shards > 1.5
        ? texture(iChannel0, at.cuv).rgb * keep    // the shatter: the whole last frame in every shard
        : feedbackTrail(iChannel0, at.uv, centre, res.x / res.y, zoom, angle, keep).rgb;
    // Their hue turns slowly, jumps on every onset (uOnset) and spins in the rewind.
    echo = hueRotateSmall(echo, dt * echoHue * (drive() * (0.3 + 2.0 * uBuild) + 5.0 * hit() + 6.0 * rewind));
    // Resampling greys the echoes; keep them vivid (never enough to outgrow the fade).
    echo = saturate3(echo, 1.0 + 0.5 * (1.0 - keep));
    echo = max(echo - 0.08 * dt, 0.0);   // every echo reaches zero: a bounded past

    vec3 colour = max(echo * (1.0 - face.a), live);
    vec2 fromMiddle = (at.uv - 0.5) * 2.0 * at.halfFrame;
    colour = redFlash(colour, fromMiddle * 1.6, uDrop * flashRed);   // the moment of death
    fragColor = vec4(colour, 1.0);
}
