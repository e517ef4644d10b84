// Spectral Landscape: the picture. A mountain range of sound in black space:
// each ridge line is the spectrum of one moment (land.glsl remembers 48 of
// them), the front one live, older ones receding toward the horizon in
// perspective, each hiding what lies behind it. A sun (a moon in the first
// section) sits on the horizon and counts the beats.
//   iChannel0: the ridges' colour and light (tint.glsl)
//   iChannel1: the land's memory and state (land.glsl)
//   iChannel2: the ridges, shaped once per column (ridges.glsl)
//   iChannel3: the crest of each block of 8 ridges, per column (crest.glsl)
// Drawn in linear light, exposed and tone mapped to display values; the post
// chain adds the glow, fringes, vignette and grain.
#include "terrain.glsl"
#include "lib/colour.glsl"
#include "lib/post.glsl"

uniform float lineWidth;   // line width in pixels at 360 lines (front ridges are wider)
uniform float sunSize;     // sun radius, in screen heights
uniform float exposure;    // base light
uniform float vignetteAmount;  // darker corners (the film, drawn here: cheaper than a pass)
uniform float grainAmount;     // film grain in display values

// The sun (or moon) on the horizon with the beat's rings; 0 where it is not.
vec3 sun(vec2 p, float section) {
    // Smaller on a tall screen, so it does not fill the narrow width.
    float radius = sunSize * clamp(1.3 * iResolution.x / iResolution.y, 0.75, 1.0) * (1.0 + 0.06 * uBeatPulse + 0.1 * uDrop);
    vec2 centre = vec2(0.0, gHorizon + 0.7 * radius);     // setting: the far ridges cut its foot
    vec2 q = (p - centre) / radius;
    float r = length(q);
    if (r > 1.9) return vec3(0.0);                       // beyond the rings: empty sky
    float aa = 1.5 / (iResolution.y * radius);
    float disc = smoothstep(1.0 + aa, 1.0 - aa, r);
    // Four slits across its lower half; the one of this beat in the bar
    // (uBeatCount) burns white and fades over the beat (uBeatPhase).
    float beat = mod(uBeatCount - 1.0, max(uBeatsPerBar, 1.0));
    float slit = clamp(floor((0.02 - q.y) / 0.19 + 0.5), 0.0, 3.0);   // the nearest of the four
    float halfWidth = 0.022 + 0.018 * slit;
    float inSlit = smoothstep(halfWidth + aa, halfWidth - aa, abs(q.y - 0.02 + 0.19 * slit));
    disc *= 1.0 - inSlit;
    float slitLight = slit == beat && uTempo > 1.0 ? inSlit * exp(-uBeatPhase * 3.0) : 0.0;  // no grid, no count
    float look = mod(floor(section + 0.5), 4.0);
    vec3 top = look < 0.5 ? vec3(0.9, 0.95, 1.0) : vec3(1.0, 0.85, 0.3);
    vec3 bottom = look < 0.5 ? vec3(0.4, 0.55, 1.0) : vec3(1.0, 0.12, 0.45);
    vec3 colour = mix(bottom, top, smoothstep(-1.0, 1.0, q.y));
    colour = mix(colour, vec3(1.0, 0.06, 0.03), uDrop);
    vec3 light = colour * disc * (0.8 + 0.6 * uBeatPulse) + vec3(1.0, 0.95, 0.9) * 2.0 * slitLight * step(r, 1.0);
    // A ring leaves the sun on every beat; the downbeat's is brighter.
    // It flashes out on the beat and drifts on, fading, so the sky changes on
    // the beat and rests between; it is brighter while the bass plays.
    float ringR = 1.25 + 0.5 * uBeatPhase;
    float ringD = (r - ringR) * radius * iResolution.y / 1.6;
    float ring = exp(-ringD * ringD) * (1.0 - uBeatPhase) * (1.0 - uBeatPhase);
    light += colour * ring * (beat < 0.5 ? 1.2 : 0.5) * (0.25 + 0.75 * uBassPresence);
    // The drop: the sun bursts white-hot, wider than itself, for a moment.
    light += vec3(12.0) * uDrop * uDrop * smoothstep(1.3, 1.2, r);
    // A thin halo hugging the rim.
    light += colour * 0.25 * exp(-max(r - 1.0, 0.0) * radius * 60.0) * step(1.0, r);
    return light;
}

// Ridges closer together than a few pixels fade into the dark (no moire at
// the horizon); they still hide what is behind them. res: lines on screen.
float fadeAt(int k, float res) {
    float z = rowZ(k);
    return smoothstep(1.5, 4.0, gSpan * gDz / (z * z) / (1.0 - gFar) * res);
}

// The light of one ridge line: line = (ridge, band position, depth, weight),
// from the tint pass (the section's look, the drop's red, its moment's light).
vec3 lineLight(vec4 line) {
    return textureLod(iChannel0, memoryUv(int(line.x), line.y), 0.0).rgb * line.w;
}

