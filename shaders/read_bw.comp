#version 450
// Read-bandwidth baseline for `tiefsee-cli bench`: streams a buffer through a texel view
// (the way matvec_tb reads weights on CPU devices; plain coalesced loads on GPUs) and
// writes one word per invocation. Workgroup w reads texels [w * perGroup, (w + 1) *
// perGroup), its lanes interleaved, so each iteration of a workgroup reads WG
// consecutive texels. Few iterations per invocation: lavapipe caps a shader
// invocation's loops at 65535 iterations.
layout(local_size_x_id = 0) in;

layout(binding = 0, rgba32ui) readonly uniform uimageBuffer src;
layout(std430, binding = 1) writeonly buffer Dst { uint dst[]; };

layout(push_constant) uniform Push { uint perGroup; } pc;  // texels per workgroup, a multiple of WG

void main()
{
    const uint base = gl_WorkGroupID.x * pc.perGroup + gl_LocalInvocationID.x;
    uvec4 s = uvec4(0);
    for (uint i = 0; i < pc.perGroup; i += gl_WorkGroupSize.x)
        s += imageLoad(src, int(base + i));
    dst[gl_GlobalInvocationID.x] = s.x ^ s.y ^ s.z ^ s.w;
}
