#version 450
// Rotary position embedding, fused with what surrounds it in an attention block
// so that one dispatch turns the q/k/v projections into attention inputs:
//   for each token t and each "slot" (nHead query heads, then nKv key heads, then
//   nKv value heads), one invocation walks the head's headDim values serially:
//     HAS_BIAS   add the projection bias (qwen2)
//     HAS_NORM   RMS-normalise the head and multiply by q_norm / k_norm (qwen3)
//     q, k       rotate the first nRot dims (NEOX pairs (i, i+nRot/2), else (2i, 2i+1))
//     q          written back in place (f32)
//     k, v       written to the f16 KV cache at row pos = pos0 + posOffset + t
// LANES invocations per head: 1 on CPU drivers, which keeps the op barrier-free (a
// workgroup is one job there); on GPUs the subgroup size, the lanes taking interleaved
// pairs of dims (one lane walking a head left a decode step's 16 heads on 16 lanes of
// an H200: 21 us per dispatch in `bench --profile`, 4.8 us with a subgroup per head).
// Rotation: ggml's rope_ext with YaRN (theta = pos * base^(-2i/nRot) / freqFactor[i],
// then the YaRN ramp between interpolation and extrapolation when extFactor != 0).

#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const bool HAS_BIAS = false;
layout(constant_id = 2) const bool HAS_NORM = false;
layout(constant_id = 3) const bool NEOX = true;
layout(constant_id = 4) const bool HAS_FREQ_FACTORS = false;
layout(constant_id = 5) const uint LANES = 1;  // per head: 1 or the subgroup size (the workgroup a multiple of it)

