#version 450
// SwiGLU of the feed-forward block: out[t][i] = silu(gate[t][i]) * up[t][i],
// silu(g) = g / (1 + exp(-g)). Rows of n values, one row per y index (token); each
// invocation handles PER_THREAD consecutive values so CPU drivers get few, fat
// workgroups.
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint PER_THREAD = 4;

layout(std430, binding = 0) readonly buffer Gate { float gate[]; };
layout(std430, binding = 1) readonly buffer Up { float up[]; };
layout(std430, binding = 2) writeonly buffer Out { float outv[]; };  // may be Gate's buffer

layout(push_constant) uniform Push { uint n; } pc;  // values per row

void main()
{
    const uint first = gl_GlobalInvocationID.x * PER_THREAD;
    const uint row = gl_GlobalInvocationID.y * pc.n;
    for (uint i = row + first; i < row + min(first + PER_THREAD, pc.n); ++i) {
        const float g = gate[i];
        outv[i] = g / (1.0 + exp(-g)) * up[i];
    }
}
