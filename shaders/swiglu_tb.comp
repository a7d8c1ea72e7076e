#version 450
// SwiGLU on CPU devices: as swiglu.comp (out[t][i] = silu(gate[t][i]) * up[t][i], each
// input row its n gate values, then its n up values), through texel buffers, which
// lavapipe reads with straight-line gathers (storage-buffer loads at varying offsets
// become a per-lane loop of branches there, as do masked stores of either kind: `bench
// -p 256 --profile`, swiglu per prefill token of the 1.5B model 1.54 -> 0.54 ms). n must be a
// multiple of 4; each invocation takes PER_THREAD values, 4 at a time, a grid's width apart.
#extension GL_EXT_control_flow_attributes : require
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint PER_THREAD = 16;  // a multiple of 4

layout(binding = 0, rgba32ui) readonly uniform uimageBuffer GateUp;  // [rows][2n / 4] texels
layout(binding = 1, rgba32ui) writeonly uniform uimageBuffer Out;    // [rows][n / 4] texels

layout(push_constant) uniform Push { uint n; } pc;  // values per row

void main()
{
    const uint q = pc.n / 4u, row = gl_GlobalInvocationID.y, width = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    [[unroll]] for (uint k = 0; k < PER_THREAD / 4u; ++k) {
        const uint i = gl_GlobalInvocationID.x + k * width;
        if (i < q) {
            const vec4 g = uintBitsToFloat(imageLoad(GateUp, int(2u * q * row + i)));
            const vec4 u = uintBitsToFloat(imageLoad(GateUp, int(2u * q * row + q + i)));
            imageStore(Out, int(q * row + i), floatBitsToUint(g / (1.0 + exp(-g)) * u));
        }
    }
}
