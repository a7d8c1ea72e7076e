// Weight decoding for the weight shaders (get_rows, matvec, matmul). Exactly one TYPE_*
// is defined per compiled variant (shaders/CMakeLists.txt). The including shader binds
// the weight matrix at binding 0; this file declares it and provides, per type:
//   QK           elements per block
//   UNIT         elements dequant_unit() produces (QK, or 32 for 256-element K-quants)
//   BLOCK_BYTES  bytes per block
//   void dequant_unit(uint blk, uint u, out float v[UNIT])
//       elements [u * UNIT, (u + 1) * UNIT) of block `blk` (blocks numbered row-major
//       through the bound chunk: blk = row * (K / QK) + b), as f32, in registers.
// Types whose blocks are large for one lane also provide, for the mat-vec on GPUs
// (matvec.comp with several lanes per row), a block cut into pieces that consecutive lanes
// decode from consecutive words (coalesced loads, little decoding per lane):
//   PIECES       pieces per block
//   RUNS         runs of 4 consecutive elements per piece
//   uint piece_start(uint p, uint r)   element (in its block) where run r of piece p starts
//   void dequant_piece(uint blk, uint p, out vec4 v[RUNS])
// Block layouts follow ggml's ggml-common.h; every read is a 16- or 32-bit load, or for
// Q4_K/Q5_K pieces a 16-byte one (their blocks, 144 and 176 bytes, keep rows and their
// parts 16-byte aligned).
#extension GL_EXT_shader_16bit_storage : require
#extension GL_EXT_control_flow_attributes : require
#extension GL_EXT_shader_explicit_arithmetic_types_int16 : require

layout(std430, binding = 0) readonly buffer WeightsU16 { uint16_t w16[]; };
layout(std430, binding = 0) readonly buffer WeightsU32 { uint w32[]; };
layout(std430, binding = 0) readonly buffer WeightsU128 { uvec4 w128[]; };

float f16_at(uint hw) { return unpackHalf2x16(uint(w16[hw])).x; }
// 32 bits starting at halfword `hw` (only 2-byte aligned).
uint u32_at_hw(uint hw) { return uint(w16[hw]) | (uint(w16[hw + 1]) << 16); }
// Byte `i` of the little-endian word w.
uint byte_of(uint w, uint i) { return (w >> (8u * i)) & 0xFFu; }

#if defined(TYPE_F32)
#define QK 1
#define UNIT 1
#define BLOCK_BYTES 4
void dequant_unit(uint blk, uint u, out float v[UNIT]) { v[0] = uintBitsToFloat(w32[blk]); }

#elif defined(TYPE_F16)
#define QK 1
#define UNIT 1
#define BLOCK_BYTES 2
void dequant_unit(uint blk, uint u, out float v[UNIT]) { v[0] = f16_at(blk); }

#elif defined(TYPE_BF16)
#define QK 1
#define UNIT 1
#define BLOCK_BYTES 2
void dequant_unit(uint blk, uint u, out float v[UNIT]) { v[0] = uintBitsToFloat(uint(w16[blk]) << 16); }

#elif defined(TYPE_Q4_0)
// { f16 d; u8 qs[16]; }: x[j] = d * ((qs[j] & 15) - 8), x[j + 16] = d * ((qs[j] >> 4) - 8)
#define QK 32
#define UNIT 32
#define BLOCK_BYTES 18
void dequant_unit(uint blk, uint u, out float v[UNIT])
{
    const uint h = blk * 9u;
    const float d = f16_at(h);
    [[unroll]] for (uint i = 0; i < 4u; ++i) {
        const uint q = u32_at_hw(h + 1u + 2u * i);
        [[unroll]] for (uint k = 0; k < 4u; ++k) {
            v[4u * i + k] = d * (float((q >> (8u * k)) & 15u) - 8.0);
            v[16u + 4u * i + k] = d * (float((q >> (8u * k + 4u)) & 15u) - 8.0);
        }
    }
}

#elif defined(TYPE_Q4_1)
// { f16 d; f16 m; u8 qs[16]; }: x = d * q + m
#define QK 32
#define UNIT 32
#define BLOCK_BYTES 20
void dequant_unit(uint blk, uint u, out float v[UNIT])
{
    const uint w = blk * 5u;
    const vec2 dm = unpackHalf2x16(w32[w]);
    [[unroll]] for (uint i = 0; i < 4u; ++i) {
        const uint q = w32[w + 1u + i];
        [[unroll]] for (uint k = 0; k < 4u; ++k) {
            v[4u * i + k] = dm.x * float((q >> (8u * k)) & 15u) + dm.y;
            v[16u + 4u * i + k] = dm.x * float((q >> (8u * k + 4u)) & 15u) + dm.y;
        }
    }
}

