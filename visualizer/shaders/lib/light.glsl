// Light falling off from a shape: a glowing outline and an expanding shock
// ring. Distances are in the caller's units (a signed distance from lib/sdf.glsl
// works); results are linear light, 1 at the line's core.
#ifndef LIB_LIGHT
#define LIB_LIGHT

// A glowing line at distance d: a sharp core of `width` and a soft halo six
// times wider (a quarter as bright); 1.25 on the line, falling towards 0.
float glowLine(float d, float width) {
    float a = abs(d);
    return exp(-a / width) + 0.25 * exp(-a / (6.0 * width));
}

// A thin ring that left radius `from` `age` seconds ago at `speed` per second,
// a Gaussian of `width` across, fading as exp(-1.3 age); 0 before it starts.
float shockwave(float r, float from, float speed, float age, float width) {
    if (age < 0.0) return 0.0;
    float d = (r - (from + speed * age)) / width;
    return exp(-d * d) * exp(-age * 1.3);
}

#endif
