// Petal Rain: musical state, a 1x1 rgba32f feedback target (iChannel1 = itself).
//   x = how far the rain has fallen (screen heights at the middle layer): the
//       fall speed follows the tempo (uTempo), the build (uBuild) quickens it,
//       a breakdown (uBreakdown) slows it to a drift, the drop (uSinceDrop)
//       freezes it for a moment
//   y = last frame's uBarPhase (to see the downbeat)
//   z = downbeats counted (the bar's hue nudge)
//   w = the tumble clock: petals turn as they fall (so with the tempo), and
//       faster in a kick's gust
// State passes run from the song's first frame, so any --start matches.

uniform float fallSpeed;  // screen heights per second at 120 BPM (middle layer)

void main() {
    vec4 s = texelFetch(iChannel1, ivec2(0, 0), 0);
    float dt = clamp(iTimeDelta, 0.0, 0.25);
    float tempo = uTempo > 30.0 ? uTempo : 110.0;
    // The drop: everything hangs in the air for a breath, then falls again.
    float freeze = smoothstep(0.15, 0.7, uSinceDrop);
    float speed = fallSpeed * (tempo / 120.0) * (0.75 + 0.9 * uBuild) * (1.0 - 0.7 * uBreakdown) * freeze;
    bool downbeat = uBarPhase < s.y - 0.5;
    float tumble = speed * dt * 7.0 + dt * 0.6 * uBassHit * freeze;
    fragColor = vec4(s.x + speed * dt, uBarPhase, s.z + (downbeat ? 1.0 : 0.0), s.w + tumble);
}
