// Darol: the giant flower (stem, head of iridescent petals, heart) and the
// spores. Linear HDR light; each returns colour and coverage.
#ifndef DAROL_FLOWER
#define DAROL_FLOWER

#include "story.glsl"

// The stem's centre line at height s (0 foot .. 1 head).
float stemX(float s) {
    return gBase.x + (gHead.x - gBase.x) * s * s + 0.01 * dlSin(s * 5.0 + iTime * 0.3);
}

// The stem: a tower. A dark silhouette with a rim from the sky, fibres, the
// flower's light falling on its top and a glowing vein; on every bar a slug of
// light runs down it (uBarPhase), into the roots. It flares into them at the foot.
vec4 stem(vec2 w) {
    // Outside the box around the stem there is nothing to draw.
    float reach = 0.16;
    if (abs(w.x - 0.5 * (gBase.x + gHead.x)) > abs(gHead.x - gBase.x) * 0.5 + reach
        || w.y < gBase.y - 0.02 || w.y > gHead.y) return vec4(0.0);
    float s = (w.y - gBase.y) / gStemLen;
    float width = 0.06 * fitWidth() * mix(1.0, 0.72, clamp(s, 0.0, 1.0)) * (1.0 + 1.6 * exp(-s * 14.0));
    float dx = w.x - stemX(s);
    float xn = dx / width;
    float inside = smoothstep(gPx, -gPx, abs(dx) - width) * step(0.0, s) * step(s, 1.0);
    inside *= smoothstep(-0.02, 0.0, w.y - gBase.y + 0.01);
    float fibre = 0.75 + 0.25 * dlSin(xn * 11.0 + 0.3 * dlSin(s * 7.0));
    vec3 col = vec3(0.006, 0.003, 0.01) * fibre + rainbow(gHue + 0.04) * 0.3 * smoothstep(0.55, 1.0, -xn);
    col += rainbow(gHue + 0.95) * gLight * 0.25 * exp(-(1.0 - s) * 7.0) * (1.0 - 0.5 * xn * xn) * fibre;
    float vein = exp(-xn * xn * 12.0);
    float wave = s - (1.0 - uBarPhase);
    wave = exp(-wave * wave * 60.0);
    col += rainbow(gHue + 0.45 + 0.3 * s) * vein * (0.05 * gLight + 2.5 * wave * (0.4 + 0.4 * gLight));
    // On every beat (uBeatPhase) a pulse of light shoots up the stem from the
    // roots into the head, in a sixth of a beat.
    float climb = s - uBeatPhase * 6.0;
    col += rainbow(gHue + 0.9 + 0.2 * s) * (0.3 + 0.7 * vein) * exp(-climb * climb * 30.0) * 3.0 * gBeat;
    return vec4(col * inside, inside);
}

// Petal k of a layer of n (lk = layer 0 outer, 1 inner) at head offset q.
// Closed, the petals fan upward into a bud; opening, they swing out around
// the heart, the outermost going furthest. Returns (coverage, u along 0..1,
// v across -1..1, angle) and the shade it casts just outside its edge.
vec4 petalShape(vec2 q, float k, float n, float lk, out float shade) {
    float open = clamp(gOpen, 0.0, 1.3);
    float c = k - 0.5 * (n - 1.0);
    float budAngle = c / n * mix(0.9, 0.6, lk);
    float openAngle = (c + 0.5 * lk) * DL_TAU / n + 0.12 * (fract(k * 0.618 + lk * 0.3) - 0.5);
    float ang = 1.5708 + mix(budAngle, openAngle, smoothstep(0.0, 1.0, open));
    vec2 dir = vec2(dlSin(ang + 1.5708), dlSin(ang));
    float len = gHeadR * mix(1.0, 0.66, lk) * (0.9 + 0.16 * fract(k * 0.754 + lk * 0.5)) * mix(1.25, 1.0, open) * (1.0 + 0.3 * gBurst);
    float u = dot(q, dir) / len;
    float v = dot(q, vec2(-dir.y, dir.x)) / len;
    float half_ = mix(0.2, 0.34, open) * 2.0 * sqrt(max(u * (1.0 - u), 0.0)) * (1.0 - 0.3 * u);
    float edge = (abs(v) - half_) * len;
    float along = step(0.0, u) * step(u, 1.0);
    shade = 1.0 - 0.7 * along * smoothstep(0.06 * gHeadR, 0.0, edge);
    float cover = smoothstep(0.0, -2.0 * gPx, edge) * along;
    // The angle carries the petal's hue too: closed, the bud fans a
    // rainbow across its petals; open, one turn runs around the flower.
    float hueAngle = ang + (1.0 - smoothstep(0.0, 1.0, open)) * c / n * 4.0;
    return vec4(cover, u, clamp(v / max(half_, 1e-3), -1.0, 1.0), hueAngle);
}

