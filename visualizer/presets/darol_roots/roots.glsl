// Darol's Roots: the network. From the crown (where the trunk enters the
// ground) main roots fan downward and sideways, meandering (an fbm warp of
// their angle); each forks in two past a random length and each branch forks
// again into rootlets. Drawn per depth layer, with the light they carry.
#ifndef ROOTS_NETWORK
#define ROOTS_NETWORK

#include "story.glsl"

// One fork: the local angle x from a root that splits at radius `at` into a
// pair spreading to +-spread. Returns the angle to the nearer line (the
// parent continues) and, in .y, the offset to the chosen branch.
vec2 fork(float x, float r, float at, float spread) {
    float open = spread * smoothstep(at, at + 0.3, r);
    float side = x < 0.0 ? -open : open;
    float toBranch = abs(x - side);
    return abs(x) < toBranch ? vec2(abs(x), 0.0) : vec2(toBranch, side);
}

// Main root k of a layer (angle spacing s) seen at local angle x from it,
// radius r: (distance to its nearest fork, half-width, the root's hash).
vec3 mainRoot(float x, float r, float k, float s, float seed) {
    float h = hash11(k * 1.37 + seed * 13.0);
    // Fork once (branches), then fork each branch again (rootlets).
    float at1 = 0.12 + 0.3 * h;
    vec2 f1 = fork(x, r, at1, s * 0.27);
    vec2 f2 = fork(x - f1.y, r, at1 + 0.25 + 0.2 * fract(h * 7.1), s * 0.11);
    float level = f2.y != 0.0 ? 0.35 : f1.y != 0.0 ? 0.6 : 1.0;
    // Thick at the crown, tapering; a branch is thinner than its parent.
    float width = (0.016 + 0.01 * h) * exp(-r * 0.9) * (1.0 + 0.9 * gBuild) * (1.0 + 0.1 * gErupt) * level + 0.0015;
    return vec3(min(f1.x, f2.x) * r, width, h);
}

// The tree of one layer at world point w: (distance to the nearest root,
// its half-width, radius from the crown, that main root's hash), world units;
// `reach` fades the roots out where they end, and leaves out a share
// `sparse` of the main roots. The two nearest main roots are both asked, so
// thick roots never break at the seam between them.
vec4 rootTree(vec2 w, float seed, float count, float sparse, int octaves, out float reach) {
    float r = length(w);
    float a = atan(w.x, -w.y);                       // 0: straight down
    // Meander: a sideways push of about a fifth of a unit, an angle that
    // shrinks with the radius (no swirls far out).
    float wander = fbm(vec2(r * 2.0 + seed * 7.0, a * 1.6 + seed * 3.0), octaves) - 0.5;
    a += wander * 0.45 * smoothstep(0.0, 0.4, r) / max(r, 0.3);
    float s = 3.6 / count;                           // spacing of the main roots
    float k = floor(a / s + 0.5);
    float x = a - k * s;
    vec3 here = mainRoot(x, r, k, s, seed);
    float side = x < 0.0 ? -1.0 : 1.0;
    vec3 next = mainRoot(x - side * s, r, k + side, s, seed);
    float keepHere = step(sparse, fract(here.z * 3.7));
    float keepNext = step(sparse, fract(next.z * 3.7));
    bool useNext = keepNext > 0.5 && (keepHere < 0.5 || next.x / next.y < here.x / here.y);
    vec3 root = useNext ? next : here;
    // Roots reach sideways but not up, and each ends somewhere.
    reach = smoothstep(1.95, 1.5, abs(a)) * smoothstep(1.4 + 1.2 * root.z, 0.9 + 1.0 * root.z, r)
          * max(keepHere, keepNext);
    return vec4(root.x, root.y, r, root.z);
}

// The light a root carries at radius r (from the crown) on this beat: a pulse
// runs out from the crown on every beat (uBeatPhase); through a build-up
// (uBuild) it runs the other way, up toward the trunk and the surface; the
// kick (uBassHit) flares the roots near the crown.
float rootLight(float r, float h, float delay) {
    float phase = fract(uBeatPhase - delay);
    float out_ = phase * pulseSpeed;
    float in_ = (1.0 - phase) * pulseSpeed * 0.75;
    float front = mix(out_, in_, gBuild);
    float pulse = exp(-(r - front) * (r - front) * 70.0) * (1.2 - 0.6 * phase) * (3.5 + 1.5 * gBuild);
    float trail = exp(-(r - front + pulseSpeed) * (r - front + pulseSpeed) * 30.0) * 0.4 * (1.0 - gBuild);
    float base = 0.06 + 0.25 * uLevel + 0.6 * gBuild * (0.6 + 0.4 * h);
    float kick = 2.2 * gKick * exp(-r * 2.0);
    return (base + pulse + trail + kick + 0.25 * gErupt) * rootGlow;
}

// The colour of main root h: the section's hue family, a hue per root once
// the drop has turned the network to a rainbow.
vec3 rootTint(float h) {
    vec3 c = rainbow(gHue + (h - 0.5) * mix(0.16, 1.0, gRainbow));
    return mix(c, vec3(1.6, 0.05, 0.02), gRed);
}

// One layer of roots at depth `depth` seen from screen point p: light
// (premultiplied) and how much the roots cover the soil behind. `blur`
// softens the edges (depth of field), `bright` dims the far layers.
vec4 rootLayer(vec2 p, float depth, float seed, float count, float sparse, float blur, float bright) {
    vec2 w = rootsView(p, depth);
    float reach;
    vec4 tree = rootTree(w, seed, count, sparse, depth < 0.6 || depth > 1.5 ? 1 : 2, reach);
    if (reach <= 0.0) return vec4(0.0);
    float width = tree.y + blur * gPx;
    float e = tree.x / width;
    float core = exp(-e * e * 1.5) * reach;
    float halo = width * 2.5 / (tree.x + width * 2.5) * reach;
    float light = rootLight(tree.z, tree.w, (1.0 - depth) * 0.12) * bright;
    float nodes = 0.75 + 0.25 * sinFast(tree.z * 40.0 + tree.w * 20.0);
    vec3 tint = rootTint(tree.w);
    vec3 hot = mix(tint, vec3(1.0), 0.3);
    vec3 col = (hot * core * nodes + tint * halo * halo * 0.12) * light;
    return vec4(col, core);
}

#endif
