#version 450
// Plain buffer copy: the bandwidth baseline that mat-vec kernels are measured against.
// Each invocation moves one uvec4 (16 bytes).
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Src { uvec4 src[]; };
layout(std430, binding = 1) writeonly buffer Dst { uvec4 dst[]; };

layout(push_constant) uniform Push { uint count; } pc;  // number of uvec4 to copy

void main()
{
    uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    if (i < pc.count)
        dst[i] = src[i];
}
