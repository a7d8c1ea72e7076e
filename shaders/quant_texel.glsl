// Weight decoding for matvec_tb.comp: weights read through a storage texel buffer of
// 16-byte texels (binding 0), the fast path on CPU devices: lavapipe (Mesa 22.3) turns
// image loads into straight-line gathers in the shader's own code, while storage-buffer
// loads at varying offsets become a branchy per-lane loop and a sampled texel fetch of
// this format becomes a call (every live vector register is saved around it; image loads
// measured 0.80x Q8_0's and 0.96x Q4_K's kernel time in bench-kernels, decode 1.03-1.22x).
// Exactly one TYPE_* is defined per compiled variant.
//
// A row is cut into 256-element superblocks. The 8 lanes of a subgroup share one
// superblock: lane i decodes 32 of its values as two halves of 16, at elements
// tb_xoff(i).x .. +16 and tb_xoff(i).y .. +16 of the superblock, and
//   weight = s.x * q[j] + s.y        (j < 16, first half)
//   weight = s.z * q[j] + s.w        (j >= 16, second half)
// The layouts (TB_TEXELS texels per superblock) are GGUF's bytes rearranged at upload
// time so that each lane's fields sit in whole texels and decode cheaply
// (engine/quant/texel_layout.cpp documents each one; F32, F16 and BF16 keep their values).
// Decoding is split in two so that matvec_tb can fetch a row's texels one row ahead of
// decoding them: tb_fetch takes the superblock's index in the layout (rows interleaved,
// texel_layout.h) and returns the lane's texels (a TbRow; F32/F16/BF16 only its place),
// tb_decode_row decodes them. The TB_JOB_HEADERS types (Q4_K, Q5_K, Q6_K) work per row
// group instead: tb_job_begin, then tb_fetch_in_group and tb_decode_in_group per row.
// Q4_K and Q5_K share header fetches between lanes with subgroup shuffles: the includer
// enables the subgroup extensions, and its jobs are 8 aligned lanes of one subgroup.
#extension GL_EXT_control_flow_attributes : require

layout(binding = 0, rgba32ui) readonly uniform uimageBuffer W;

uvec4 wtex(uint t) { return imageLoad(W, int(t)); }
// Component i (dynamic) of a texel.
uint comp(uvec4 v, uint i) { return i == 0u ? v.x : (i == 1u ? v.y : (i == 2u ? v.z : v.w)); }
// The f16 at index i (0..7) of a texel of eight halves.
float half_at(uvec4 v, uint i) { return unpackHalf2x16(comp(v, i >> 1) >> (16u * (i & 1u))).x; }
// Byte k (0..15) of a texel, unsigned and as a signed int8.
uint byte_at(uvec4 v, uint k) { return (comp(v, k >> 2) >> (8u * (k & 3u))) & 0xFFu; }
int sbyte_at(uvec4 v, uint k) { return bitfieldExtract(int(comp(v, k >> 2)), int(8u * (k & 3u)), 8); }

// Decoded values keep the place they have in their word: q[j] is the field masked but not
// shifted down, i.e. the value times 2^tb_qbits(j), and matvec_tb multiplies x value j by
// 2^-tb_qbits(j) once per superblock instead (exact: powers of two; an x below ~1e-30 would
// flush to zero). A field thus costs a mask and a conversion, not also a shift (Q4_K decode's
// loop on lavapipe: 4.5 % fewer instructions, Q6_K's 6.8 %).
// Except where a field may reach bit 31: x86 has no unsigned int-to-float conversion below
// AVX-512, so LLVM converts a uint that may be 2^31 or more with a ~6-instruction sequence
// (two blends, a shift, a subtract, an add and their constants) instead of one `vcvtdq2ps`;
// such fields are shifted down one bit first (a shift per word instead of 5 instructions
// per value: Q4_K's top nibbles, Q8_0's top bytes), unless the includer's TB_UINT_CVT says
// that the device converts them in one instruction (AVX-512's `vcvtudq2ps`), where the
// shift would be a cost without a saving (Q4_K's decode loop 1.4 % of its instructions).
// q[o + j] = nibble of texel t's byte j at bit `shift` (0 or 4), j = 0..15, times
// 2^(8 (j % 4) + shift), or 2^27 for the nibble at bit 28 without TB_UINT_CVT.
#define NIBBLES(q, o, t, shift)                                                       \
    [[unroll]] for (uint w_ = 0; w_ < 4u; ++w_)                                        \
        [[unroll]] for (uint b_ = 0; b_ < 4u; ++b_)                                    \
            q[(o) + 4u * w_ + b_] = 8u * b_ + (shift) == 28u && !TB_UINT_CVT            \
                ? float((comp(t, w_) >> 1) & (15u << 27))                               \
                : float(comp(t, w_) & (15u << (8u * b_ + (shift))));