// Colour of a petal surface (u along, vn across, its angle, layer lk):
// deep at the base, luminous toward the tip, veined, with a thin-film sheen
// at the curled edges. One rainbow turn around the flower; closed, the bud
// shows the turn's cool half.
vec3 petalColor(float u, float vn, float ang, float lk) {
    float hue = gHue + 0.55 + (ang - 1.5708) / DL_TAU + 0.35 * vn * vn + 0.2 * u + 0.04 * dlSin(iTime * 1.3 + ang * 3.0);
    vec3 tint = rainbow(hue);
    vec3 sheen = dlFilm(2.0 * hue + 0.6 * vn + 0.15 * iTime);
    float body = 0.05 + 1.1 * u * u;
    float veins = smoothstep(0.75, 1.0, dlSin(vn * 14.0 + 1.57)) * smoothstep(0.2, 0.8, u);
    float rim = smoothstep(0.55, 1.0, abs(vn));
    vec3 col = tint * body * (1.0 - 0.6 * exp(-vn * vn * 40.0)) + tint * veins * 0.35;
    col += sheen * rim * rim * 0.6 + tint * smoothstep(0.85, 1.0, u) * 0.4;
    // The beat (gPulse) breathes a glow through the petals: the heart's light
    // floods out from the base to the tips on the beat and fades after.
    float flood = smoothstep(uBeatPhase * 4.0 + 0.3, uBeatPhase * 4.0 - 0.2, u);
    col += tint * gPulse * (0.15 + 0.9 * flood * (1.0 - 0.5 * u));
    return col * gLight * mix(0.75, 1.05, lk);
}

vec3 glory(vec2 w);

// The head at world point w: outer petals, inner petals (later ones on
// top), the heart, and a halo of light around it. Colour and coverage.
vec4 head(vec2 w) {
    vec2 q = w - gHead;
    q.y /= mix(0.95, 0.76, smoothstep(0.0, 1.0, gOpen));  // open, seen from below: a wide disc
    float r = length(q);
    vec3 col = vec3(0.0);
    float alpha = 0.0;
    if (r < gHeadR * (1.4 + 0.4 * gBurst)) {
        // The top surface and the one under it (for its anti-aliased edge):
        // (u, vn, angle, layer), and the shade cast on each by petals above.
        vec4 front = vec4(0.0, 0.0, 1.5708, 0.0);
        vec4 back = front;
        float frontCover = 0.0, frontShade = 1.0, backShade = 1.0;
        for (int i = 0; i < 14; ++i) {
            bool inner = i >= 8;
            float lk = inner ? 1.0 : 0.0;
            float shade;
            vec4 g = petalShape(q, inner ? float(i - 8) : float(i), inner ? 6.0 : 8.0, lk, shade);
            bool hit = g.x > 0.0;
            back = hit ? front : back;
            backShade = hit ? frontShade * (1.0 - 0.5 * g.x) : backShade * shade;
            front = hit ? vec4(g.yzw, lk) : front;
            frontCover = hit ? g.x : frontCover;
            frontShade = hit ? 1.0 : frontShade * shade;
            alpha = max(alpha, g.x);
        }
        vec3 under = petalColor(back.x, back.y, back.z, back.w) * backShade * (alpha - frontCover);
        col = under + petalColor(front.x, front.y, front.z, front.w) * frontShade * frontCover;
    }
    // The heart: white-gold, beating (uBeatPhase), bigger as it opens.
    float rc = gHeadR * 0.22 * smoothstep(0.2, 1.0, gOpen);
    float heart = smoothstep(gPx, -gPx, r - rc);
    vec3 hot = mix(vec3(1.6, 1.0, 0.45), rainbow(gHue + 0.9), smoothstep(0.3, 1.0, r / max(rc, 1e-4)));
    col = mix(col, hot * gLight * (0.8 + 0.8 * gBeat), heart);
    alpha = max(alpha, heart);
    // Halo: the flower lights the air around it, brighter on the beat.
    col += rainbow(gHue + 0.95) * gLight * (0.14 + 0.12 * gBeat) * exp(-r / gHeadR * 1.6) * (1.0 - alpha);
    col += glory(w) * (1.0 - alpha);
    return vec4(col, alpha);
}

