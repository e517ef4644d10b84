// Mimic Bloom: pollen, in the flower's units (included by flower.glsl, whose
// globals it reads). Each kick throws two shells of grains out of the heart;
// the drop throws three more, wide enough to fill the screen. One grain per
// angular sector of a shell, so each pixel tests one grain per shell.
#ifndef MIMIC_BLOOM_POLLEN
#define MIMIC_BLOOM_POLLEN

// Shell `fs` (0, 1, ...) thrown t seconds ago, at polar point pr; id tells
// throws apart, strength 0..1 sets how far and bright, reach in flower units.
vec3 pollenShell(vec2 pr, float R, float t, float fs, float id, float strength, float reach) {
    float n = 19.0 + 10.0 * fs;
    float rate = 2.2 + 0.8 * fs;
    float ease = 1.0 - exp(-t * rate);
    float curl = (fs - 1.0) * 0.6 * ease + fract(id * 0.618034 + fs * 0.3) * TAU;
    vec2 cell = polarCell(pr.y - curl, n);
    float k = wrapIndex(cell.x, n);
    vec3 rnd = petalRandom(k + id * 31.0, 11.0 + fs);
    float speed = 0.5 + 0.8 * rnd.y;
    float rad = R * 0.12 + ease * reach * speed;
    // Motion blur: the grain is smeared over the distance it covered since
    // the last frame, so its echoes join into a continuous streak.
    float streak = min(reach * speed * rate * (1.0 - ease) * min(iTimeDelta, 1.0 / 15.0), 0.3 * R);
    float dr = pr.x - clamp(pr.x, rad - streak, rad);
    float da = pr.x * (cell.y - (rnd.x - 0.5) * 0.7 * TAU / n);
    float size = R * (0.012 + 0.01 * rnd.z) * (1.0 + 0.2 * fs * step(2.0, fs));
    float d2 = (dr * dr + da * da) / (size * size);
    // The highs (uHigh) make the grains twinkle, flaring on each hat (uHighHit).
    float twinkle = 0.5 + 0.5 * sinFast(iTime * (14.0 + 20.0 * rnd.z) + rnd.y * TAU);
    float bright = exp(-t * 1.1) * (0.6 + (0.8 * uHigh + 2.5 * uHighHit) * twinkle) * (0.5 + 0.5 * strength);
    float halo = max(1.0 - d2 * (1.0 / 16.0), 0.0);
    float grain = exp(-d2) * 3.0 + 0.15 * halo * halo;  // grain and faint halo
    return rainbow(gHue + rnd.y * 0.6 + fs * 0.2) * grain * bright;
}

vec3 pollen(vec2 pr, float R) {
    vec3 sum = vec3(0.0);
    // The kick's two shells (gKickT: seconds since it, gKick: its strength).
    float kickId = floor((iTime - gKickT) * 8.0 + 0.5);  // differs per kick
    for (int s = 0; s < 2; ++s) {
        float fs = float(s);
        sum += pollenShell(pr, R, gKickT, fs, kickId, gKick, R * (0.7 + 0.45 * fs) * (0.55 + 0.7 * gKick));
    }
    // The drop: three wider shells, out past the edges of the close-up.
    int dropShells = uSinceDrop < 5.0 ? 3 : 0;
    for (int s = 0; s < dropShells; ++s) {
        float fs = float(s);
        sum += 1.5 * pollenShell(pr, R, uSinceDrop, fs + 1.0, 97.0 + uDropCount, 1.0, R * (1.4 + 1.1 * fs));
    }
    return sum;
}

#endif