// q[o + b] = byte b of word v times 2^(8b), b = 0..3 (the byte-parallel decoders).
#define BYTES(q, o, v)                                                                \
    [[unroll]] for (uint b_ = 0; b_ < 4u; ++b_)                                        \
        q[(o) + b_] = float((v) & (0xFFu << (8u * b_)));

#if defined(TYPE_F16) || defined(TYPE_BF16) || defined(TYPE_F32)
// GGUF's values as they are: lane i reads elements 32i .. 32i + 31 (4 texels of 16-bit
// values, 8 of f32).
#if defined(TYPE_F32)
#define TB_LANE_TEXELS 8u
#else
#define TB_LANE_TEXELS 4u
#endif
#define TB_TEXELS (8u * TB_LANE_TEXELS)
uvec2 tb_xoff(uint lane) { return uvec2(32u * lane, 32u * lane + 16u); }
uint tb_qbits(uint j) { return 0u; }
// These fetch in place: a row's 4 or 8 texels held a row ahead cost more in registers than
// the overlap saves (bench-kernels F16 8960 x 1536: 1.15x time).
struct TbRow {
    uint t0;  // the lane's first texel
};
TbRow tb_fetch(uint sb, uint lane) { return TbRow(sb * TB_TEXELS + TB_LANE_TEXELS * lane); }
void tb_decode_row(TbRow r, uint lane, out float q[32], out vec4 s)
{
    [[unroll]] for (uint t = 0; t < TB_LANE_TEXELS; ++t) {
        const uvec4 v = wtex(r.t0 + t);
        [[unroll]] for (uint c = 0; c < 4u; ++c) {
#if defined(TYPE_F32)
            q[4u * t + c] = uintBitsToFloat(comp(v, c));
#else
#if defined(TYPE_F16)
            const vec2 h = unpackHalf2x16(comp(v, c));
#else
            const vec2 h = vec2(uintBitsToFloat(comp(v, c) << 16), uintBitsToFloat(comp(v, c) & 0xFFFF0000u));
#endif
            q[8u * t + 2u * c] = h.x;
            q[8u * t + 2u * c + 1u] = h.y;
#endif
        }
    }
    s = vec4(1.0, 0.0, 1.0, 0.0);
}

