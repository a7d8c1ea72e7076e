#version 450
// Merges the key splits of attention_decode.comp (SPLITS > 1) into the attention output:
// one workgroup per (token, head), out = sum_z acc_z e^(m_z - M) / sum_z l_z e^(m_z - M)
// over its splits z, M the largest max; a split without keys has m = -inf and weight 0.
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint HEAD_DIM = 128;
layout(constant_id = 2) const uint SPLITS = 8;

// Per (token, head, split) HEAD_DIM + 2 floats: max, sum, accumulator.
layout(std430, binding = 0) readonly buffer Partials { float partials[]; };
layout(std430, binding = 1) writeonly buffer Out { float outv[]; };  // [job][HEAD_DIM]

layout(push_constant) uniform Push { uint jobs; } pc;  // (token, head) pairs

void main()
{
    const uint job = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    if (job >= pc.jobs)
        return;
    const uint rowFloats = HEAD_DIM + 2u, base = job * SPLITS * rowFloats;
    float mAll = -1.0 / 0.0;
    for (uint z = 0; z < SPLITS; ++z)
        mAll = max(mAll, partials[base + z * rowFloats]);
    for (uint d = gl_LocalInvocationID.x; d < HEAD_DIM; d += gl_WorkGroupSize.x) {
        float sum = 0.0, o = 0.0;
        for (uint z = 0; z < SPLITS; ++z) {
            const uint pb = base + z * rowFloats;
            const float m = partials[pb];
            const float f = m == -1.0 / 0.0 ? 0.0 : exp(m - mAll);
            sum += partials[pb + 1u] * f;
            o += partials[pb + 2u + d] * f;
        }
        outv[job * HEAD_DIM + d] = o / sum;
    }
}