void main() {
    vec2 res = iResolution.xy;
    vec2 p = centredUv(gl_FragCoord.xy, res);
    setup();
    float beatLight = 1.0 + 2.2 * gFlash + 0.3 * exp(-3.0 * uBeatPhase);   // every onset lights the land at once
    float breathLight = 1.0 + 0.25 * gBreath;
    // This pixel's place between two columns of the ridge pass.
    float halfRange = 0.5 * clamp(res.x / res.y, 0.56, 1.78);   // the front range's half-width on screen
    float column = (p.x / halfRange / SL_REACH * 0.5 + 0.5) * float(SL_COLUMNS) - 0.5;
    float columnWidth = 2.0 * SL_REACH * halfRange / float(SL_COLUMNS);
    int c0 = int(clamp(floor(column), 0.0, float(SL_COLUMNS - 2)));
    float blend = clamp(column - float(c0), 0.0, 1.0);

    // Skip the front ridges that cannot reach this pixel: at once those below
    // the highest any ridge can rise, then block by block (crest.glsl).
    float hMax = amplitude * (1.0 + 0.3 * uHigh) * 1.05 + 0.015 + kickLift * max(gSpring, 0.0);
    float reach = p.y - 3.0 / res.y - gBottom;            // how far above the plain's front edge
    int k0 = SL_ROWS;
    if (reach < gSpan * (1.0 + hMax * gFar)) {
        // Ridge at distance z rises at most to gBottom + gSpan * (plainAt(z) + hMax / z).
        k0 = 0;
        for (int i = 0; i < SL_ROWS; i += SL_BLOCK) {
            float z = 1.0 + float(i + SL_BLOCK) * gDz;
            if (gSpan * (plainAt(z) + hMax / z) >= reach) break;
            k0 = i + SL_BLOCK;
        }
    }

    // Walk the ridges front to back until one hides the pixel, noting the
    // first two lines that cover it (their colour is worked out once, after).
    float through = 1.0;  // light still passing (lines in front cover what is behind)
    bool hidden = false;
    vec4 lineA = vec4(0.0), lineB = vec4(0.0);  // (ridge, band position, depth, weight)
    float margin = 2.0 * lineWidth / 360.0;
    float reachPx = 0.8 * lineWidth * res.y / 360.0 + 1.0;   // half the widest line, and a pixel
    float under = 0.0;
    // Ridges too close together to see at this size are only walked where
    // they can hide something: in front of the sun.
    float zSeen = sqrt(gSpan * gDz / (1.0 - gFar) * res.y / 1.5);
    bool sunBehind = abs(p.x) < 2.3 * sunSize && p.y > gHorizon - 1.5 * sunSize;  // its rings too
    int kEnd = sunBehind ? SL_ROWS : min(SL_ROWS, int((zSeen - 1.0) / gDz - gFrac) + 2);
    for (int b = k0 / SL_BLOCK; b * SL_BLOCK < kEnd && !hidden; ++b) {
        if (texelFetch(iChannel3, ivec2(c0, b), 0).r < p.y - margin) continue;
        for (int k = b * SL_BLOCK; k < min((b + 1) * SL_BLOCK, kEnd); ++k) {
            vec4 left = texelFetch(iChannel2, ivec2(c0, k), 0);
            vec4 right = texelFetch(iChannel2, ivec2(c0 + 1, k), 0);
            vec4 ridge = mix(left, right, blend);
            float dp = (p.y - ridge.r) * res.y;            // pixels above the line
            // Near this ridge's line between the two columns? (Most are not.)
            float beyond = max(max(min(left.r, right.r) - p.y, p.y - max(left.r, right.r)), 0.0) * res.y;
            if (beyond < reachPx && ridge.g > 0.0) {
                float slope = (right.r - left.r) / columnWidth;  // keeps steep flanks as thick as the plain
                float depth = rowDistance(k) / float(SL_ROWS);
                float width = lineWidth * res.y / 360.0 * mix(1.6, 0.6, depth);
                float faint = min(width, 1.0);             // a line under a pixel wide: drawn one wide, fainter
                width = max(width, 1.0);
                // Distance to the line's segment between the two columns, in pixels.
                float dist = max(abs(dp) * inversesqrt(1.0 + slope * slope), beyond);
                float cover = clamp(0.5 * width + 0.5 - dist, 0.0, 1.0) * ridge.g * faint * fadeAt(k, res.y);
                if (cover > 0.0) {
                    vec4 line = vec4(float(k), ridge.b, depth, through * cover);
                    if (lineA.w == 0.0) lineA = line; else if (lineB.w == 0.0) lineB = line;
                    through *= 1.0 - cover;
                }
            }
            if (dp < 0.0 && ridge.a > 0.5) {
                // Inside this ridge: it hides the rest. On the drop, red light
                // shines through it from behind, just under its crest.
                under = through * exp(dp / (1.8 * res.y / 360.0)) * ridge.g * fadeAt(k, res.y);
                hidden = true;
                break;
            }
        }
    }
    vec3 light = vec3(1.0, 0.03, 0.02) * 2.5 * uDrop * under;
    if (lineA.w > 0.0) light += lineLight(lineA) * beatLight * breathLight;
    if (lineB.w > 0.0) light += lineLight(lineB) * beatLight * breathLight;
    if (!hidden) light += through * sun(p, gSection);

    vec3 display = linearToSrgb(tonemapVivid(light * exposure, 0.15));
    // A clean black: the faintest light (under 1%) is cut, so the void stays void.
    display = max(display - 0.01, 0.0) / 0.99;
    // The film: vignette and grain (the bloom follows in the post chain).
    display *= vignette(gl_FragCoord.xy / res, res.x / res.y, vignetteAmount, 0.5);
    display = max(addFilmGrain(display, ivec2(gl_FragCoord.xy), iFrame, grainAmount), 0.0);
    fragColor = vec4(display, 1.0);
}
