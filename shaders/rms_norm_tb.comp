#version 450
// rms_norm.comp on CPU devices: the same RMSNorm with the optional residual add before it,
//   ADD_RESIDUAL: x[t] += r[t]   (x is the residual stream, updated in place)
//   y[t][i] = x[t][i] / sqrt(mean_i(x[t][i]^2) + eps) * w[i]
// 4 values at a time through texel buffers, which lavapipe reads and writes with
// straight-line gathers and scatters (storage-buffer accesses at varying offsets become a
// per-lane loop of branches there: `bench -p 256 --profile`, each norm per prefill token of
// the 1.5B model 0.39 -> 0.14 ms). One workgroup of one subgroup per row (no barriers); n
// must be a multiple of 4. The sum of squares is grouped by texel, so it rounds differently
// from rms_norm.comp's.
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x_id = 0) in;  // the subgroup size
layout(constant_id = 1) const bool ADD_RESIDUAL = false;

layout(binding = 0, rgba32ui) uniform uimageBuffer X;           // [nRows][n / 4] texels
layout(binding = 1, rgba32ui) readonly uniform uimageBuffer W;  // [n / 4]
layout(binding = 2, rgba32ui) writeonly uniform uimageBuffer Y; // [nRows][n / 4]
layout(binding = 3, rgba32ui) readonly uniform uimageBuffer R;  // [nRows][n / 4] (ADD_RESIDUAL only)

layout(push_constant) uniform Push {
    uint n;     // values per row
    float eps;  // added to the mean square
} pc;

// Texel i of the row's input: x (+ r).
vec4 load(uint i)
{
    vec4 v = uintBitsToFloat(imageLoad(X, int(i)));
    if (ADD_RESIDUAL)
        v += uintBitsToFloat(imageLoad(R, int(i)));
    return v;
}

void main()
{
    const uint tid = gl_LocalInvocationID.x, wg = gl_WorkGroupSize.x;
    const uint q = pc.n / 4u, base = gl_WorkGroupID.x * q;
    float sum = 0.0;
    for (uint i = tid; i < q; i += wg) {
        const vec4 v = load(base + i);
        sum += dot(v, v);
    }
    const float scale = inversesqrt(subgroupAdd(sum) / float(pc.n) + pc.eps);
    // The inputs are read again (x is stored only here), so no load follows a store.
    for (uint i = tid; i < q; i += wg) {
        const vec4 v = load(base + i), w = uintBitsToFloat(imageLoad(W, int(i)));
        if (ADD_RESIDUAL)
            imageStore(X, int(base + i), floatBitsToUint(v));
        imageStore(Y, int(base + i), floatBitsToUint(v * scale * w));
    }
}