#elif defined(TYPE_Q8_0)
// 17 texels per 8 blocks: [d0..d7 as f16][qs of block 0 (2 texels)] ... [qs of block 7].
#define TB_TEXELS 17u
uvec2 tb_xoff(uint lane) { return uvec2(32u * lane, 32u * lane + 16u); }
uint tb_qbits(uint j) { return (j & 3u) == 3u && !TB_UINT_CVT ? 23u : 8u * (j & 3u); }  // top bytes shifted down one bit
struct TbRow {
    uvec4 d, qs0, qs1;
};
TbRow tb_fetch(uint sb, uint lane)
{
    const uint base = sb * TB_TEXELS;
    return TbRow(wtex(base), wtex(base + 1u + 2u * lane), wtex(base + 2u + 2u * lane));
}
void tb_decode_row(TbRow t, uint lane, out float q[32], out vec4 s)
{
    const float d = half_at(t.d, lane);
    // The int8 values biased by 128 (sign bits flipped), the bias taken off with the x sums;
    // the top byte of a word is shifted down one bit without TB_UINT_CVT (NIBBLES says why).
    [[unroll]] for (uint h = 0; h < 2u; ++h) {
        const uvec4 v = h == 0u ? t.qs0 : t.qs1;
        [[unroll]] for (uint w = 0; w < 4u; ++w) {
            const uint u = comp(v, w) ^ 0x80808080u, o = 16u * h + 4u * w;
            q[o] = float(u & 0xFFu);
            q[o + 1u] = float(u & 0xFF00u);
            q[o + 2u] = float(u & 0xFF0000u);
            q[o + 3u] = TB_UINT_CVT ? float(u & 0xFF000000u) : float((u >> 1) & 0x7F800000u);
        }
    }
    s = vec4(d, -128.0 * d, d, -128.0 * d);
}

#elif defined(TYPE_Q4_0) || defined(TYPE_Q4_1) || defined(TYPE_Q5_0) || defined(TYPE_Q5_1)
// Per 8 blocks: [scales][qh][qs of block 0] ... [qs of block 7], where
//   scales = d0..d7 as f16 (1 texel; Q4_0, Q5_0) or (d, m) pairs (2 texels; Q4_1, Q5_1),
//   qh     = the 8 blocks' u32 high bits (2 texels; Q5_0, Q5_1 only).
// Q4_0 9, Q4_1 10, Q5_0 11, Q5_1 12 texels.
#if defined(TYPE_Q4_1) || defined(TYPE_Q5_1)
#define TB_HAS_MIN
#define TB_SCALE_TEXELS 2u
#else
#define TB_SCALE_TEXELS 1u
#endif
#if defined(TYPE_Q5_0) || defined(TYPE_Q5_1)
#define TB_HAS_QH
#define TB_QH_TEXELS 2u
#else
#define TB_QH_TEXELS 0u
#endif
#define TB_TEXELS (TB_SCALE_TEXELS + TB_QH_TEXELS + 8u)
uvec2 tb_xoff(uint lane) { return uvec2(32u * lane, 32u * lane + 16u); }
uint tb_qbits(uint j) { return 8u * (j & 3u); }
struct TbRow {
    uvec4 v, qh, sc;  // qs texel, qh texel (Q5_*), scale texel
};
TbRow tb_fetch(uint sb, uint lane)
{
    const uint base = sb * TB_TEXELS;
    TbRow t;
    t.v = wtex(base + TB_SCALE_TEXELS + TB_QH_TEXELS + lane);
#ifdef TB_HAS_QH
    t.qh = wtex(base + TB_SCALE_TEXELS + (lane >> 2));
#else
    t.qh = uvec4(0u);
#endif
#ifndef TB_HAS_MIN
    t.sc = wtex(base);
#else
    t.sc = wtex(base + (lane >> 2));
#endif
    return t;
}
void tb_decode_row(TbRow t, uint lane, out float q[32], out vec4 s)
{
    const uvec4 v = t.v;
#ifdef TB_HAS_QH
    const uint qh = comp(t.qh, lane & 3u);
    const float offset = -16.0;  // 5-bit values, the 5th bit of value j is qh bit j
#else
    const uint qh = 0u;
    const float offset = -8.0;
#endif
    // Byte-parallel, as in Q6_K: bits 4w .. 4w + 3 of qh are spread to bit 4 of the four
    // bytes of word w (x * 0x00204081 puts bit i of a 4-bit x at bit 8i).
    [[unroll]] for (uint w = 0; w < 4u; ++w) {
        const uint lo = (comp(v, w) & 0x0F0F0F0Fu) | ((((qh >> (4u * w)) & 15u) * 0x00204081u & 0x01010101u) << 4);
        const uint hi = ((comp(v, w) >> 4) & 0x0F0F0F0Fu) | ((((qh >> (4u * w + 16u)) & 15u) * 0x00204081u & 0x01010101u) << 4);
        BYTES(q, 4u * w, lo)
        BYTES(q, 16u + 4u * w, hi)
    }
#ifndef TB_HAS_MIN
    const float d = half_at(t.sc, lane);
    s = vec4(d, offset * d, d, offset * d);
#else
    const vec2 dm = unpackHalf2x16(comp(t.sc, lane & 3u));
    s = vec4(dm.x, dm.y, dm.x, dm.y);
#endif
}

