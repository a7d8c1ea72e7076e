#version 450
// Matrix x vector(s) on CPU devices (lavapipe), reading weights and x through texel
// buffers (see quant_texel.glsl for why and for the layouts):
//   y[n * yStride + rowOffset + r] = sum_k W[r][k] * x[n * xStride + k]
// for r < rows and every token n < ncols.
// A job = ROWS rows for NCOLS tokens (one pass), taken by 8 lanes of a subgroup. For each
// 256-element superblock of K the lanes load their 32 x values per token once (registers),
// then decode each of the ROWS rows' superblock (lane i its 32 values) and accumulate; a
// subgroup sum per row and token ends it (a butterfly over the lanes). K must be a
// multiple of 256; xStride a multiple of 4.
// Jobs are not tied to workgroups: the host dispatches one workgroup per CPU thread and
// each takes the next few tasks (a job per 8 lanes) from a counter until none are left.
// lavapipe hands a dispatch's workgroups to its threads in equal shares, fixed up front,
// so a thread on a CPU that runs slower (another process, a noisy host) made the others
// wait for it at the end of every dispatch. Measured in one process, alternating the two
// per token (1.5B Q4_K_M, 100 tokens, 9 runs, both orders), the counter's decode steps
// took 0.84-0.95x the time of a workgroup per job; Q4_K 8960 x 1536 for 64 tokens,
// alternating per submission, 0.76 and 0.84x.
// Bindings: 0 = W (texel buffer, quant_texel.glsl layout, rows interleaved in groups of
// GROUP as texel_layout.h describes), 1 = x (texel buffer of f32 bits), 2 = y (f32, written
// YVEC values at a time), 3 = the task counter.
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_shuffle : require
#define USE_MATMUL_PUSH
#include "config.h"

layout(constant_id = 0) const uint ROWS = 8;   // a multiple of GROUP
layout(constant_id = 1) const uint NCOLS = 1;
layout(constant_id = 2) const uint GROUP = 8;  // texelRowGroup(type)
// Invocations per workgroup = the subgroup size (8 on 256-bit lavapipe, 16 with 512-bit
// vectors): each 8 lanes take their own ROWS rows.
layout(local_size_x_id = 3) in;
// 16 lanes: lavapipe's 512-bit vectors, which it takes only with AVX-512 (32 vector
// registers, an unsigned int-to-float conversion); 8 lanes: 256-bit ones (16 registers).
const bool VEC512 = gl_WorkGroupSize.x == 16u;
// Values per y store (1, 2 or 4; it divides ROWS / 8): a lane's rows of a token are stored
// YVEC at a time. lavapipe turns each storage-buffer store at per-lane offsets into a loop
// over the lanes (with a stall on the pointer vector it reloads in every iteration), one
// loop per store whatever its width: scalar stores were ~11 % of the prefill kernel's
// samples (bench-kernels, minimum of 5 alternating runs: Q4_K 8960 x 1536 for 64 tokens
// 0.95x the time with vec4 stores, Q6_K 1536 x 8960 0.98x with vec2, Q4_K decode 0.97x).
// The host picks YVEC so that every YVEC-row block is aligned and lies wholly inside or
// outside the matrix (weight_ops.cpp).
layout(constant_id = 4) const uint YVEC = 1;
// Whether a uint of 2^31 or more converts to float in one instruction (AVX-512's
// `vcvtudq2ps`; quant_texel.glsl says what the others do instead).
const bool TB_UINT_CVT = VEC512;
#include "quant_texel.glsl"

layout(binding = 1, rgba32ui) readonly uniform uimageBuffer X;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(std430, binding = 2) writeonly buffer Y2 { vec2 y2[]; };
layout(std430, binding = 2) writeonly buffer Y4 { vec4 y4[]; };
// The dispatch's task counter: zero when the submission starts (Recorder::workCounter).
layout(std430, binding = 3) buffer Work { uint nextTask; };

// The layout index of superblock sb of row `row` (clamped to the last row; rows are
// interleaved in groups of GROUP, texel_layout.h).
uint tb_index(uint row, uint nsb, uint sb)
{
    row = min(row, pc.rows - 1u);
    const uint g0 = row / GROUP * GROUP, n = min(GROUP, pc.rows - g0);
    return g0 * nsb + sb * n + (row - g0);
}