layout(std430, binding = 0) readonly buffer Params { uint pos0; } params;   // first position of this batch
// The projections: per token its nHead q heads, nKv k heads and nKv v heads (the slots),
// [nTok][nHead + 2 nKv][headDim]; q is rotated in place.
layout(std430, binding = 1) buffer Qkv { float qkv[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };         // q|k|v biases: [(nHead + 2 nKv) headDim]
layout(std430, binding = 3) readonly buffer NormW { float normW[]; };       // q_norm | k_norm: [2][headDim]
layout(std430, binding = 4) readonly buffer Freq { float freqFactors[]; };  // [nRot / 2]
layout(std430, binding = 5) writeonly buffer KCache { uint kCache[]; };     // f16 pairs, [ctx][nKv][headDim / 2]
layout(std430, binding = 6) writeonly buffer VCache { uint vCache[]; };

layout(push_constant) uniform Push {
    uint nTok;
    uint nHead;
    uint nKv;
    uint headDim;
    uint nRot;        // rotated dims per head (even, <= headDim)
    uint posOffset;   // added to params.pos0
    float eps;        // RMS eps of q/k norm
    float freqBase;
    float freqScale;
    float extFactor;
    float attnFactor;
    float corrLow;    // YaRN correction range (pair index units)
    float corrHigh;
} pc;

// Value d of the head, bias added.
float load(uint rowBase, uint biasBase, uint d)
{
    float val = qkv[rowBase + d];
    if (HAS_BIAS)
        val += bias[biasBase + d];
    return val;
}

// Value d of a q/k head: bias added, RMS-scaled and norm-weighted when HAS_NORM.
float value(uint kind, uint rowBase, uint biasBase, uint d, float scale)
{
    float val = load(rowBase, biasBase, d);
    if (HAS_NORM)
        val *= scale * normW[kind * pc.headDim + d];
    return val;
}

// Rotates one pair (x0, x1) by the angle of pair index i at position pos.
vec2 rotate(uint i, uint pos, vec2 xv)
{
    float thetaExtrap = float(pos) * pow(pc.freqBase, -2.0 * float(i) / float(pc.nRot));
    if (HAS_FREQ_FACTORS)
        thetaExtrap /= freqFactors[i];
    const float thetaInterp = pc.freqScale * thetaExtrap;
    float theta = thetaInterp;
    float mscale = pc.attnFactor;
    if (pc.extFactor != 0.0) {
        const float y = (float(i) - pc.corrLow) / max(0.001, pc.corrHigh - pc.corrLow);
        const float rampMix = (1.0 - min(1.0, max(0.0, y))) * pc.extFactor;
        theta = thetaInterp * (1.0 - rampMix) + thetaExtrap * rampMix;
        mscale *= 1.0 + 0.1 * log(1.0 / pc.freqScale);
    }
    const float c = cos(theta) * mscale, s = sin(theta) * mscale;
    return vec2(xv.x * c - xv.y * s, xv.x * s + xv.y * c);
}

void main()
{
    const uint slots = pc.nHead + 2 * pc.nKv;
    const uint gid = gl_GlobalInvocationID.x / LANES, lane = gl_GlobalInvocationID.x % LANES;
    if (gid >= pc.nTok * slots)  // a head's lanes, a whole subgroup, leave together
        return;
    const uint t = gid / slots;
    const uint slot = gid % slots;
    const uint hd = pc.headDim;
    const uint pos = params.pos0 + pc.posOffset + t;

    uint kind, head;  // kind 0 = q, 1 = k, 2 = v
    if (slot < pc.nHead) { kind = 0; head = slot; }
    else if (slot < pc.nHead + pc.nKv) { kind = 1; head = slot - pc.nHead; }
    else { kind = 2; head = slot - pc.nHead - pc.nKv; }
    const uint rowBase = (t * slots + slot) * hd;
    const uint biasBase = slot * hd;
    const uint cacheBase = (pos * pc.nKv + head) * hd / 2;  // in f16 pairs

    if (kind == 2) {  // v: bias, then store as f16
        for (uint d = 2u * lane; d < hd; d += 2u * LANES)
            vCache[cacheBase + d / 2] = packHalf2x16(vec2(load(rowBase, biasBase, d), load(rowBase, biasBase, d + 1)));
        return;
    }

    float scale = 1.0;
    if (HAS_NORM) {
        float ss = 0.0;
        for (uint d = lane; d < hd; d += LANES) {
            const float val = load(rowBase, biasBase, d);
            ss += val * val;
        }
        if (LANES > 1u)
            ss = subgroupAdd(ss);
        scale = inversesqrt(ss / float(hd) + pc.eps);
    }
    // Rotated pairs, two at a time so that k can be stored as whole f16 pairs
    // (the host guarantees nRot % 4 == 0).
    const uint half_ = pc.nRot / 2;
    for (uint i = 2u * lane; i < half_; i += 2u * LANES) {
        // Element indices of pair i (a0, b0) and pair i + 1 (a1, b1).
        const uint a0 = NEOX ? i : 2 * i, b0 = NEOX ? i + half_ : 2 * i + 1;
        const uint a1 = NEOX ? i + 1 : 2 * i + 2, b1 = NEOX ? i + 1 + half_ : 2 * i + 3;
        const vec2 r0 = rotate(i, pos, vec2(value(kind, rowBase, biasBase, a0, scale), value(kind, rowBase, biasBase, b0, scale)));
        const vec2 r1 = rotate(i + 1, pos, vec2(value(kind, rowBase, biasBase, a1, scale), value(kind, rowBase, biasBase, b1, scale)));
        if (kind == 0) {
            qkv[rowBase + a0] = r0.x; qkv[rowBase + b0] = r0.y;
            qkv[rowBase + a1] = r1.x; qkv[rowBase + b1] = r1.y;
        } else if (NEOX) {
            kCache[cacheBase + a0 / 2] = packHalf2x16(vec2(r0.x, r1.x));
            kCache[cacheBase + b0 / 2] = packHalf2x16(vec2(r0.y, r1.y));
        } else {
            kCache[cacheBase + i] = packHalf2x16(r0);
            kCache[cacheBase + i + 1] = packHalf2x16(r1);
        }
    }
    // Dimensions past nRot pass through (normalised).
    for (uint d = pc.nRot + 2u * lane; d < hd; d += 2u * LANES) {
        const vec2 val = vec2(value(kind, rowBase, biasBase, d, scale), value(kind, rowBase, biasBase, d + 1, scale));
        if (kind == 0) {
            qkv[rowBase + d] = val.x;
            qkv[rowBase + d + 1] = val.y;
        } else {
            kCache[cacheBase + d / 2] = packHalf2x16(val);
        }
    }
}