#elif defined(TYPE_Q5_0)
// { f16 d; u8 qh[4]; u8 qs[16]; }: 5th bit of x[j] is qh bit j, of x[j + 16] bit j + 16; x = d * (q - 16)
#define QK 32
#define UNIT 32
#define BLOCK_BYTES 22
void dequant_unit(uint blk, uint u, out float v[UNIT])
{
    const uint h = blk * 11u;
    const float d = f16_at(h);
    const uint qh = u32_at_hw(h + 1u);
    [[unroll]] for (uint i = 0; i < 4u; ++i) {
        const uint q = u32_at_hw(h + 3u + 2u * i);
        [[unroll]] for (uint k = 0; k < 4u; ++k) {
            const uint j = 4u * i + k;
            v[j] = d * (float(((q >> (8u * k)) & 15u) | (((qh >> j) & 1u) << 4)) - 16.0);
            v[16u + j] = d * (float(((q >> (8u * k + 4u)) & 15u) | (((qh >> (j + 16u)) & 1u) << 4)) - 16.0);
        }
    }
}

#elif defined(TYPE_Q5_1)
// { f16 d; f16 m; u8 qh[4]; u8 qs[16]; }: x = d * q + m
#define QK 32
#define UNIT 32
#define BLOCK_BYTES 24
void dequant_unit(uint blk, uint u, out float v[UNIT])
{
    const uint w = blk * 6u;
    const vec2 dm = unpackHalf2x16(w32[w]);
    const uint qh = w32[w + 1u];
    [[unroll]] for (uint i = 0; i < 4u; ++i) {
        const uint q = w32[w + 2u + i];
        [[unroll]] for (uint k = 0; k < 4u; ++k) {
            const uint j = 4u * i + k;
            v[j] = dm.x * float(((q >> (8u * k)) & 15u) | (((qh >> j) & 1u) << 4)) + dm.y;
            v[16u + j] = dm.x * float(((q >> (8u * k + 4u)) & 15u) | (((qh >> (j + 16u)) & 1u) << 4)) + dm.y;
        }
    }
}

#elif defined(TYPE_Q8_0)
// { f16 d; i8 qs[32]; }: x = d * q
#define QK 32
#define UNIT 32
#define BLOCK_BYTES 34
void dequant_unit(uint blk, uint u, out float v[UNIT])
{
    const uint h = blk * 17u;
    const float d = f16_at(h);
    [[unroll]] for (uint i = 0; i < 8u; ++i) {
        const int q = int(u32_at_hw(h + 1u + 2u * i));
        [[unroll]] for (uint k = 0; k < 4u; ++k)
            v[4u * i + k] = d * float(bitfieldExtract(q, int(8u * k), 8));
    }
}

#elif defined(TYPE_Q2_K)
// { u8 scales[16]; u8 qs[64]; f16 d; f16 dmin; } (84 bytes = 21 words). Element e of the
// block: q = (qs[(e / 128) * 32 + e % 32] >> (2 * ((e % 128) / 32))) & 3,
// x = d * (scales[e / 16] & 15) * q - dmin * (scales[e / 16] >> 4).
#define QK 256
#define UNIT 32
#define BLOCK_BYTES 84
void dequant_unit(uint blk, uint u, out float v[UNIT])
{
    const uint w = blk * 21u;
    const vec2 dm = unpackHalf2x16(w32[w + 20u]);
    const uint sw = w32[w + (2u * u) / 4u];  // scales 2u and 2u + 1 share a word
    const uint shift = 2u * (u % 4u);
    [[unroll]] for (uint half_ = 0; half_ < 2u; ++half_) {
        const uint sc = byte_of(sw, (2u * u + half_) % 4u);
        const float dl = dm.x * float(sc & 15u), ml = dm.y * float(sc >> 4);
        [[unroll]] for (uint i = 0; i < 4u; ++i) {
            const uint q = w32[w + 4u + (u / 4u) * 8u + half_ * 4u + i];
            [[unroll]] for (uint k = 0; k < 4u; ++k)
                v[16u * half_ + 4u * i + k] = dl * float((q >> (8u * k + shift)) & 3u) - ml;
        }
    }
}