// The factor that undoes the power of two decoding leaves on value j of a lane's 32
// (quant_texel.glsl, tb_qbits): a constant after unrolling.
float tb_xscale(uint j) { return uintBitsToFloat((127u - tb_qbits(j)) << 23); }

// The dot products dh[2c + h] of a decoded row's halves h with token c's x values, CH
// (8 or 16, a literal) values at a time over all tokens. Every loop's trip count is a
// constant of its own (an inner bound that depends on j0 kept NIR from unrolling the
// nest: q and xr then lived in memory, and lavapipe's 65535-iteration loop limit cut the
// work short).
#define TB_CHUNKS(CH)                                                                   \
    [[unroll]] for (uint j0 = 0; j0 < 32u; j0 += (CH)) {                              \
        [[unroll]] for (uint c = 0; c < NCOLS; ++c) {                                   \
            float d = 0.0, e = 0.0;                                                     \
            [[unroll]] for (uint k = 0; k < (CH); k += 2u) {                            \
                d += q[j0 + k] * xr[32u * c + j0 + k];                                  \
                e += q[j0 + k + 1u] * xr[32u * c + j0 + k + 1u];                        \
            }                                                                           \
            dh[2u * c + j0 / 16u] += d + e;                                              \
        }                                                                               \
    }

// One job: rows row0 .. row0 + ROWS - 1 for tokens col0 .. col0 + NCOLS - 1.
void runJob(const uint row0, const uint col0)
{
    const uint lane = gl_LocalInvocationID.x & 7u;
    const uint nsb = pc.K / 256u;
    const uvec2 xo = tb_xoff(lane);

    float acc[ROWS * NCOLS];
    [[unroll]] for (uint i = 0; i < ROWS * NCOLS; ++i)
        acc[i] = 0.0;

    for (uint sb = 0; sb < nsb; ++sb) {
        // This lane's x values for every token of the pass (scaled by tb_xscale), and their
        // half sums (unscaled: they multiply the values' offsets).
        float xr[NCOLS * 32];
        float xs[NCOLS * 2];
        [[unroll]] for (uint c = 0; c < NCOLS; ++c) {
            const uint xb = min(col0 + c, pc.ncols - 1u) * pc.xStride + sb * 256u;
            // Texel 4h + t of the lane's x values (half h). Both jobs of a 16-lane subgroup
            // want the same x: each loads one half and takes the other from lane ^ 8 (a
            // gather costs ~60 instructions on lavapipe, the swap 2 per component: Q4_K
            // decode's loop 4.8 % fewer instructions).
            uvec4 xt[8];
            if (gl_WorkGroupSize.x == 16u) {
                const bool first = gl_SubgroupInvocationID < 8u;
                [[unroll]] for (uint t = 0; t < 4u; ++t) {
                    const uvec4 own = imageLoad(X, int((xb + (first ? xo.x : xo.y)) / 4u + t));
                    const uvec4 other = subgroupShuffleXor(own, 8u);
                    xt[t] = first ? own : other;
                    xt[4u + t] = first ? other : own;
                }
            } else {
                [[unroll]] for (uint k = 0; k < 8u; ++k)
                    xt[k] = imageLoad(X, int((xb + (k < 4u ? xo.x : xo.y)) / 4u + (k & 3u)));
            }
            [[unroll]] for (uint h = 0; h < 2u; ++h) {
                float sum = 0.0;
                [[unroll]] for (uint t = 0; t < 4u; ++t) {
                    const vec4 v = uintBitsToFloat(xt[4u * h + t]);
                    const uint j = 16u * h + 4u * t, o = 32u * c + j;
                    xr[o] = v.x * tb_xscale(j);
                    xr[o + 1u] = v.y * tb_xscale(j + 1u);
                    xr[o + 2u] = v.z * tb_xscale(j + 2u);
                    xr[o + 3u] = v.w * tb_xscale(j + 3u);
                    sum += (v.x + v.y) + (v.z + v.w);
                }
                xs[2u * c + h] = sum;
            }
        }
        // ROWS is a multiple of GROUP: a job's rows are whole row groups. The TB_JOB_HEADERS
        // types load a group's per-superblock headers once for all its rows (a group wholly
        // past the end works on the last group and stores nothing). Each row's texels are
        // fetched one row ahead of its decoding, so that the fetch's loads overlap the row
        // before's arithmetic (with inline image loads, fetching in place instead took 1.09x
        // the time for Q4_K 8960 x 1536 and 1.10x for Q6_K 1536 x 8960 in bench-kernels,
        // minimum of 8-10 alternating runs; 512-bit vectors, 32 registers). With 8 lanes
        // (256-bit vectors, 16 registers) the two rows' texels did not fit and spilled, so
        // there each row is fetched in place (AHEAD false): decode loops 4437 -> 4332
        // instructions for Q4_K and 5118 -> 4977 for Q6_K, stack moves 452 -> 351 and
        // 530 -> 386; bench-kernels mean of 4-6 alternating runs 0.95x the time for Q4_K,
        // 0.88x for Q6_K, 64 tokens of Q4_K 0.91x (the host's noise is about as large).
        [[unroll]] for (uint gr = 0; gr < ROWS; gr += GROUP) {
#ifdef TB_JOB_HEADERS
            const uint g0 = min(row0 + gr, (pc.rows - 1u) / GROUP * GROUP), n = min(GROUP, pc.rows - g0);
            tb_job_begin(g0, n, nsb, sb, lane);
            TbRow next = tb_fetch_in_group(n, 0u, lane);
#else
            TbRow next = tb_fetch(tb_index(row0 + gr, nsb, sb), lane);
#endif
            [[unroll]] for (uint i = 0; i < GROUP; ++i) {
                const uint r = gr + i;
                float q[32];
                vec4 s;
                const bool AHEAD = VEC512;  // fetch the next row's texels now
#ifdef TB_JOB_HEADERS
                const TbRow cur = AHEAD || i == 0u ? next : tb_fetch_in_group(n, i, lane);
                if (AHEAD && i + 1u < GROUP)
                    next = tb_fetch_in_group(n, i + 1u, lane);
                tb_decode_in_group(n, i, lane, cur, q, s);
#else
                const TbRow cur = AHEAD || i == 0u ? next : tb_fetch(tb_index(row0 + r, nsb, sb), lane);
                if (AHEAD && i + 1u < GROUP)
                    next = tb_fetch(tb_index(row0 + r + 1u, nsb, sb), lane);
                tb_decode_row(cur, lane, q, s);
#endif
                // A chunk of the row's values at a time over all tokens, two add chains
                // each: the chunk, the chains and an x operand fit the vector registers
                // (16 of them with 256-bit vectors: chunks of 8; 32 with 512: chunks of
                // 16), so each multiply takes its x straight from memory and no value is
                // reloaded. Whole rows per token spilled (bench-kernels --tokens 64 on
                // 512 bits: 16 values at a time took 0.87-0.95x the time); on 256 bits
                // chunks of 16 did too: 8 took 0.81-0.95x the time for Q4_K 8960 x 1536
                // and 0.91x for Q6_K 1536 x 8960, bench -p 128 prefill 1.20x the tokens/s.
                // Decode (one token; it had a chain per half of 16) the same way: Q6_K
                // 0.71-0.77x the time at 1536 x 8960 and 0.90x for the 151936 x 1536
                // output matrix, Q4_0 0.94x, Q4_K, Q5_K, Q8_0, Q2_K, Q3_K within the noise
                // (minimum and mean of 3-5 alternating bench-kernels runs).
                float dh[2u * NCOLS];  // per token its two halves' dot products
                [[unroll]] for (uint k = 0; k < 2u * NCOLS; ++k)
                    dh[k] = 0.0;
                if (VEC512)
                    TB_CHUNKS(16u)
                else
                    TB_CHUNKS(8u)
                [[unroll]] for (uint c = 0; c < NCOLS; ++c)
                    acc[r * NCOLS + c] += s.x * dh[2u * c] + s.y * xs[2u * c] + s.z * dh[2u * c + 1u] + s.w * xs[2u * c + 1u];
            }
        }
    }

    // Sum each accumulator over the 8 lanes with a transposing butterfly: after the
    // steps over lane bits 4, 2, 1, lane l holds the totals of accumulators
    // l * N/8 .. l * N/8 + N/8 - 1 (N = ROWS * NCOLS, a multiple of 8), i.e. rows
    // l * ROWS/8 .. + ROWS/8 - 1 of every token. 7 shuffles for N = 8 instead of 8
    // reductions of 3, and one store per lane instead of 8 from lane 0.
    // The steps are written out because every acc index must be a constant after
    // unrolling: otherwise lavapipe keeps the whole array in memory and stores each
    // accumulator update of the main loop lane by lane.
    const uint N = ROWS * NCOLS;
#define BUTTERFLY_STEP(m, cnt)                                                  \
    [[unroll]] for (uint i = 0; i < (cnt) / 2u; ++i) {                          \
        const bool upper = (lane & (m)) != 0u;                                  \
        const float lo = acc[i], hi = acc[i + (cnt) / 2u];                     \
        acc[i] = (upper ? hi : lo) + subgroupShuffleXor(upper ? lo : hi, (m)); \
    }
    BUTTERFLY_STEP(4u, N)
    BUTTERFLY_STEP(2u, N / 2u)
    BUTTERFLY_STEP(1u, N / 4u)
    const uint RPL = ROWS / 8u;  // rows per lane; accumulator i = rr * NCOLS + c is row lane * RPL + rr, token c
    [[unroll]] for (uint rr = 0; rr < RPL; rr += YVEC) {
        [[unroll]] for (uint c = 0; c < NCOLS; ++c) {
            const uint r = lane * RPL + rr, o = (col0 + c) * pc.yStride + pc.rowOffset + row0 + r;
            if (row0 + r < pc.rows && col0 + c < pc.ncols) {
                if (YVEC == 4u)
                    y4[o / 4u] = vec4(acc[rr * NCOLS + c], acc[(rr + 1u) * NCOLS + c], acc[(rr + 2u) * NCOLS + c],
                                      acc[(rr + 3u) * NCOLS + c]);
                else if (YVEC == 2u)
                    y2[o / 2u] = vec2(acc[rr * NCOLS + c], acc[(rr + 1u) * NCOLS + c]);
                else
                    y[o] = acc[rr * NCOLS + c];
            }
        }
    }
}

