#version 450
// TEMPORARY bring-up path (replaced by get_rows): x[t] = table[ids[t]] for an f32
// embedding table the host dequantized.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Table { float table[]; };  // [nVocab][n]
layout(std430, binding = 1) readonly buffer Ids { int ids[]; };        // [nTok]
layout(std430, binding = 2) writeonly buffer X { float x[]; };         // [nTok][n]

layout(push_constant) uniform Push { uint n; uint nTok; } pc;

void main()
{
    const uint i = gl_GlobalInvocationID.x, t = gl_GlobalInvocationID.y;  // value, token
    if (i >= pc.n || t >= pc.nTok)
        return;
    x[t * pc.n + i] = table[uint(ids[t]) * pc.n + i];
}
