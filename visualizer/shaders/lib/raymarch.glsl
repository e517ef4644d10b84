// A small sphere tracer: march a ray, find the surface normal, soft shadows
// and ambient occlusion of a scene you describe as one distance function.
//
// Define the scene BEFORE including this file (lib/raymarch.glsl), e.g.
//     float map(vec3 p) { return sdSphere(p, 1.0); }   // world units, y up
// then include it (or `#define RM_MAP myScene` first to march another
// function; the include must come after the function it marches). Loops are capped
// for CPU rasterizers (llvmpipe): each map() call is paid per pixel per step,
// so keep map() cheap, the caps low, and march at `scale = 0.5` when you can.
// Override a cap with a #define before the include.
#ifndef LIB_RAYMARCH
#define LIB_RAYMARCH

#ifndef RM_MAP
#define RM_MAP map
#endif
#ifndef RM_STEPS
#define RM_STEPS 48          // march steps per ray
#endif
#ifndef RM_SHADOW_STEPS
#define RM_SHADOW_STEPS 16   // soft-shadow steps
#endif
#ifndef RM_AO_STEPS
#define RM_AO_STEPS 4        // ambient-occlusion taps
#endif
#ifndef RM_FAR
#define RM_FAR 30.0          // world units: past this a ray misses
#endif
#ifndef RM_EPSILON
#define RM_EPSILON 0.001     // world units: a hit is closer than this * t
#endif

// The ray through `uv` (centred, screen heights: see centredUv) from a camera
// at `eye` looking at `target`, y up; `zoom` is the focal length in screen
// heights (1 is about a 53 degree vertical field of view).
vec3 cameraRay(vec2 uv, vec3 eye, vec3 target, float zoom) {
    vec3 forward = normalize(target - eye);
    vec3 right = normalize(cross(forward, vec3(0.0, 1.0, 0.0)));
    vec3 up = cross(right, forward);
    return normalize(uv.x * right + uv.y * up + zoom * forward);
}

// Distance along the ray (origin ro, unit direction rd) to the surface, or -1
// on a miss (past RM_FAR or out of steps). The hit tolerance grows with
// distance, so far surfaces cost no more steps than near ones.
float rayMarch(vec3 ro, vec3 rd) {
    float t = 0.0;
    for (int i = 0; i < RM_STEPS; ++i) {
        float d = RM_MAP(ro + rd * t);
        if (d < RM_EPSILON * max(t, 1.0)) return t;
        t += d;
        if (t > RM_FAR) break;
    }
    return -1.0;
}

// Unit surface normal at p: the gradient of the map by the tetrahedron
// technique (four map() calls).
vec3 mapNormal(vec3 p) {
    const vec2 k = vec2(1.0, -1.0);
    const float h = 0.0005;
    return normalize(k.xyy * RM_MAP(p + k.xyy * h) + k.yyx * RM_MAP(p + k.yyx * h) +
                     k.yxy * RM_MAP(p + k.yxy * h) + k.xxx * RM_MAP(p + k.xxx * h));
}

// Soft shadow toward a light along unit direction `rd` from surface point
// `ro` (start a little off it: ro = p + n * 0.01): 1 lit .. 0 in shadow.
// `hardness` 2 (very soft) .. 32 (sharp); searches at most `tmax` units.
float softShadow(vec3 ro, vec3 rd, float tmax, float hardness) {
    float light = 1.0;
    float t = 0.02;
    for (int i = 0; i < RM_SHADOW_STEPS; ++i) {
        float d = RM_MAP(ro + rd * t);
        light = min(light, hardness * d / t);
        t += clamp(d, 0.02, 0.5);
        if (light < 0.001 || t > tmax) break;
    }
    return clamp(light, 0.0, 1.0);
}

// Ambient occlusion at surface point p with unit normal n: 1 open .. 0
// buried; `radius` (world units) is how far around p counts.
float ambientOcclusion(vec3 p, vec3 n, float radius) {
    float occlusion = 0.0;
    float weight = 1.0;
    for (int i = 1; i <= RM_AO_STEPS; ++i) {
        float h = radius * float(i) / float(RM_AO_STEPS);
        occlusion += weight * max(h - RM_MAP(p + n * h), 0.0) / radius;
        weight *= 0.5;
    }
    return clamp(1.0 - 1.5 * occlusion, 0.0, 1.0);
}

#endif