// A rainbow corona around the head (world point w): spectral light, red
// inside to violet outside, broken into soft rays that turn slowly; it rings
// the closed bud and the open head alike. Faint at rest, it flares on every
// onset (uOnset) and the kick (uBassHit) throws it wider, on the frame of the
// hit; gentler in the intro, while Darol sleeps (gWake).
vec3 glory(vec2 w) {
    float bud = 1.0 - smoothstep(0.0, 1.0, gOpen);
    vec2 q = w - gHead - vec2(0.0, 0.5 * gHeadR * bud);
    float r = length(q) / gHeadR;
    float t = (r - mix(1.45, 1.15, bud) - 0.25 * gKick) / (0.36 + 0.12 * gHit);
    if (abs(t) > 1.0) return vec3(0.0);
    float a = atan(q.y, q.x) * 9.0 + iTime * 0.15;
    float rays = dlNoise1(a) * dlNoise1(a * 2.3 + 5.0) * 2.0;
    rays = 0.25 + 0.75 * rays * rays;
    float band = (1.0 - t * t * t * t) * smoothstep(1.0, -0.2, t - 0.6 * (rays - 0.5));
    // The plain in front of Darol's foot hides the corona's lower rim.
    float above = smoothstep(gBase.y - 0.01, gBase.y + 0.04, w.y);
    return rainbow(0.5 * t + 0.4) * band * band * rays * above * (0.12 * gLight + gWake * (0.3 * gBeat + 1.1 * gHit + 0.5 * gKick));
}

// Spores drifting up through the air (a grid of cells per parallax layer),
// denser with the build and after the drop; the hats make them sparkle.
vec3 airSpores(vec2 w, float layer) {
    float size = mix(0.07, 0.11, layer);
    vec2 g = w / size + vec2(layer * 17.0, -iTime * mix(0.25, 0.4, layer));
    vec2 cell = floor(g);
    vec2 f = fract(g) - 0.5;
    float h = hash12(cell + layer * 31.0);
    vec2 at = vec2(hash12(cell + 5.0), h) - 0.5;
    float d2 = dot(f - at * 0.7, f - at * 0.7) * size * size;
    float grain = mix(0.0012, 0.0022, layer) * gPx * iResolution.y / 180.0;
    float twinkle = 0.5 + 0.5 * dlSin(iTime * (11.0 + 13.0 * h) + h * 40.0);
    float amount = (0.12 + 0.8 * smoothstep(0.0, 1.0, uBuild) + 1.2 * gAwake) * step(0.45, h);
    float bright = amount * (0.35 + 3.0 * uHighHit * twinkle);
    return rainbow(gHue + h * 2.0) * exp(-d2 / (grain * grain)) * bright;
}

// The eruption: two shells of spores thrown out of the head at the drop.
vec3 burstSpores(vec2 w) {
    if (gAwake < 0.5) return vec3(0.0);
    vec3 sum = vec3(0.0);
    float t = uSinceDrop;
    vec2 q = w - gHead;
    float r = length(q);
    float a = atan(q.y, q.x);
    for (int s = 0; s < 3; ++s) {
        float fs = float(s);
        float n = 17.0 + 12.0 * fs;
        float sector = DL_TAU / n;
        float k = floor((a + fs) / sector + 0.5);
        float h = hash12(vec2(mod(k, n), 7.0 + fs));
        float local = a + fs - k * sector - (h - 0.5) * 0.6 * sector;
        float reach = gHeadR * (2.0 + 2.2 * fs) * (0.6 + 0.8 * h);
        float rate = 1.4 + 0.6 * fs;
        float rad = gHeadR * (0.4 + 0.25 * t) + reach * (1.0 - exp(-t * rate));
        // Motion blur: each spore smeared over the way it went in 1/20 s.
        float streak = reach * rate * exp(-t * rate) * 0.05;
        float dr = r - clamp(r, rad - streak, rad);
        vec2 dd = vec2(dr, r * local);
        float size = gHeadR * (0.018 + 0.022 * hash12(vec2(k, 3.0 + fs)));
        float life = exp(-t * (0.35 + 0.15 * fs));
        float twinkle = 0.6 + 0.4 * dlSin(iTime * 17.0 + h * 30.0);
        sum += rainbow(gHue + h + fs * 0.3) * exp(-dot(dd, dd) / (size * size)) * life
               * (1.5 + 4.0 * uHighHit * twinkle);
    }
    // A ring of light thrown out by the eruption.
    float ring = r - gHeadR * (1.0 + 7.0 * (1.0 - exp(-t * 1.5)));
    sum += mix(vec3(1.0, 0.6, 0.5), rainbow(gHue + 0.95), 0.5) * exp(-ring * ring / (gHeadR * gHeadR * 0.02)) * exp(-t * 1.2) * 1.5;
    return sum;
}

#endif
