#version 450
// TEMPORARY bring-up path of the model (replaced by the quantized mat-vec/mat-mat
// kernels): y[t][firstRow + r] = sum_c w[r][c] * x[t][c] with f32 weights that the
// host dequantized. One invocation per (output row, token): x = row, y = token.
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer W { float w[]; };   // [rows][nIn] (one chunk)
layout(std430, binding = 1) readonly buffer X { float x[]; };   // [nTok][nIn]
layout(std430, binding = 2) writeonly buffer Y { float y[]; };  // [nTok][nOut]

layout(push_constant) uniform Push { uint nIn; uint nOut; uint rows; uint firstRow; uint nTok; } pc;

void main()
{
    const uint r = gl_GlobalInvocationID.x, t = gl_GlobalInvocationID.y;
    if (r >= pc.rows || t >= pc.nTok)
        return;
    float acc = 0.0;
    for (uint c = 0; c < pc.nIn; ++c)
        acc += w[r * pc.nIn + c] * x[t * pc.nIn + c];
    y[t * pc.nOut + pc.firstRow + r] = acc;
}
