// Darol: the giant flower (stem, head of iridescent petals, heart) and the
// spores. Linear HDR light; each returns colour and coverage.
#ifndef DAROL_FLOWER
#define DAROL_FLOWER

#include "story.glsl"

// The stem's centre line at height s (0 foot .. 1 head).
float stemX(float s) {
    return gBase.x + (gHead.x - gBase.x) * s * s + 0.006 * dlSin(s * 9.0 + iTime * 0.7);
}

// A leaf growing from the stem at height s0 toward `side` (-1 left, +1
// right): a dark blade with a glowing iridescent midrib, lifting as Darol rises.
vec4 leaf(vec2 w, float s0, float side) {
    vec2 root = vec2(stemX(s0), gBase.y + s0 * gStemLen);
    float lift = mix(0.35, 0.75, gRise) + 0.04 * dlSin(iTime * 0.5 + side);
    vec2 dir = vec2(side * dlSin(1.5708 - lift), dlSin(lift));
    float len = 0.9 * gHeadR + 0.04;
    vec2 q = w - root;
    float u = dot(q, dir) / len;
    float v = dot(q, vec2(-dir.y, dir.x)) / len;
    v += 0.25 * u * u * side;  // the blade curls down toward its tip
    float half_ = 0.22 * 2.0 * sqrt(max(u * (1.0 - u), 0.0)) * (1.0 - 0.5 * u);
    float cover = smoothstep(0.0, -2.0 * gPx, (abs(v) - half_) * len) * step(0.0, u) * step(u, 1.0);
    float vn = v / max(half_, 1e-3);
    float rib = exp(-vn * vn * 30.0) * smoothstep(0.0, 0.3, u);
    vec3 col = dlRainbow(gHue + 0.45 + 0.2 * u) * (0.03 + 0.06 * u + rib * (0.1 + 0.35 * gLight));
    col += dlFilm(gHue * 2.0 + vn) * smoothstep(0.6, 1.0, abs(vn)) * 0.06 * (0.5 + gLight);
    return vec4(col, cover);
}

// The stem: a dark silhouette with a rim from the sky and a glowing vein;
// on every bar a slug of light runs down it (uBarPhase), into the roots.
vec4 stem(vec2 w) {
    // Outside the box around stem and leaves there is nothing to draw.
    float reach = gHeadR + 0.1;
    if (abs(w.x - 0.5 * (gBase.x + gHead.x)) > abs(gHead.x - gBase.x) * 0.5 + reach
        || w.y < gBase.y - 0.02 || w.y > gHead.y) return vec4(0.0);
    float s = (w.y - gBase.y) / gStemLen;
    float width = gHeadR / flowerScale * mix(0.2, 0.085, clamp(s, 0.0, 1.0)) + 0.003;
    float dx = w.x - stemX(s);
    float inside = smoothstep(gPx, -gPx, abs(dx) - width) * step(0.0, s) * step(s, 1.0);
    inside *= smoothstep(-0.02, 0.0, w.y - gBase.y + 0.01);
    vec3 col = vec3(0.01, 0.005, 0.015) + dlRainbow(gHue + 0.04) * 0.25 * smoothstep(0.3, 1.0, -dx / width);
    float vein = exp(-dx * dx / (width * width * 0.08));
    float wave = s - (1.0 - uBarPhase);
    wave = exp(-wave * wave * 60.0);
    col += dlRainbow(gHue + 0.45 + 0.3 * s) * vein * (0.15 * gLight + 2.5 * wave * (0.4 + 0.4 * gLight));
    vec4 lf = leaf(w, 0.16, -1.0);
    vec4 lf2 = leaf(w, 0.3, 1.0);
    col = mix(col * inside, lf.rgb, lf.a);
    col = mix(col, lf2.rgb, lf2.a);
    return vec4(col, max(inside, max(lf.a, lf2.a)));
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
    float hueAngle = ang + (1.0 - smoothstep(0.0, 1.0, open)) * c / n * 2.2;
    return vec4(cover, u, clamp(v / max(half_, 1e-3), -1.0, 1.0), hueAngle);
}

