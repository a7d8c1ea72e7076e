// Block layouts of the ggml quantization formats, byte for byte as in ggml's
// ggml-common.h. All multi-byte fields are little-endian; `d`/`m`/`dmin` are fp16
// bits (see half.h). A row of n elements is n / kBlockSize blocks, back to back.
// Element order inside a block is described next to each struct; dequant.cpp is
// the executable definition.
#pragma once

#include <cstdint>
#include <cstring>

namespace tiefsee::quant {

constexpr int kQK = 32;    // elements per block of the legacy formats (Q4_0 ... Q8_0)
constexpr int kQK_K = 256; // elements per super-block of the K-quants

// Q4_0: x[j] = (nibble - 8) * d. Element j (<16) is the low nibble of qs[j],
// element j+16 the high nibble.
struct BlockQ4_0 {
    uint16_t d;
    uint8_t qs[kQK / 2];
};
// Q4_1: x = nibble * d + m (same nibble order as Q4_0).
struct BlockQ4_1 {
    uint16_t d, m;
    uint8_t qs[kQK / 2];
};
// Q5_0: x = (nibble | fifth bit << 4) - 16) * d; the fifth bit of element j is bit j
// of qh (a little-endian uint32).
struct BlockQ5_0 {
    uint16_t d;
    uint8_t qh[4];
    uint8_t qs[kQK / 2];
};
// Q5_1: x = (nibble | fifth bit << 4) * d + m.
struct BlockQ5_1 {
    uint16_t d, m;
    uint8_t qh[4];
    uint8_t qs[kQK / 2];
};
// Q8_0: x = qs[j] * d.
struct BlockQ8_0 {
    uint16_t d;
    int8_t qs[kQK];
};

// Q2_K: 16 sub-blocks of 16; scales[i] = scale (low 4 bits) | min (high 4 bits);
// x = d * scale * q - dmin * min with 2-bit q.
struct BlockQ2_K {
    uint8_t scales[kQK_K / 16];
    uint8_t qs[kQK_K / 4];
    uint16_t d, dmin;
};
// Q3_K: 16 sub-blocks of 16 with 6-bit signed scales (packed in 12 bytes, bias 32);
// q = 2 low bits from qs, high bit from hmask (a clear bit subtracts 4).
struct BlockQ3_K {
    uint8_t hmask[kQK_K / 8];
    uint8_t qs[kQK_K / 4];
    uint8_t scales[12];
    uint16_t d;
};
// Q4_K: 8 sub-blocks of 32 with 6-bit scales and mins packed in 12 bytes;
// x = d * scale * q - dmin * min with 4-bit q.
struct BlockQ4_K {
    uint16_t d, dmin;
    uint8_t scales[12];
    uint8_t qs[kQK_K / 2];
};
// Q5_K: Q4_K plus a fifth bit per element in qh.
struct BlockQ5_K {
    uint16_t d, dmin;
    uint8_t scales[12];
    uint8_t qh[kQK_K / 8];
    uint8_t qs[kQK_K / 2];
};
// Q6_K: 16 sub-blocks of 16 with int8 scales; q = 4 low bits (ql) + 2 high bits (qh), bias 32.
struct BlockQ6_K {
    uint8_t ql[kQK_K / 2];
    uint8_t qh[kQK_K / 4];
    int8_t scales[kQK_K / 16];
    uint16_t d;
};

static_assert(sizeof(BlockQ4_0) == 18 && sizeof(BlockQ4_1) == 20 && sizeof(BlockQ5_0) == 22 &&
              sizeof(BlockQ5_1) == 24 && sizeof(BlockQ8_0) == 34);
static_assert(sizeof(BlockQ2_K) == 84 && sizeof(BlockQ3_K) == 110 && sizeof(BlockQ4_K) == 144 &&
              sizeof(BlockQ5_K) == 176 && sizeof(BlockQ6_K) == 210);

// Scale and min j (0..7) of a Q4_K/Q5_K 12-byte scale array (ggml's get_scale_min_k4).
inline void scaleMinK4(int j, const uint8_t* q, uint8_t& scale, uint8_t& min)
{
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = static_cast<uint8_t>((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        min = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// The 16 6-bit scales (0..63) of a Q3_K 12-byte scale array: 4 low bits in bytes 0..7, 2
// high bits in 8..11 (ggml's dequantize_row_q3_K unpacking; the scale is the value - 32).
inline void unpackScalesQ3K(const uint8_t* packed, uint8_t out[16])
{
    constexpr uint32_t kmask1 = 0x03030303, kmask2 = 0x0f0f0f0f;
    uint32_t aux[4];
    std::memcpy(aux, packed, 12);
    const uint32_t tmp = aux[2];
    aux[2] = ((aux[0] >> 4) & kmask2) | (((tmp >> 4) & kmask1) << 4);
    aux[3] = ((aux[1] >> 4) & kmask2) | (((tmp >> 6) & kmask1) << 4);
    aux[0] = (aux[0] & kmask2) | (((tmp >> 0) & kmask1) << 4);
    aux[1] = (aux[1] & kmask2) | (((tmp >> 2) & kmask1) << 4);
    std::memcpy(out, aux, 16);
}

}  // namespace tiefsee::quant