#elif defined(TYPE_Q3_K)
// { u8 hmask[32]; u8 qs[64]; u8 scales[12]; f16 d; } (110 bytes = 55 halfwords). Element e:
// q = (qs[(e / 128) * 32 + l] >> (2 * j)) & 3 with j = (e % 128) / 32, l = e % 32, minus 4
// unless hmask[l] has bit (e / 128) * 4 + j; x = d * (s[e / 16] - 32) * q with 6-bit s.
#define QK 256
#define UNIT 32
#define BLOCK_BYTES 110
int q3k_scale(uint h, uint i)
{
    const uint lo = i < 8u ? (uint(w16[h + 48u + i / 2u]) >> (8u * (i % 2u))) & 15u
                           : (uint(w16[h + 48u + (i - 8u) / 2u]) >> (8u * (i % 2u) + 4u)) & 15u;
    const uint hb = (uint(w16[h + 52u + (i % 4u) / 2u]) >> (8u * (i % 2u))) & 0xFFu;
    return int(lo | (((hb >> (2u * (i / 4u))) & 3u) << 4)) - 32;
}
void dequant_unit(uint blk, uint u, out float v[UNIT])
{
    const uint h = blk * 55u;
    const float d = f16_at(h + 54u);
    const uint j = u % 4u, hbit = u;  // hmask bit (e / 128) * 4 + j == u
    const uint shift = 2u * j;
    [[unroll]] for (uint half_ = 0; half_ < 2u; ++half_) {
        const float dl = d * float(q3k_scale(h, 2u * u + half_));
        [[unroll]] for (uint i = 0; i < 4u; ++i) {
            const uint q = u32_at_hw(h + 16u + (u / 4u) * 16u + half_ * 8u + 2u * i);
            const uint m = u32_at_hw(h + half_ * 8u + 2u * i);
            [[unroll]] for (uint k = 0; k < 4u; ++k) {
                const int qv = int((q >> (8u * k + shift)) & 3u) - (((m >> (8u * k + hbit)) & 1u) != 0u ? 0 : 4);
                v[16u * half_ + 4u * i + k] = dl * float(qv);
            }
        }
    }
}

#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
// Q4_K { f16 d; f16 dmin; u8 scales[12]; u8 qs[128]; } (144 bytes = 36 words)
// Q5_K { f16 d; f16 dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]; } (176 bytes = 44 words)
// Unit u (32 elements) uses the low (u even) or high nibbles of qs[(u / 2) * 32 + l], the
// 6-bit scale/min pair u of `scales`, and (Q5_K) bit u of qh[l] as the 5th bit.
#define QK 256
#define UNIT 32
#if defined(TYPE_Q4_K)
#define BLOCK_BYTES 144
#define KQ_WORDS 36u
#define KQ_QS 4u
#else
#define BLOCK_BYTES 176
#define KQ_WORDS 44u
#define KQ_QS 12u
#endif
// Scale d * sc and offset dmin * mn of unit u of a block whose first 4 words are `head`
// (d | dmin, then get_scale_min_k4 on the 12 scale bytes in words 1 .. 3).
void kq_scale_min(uvec4 head, uint u, out float dl, out float ml)
{
    const vec2 dm = unpackHalf2x16(head.x);
    const uint s0 = head.y, s1 = head.z, s2 = head.w;
    uint sc, mn;
    if (u < 4u) {
        sc = byte_of(s0, u) & 63u;
        mn = byte_of(s1, u) & 63u;
    } else {
        const uint b = byte_of(s2, u - 4u);
        sc = (b & 15u) | ((byte_of(s0, u - 4u) >> 6) << 4);
        mn = (b >> 4) | ((byte_of(s1, u - 4u) >> 6) << 4);
    }
    dl = dm.x * float(sc);
    ml = dm.y * float(mn);
}

void dequant_unit(uint blk, uint u, out float v[UNIT])
{
    const uint w = blk * KQ_WORDS;
    float dl, ml;
    kq_scale_min(uvec4(w32[w], w32[w + 1u], w32[w + 2u], w32[w + 3u]), u, dl, ml);
    const uint nib = 4u * (u % 2u);
    [[unroll]] for (uint i = 0; i < 8u; ++i) {
        const uint q = w32[w + KQ_QS + (u / 2u) * 8u + i];
#if defined(TYPE_Q5_K)
        const uint qh = w32[w + 4u + i];
#endif
        [[unroll]] for (uint k = 0; k < 4u; ++k) {
            uint qv = (q >> (8u * k + nib)) & 15u;
#if defined(TYPE_Q5_K)
            qv |= ((qh >> (8u * k + u)) & 1u) << 4;
#endif
            v[4u * i + k] = dl * float(qv) - ml;
        }
    }
}

