#version 450
// Embedding lookup: out[i][k] = W[ids[i]][k], dequantized to f32. One variant per
// weight type (TYPE_*, see quant.glsl). For a weight matrix split into row chunks the
// host dispatches once per chunk; ids outside [rowOffset, rowOffset + rows) are skipped
// by that chunk's dispatch. Invocation (x = unit of the row, y = id index).
// Bindings: 0 = W chunk, 1 = ids (u32), 2 = out (f32, nids x K).
#extension GL_GOOGLE_include_directive : require
#define USE_GET_ROWS_PUSH
#include "config.h"
#include "quant.glsl"

layout(local_size_x_id = 0, local_size_y = 1) in;

layout(std430, binding = 1) readonly buffer Ids { uint ids[]; };
layout(std430, binding = 2) writeonly buffer Out { float outv[]; };

void main()
{
    const uint unit = gl_GlobalInvocationID.x;  // unit of UNIT elements within the row
    const uint i = gl_GlobalInvocationID.y + gl_GlobalInvocationID.z * gl_NumWorkGroups.y;
    if (unit >= pc.K / UNIT || i >= pc.nids)
        return;
    const uint id = ids[i];
    if (id < pc.rowOffset || id - pc.rowOffset >= pc.rows)
        return;
    const uint row = id - pc.rowOffset;
    const uint UPB = QK / UNIT;
    float v[UNIT];
    dequant_unit(row * (pc.K / QK) + unit / UPB, unit % UPB, v);
    const uint base = i * pc.K + unit * UNIT;
    [[unroll]] for (uint j = 0; j < UNIT; ++j)
        outv[base + j] = v[j];
}
