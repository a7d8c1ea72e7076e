#version 450
// The k largest logits of one row, so sampling with top-k reads back k (id, value)
// pairs instead of n_vocab floats. One workgroup; exact (no approximation):
//  1. radix select on an order-preserving u32 key of each value, 8 bits per pass
//     (4 passes, histograms in shared memory) finds T, the k-th largest key, and how
//     many of the values equal to T belong to the top k (`take`);
//  2. every value with key > T is written (any order), then the first `take` values
//     equal to T in index order (ties resolved to the lowest ids, like the CPU sampler).
// Output: out[0] = k' = min(k, n); out[1 + 2i] = id, out[2 + 2i] = float bits, i < k'.
// When params.enabled is 0 (no sampler wants it) the shader only writes out[0] = 0.
// The row starts pc.first floats into the binding (bindings start at an offset alignment).
// The caller sorts the pairs.
// Use a wide workgroup (256) on every device: lavapipe ends any shader invocation's
// loops after 65535 iterations in total (gallivm's loop limiter), which n / WG per
// pass over 6 passes would exceed for vocabularies of 100k+ with subgroup-sized groups.
layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WG = 256;

layout(std430, binding = 0) readonly buffer Params { uint pos0; uint enabled; } params;
layout(std430, binding = 1) readonly buffer Logits { float logits[]; };
layout(std430, binding = 2) writeonly buffer Out { uint outv[]; };

layout(push_constant) uniform Push { uint n; uint k; uint first; } pc;

shared uint hist[256];
shared uint sPrefix, sMask, sTake, sGreater;
shared uint sEqual[WG];

// Larger float -> larger unsigned key (negative values have their bits flipped).
uint keyOf(float v)
{
    const uint u = floatBitsToUint(v);
    return (u & 0x80000000u) != 0u ? ~u : (u | 0x80000000u);
}

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint n = pc.n, k = min(pc.k, pc.n);
    if (params.enabled == 0u) {
        if (tid == 0u)
            outv[0] = 0u;
        return;
    }
    if (tid == 0u) {
        sPrefix = 0u;
        sMask = 0u;
        sTake = k;
        sGreater = 0u;
    }
    for (uint pass = 0u; pass < 4u; ++pass) {
        const uint shift = 24u - 8u * pass;
        for (uint b = tid; b < 256u; b += WG)
            hist[b] = 0u;
        barrier();
        const uint prefix = sPrefix, mask = sMask;
        for (uint i = tid; i < n; i += WG) {
            const uint key = keyOf(logits[pc.first + i]);
            if ((key & mask) == prefix)
                atomicAdd(hist[(key >> shift) & 255u], 1u);
        }
        barrier();
        if (tid == 0u && k > 0u) {
            // Walk the bins from the largest: the bin where the count reaches `take`
            // holds the k-th largest key.
            uint above = 0u;
            for (int b = 255; b >= 0; --b) {
                const uint h = hist[b];
                if (above + h >= sTake) {
                    sPrefix |= uint(b) << shift;
                    sMask |= 255u << shift;
                    sTake -= above;
                    break;
                }
                above += h;
            }
        }
        barrier();
    }
    if (k == 0u) {
        if (tid == 0u)
            outv[0] = 0u;
        return;
    }
    const uint T = sPrefix, take = sTake, greater = k - take;

    for (uint i = tid; i < n; i += WG) {
        const float v = logits[pc.first + i];
        if (keyOf(v) > T) {
            const uint slot = atomicAdd(sGreater, 1u);
            outv[1u + 2u * slot] = i;
            outv[2u + 2u * slot] = floatBitsToUint(v);
        }
    }
    // Values equal to T: each invocation owns a contiguous range of indices; an
    // exclusive prefix sum of their counts orders them by index.
    const uint chunk = (n + WG - 1u) / WG, lo = min(n, tid * chunk), hi = min(n, lo + chunk);
    uint count = 0u;
    for (uint i = lo; i < hi; ++i)
        if (keyOf(logits[pc.first + i]) == T)
            ++count;
    sEqual[tid] = count;
    barrier();
    if (tid == 0u) {
        uint sum = 0u;
        for (uint t = 0u; t < WG; ++t) {
            const uint c = sEqual[t];
            sEqual[t] = sum;
            sum += c;
        }
        outv[0] = k;
    }
    barrier();
    uint rank = sEqual[tid];
    for (uint i = lo; i < hi && rank < take; ++i) {
        const float v = logits[pc.first + i];
        if (keyOf(v) == T) {
            outv[1u + 2u * (greater + rank)] = i;
            outv[2u + 2u * (greater + rank)] = floatBitsToUint(v);
            ++rank;
        }
    }
}
