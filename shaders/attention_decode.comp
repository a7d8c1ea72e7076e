#version 450
// Causal attention for decode on GPUs, the same op as attention.comp (same bindings and
// push constants) laid out for many lanes per head: one workgroup per (token, query head).
// Within a subgroup, HD8 = HEAD_DIM / 8 lanes share a key, lane c holding texel c (8 dims)
// of the query and of its accumulator, so a K or V row is one coalesced load; the
// subgroup takes KPS = SG / HD8 keys at a time, and its subgroups interleave their key
// blocks. Each group of HD8 lanes keeps a running max, sum and accumulator (a streaming
// softmax, rescaled per key); the groups merge through shared memory at the end.
// attention.comp's split path gives each lane whole keys and whole accumulator rows: on an
// H200 that was 105 us per layer at 576 keys (a 1.5B model's 12 heads on 12 subgroups,
// 256 floats of state per lane).
// SPLITS > 1 (long contexts): SPLITS workgroups per (token, head) take consecutive
// ranges of its keys and write their unnormalised partial results (max, sum, accumulator)
// to `partials`, which attention_combine.comp merges; a head's keys on one workgroup
// left an H200 mostly idle at long contexts (12 heads: 76 us per layer at 4000 keys).
// Needs HD8 to be a power of two that divides the subgroup size, the workgroup a multiple
// of the subgroup, and subgroups made of consecutive invocations.
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_shuffle : require

layout(constant_id = 0) const uint WG = 256;        // invocations per workgroup
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint HEAD_DIM = 128;  // the model's head dim; push headDim must equal it
layout(constant_id = 2) const uint SG = 32;         // the subgroup size
layout(constant_id = 3) const uint SPLITS = 1;      // workgroups per (token, head)
const uint HD8 = HEAD_DIM / 8;  // texels per cache row of one kv head: lanes per key
const uint KPS = SG / HD8;      // keys per subgroup step
const uint GROUPS = WG / SG * KPS;  // key groups (of HD8 lanes) per workgroup

layout(std430, binding = 0) readonly buffer Params { uint pos0; } params;
layout(std430, binding = 1) readonly buffer Q { float q[]; };
layout(binding = 2, rgba32ui) readonly uniform uimageBuffer kCache;
layout(binding = 3, rgba32ui) readonly uniform uimageBuffer vCache;
layout(std430, binding = 4) writeonly buffer Out { float outv[]; };          // SPLITS == 1
// SPLITS > 1: per (token, head, split) HEAD_DIM + 2 floats: max, sum, accumulator.
layout(std430, binding = 5) writeonly buffer Partials { float partials[]; };

layout(push_constant) uniform Push {
    uint nTok;
    uint nHead;
    uint nKv;
    uint headDim;    // == HEAD_DIM
    uint posOffset;  // added to params.pos0
    float scale;     // usually 1 / sqrt(headDim)
    uint qStride;    // floats between the queries of consecutive tokens (>= nHead * headDim)
} pc;

shared float sMax[GROUPS], sSum[GROUPS];
shared float sAcc[GROUPS * HEAD_DIM];

void main()
{
    const uint wg = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    const uint job = wg / SPLITS, split = wg % SPLITS;  // job = (token, head)
    const uint t = job / pc.nHead, h = job % pc.nHead;
    if (t >= pc.nTok)  // the whole workgroup
        return;
    const uint kvh = h / (pc.nHead / pc.nKv);
    // This workgroup's keys: [kBegin, kEnd) of the token's 0 .. pos.
    const uint nKeys = params.pos0 + pc.posOffset + t + 1;
    const uint perSplit = (nKeys + SPLITS - 1u) / SPLITS;
    const uint kBegin = min(split * perSplit, nKeys), kEnd = min(kBegin + perSplit, nKeys);
    const uint rowStride = pc.nKv * HD8;  // cache row stride in texels
    const uint lane = gl_SubgroupInvocationID, g = lane / HD8, c = lane % HD8;
    const uint group = gl_SubgroupID * KPS + g;

    float qv[8], acc[8];
    const uint qBase = t * pc.qStride + h * HEAD_DIM + 8u * c;
    for (uint i = 0; i < 8u; ++i) {
        qv[i] = q[qBase + i] * pc.scale;
        acc[i] = 0.0;
    }
    float m = -1.0 / 0.0, l = 0.0;
    // The loop bound is uniform in the subgroup (the shuffles need every lane); a group
    // whose key is past the end scores nothing.
    for (uint base = kBegin + gl_SubgroupID * KPS; base < kEnd; base += GROUPS) {
        const uint j = base + g;
        const bool valid = j < kEnd;
        const int texel = int(min(j, kEnd - 1u) * rowStride + kvh * HD8 + c);
        const uvec4 kw = imageLoad(kCache, texel);
        float dot = 0.0;
        for (uint i = 0; i < 4u; ++i) {
            const vec2 kk = unpackHalf2x16(kw[i]);
            dot += qv[2u * i] * kk.x + qv[2u * i + 1u] * kk.y;
        }
        for (uint o = HD8 / 2u; o > 0u; o >>= 1)  // sum over the key's HD8 lanes
            dot += subgroupShuffleXor(dot, o);
        const float mNew = valid ? max(m, dot) : m;
        const float corr = m == mNew ? 1.0 : exp(m - mNew);  // 0 on a group's first key (m = -inf)
        const float p = valid ? exp(dot - mNew) : 0.0;
        l = l * corr + p;
        const uvec4 vw = imageLoad(vCache, texel);
        for (uint i = 0; i < 4u; ++i) {
            const vec2 vv = unpackHalf2x16(vw[i]);
            acc[2u * i] = acc[2u * i] * corr + p * vv.x;
            acc[2u * i + 1u] = acc[2u * i + 1u] * corr + p * vv.y;
        }
        m = mNew;
    }

    // Merge the groups: rescale each to the common max (a group without keys has m = -inf
    // and weight 0; so has a split without keys, whose max stays -inf), then sum.
    for (uint i = 0; i < 8u; ++i)
        sAcc[group * HEAD_DIM + 8u * c + i] = acc[i];
    if (c == 0u) {
        sMax[group] = m;
        sSum[group] = l;
    }
    barrier();
    for (uint d = gl_LocalInvocationID.x; d < HEAD_DIM; d += WG) {
        float mAll = -1.0 / 0.0;
        for (uint k = 0; k < GROUPS; ++k)
            mAll = max(mAll, sMax[k]);
        float sum = 0.0, o = 0.0;
        for (uint k = 0; k < GROUPS; ++k) {
            const float f = sMax[k] == -1.0 / 0.0 ? 0.0 : exp(sMax[k] - mAll);
            sum += sSum[k] * f;
            o += sAcc[k * HEAD_DIM + d] * f;
        }
        if (SPLITS == 1u) {
            outv[(t * pc.nHead + h) * HEAD_DIM + d] = o / sum;
        } else {
            const uint pb = wg * (HEAD_DIM + 2u);
            partials[pb + 2u + d] = o;
            if (d == 0u) {
                partials[pb] = mAll;
                partials[pb + 1u] = sum;
            }
        }
    }
}