// Tasks are numbered pass by pass (a pass's rows consecutively: the pass's x stays in
// cache while its rows stream); task t of a pass is the 8-lane groups' consecutive jobs
// from row t * ROWS * laneGroups. Grabs are guided: each takes a quarter of this
// workgroup's share of the tasks it last saw left, so that they shrink toward the end and
// the threads finish together, while the atomic add (a per-lane loop on lavapipe) stays
// rare (decode steps 0.98x the time of fixed grabs of 1/16 of a share, median of 8
// alternating runs). At most 1024 tasks per grab keeps the loop far below lavapipe's
// 65535 iterations per loop for any matrix a binding can hold.
void main()
{
    const uint laneGroups = gl_WorkGroupSize.x / 8u;
    const uint rowTasks = (pc.rows + ROWS * laneGroups - 1u) / (ROWS * laneGroups);
    const uint tasks = rowTasks * ((pc.ncols + NCOLS - 1u) / NCOLS);
    uint seen = 0u;  // where the counter stood after this workgroup's last grab (it only grows)
    for (;;) {
        const uint grab = clamp((tasks - min(seen, tasks)) / (gl_NumWorkGroups.x * 4u), 1u, 1024u);
        uint first = 0u;
        if (gl_SubgroupInvocationID == 0u)
            first = atomicAdd(nextTask, grab);
        first = subgroupShuffle(first, 0u);
        if (first >= tasks)
            break;
        seen = first + grab;
        for (uint t = first; t < min(first + grab, tasks); ++t)
            runJob((t % rowTasks * laneGroups + gl_LocalInvocationID.x / 8u) * ROWS, t / rowTasks * NCOLS);
    }
}
