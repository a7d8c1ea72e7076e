#version 450
// Argmax of one logits row on the GPU, so greedy decoding copies back 8 bytes
// instead of n_vocab floats. One workgroup; invocation i scans i, i + WG, ...;
// ties go to the lowest index (same as the CPU sampler).
// Result: result[0] = index, result[1] = floatBitsToUint(value).
layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WG = 256;

layout(std430, binding = 0) readonly buffer Logits { float logits[]; };
layout(std430, binding = 1) writeonly buffer Result { uint result[]; };

layout(push_constant) uniform Push { uint n; } pc;

shared float bestV[WG];
shared uint bestI[WG];

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    float bv = -1.0 / 0.0;
    uint bi = 0xffffffffu;
    for (uint i = tid; i < pc.n; i += WG) {
        const float v = logits[i];
        if (v > bv || bi == 0xffffffffu) {  // strictly greater: earlier (lower) index wins ties
            bv = v;
            bi = i;
        }
    }
    bestV[tid] = bv;
    bestI[tid] = bi;
    barrier();
    if (tid == 0) {
        for (uint k = 1; k < WG; ++k)
            if (bestI[k] != 0xffffffffu && (bestV[k] > bv || (bestV[k] == bv && bestI[k] < bi))) {
                bv = bestV[k];
                bi = bestI[k];
            }
        result[0] = bi;
        result[1] = floatBitsToUint(bv);
    }
}