#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
// Headers gathered per row group (texel_layout.cpp): for a group of n rows (texelRowGroup
// = 16, fewer in a matrix's last group) and one superblock, a block of
//   [d, dmin of the n rows (u32 each): ceil(n/4) texels]
//   [scale group 0 of the n rows (24 bits each, packed): ceil(3n/16) texels] .. [group 3]
//   [row 0: Q5_K qh (2 texels), qs (8 texels)] .. [row n-1]
// g_c = the 24 bits sc[2c] | m[2c] << 6 | sc[2c+1] << 12 | m[2c+1] << 18 that lanes 2c and
// 2c + 1 need. For each row group of a job (tb_job_begin) the headers of its rows are loaded
// once per superblock instead of one header fetch per row (weight loads are the dear part of
// this kernel on lavapipe): 3 fetches of the lane pair's groups, and one of d/dmin, where lane
// i takes texel i % 4 and each row's word comes from its lane by a shuffle (4 fetches of the
// same texels by every lane cost 3.7 % more instructions).
// Lane i reads qs texel i: bytes 16i .. 16i+15 of qs, i.e. chunk c = i/2 of 64 values,
// positions l = 16 (i & 1) + 0..15; low nibbles are sub-block 2c, high ones 2c + 1.
#define TB_JOB_HEADERS
#if defined(TYPE_Q4_K)
#define TB_TEXELS 9u  // per superblock and row
#define TB_QS 0u
#else
#define TB_TEXELS 11u
#define TB_QS 2u
#endif
#define TB_REST (TB_TEXELS - 1u)  // texels of a row after its header
uvec2 tb_xoff(uint lane) { return uvec2(64u * (lane >> 1) + 16u * (lane & 1u), 64u * (lane >> 1) + 32u + 16u * (lane & 1u)); }
#if defined(TYPE_Q4_K)
// High nibbles from j = 16; the one at bit 28 shifted down to 27 without TB_UINT_CVT (NIBBLES).
uint tb_qbits(uint j) { return (j == 19u || j == 23u || j == 27u || j == 31u) && !TB_UINT_CVT ? 27u : 8u * (j & 3u) + 4u * (j >> 4); }
#else
uint tb_qbits(uint j) { return 8u * (j & 3u); }
#endif
uint tb_dm_texels(uint n) { return (n + 3u) / 4u; }
uint tb_group_texels(uint n) { return (3u * n + 15u) / 16u; }
// Texels of one block of n rows (16 rows: 16 * TB_TEXELS).
uint tb_block_texels(uint n) { return tb_dm_texels(n) + 4u * tb_group_texels(n) + n * TB_REST; }

