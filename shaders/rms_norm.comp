#version 450
// RMSNorm fused with the norm-weight multiply and (optionally) the residual add
// that precedes it:
//   ADD_RESIDUAL: x[t] += r[t]   (x is the residual stream, updated in place)
//   y[t][i] = x[t][i] / sqrt(mean_i(x[t][i]^2) + eps) * w[i]
// One workgroup per row t (a token); rows of n f32 values. The workgroup size
// (spec constant 0) is chosen by the host: the subgroup size on CPU drivers
// (no barrier at all), a few hundred on GPUs.
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WG = 256;
layout(constant_id = 1) const bool ADD_RESIDUAL = false;

layout(std430, binding = 0) buffer X { float x[]; };           // [nRows][n]
layout(std430, binding = 1) readonly buffer W { float w[]; };  // [n]
layout(std430, binding = 2) writeonly buffer Y { float y[]; }; // [nRows][n]
layout(std430, binding = 3) readonly buffer R { float r[]; };  // [nRows][n] (ADD_RESIDUAL only)

layout(push_constant) uniform Push {
    uint n;     // values per row
    float eps;  // added to the mean square
} pc;

shared float partial[WG];

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint base = gl_WorkGroupID.x * pc.n;
    float sum = 0.0;
    for (uint i = tid; i < pc.n; i += WG) {
        float v = x[base + i];
        if (ADD_RESIDUAL) {
            v += r[base + i];
            x[base + i] = v;
        }
        sum += v * v;
    }
    sum = subgroupAdd(sum);
    if (gl_NumSubgroups > 1) {
        if (gl_SubgroupInvocationID == 0)
            partial[gl_SubgroupID] = sum;
        barrier();
        sum = 0.0;
        for (uint s = 0; s < gl_NumSubgroups; ++s)
            sum += partial[s];
    }
    const float scale = inversesqrt(sum / float(pc.n) + pc.eps);
    for (uint i = tid; i < pc.n; i += WG)
        y[base + i] = x[base + i] * scale * w[i];
}