// Piece p is qs words 4p .. 4p + 3 (one 16-byte load; blocks and their parts are 16-byte
// aligned): elements l0 .. l0 + 15 (l0 = (p % 2) * 16) of units 2j (low nibbles) and
// 2j + 1 (high nibbles), j = p / 2. Run 2i + n is word i's nibbles n; Q5_K's 5th bits are
// bits 2j, 2j + 1 of qh bytes l0 .. l0 + 15. The header (d, dmin, scales) is one load too.
#define PIECES 8
#define RUNS 8
uint piece_start(uint p, uint r) { return (2u * (p / 2u) + r % 2u) * 32u + (p % 2u) * 16u + (r / 2u) * 4u; }
void dequant_piece(uint blk, uint p, out vec4 v[RUNS])
{
    const uint w = blk * KQ_WORDS, j = p / 2u;
    const uvec4 head = w128[w / 4u];
    const uvec4 q = w128[(w + KQ_QS) / 4u + p];
#if defined(TYPE_Q5_K)
    const uvec4 qh = w128[(w + 4u) / 4u + p % 2u] >> (2u * j);
#endif
    float dl[2], ml[2];
    [[unroll]] for (uint n = 0; n < 2u; ++n)
        kq_scale_min(head, 2u * j + n, dl[n], ml[n]);
    [[unroll]] for (uint i = 0; i < 4u; ++i)
        [[unroll]] for (uint n = 0; n < 2u; ++n)
            [[unroll]] for (uint k = 0; k < 4u; ++k) {
                uint qv = (q[i] >> (8u * k + 4u * n)) & 15u;
#if defined(TYPE_Q5_K)
                qv |= ((qh[i] >> (8u * k + n)) & 1u) << 4;
#endif
                v[2u * i + n][k] = dl[n] * float(qv) - ml[n];
            }
}

#elif defined(TYPE_Q6_K)
// { u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d; } (210 bytes = 105 halfwords). Unit u:
// h = u / 4, k = u % 4, element l < 32: low 4 bits from ql[h * 64 + (k & 1) * 32 + l]
// (high nibble when k >= 2), bits 4..5 from qh[h * 32 + l] >> (2 * k); x = d * scales[2u + l / 16] * (q - 32).
#define QK 256
#define UNIT 32
#define BLOCK_BYTES 210
void dequant_unit(uint blk, uint u, out float v[UNIT])
{
    const uint h = blk * 105u;
    const float d = f16_at(h + 104u);
    const uint hh = u / 4u, k = u % 4u;
    const uint scw = uint(w16[h + 96u + u]);  // scales 2u, 2u + 1
    const uint nib = 4u * (k / 2u), hshift = 2u * k;
    [[unroll]] for (uint half_ = 0; half_ < 2u; ++half_) {
        const float dl = d * float(bitfieldExtract(int(scw), int(8u * half_), 8));
        [[unroll]] for (uint i = 0; i < 4u; ++i) {
            const uint ql = u32_at_hw(h + hh * 32u + (k & 1u) * 16u + half_ * 8u + 2u * i);
            const uint qh = u32_at_hw(h + 64u + hh * 16u + half_ * 8u + 2u * i);
            [[unroll]] for (uint b = 0; b < 4u; ++b) {
                const uint qv = ((ql >> (8u * b + nib)) & 15u) | (((qh >> (8u * b + hshift)) & 3u) << 4);
                v[16u * half_ + 4u * i + b] = dl * (float(qv) - 32.0);
            }
        }
    }
}

// Piece p covers bytes l0 .. l0 + 3 (l0 = (p % 8) * 4) of half n = p / 8: run r is elements
// 128n + 32r + l0 .. + 3, whose low 4 bits are in ql[64n + 32 (r & 1) + l] (high nibble
// when r >= 2) and bits 4..5 in qh[32n + l] >> 2r, scaled by scales[8n + 2r + l0 / 16].
#define PIECES 16
#define RUNS 4
uint piece_start(uint p, uint r) { return (p / 8u) * 128u + r * 32u + (p % 8u) * 4u; }
void dequant_piece(uint blk, uint p, out vec4 v[RUNS])
{
    const uint h = blk * 105u, n = p / 8u, l0 = (p % 8u) * 4u;
    const float d = f16_at(h + 104u);
    const uint ql0 = u32_at_hw(h + 32u * n + l0 / 2u), ql1 = u32_at_hw(h + 32u * n + 16u + l0 / 2u);
    const uint qh = u32_at_hw(h + 64u + 16u * n + l0 / 2u);
    const uint sc0 = u32_at_hw(h + 96u + 4u * n), sc1 = u32_at_hw(h + 98u + 4u * n);  // scales 8n .. 8n + 7
    [[unroll]] for (uint r = 0; r < RUNS; ++r) {
        const uint ql = (r & 1u) != 0u ? ql1 : ql0;
        const int sc = int(r < 2u ? sc0 : sc1);
        const float dl = d * float(bitfieldExtract(sc, int(8u * (2u * (r & 1u) + l0 / 16u)), 8));
        [[unroll]] for (uint k = 0; k < 4u; ++k) {
            const uint qv = ((ql >> (8u * k + 4u * (r / 2u))) & 15u) | (((qh >> (8u * k + 2u * r)) & 3u) << 4);
            v[r][k] = dl * (float(qv) - 32.0);
        }
    }
}

#else
#error "define one TYPE_* (see shaders/CMakeLists.txt)"
#endif
