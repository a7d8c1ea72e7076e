#version 450
// Plain buffer copy: the bandwidth baseline that mat-vec kernels are measured against
// (tiefsee-cli bench-kernels). Each invocation moves 16-byte uvec4s in a grid-stride
// loop, so the host may launch as few workgroups as suit the device (a handful of
// large jobs on CPU devices, one uvec4 per invocation on GPUs).
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Src { uvec4 src[]; };
layout(std430, binding = 1) writeonly buffer Dst { uvec4 dst[]; };

layout(push_constant) uniform Push { uint count; } pc;  // number of uvec4 to copy

void main()
{
    const uint total = gl_NumWorkGroups.x * gl_NumWorkGroups.y * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x; i < pc.count; i += total)
        dst[i] = src[i];
}