// Colour of a petal surface (u along, vn across, its angle, layer lk):
// deep at the base, luminous toward the tip, veined, with a thin-film sheen
// at the curled edges. One rainbow turn around the flower; closed, the bud
// shows the turn's cool half.
vec3 petalColor(float u, float vn, float ang, float lk) {
    float hue = gHue + 0.55 + (ang - 1.5708) / DL_TAU + 0.35 * vn * vn + 0.2 * u + 0.04 * dlSin(iTime * 1.3 + ang * 3.0);
    vec3 tint = dlRainbow(hue);
    vec3 sheen = dlFilm(2.0 * hue + 0.6 * vn + 0.15 * iTime);
    float body = 0.05 + 1.1 * u * u;
    float veins = smoothstep(0.75, 1.0, dlSin(vn * 14.0 + 1.57)) * smoothstep(0.2, 0.8, u);
    float rim = smoothstep(0.55, 1.0, abs(vn));
    vec3 col = tint * body * (1.0 - 0.6 * exp(-vn * vn * 40.0)) + tint * veins * 0.35;
    col += sheen * rim * rim * 0.6 + tint * smoothstep(0.85, 1.0, u) * 0.4;
    return col * gLight * mix(0.75, 1.05, lk);
}

// The head at world point w: outer petals, inner petals (later ones on
// top), the heart, and a halo of light around it. Colour and coverage.
vec4 head(vec2 w) {
    vec2 q = w - gHead;
    q.y /= 0.88;  // seen a little from below
    float r = length(q);
    vec3 col = vec3(0.0);
    float alpha = 0.0;
    if (r < gHeadR * 1.8) {
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
    vec3 hot = mix(vec3(1.6, 1.0, 0.45), dlRainbow(gHue + 0.9), smoothstep(0.3, 1.0, r / max(rc, 1e-4)));
    col = mix(col, hot * gLight * (0.8 + 0.8 * gBeat), heart);
    alpha = max(alpha, heart);
    // Halo: the flower lights the air around it.
    col += dlRainbow(gHue + 0.95) * gLight * 0.18 * exp(-r / gHeadR * 1.6) * (1.0 - alpha);
    return vec4(col, alpha);
}

// Spores drifting up through the air (a grid of cells per parallax layer),
// denser with the build and after the drop; the hats make them sparkle.
vec3 airSpores(vec2 w, float layer) {
    float size = mix(0.07, 0.11, layer);
    vec2 g = w / size + vec2(layer * 17.0, -iTime * mix(0.25, 0.4, layer));
    vec2 cell = floor(g);
    vec2 f = fract(g) - 0.5;
    float h = dlHash(cell + layer * 31.0);
    vec2 at = vec2(dlHash(cell + 5.0), h) - 0.5;
    float d2 = dot(f - at * 0.7, f - at * 0.7) * size * size;
    float grain = mix(0.0012, 0.0022, layer) * gPx * iResolution.y / 180.0;
    float twinkle = 0.5 + 0.5 * dlSin(iTime * (11.0 + 13.0 * h) + h * 40.0);
    float amount = (0.12 + 0.8 * smoothstep(0.0, 1.0, uBuild) + 1.2 * gAwake) * step(0.45, h);
    float bright = amount * (0.35 + 3.0 * uHighHit * twinkle);
    return dlRainbow(gHue + h * 2.0) * exp(-d2 / (grain * grain)) * bright;
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
        float h = dlHash(vec2(mod(k, n), 7.0 + fs));
        float local = a + fs - k * sector - (h - 0.5) * 0.6 * sector;
        float reach = gHeadR * (2.0 + 2.2 * fs) * (0.6 + 0.8 * h);
        float rate = 1.4 + 0.6 * fs;
        float rad = gHeadR * (0.4 + 0.25 * t) + reach * (1.0 - exp(-t * rate));
        // Motion blur: each spore smeared over the way it went in 1/20 s.
        float streak = reach * rate * exp(-t * rate) * 0.05;
        float dr = r - clamp(r, rad - streak, rad);
        vec2 dd = vec2(dr, r * local);
        float size = gHeadR * (0.035 + 0.035 * dlHash(vec2(k, 3.0 + fs)));
        float life = exp(-t * (0.35 + 0.15 * fs));
        float twinkle = 0.6 + 0.4 * dlSin(iTime * 17.0 + h * 30.0);
        sum += dlRainbow(gHue + h + fs * 0.3) * exp(-dot(dd, dd) / (size * size)) * life
               * (1.5 + 4.0 * uHighHit * twinkle);
    }
    // A ring of light thrown out by the eruption.
    float ring = r - gHeadR * (1.0 + 7.0 * (1.0 - exp(-t * 1.5)));
    sum += mix(vec3(1.0, 0.6, 0.5), dlRainbow(gHue + 0.95), 0.5) * exp(-ring * ring / (gHeadR * gHeadR * 0.02)) * exp(-t * 1.2) * 1.5;
    return sum;
}

#endif