struct TbRow {
    uvec4 qs, qh;  // a lane's texels of one row (qh: Q5_K only)
};
uint tb_block;    // this job's block for the current superblock
uvec4 tb_dmt;     // texel lane % 4 of the d, dmin words: rows 4 (lane % 4) .. + 3
uvec4 tb_grp[3];  // this lane pair's scale group of row i: bits 24i .. 24i + 23
// Per superblock, before the job's rows: the group of rows g0 .. g0 + n - 1.
void tb_job_begin(uint g0, uint n, uint nsb, uint sb, uint lane)
{
    const uint block = g0 * nsb * TB_TEXELS + sb * tb_block_texels(n);
    tb_block = block;
    const uint ndm = tb_dm_texels(n), ng = tb_group_texels(n);
    tb_dmt = wtex(block + min(lane & 3u, ndm - 1u));
    // The two lanes of a pair want the same 3 texels: each fetches one of the outer two,
    // and they swap (2 fetches instead of 3).
    const uint g = block + ndm + (lane >> 1) * ng;
    const bool even = (gl_SubgroupInvocationID & 1u) == 0u;
    const uvec4 own = wtex(g + min(even ? 0u : 2u, ng - 1u)), other = subgroupShuffleXor(own, 1u);
    tb_grp[0] = even ? own : other;
    tb_grp[1] = wtex(g + min(1u, ng - 1u));
    tb_grp[2] = even ? other : own;
}
// Row i's texels (a constant i after unrolling); rows at or past n read row n - 1's
// values and header garbage, and their sums are never stored.
TbRow tb_fetch_in_group(uint n, uint i, uint lane)
{
    const uint row = tb_block + tb_dm_texels(n) + 4u * tb_group_texels(n) + min(i, n - 1u) * TB_REST;
    TbRow t;
    t.qs = wtex(row + TB_QS + lane);
#if defined(TYPE_Q5_K)
    t.qh = wtex(row + (lane & 1u));  // qh bytes l: bit 2c (low) and 2c + 1 (high)
#else
    t.qh = uvec4(0u);
#endif
    return t;
}
// Row i of the block from its texels.
void tb_decode_in_group(uint n, uint i, uint lane, TbRow t, out float q[32], out vec4 s)
{
    const vec2 dm = unpackHalf2x16(subgroupShuffle(comp(tb_dmt, i & 3u), (gl_SubgroupInvocationID & ~7u) | (i >> 2)));
    const uint bit = 24u * i, w = bit >> 5, sh = bit & 31u;
    uint g = comp(tb_grp[w >> 2], w & 3u) >> sh;
    if (sh > 8u)
        g |= comp(tb_grp[(w + 1u) >> 2], (w + 1u) & 3u) << (32u - sh);
    g &= 0xFFFFFFu;
    const uint c = lane >> 1;
    const float sc0 = float(g & 63u), m0 = float((g >> 6) & 63u), sc1 = float((g >> 12) & 63u), m1 = float(g >> 18);
#if defined(TYPE_Q4_K)
    NIBBLES(q, 0u, t.qs, 0u)
    NIBBLES(q, 16u, t.qs, 4u)
#else
    [[unroll]] for (uint w = 0; w < 4u; ++w) {  // byte-parallel, as in Q6_K
        const uint qs = comp(t.qs, w), qh = comp(t.qh, w) >> (2u * c);
        const uint lo = (qs & 0x0F0F0F0Fu) | ((qh & 0x01010101u) << 4);
        const uint hi = ((qs >> 4) & 0x0F0F0F0Fu) | ((qh & 0x02020202u) << 3);
        BYTES(q, 4u * w, lo)
        BYTES(q, 16u + 4u * w, hi)
    }
#endif
    s = vec4(dm.x * sc0, -dm.y * m0, dm.x * sc1, -dm.y * m1);
}

