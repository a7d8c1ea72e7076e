#version 450
// Causal attention of f32 queries over the f16 KV cache, grouped K/V heads, with
// a streaming ("flash") softmax: keys are visited in blocks of BK; each block's
// scores are computed, the running max is raised once per block and the running
// sum and output accumulator are rescaled then, so no score array over the whole
// context is ever stored and exp() never overflows.
//   q   [nTok][qStride] f32              query t's nHead heads of headDim at q[t * qStride];
//                                        it sits at position pos = pos0 + posOffset + t
//   kv  [ctx][nKv][headDim] f16          rows 0 .. pos are valid; read as texels of 8 halves
//                                        (image loads are several times cheaper than
//                                        storage-buffer loads on lavapipe; headDim % 8 == 0)
//   out [nTok][nHead][headDim] f32       softmax(q·k * scale) · v over keys 0 .. pos
// SPLIT == 1 (prefill): one invocation per (token, query head) owns its whole output
// row, so the op has no barriers: on CPU drivers the SIMD lanes of a workgroup are
// different heads and tokens.
// SPLIT > 1 (decode and short batches, where tokens x heads are too few to fill the
// device: a decode step of 12 heads is one CPU job on one core): one workgroup of SPLIT
// invocations, one subgroup, per (token, query head); lane i takes keys i, i + SPLIT, ..
// with its own running max, sum and accumulator, and subgroup reductions merge them.

// lavapipe ends a shader invocation's loops after 65535 iterations in total (gallivm's
// loop limiter), so the loops over the head dim are unrolled (it is a constant): a key
// costs two loop iterations (scores, values), which allows contexts up to
// kMaxCpuContext (engine/model/forward.h) on CPU devices.
#extension GL_EXT_control_flow_attributes : require
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint HEAD_DIM = 128;  // the model's head dim (even); push headDim must equal it
layout(constant_id = 2) const uint SPLIT = 1;       // lanes per (token, head): 1, or the workgroup = subgroup size
const uint BK = 16;                                  // keys per softmax block
const uint HD8 = HEAD_DIM / 8;  // texels per cache row of one kv head

layout(std430, binding = 0) readonly buffer Params { uint pos0; } params;
layout(std430, binding = 1) readonly buffer Q { float q[]; };
layout(binding = 2, rgba32ui) readonly uniform uimageBuffer kCache;
layout(binding = 3, rgba32ui) readonly uniform uimageBuffer vCache;
layout(std430, binding = 4) writeonly buffer Out { float outv[]; };

layout(push_constant) uniform Push {
    uint nTok;
    uint nHead;
    uint nKv;
    uint headDim;    // == HEAD_DIM
    uint posOffset;  // added to params.pos0
    float scale;     // usually 1 / sqrt(headDim)
    uint qStride;    // floats between the queries of consecutive tokens (>= nHead * headDim)
} pc;

void main()
{
    const uint gid = SPLIT == 1u ? gl_GlobalInvocationID.x : gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    const uint lane = SPLIT == 1u ? 0u : gl_LocalInvocationID.x;
    if (gid >= pc.nTok * pc.nHead)
        return;
    const uint t = gid / pc.nHead;
    const uint h = gid % pc.nHead;
    const uint kvh = h / (pc.nHead / pc.nKv);
    const uint nKeys = params.pos0 + pc.posOffset + t + 1;
    const uint myKeys = nKeys > lane ? (nKeys - lane + SPLIT - 1u) / SPLIT : 0u;  // keys lane, lane + SPLIT, ..
    const uint rowStride = pc.nKv * HD8;  // cache row stride in texels
    const uint qBase = t * pc.qStride + h * HEAD_DIM, outBase = (t * pc.nHead + h) * HEAD_DIM;

    float qv[HEAD_DIM];
    float acc[HEAD_DIM];
    [[unroll]] for (uint d = 0; d < HEAD_DIM; ++d) {
        qv[d] = q[qBase + d] * pc.scale;
        acc[d] = 0.0;
    }
    float m = -1.0 / 0.0;  // running max
    float l = 0.0;         // running sum of exp(s - m)
    for (uint j0 = 0; j0 < myKeys; j0 += BK) {
        const uint nb = min(BK, myKeys - j0);
        float s[BK];
        float mb = m;
        for (uint j = 0; j < nb; ++j) {
            const int kb = int((lane + (j0 + j) * SPLIT) * rowStride + kvh * HD8);
            float dot = 0.0;
            [[unroll]] for (uint t = 0; t < HD8; ++t) {
                const uvec4 w = imageLoad(kCache, kb + int(t));
                [[unroll]] for (uint c = 0; c < 4u; ++c) {
                    const vec2 kk = unpackHalf2x16(w[c]);
                    dot += qv[8 * t + 2 * c] * kk.x + qv[8 * t + 2 * c + 1] * kk.y;
                }
            }
            s[j] = dot;
            mb = max(mb, dot);
        }
        const float corr = exp(m - mb);  // 0 on the first block (m = -inf)
        l *= corr;
        [[unroll]] for (uint d = 0; d < HEAD_DIM; ++d)
            acc[d] *= corr;
        m = mb;
        for (uint j = 0; j < nb; ++j) {
            const float p = exp(s[j] - m);
            l += p;
            const int vb = int((lane + (j0 + j) * SPLIT) * rowStride + kvh * HD8);
            [[unroll]] for (uint t = 0; t < HD8; ++t) {
                const uvec4 w = imageLoad(vCache, vb + int(t));
                [[unroll]] for (uint c = 0; c < 4u; ++c) {
                    const vec2 vv = unpackHalf2x16(w[c]);
                    acc[8 * t + 2 * c] += p * vv.x;
                    acc[8 * t + 2 * c + 1] += p * vv.y;
                }
            }
        }
    }
    if (SPLIT > 1u) {
        // Merge the lanes: rescale each to the common max (a lane without keys has
        // m = -inf and weight 0), then sum. Lane i stores dims i, i + SPLIT, ..
        const float mAll = subgroupMax(m);
        const float f = exp(m - mAll);
        l = subgroupAdd(l * f);
        [[unroll]] for (uint d = 0; d < HEAD_DIM; ++d) {
            const float sum = subgroupAdd(acc[d] * f);
            if (d % SPLIT == lane)
                outv[outBase + d] = sum / l;
        }
        return;
    }
    const float inv = 1.0 / l;
    [[unroll]] for (uint d = 0; d < HEAD_DIM; ++d)
        outv[outBase + d] = acc[d] * inv;
}
