#version 450
// Tiled matrix x matrix for prefill on GPUs: y[n][rowOffset + r] = sum_k W[r][k] * x[n][k].
// One variant per weight type (TYPE_*, see quant.glsl). A 16x16 workgroup computes a
// MATMUL_BM x MATMUL_BN tile (rows x tokens); each step dequantizes a BM x BK slab of
// W and copies a BN x BK slab of x into shared memory, then every invocation
// accumulates a 4x4 register tile. Accumulation in f32. (CPU devices use matvec.comp
// with NCOLS tokens per pass instead: barriers are expensive there.)
// Bindings: 0 = W chunk, 1 = x (f32), 2 = y (f32). Workgroup (x = row tile, y = token tile).
#extension GL_GOOGLE_include_directive : require
#define USE_MATMUL_PUSH
#include "config.h"
#include "quant.glsl"

layout(local_size_x = 16, local_size_y = 16) in;

layout(std430, binding = 1) readonly buffer X { float x[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };

const uint BM = MATMUL_BM, BN = MATMUL_BN, BK = MATMUL_BK;
shared float Ws[BK][BM + 1];  // k-major so the inner loop reads rows of both tiles
shared float Xs[BK][BN + 1];

void main()
{
    const uint tx = gl_LocalInvocationID.x, ty = gl_LocalInvocationID.y;
    const uint lid = ty * 16u + tx;
    const uint row0 = gl_WorkGroupID.x * BM, col0 = gl_WorkGroupID.y * BN;
    const uint nb = pc.K / QK;
    const uint UPT = BK / UNIT;  // units per tile row

    float acc[4][4];
    [[unroll]] for (uint i = 0; i < 4u; ++i)
        [[unroll]] for (uint j = 0; j < 4u; ++j)
            acc[i][j] = 0.0;

    for (uint k0 = 0; k0 < pc.K; k0 += BK) {
        for (uint idx = lid; idx < BM * UPT; idx += 256u) {
            const uint m = idx / UPT, uu = idx % UPT;
            const uint r = row0 + m, k = k0 + uu * UNIT;
            float v[UNIT];
            if (r < pc.rows && k < pc.K) {
                dequant_unit(r * nb + k / QK, (k % QK) / UNIT, v);
            } else {
                [[unroll]] for (uint j = 0; j < UNIT; ++j)
                    v[j] = 0.0;
            }
            [[unroll]] for (uint j = 0; j < UNIT; ++j)
                Ws[uu * UNIT + j][m] = v[j];
        }
        for (uint idx = lid; idx < BN * BK; idx += 256u) {
            const uint n = idx / BK, kk = idx % BK;
            const uint col = col0 + n, k = k0 + kk;
            Xs[kk][n] = (col < pc.ncols && k < pc.K) ? x[col * pc.xStride + k] : 0.0;
        }
        barrier();
        for (uint kk = 0; kk < BK; ++kk) {
            float a[4], b[4];
            [[unroll]] for (uint i = 0; i < 4u; ++i) {
                a[i] = Ws[kk][tx + 16u * i];
                b[i] = Xs[kk][ty + 16u * i];
            }
            [[unroll]] for (uint i = 0; i < 4u; ++i)
                [[unroll]] for (uint j = 0; j < 4u; ++j)
                    acc[i][j] += a[i] * b[j];
        }
        barrier();
    }

    [[unroll]] for (uint j = 0; j < 4u; ++j) {
        const uint col = col0 + ty + 16u * j;
        if (col >= pc.ncols)
            continue;
        [[unroll]] for (uint i = 0; i < 4u; ++i) {
            const uint r = row0 + tx + 16u * i;
            if (r < pc.rows)
                y[col * pc.yStride + pc.rowOffset + r] = acc[i][j];
        }
    }
}