#elif defined(TYPE_Q6_K)
// 105 texels per group of 8 superblocks (layout order): [d0..d7 as f16][the scales lane 0
// needs: bytes 8n + r and 8n + r + 4 of superblock m's 16 int8 scales at bytes 2m, 2m + 1]
// .. [lane 7's], then per pair of superblocks 2p, 2p + 1 24 texels: [ql of 2p (8 texels)]
// [ql of 2p + 1 (8)][qh of both (8)].
// Lane i reads ql texel i: half n = i/4 of 128 values, r = i % 4. Its low nibbles are
// values 128n + 16r + 0..15 (scale 8n + r), its high ones the same + 64 (scale 8n + r + 4);
// the two high bits come from the pair's qh texel i, at bit 0 (+ 4 for high) for
// superblock 2p and bit 2 (+ 4) for 2p + 1 (texel_layout.cpp moves them there from
// GGUF's qh, where two lanes share a texel). A lane thus gathers its qh texel once per
// two rows.
// Rows are interleaved in groups of 8 with 8 slots even in a matrix's last, partial group
// (zero-padded), so a job of 8 rows (GROUP == 8) reads exactly one group of 8 superblocks
// per superblock of K, row i in slot i, and fetches the d and scale texels once.
#define TB_TEXELS 105u  // per group of 8 superblocks
#define TB_JOB_HEADERS
uvec2 tb_xoff(uint lane) { return uvec2(128u * (lane >> 2) + 16u * (lane & 3u), 128u * (lane >> 2) + 16u * (lane & 3u) + 64u); }
uint tb_qbits(uint j) { return 8u * (j & 3u); }
struct TbRow {
    uvec4 ql, qh;  // a lane's texels of one superblock
};
uvec4 tb_qh;  // this lane's qh texel of the pair being fetched
// Superblock m's texels of the group at texel g (m is a constant after unrolling; an odd
// m reuses the qh texel its even neighbour, fetched just before, brought).
TbRow tb_fetch_q6(uint g, uint m, uint lane)
{
    const uint b = g + 9u + 24u * (m >> 1);
    TbRow t;
    t.ql = wtex(b + 8u * (m & 1u) + lane);
    if ((m & 1u) == 0u)
        tb_qh = wtex(b + 16u + lane);
    t.qh = tb_qh;
    return t;
}
// Superblock m from its texels, given the group's d texel and this lane's scale texel.
void tb_decode_q6(uint m, TbRow t, uvec4 dt, uvec4 st, uint lane, out float q[32], out vec4 s)
{
    const float d = half_at(dt, m);
    const float s0 = d * float(sbyte_at(st, 2u * m)), s1 = d * float(sbyte_at(st, 2u * m + 1u));
    const uint hs = 2u * (m & 1u);  // the superblock's bit pairs in the lane's qh texel
    // Byte-parallel: the four 6-bit values of a word are assembled in its four bytes at
    // once, then each byte is converted.
    [[unroll]] for (uint w = 0; w < 4u; ++w) {
        const uint l = comp(t.ql, w), h = comp(t.qh, w) >> hs;
        const uint lo = (l & 0x0F0F0F0Fu) | ((h & 0x03030303u) << 4);
        const uint hi = ((l >> 4) & 0x0F0F0F0Fu) | (((h >> 4) & 0x03030303u) << 4);
        BYTES(q, 4u * w, lo)
        BYTES(q, 16u + 4u * w, hi)
    }
    s = vec4(s0, -32.0 * s0, s1, -32.0 * s1);
}
uint tb_g;               // the job's group of 8 superblocks at this superblock of K
uvec4 tb_dt, tb_st;      // its d texel and this lane's scale texel
void tb_job_begin(uint g0, uint n, uint nsb, uint sb, uint lane)
{
    tb_g = (g0 / 8u * nsb + sb) * TB_TEXELS;
    tb_dt = wtex(tb_g);
    tb_st = wtex(tb_g + 1u + lane);
}
// Row i (a constant after unrolling) of the job; padding slots past the matrix's rows
// decode as zeros (never stored).
TbRow tb_fetch_in_group(uint n, uint i, uint lane) { return tb_fetch_q6(tb_g, i, lane); }
void tb_decode_in_group(uint n, uint i, uint lane, TbRow t, out float q[32], out vec4 s)
{
    tb_decode_q6(i, t, tb_dt, tb_st, lane, q, s);
}

