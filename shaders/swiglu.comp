#version 450
// SwiGLU of the feed-forward block: out[t][i] = silu(gate[t][i]) * up[t][i],
// silu(g) = g / (1 + exp(-g)), where each token's row of the input holds its n gate
// values, then its n up values (the stacked gate | up projection). One row per y index
// (token); each invocation handles PER_THREAD consecutive values so CPU drivers get few,
// fat workgroups.
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint PER_THREAD = 4;

layout(std430, binding = 0) readonly buffer GateUp { float gateUp[]; };  // [rows][2n]
layout(std430, binding = 1) writeonly buffer Out { float outv[]; };      // [rows][n]

layout(push_constant) uniform Push { uint n; } pc;  // values per row

void main()
{
    const uint first = gl_GlobalInvocationID.x * PER_THREAD;
    const uint row = gl_GlobalInvocationID.y * pc.n, src = 2u * row;
    for (uint i = first; i < min(first + PER_THREAD, pc.n); ++i) {
        const float g = gateUp[src + i];
        outv[row + i] = g / (1.0 + exp(-g)) * gateUp[src + pc.n + i];
    }
}
