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
// SPLIT == 1 (prefill): one invocation per (token, QS query heads of one kv head) owns
// their whole output rows, so the op has no barriers: on CPU drivers the SIMD lanes of a
// workgroup are different heads and tokens, and QS > 1 shares each key's K/V loads
// between a lane's heads.
// SPLIT > 1 (decode and short batches, where tokens x heads are too few to fill the
// device: a decode step of 12 heads is one CPU job on one core): one workgroup of SPLIT
// invocations, one subgroup, per token and QS query heads of one kv head, which share
// each key's K/V loads; lane i takes keys i, i + SPLIT, .. with its own running max, sum
// and accumulator per head, and subgroup reductions merge them.
// ROWS (SPLIT == 1, CPU prefill): a workgroup is one subgroup whose lanes are W consecutive
// tokens of the same QS query heads, so they all read the same K/V rows: each lane fetches
// one texel of a row (HEAD_DIM / 8 <= W) and the others take it by a shuffle with a constant
// lane (1-2 instructions on lavapipe, a gather ~60), and keys past a lane's own position
// score -inf.

// DIMS (SPLIT > 1, CPU devices): the value pass turns the lanes around. Lane i keeps the
// output dims of texels i, i + SPLIT, .. of every head (QS x 8 accumulators per texel: in
// registers) over all keys, instead of all QS x HEAD_DIM dims over its own keys (in memory:
// every key's update of each one was a load, a blend and a store on lavapipe). For each
// key, the lane that scored it hands its weights over by shuffles, and the lanes fetch the
// key's V row a texel each: as many gathers as before, the arithmetic in registers. The
// lanes then share one running max per head, raised after each block's scores.

// lavapipe ends a shader invocation's loops after 65535 iterations in total (gallivm's
// loop limiter), so the loops over the head dim are unrolled (it is a constant): a key
// costs two loop iterations (scores, values), which allows contexts up to
// kMaxCpuContext (engine/model/forward.h) on CPU devices.
#extension GL_EXT_control_flow_attributes : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#extension GL_KHR_shader_subgroup_shuffle : require

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint HEAD_DIM = 128;  // the model's head dim (even); push headDim must equal it
layout(constant_id = 2) const uint SPLIT = 1;       // lanes per (token, head): 1, or the workgroup = subgroup size
layout(constant_id = 3) const uint QS = 1;          // query heads per invocation, of one kv head
layout(constant_id = 4) const bool ROWS = false;    // SPLIT == 1: lanes are tokens sharing row fetches
layout(constant_id = 5) const bool DIMS = false;    // SPLIT > 1: the value pass puts lanes across the dims
const uint BK = 16;                                  // keys per softmax block
const uint HD8 = HEAD_DIM / 8;  // texels per cache row of one kv head

