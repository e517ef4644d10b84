// 7:03: the frame, at 0.4 resolution: the section's world under the
// echoes of the sun-clock (iChannel1, display values), a warm alarm glow at
// each reset, seams between the shards after a drop.
//   iChannel1: the echoes (echoes.glsl)   iChannel2: the loop's state
#include "lib/colour.glsl"
#include "lib/post.glsl"
#include "day.glsl"
#include "world.glsl"

uniform float exposure;    // base exposure

void main() {
    vec2 res = iResolution.xy;
    Loop l;
    Place at;
    Day day = dayHere(texelFetch(iChannel2, ivec2(0), 0), l, at);

    vec3 echoes = texture(iChannel1, at.uv).rgb * (1.0 + 0.6 * flashOf(l));
    vec3 light = world(worldOf(uSection), at.p, day.centre, day.hue, day.alive);
    // The alarm: a warm glow around the sun at each reset (the downbeat).
    float r = length(at.p - day.centre);
    light += vec3(1.0, 0.8, 0.5) * exp(-l.since / 0.12) * day.alive * 0.1 / (1.0 + 20.0 * r * r);
    float expo = exposure * (0.75 + 0.2 * uLevel + 0.15 * uBeatPulse * drive() + 0.5 * flashOf(l));
    vec3 back = linearToSrgb(tonemapVivid(light * expo, 0.3));
    // Echoes over the world: light added, never past white.
    vec3 colour = 1.0 - (1.0 - echoes) * (1.0 - back);
    vec2 edge = min(at.cuv, 1.0 - at.cuv) * res / at.shards;   // thin dark seams between shards
    colour *= at.shards > 1.5 ? smoothstep(0.3, 1.2, min(edge.x, edge.y)) : 1.0;
    fragColor = vec4(colour, 1.0);
}