#elif defined(TYPE_Q2_K) || defined(TYPE_Q3_K)
// Groups of 8 superblocks (texel_layout.cpp). Both types hold 2-bit values q[32n + l]
// (l < 32) whose bits 2j are element 128n + 32j + l, with a scale per 16 elements
// (index 8n + 2j + l / 16); Q3_K adds a third bit from hmask[l] bit 4n + j (value
// minus 4 when clear). Lane i takes n = i / 4, j = i % 4: qs texels 2n and 2n + 1.
//   Q2_K: [d dmin x8 (2 texels)][scales x8 (8)][qs x8 (32)] = 42 texels
//   Q3_K: [d x8 (1)][int8 scales x8 (8)][hmask x8 (16)][qs x8 (32)] = 57 texels
#if defined(TYPE_Q2_K)
#define TB_TEXELS 42u
#define TB_SCALES 2u
#define TB_QS 10u
#else
#define TB_TEXELS 57u
#define TB_SCALES 1u
#define TB_HMASK 9u
#define TB_QS 25u
#endif
uvec2 tb_xoff(uint lane) { return uvec2(128u * (lane >> 2) + 32u * (lane & 3u), 128u * (lane >> 2) + 32u * (lane & 3u) + 16u); }
uint tb_qbits(uint j) { return 8u * (j & 3u); }
struct TbRow {
    uint m;                       // the superblock's place in its group of 8
    uvec4 d, sc, q0, q1, h0, h1;  // d (Q2_K: d, dmin) texel, scales, qs; Q3_K's hmask
};
TbRow tb_fetch(uint sb, uint lane)
{
    const uint g = (sb >> 3) * TB_TEXELS, m = sb & 7u, n = lane >> 2;
    TbRow t;
    t.m = m;
#if defined(TYPE_Q2_K)
    t.d = wtex(g + (m >> 2));
#else
    t.d = wtex(g);
#endif
    t.sc = wtex(g + TB_SCALES + m);
    t.q0 = wtex(g + TB_QS + 4u * m + 2u * n);
    t.q1 = wtex(g + TB_QS + 4u * m + 2u * n + 1u);
#if defined(TYPE_Q3_K)
    t.h0 = wtex(g + TB_HMASK + 2u * m);
    t.h1 = wtex(g + TB_HMASK + 2u * m + 1u);
#else
    t.h0 = t.h1 = uvec4(0u);
#endif
    return t;
}
void tb_decode_row(TbRow t, uint lane, out float q[32], out vec4 s)
{
    const uint m = t.m, n = lane >> 2, j = lane & 3u, k = 8u * n + 2u * j;  // scale index of the first half
    const uvec4 sc = t.sc, q0 = t.q0, q1 = t.q1;
#if defined(TYPE_Q3_K)
    const uvec4 h0 = t.h0, h1 = t.h1;
    const uint hb = 4u * n + j;
#endif
    [[unroll]] for (uint w = 0; w < 4u; ++w) {  // byte-parallel, as in Q6_K
        uint lo = (comp(q0, w) >> (2u * j)) & 0x03030303u, hi = (comp(q1, w) >> (2u * j)) & 0x03030303u;
#if defined(TYPE_Q3_K)
        lo |= ((comp(h0, w) >> hb) & 0x01010101u) << 2;
        hi |= ((comp(h1, w) >> hb) & 0x01010101u) << 2;
#endif
        BYTES(q, 4u * w, lo)
        BYTES(q, 16u + 4u * w, hi)
    }
#if defined(TYPE_Q2_K)
    const vec2 dm = unpackHalf2x16(comp(t.d, m & 3u));
    const uint s0 = byte_at(sc, k), s1 = byte_at(sc, k + 1u);
    s = vec4(dm.x * float(s0 & 15u), -dm.y * float(s0 >> 4), dm.x * float(s1 & 15u), -dm.y * float(s1 >> 4));
#else
    const float d = half_at(t.d, m);
    const float s0 = d * float(sbyte_at(sc, k)), s1 = d * float(sbyte_at(sc, k + 1u));
    s = vec4(s0, -4.0 * s0, s1, -4.0 * s1);
#endif
}
#else
#error "matvec_tb: no texel layout for this weight type"
#endif
