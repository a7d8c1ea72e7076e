#version 450
// Argmax of one logits row on the GPU, so greedy decoding copies back 8 bytes
// instead of n_vocab floats. One workgroup (WG a power of two); invocation i scans
// i, i + WG, ..., four loads at a time, then a tree over the workgroup; ties go to the
// lowest index (same as the CPU sampler). On an H200 one invocation scanning 593 values
// one load after the other, then a serial merge of 256, took 80 us per token.
// The row starts pc.first floats into the binding (bindings start at an offset alignment).
// Result: result[0] = index, result[1] = floatBitsToUint(value).
// Compiled twice: argmax_tb (TEXEL_LOADS, CPU devices) reads the row through a texel buffer
// of 4 floats per texel, invocation i taking texels i, i + WG, ..: lavapipe turns each
// storage-buffer load at per-lane offsets into a loop over the lanes, an image load into a
// gather. The binding then spans whole texels (the values around the row are skipped).
#extension GL_EXT_control_flow_attributes : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WG = 256;

#ifdef TEXEL_LOADS
layout(binding = 0, rgba32ui) readonly uniform uimageBuffer logitTexels;
#else
layout(std430, binding = 0) readonly buffer Logits { float logits[]; };
#endif
layout(std430, binding = 1) writeonly buffer Result { uint result[]; };

layout(push_constant) uniform Push { uint n; uint first; } pc;

shared float bestV[WG];
shared uint bestI[WG];

// Whether candidate (v, i) beats (bv, bi): larger, or equal at a lower index; no index
// (0xffffffff) loses to any.
bool beats(float v, uint i, float bv, uint bi)
{
    return i != 0xffffffffu && (bi == 0xffffffffu || v > bv || (v == bv && i < bi));
}

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    float bv = -1.0 / 0.0;
    uint bi = 0xffffffffu;
#ifdef TEXEL_LOADS
    for (uint t = pc.first / 4u + tid; t < (pc.first + pc.n + 3u) / 4u; t += WG) {
        const vec4 v = uintBitsToFloat(imageLoad(logitTexels, int(t)));
        [[unroll]] for (uint c = 0; c < 4u; ++c) {
            const uint i = 4u * t + c - pc.first;  // wraps past n before the row's start
            if (i < pc.n && beats(v[c], i, bv, bi)) {
                bv = v[c];
                bi = i;
            }
        }
    }
#else
    for (uint i0 = tid; i0 < pc.n; i0 += 4u * WG) {
        float v[4];
        [[unroll]] for (uint k = 0; k < 4u; ++k) {
            const uint i = i0 + k * WG;
            v[k] = i < pc.n ? logits[pc.first + i] : 0.0;
        }
        [[unroll]] for (uint k = 0; k < 4u; ++k) {
            const uint i = i0 + k * WG;
            if (i < pc.n && beats(v[k], i, bv, bi)) {
                bv = v[k];
                bi = i;
            }
        }
    }
#endif
    bestV[tid] = bv;
    bestI[tid] = bi;
    barrier();
    for (uint s = WG / 2u; s > 0u; s >>= 1) {
        if (tid < s && beats(bestV[tid + s], bestI[tid + s], bestV[tid], bestI[tid])) {
            bestV[tid] = bestV[tid + s];
            bestI[tid] = bestI[tid + s];
        }
        barrier();
    }
    if (tid == 0) {
        result[0] = bestI[0];
        result[1] = floatBitsToUint(bestV[0]);
    }
}
