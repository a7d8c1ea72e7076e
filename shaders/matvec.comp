#version 450
// Matrix x vector(s) for decode (NCOLS = 1) and CPU-friendly prefill (NCOLS tokens per
// pass): y[n][rowOffset + r] = sum_k W[r][k] * x[n][k]. One variant per weight type
// (TYPE_*, see quant.glsl); weights are dequantized in registers, 32 elements at a time,
// and each weight byte is read once per pass.
//
// Work split (specialization constants, chosen on the host from the device):
//   WG    invocations per workgroup
//   TPR   invocations per row. 1 on CPU devices (lavapipe): each SIMD lane walks a whole
//         row, so x loads are uniform across lanes and no reduction or barrier is needed.
//         On GPUs a power of two (e.g. the subgroup size): the TPR lanes of a row read
//         interleaved units, or for types with pieces (quant.glsl) interleaved pieces, whose
//         loads are coalesced; they reduce by subgroupAdd where they are a whole subgroup,
//         else through shared memory.
//   NCOLS tokens per workgroup (gl_WorkGroupID.z picks the token group): the dequantized
//         weights are reused NCOLS times from registers.
// Bindings: 0 = W chunk (rows x K of TYPE), 1 = x (f32, ncols x xStride), 2 = y (f32).
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#define USE_MATMUL_PUSH
#include "config.h"
#include "quant.glsl"

layout(constant_id = MATVEC_SPEC_WORKGROUP) const uint WG = 64;
layout(constant_id = MATVEC_SPEC_THREADS_PER_ROW) const uint TPR = 1;
layout(constant_id = MATVEC_SPEC_NCOLS) const uint NCOLS = 1;
layout(local_size_x_id = MATVEC_SPEC_WORKGROUP) in;

layout(std430, binding = 1) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer X4 { vec4 x4[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };

shared float partial[WG * MATVEC_MAX_NCOLS];  // TPR > 1 only: per-lane partial sums

float acc[MATVEC_MAX_NCOLS];

// acc[c] += dot(v, x[c][k0 .. k0 + UNIT)) for the first `ncols` tokens of this pass.
void accumulate(const float v[UNIT], uint xbase, uint ncols)
{
    [[unroll]] for (uint c = 0; c < NCOLS; ++c) {
        if (c >= ncols)
            break;
        const uint xb = xbase + c * pc.xStride;
#if UNIT % 4 == 0
        float s = 0.0;
        [[unroll]] for (uint i = 0; i < UNIT / 4; ++i) {
            const vec4 xv = x4[xb / 4u + i];
            s += v[4u * i] * xv.x + v[4u * i + 1u] * xv.y + v[4u * i + 2u] * xv.z + v[4u * i + 3u] * xv.w;
        }
        acc[c] += s;
#else
        [[unroll]] for (uint i = 0; i < UNIT; ++i)
            acc[c] += v[i] * x[xb + i];
#endif
    }
}

void main()
{
    const uint RPW = WG / TPR;  // rows per workgroup
    const uint wg = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    const uint lid = gl_LocalInvocationID.x;
    const uint row = wg * RPW + lid / TPR;
    const uint t = lid % TPR;
    const uint col0 = gl_WorkGroupID.z * NCOLS;
    const uint ncols = min(NCOLS, pc.ncols - col0);
    const uint UPB = QK / UNIT;  // units per block
    const uint nb = pc.K / QK;   // blocks per row

    [[unroll]] for (uint c = 0; c < NCOLS; ++c)
        acc[c] = 0.0;

    if (row < pc.rows) {
        const uint xbase = col0 * pc.xStride;
        if (TPR == 1) {
            // CPU path: lane = row, walk its blocks unit by unit (not unrolled: keeps the
            // pipeline small for lavapipe's LLVM; the unit's own loops are unrolled).
            for (uint b = 0; b < nb; ++b) {
                for (uint u = 0; u < UPB; ++u) {
                    float v[UNIT];
                    dequant_unit(row * nb + b, u, v);
                    accumulate(v, xbase + b * QK + u * UNIT, ncols);
                }
            }
        } else {
#if defined(PIECES)
            // GPU path: the TPR lanes of a row take interleaved pieces, consecutive lanes
            // consecutive words of a block.
            for (uint i = t; i < nb * PIECES; i += TPR) {
                const uint b = i / PIECES, p = i % PIECES;
                vec4 v[RUNS];
                dequant_piece(row * nb + b, p, v);
                [[unroll]] for (uint c = 0; c < NCOLS; ++c) {
                    if (c >= ncols)
                        break;
                    const uint xb = (xbase + c * pc.xStride + b * QK) / 4u;
                    float s = 0.0;
                    [[unroll]] for (uint r = 0; r < RUNS; ++r)
                        s += dot(v[r], x4[xb + piece_start(p, r) / 4u]);
                    acc[c] += s;
                }
            }
#else
            // GPU path: the TPR lanes of a row take interleaved units.
            const uint units = pc.K / UNIT;
            for (uint i = t; i < units; i += TPR) {
                float v[UNIT];
                dequant_unit(row * nb + i / UPB, i % UPB, v);
                accumulate(v, xbase + i * UNIT, ncols);
            }
#endif
        }
    }

    if (TPR > 1 && TPR == gl_SubgroupSize) {  // a row's lanes are one subgroup
        [[unroll]] for (uint c = 0; c < NCOLS; ++c)
            acc[c] = subgroupAdd(acc[c]);
    } else if (TPR > 1) {
        [[unroll]] for (uint c = 0; c < NCOLS; ++c)
            partial[c * WG + lid] = acc[c];
        barrier();
        for (uint s = TPR / 2; s > 0; s >>= 1) {
            if (t < s)
                [[unroll]] for (uint c = 0; c < NCOLS; ++c)
                    partial[c * WG + lid] += partial[c * WG + lid + s];
            barrier();
        }
        [[unroll]] for (uint c = 0; c < NCOLS; ++c)
            acc[c] = partial[c * WG + lid];
    }

    if (t == 0 && row < pc.rows)
        [[unroll]] for (uint c = 0; c < NCOLS; ++c)
            if (c < ncols)
                y[(col0 + c) * pc.yStride + pc.rowOffset + row] = acc[c];
}