layout(std430, binding = 0) readonly buffer Params { uint pos0; } params;
layout(std430, binding = 1) readonly buffer Q { float q[]; };
layout(binding = 2, rgba32ui) readonly uniform uimageBuffer kCache;
layout(binding = 3, rgba32ui) readonly uniform uimageBuffer vCache;
layout(std430, binding = 4) writeonly buffer Out { float outv[]; };
layout(std430, binding = 4) writeonly buffer Out4 { vec4 outv4[]; };

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
    // Query heads h0 .. h0 + QS - 1 (one kv head's) of token t. A job is (token, head group),
    // with ROWS (block of W tokens from t0, head group); lanes past the batch work on its
    // last token (they take part in the shuffles) and store nothing.
    const uint groups = pc.nHead / QS;
    const uint W = gl_WorkGroupSize.x;
    const uint job = SPLIT == 1u && !ROWS ? gl_GlobalInvocationID.x : gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    const uint t0 = ROWS ? job / groups * W : job / groups;
    if (t0 >= pc.nTok)
        return;
    const uint lane = SPLIT == 1u ? 0u : gl_LocalInvocationID.x;
    const uint tRow = t0 + (ROWS ? gl_LocalInvocationID.x : 0u);
    const bool stores = tRow < pc.nTok;
    const uint t = min(tRow, pc.nTok - 1u);
    const uint h0 = job % groups * QS;
    const uint kvh = h0 / (pc.nHead / pc.nKv);
    const uint nKeys = params.pos0 + pc.posOffset + t + 1;
    // ROWS: every lane visits the keys of the block's last token (the loop bound stays uniform).
    const uint lastKeys = params.pos0 + pc.posOffset + min(t0 + W, pc.nTok);
    const uint myKeys = ROWS ? lastKeys : nKeys > lane ? (nKeys - lane + SPLIT - 1u) / SPLIT : 0u;  // keys lane, lane + SPLIT, ..
    const uint rowStride = pc.nKv * HD8;  // cache row stride in texels
    const uint qBase = t * pc.qStride + h0 * HEAD_DIM, outBase = (t * pc.nHead + h0) * HEAD_DIM;

    // DIMS: a lane's texels of a cache row (the lanes past HD8 repeat the last one).
    const uint TPL = (HD8 + SPLIT - 1u) / SPLIT;
    float qv[QS * HEAD_DIM];
    [[unroll]] for (uint d = 0; d < QS * HEAD_DIM; ++d)
        qv[d] = q[qBase + d] * pc.scale;
    // The value pass's accumulators: without DIMS every dim of the lane's heads (acc), with
    // it the lane's texels of them (accD: head g, texel lane + k * SPLIT, value e at
    // (g * TPL + k) * 8 + e). Only the pass's own set is used.
    float acc[QS * HEAD_DIM];
    float accD[QS * TPL * 8u];
    if (DIMS) {
        [[unroll]] for (uint d = 0; d < QS * TPL * 8u; ++d)
            accD[d] = 0.0;
    } else {
        [[unroll]] for (uint d = 0; d < QS * HEAD_DIM; ++d)
            acc[d] = 0.0;
    }
    float m[QS], l[QS];  // per head: running max, running sum of exp(s - m)
    [[unroll]] for (uint g = 0; g < QS; ++g) {
        m[g] = -1.0 / 0.0;
        l[g] = 0.0;
    }
    // DIMS: every lane visits the blocks of lane 0, which has the most keys.
    const uint blockKeys = DIMS ? (nKeys + SPLIT - 1u) / SPLIT : myKeys;
    for (uint j0 = 0; j0 < blockKeys; j0 += BK) {
        const uint nb = myKeys > j0 ? min(BK, myKeys - j0) : 0u;
        float s[QS * BK];
        float mb[QS];
        [[unroll]] for (uint g = 0; g < QS; ++g)
            mb[g] = m[g];
        for (uint j = 0; j < nb; ++j) {
            const int kb = int((lane + (j0 + j) * SPLIT) * rowStride + kvh * HD8);
            float dot[QS];
            [[unroll]] for (uint g = 0; g < QS; ++g)
                dot[g] = 0.0;
            const uvec4 kOwn = ROWS ? imageLoad(kCache, kb + int(min(gl_LocalInvocationID.x, HD8 - 1u))) : uvec4(0u);
            [[unroll]] for (uint t = 0; t < HD8; ++t) {
                const uvec4 w = ROWS ? subgroupShuffle(kOwn, t) : imageLoad(kCache, kb + int(t));
                [[unroll]] for (uint c = 0; c < 4u; ++c) {
                    const vec2 kk = unpackHalf2x16(w[c]);
                    [[unroll]] for (uint g = 0; g < QS; ++g)
                        dot[g] += qv[g * HEAD_DIM + 8 * t + 2 * c] * kk.x + qv[g * HEAD_DIM + 8 * t + 2 * c + 1] * kk.y;
                }
            }
            const bool masked = ROWS && j0 + j >= nKeys;  // a key after this lane's token
            [[unroll]] for (uint g = 0; g < QS; ++g) {
                s[g * BK + j] = masked ? -1.0 / 0.0 : dot[g];
                mb[g] = max(mb[g], s[g * BK + j]);
            }
        }
        if (DIMS) {
            [[unroll]] for (uint g = 0; g < QS; ++g) {
                const float mAll = subgroupMax(mb[g]);
                const float corr = exp(m[g] - mAll);  // 0 on the first block (m = -inf)
                l[g] *= corr;
                [[unroll]] for (uint d = 0; d < TPL * 8u; ++d)
                    accD[g * TPL * 8u + d] *= corr;
                m[g] = mAll;
            }
            // Key j of every lane's block in turn; a lane past its keys weighs 0 and points at
            // the last key (finite values: 0 x garbage could be NaN).
            for (uint j = 0; j < min(BK, blockKeys - j0); ++j) {
                float pj[QS];
                [[unroll]] for (uint g = 0; g < QS; ++g) {
                    pj[g] = j < nb ? exp(s[g * BK + j] - m[g]) : 0.0;
                    l[g] += pj[g];
                }
                [[unroll]] for (uint from = 0; from < SPLIT; ++from) {
                    const uint key = min(from + (j0 + j) * SPLIT, nKeys - 1u);
                    const int vb = int(key * rowStride + kvh * HD8);
                    float p[QS];
                    [[unroll]] for (uint g = 0; g < QS; ++g)
                        p[g] = subgroupShuffle(pj[g], from);
                    [[unroll]] for (uint k = 0; k < TPL; ++k) {
                        const uvec4 w = imageLoad(vCache, vb + int(min(lane + k * SPLIT, HD8 - 1u)));
                        [[unroll]] for (uint c = 0; c < 4u; ++c) {
                            const vec2 vv = unpackHalf2x16(w[c]);
                            [[unroll]] for (uint g = 0; g < QS; ++g) {
                                accD[(g * TPL + k) * 8u + 2u * c] += p[g] * vv.x;
                                accD[(g * TPL + k) * 8u + 2u * c + 1u] += p[g] * vv.y;
                            }
                        }
                    }
                }
            }
            continue;
        }
        [[unroll]] for (uint g = 0; g < QS; ++g) {
            const float corr = exp(m[g] - mb[g]);  // 0 on the first block (m = -inf)
            l[g] *= corr;
            [[unroll]] for (uint d = 0; d < HEAD_DIM; ++d)
                acc[g * HEAD_DIM + d] *= corr;
            m[g] = mb[g];
        }
        for (uint j = 0; j < nb; ++j) {
            float p[QS];
            [[unroll]] for (uint g = 0; g < QS; ++g) {
                p[g] = exp(s[g * BK + j] - m[g]);
                l[g] += p[g];
            }
            const int vb = int((lane + (j0 + j) * SPLIT) * rowStride + kvh * HD8);
            const uvec4 vOwn = ROWS ? imageLoad(vCache, vb + int(min(gl_LocalInvocationID.x, HD8 - 1u))) : uvec4(0u);
            [[unroll]] for (uint t = 0; t < HD8; ++t) {
                const uvec4 w = ROWS ? subgroupShuffle(vOwn, t) : imageLoad(vCache, vb + int(t));
                [[unroll]] for (uint c = 0; c < 4u; ++c) {
                    const vec2 vv = unpackHalf2x16(w[c]);
                    [[unroll]] for (uint g = 0; g < QS; ++g) {
                        acc[g * HEAD_DIM + 8 * t + 2 * c] += p[g] * vv.x;
                        acc[g * HEAD_DIM + 8 * t + 2 * c + 1] += p[g] * vv.y;
                    }
                }
            }
        }
    }
    [[unroll]] for (uint g = 0; g < QS; ++g) {
        if (DIMS) {
            // One max for all lanes: their sums add up as they are.
            const float inv = 1.0 / subgroupAdd(l[g]);
            [[unroll]] for (uint k = 0; k < TPL; ++k) {
                const uint tt = lane + k * SPLIT, a = (g * TPL + k) * 8u;
                if (tt < HD8) {
                    const uint o = (outBase + g * HEAD_DIM + 8u * tt) / 4u;
                    outv4[o] = vec4(accD[a], accD[a + 1u], accD[a + 2u], accD[a + 3u]) * inv;
                    outv4[o + 1u] = vec4(accD[a + 4u], accD[a + 5u], accD[a + 6u], accD[a + 7u]) * inv;
                }
            }
        } else if (SPLIT > 1u) {
            // Merge the lanes: rescale each to the common max (a lane without keys has
            // m = -inf and weight 0), then sum. Lane i stores dims i, i + SPLIT, ..
            const float mAll = subgroupMax(m[g]);
            const float f = exp(m[g] - mAll);
            const float lAll = subgroupAdd(l[g] * f);
            [[unroll]] for (uint d = 0; d < HEAD_DIM; ++d) {
                const float sum = subgroupAdd(acc[g * HEAD_DIM + d] * f);
                if (d % SPLIT == lane)
                    outv[outBase + g * HEAD_DIM + d] = sum / lAll;
            }
        } else if (stores) {
            const float inv = 1.0 / l[g];
            [[unroll]] for (uint d = 0; d < HEAD_DIM; ++d)
                outv[outBase + g * HEAD_DIM + d] = acc[g * HEAD_DIM + d] * inv;
        }
    }
}
