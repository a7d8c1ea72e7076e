#include "quant/texel_layout.h"

#include <cassert>
#include <cstring>

namespace tiefsee {

// Layouts, per 256 elements (a "superblock": one K-quant block or 8 small blocks).
// Fields of the 8 small blocks are gathered so that each lane's data is one texel:
//   F16   GGUF's bytes as they are (512 bytes)
//   Q4_K, Q5_K  GGUF's blocks (144, 176 bytes) with bytes 4..15, the 8 packed 6-bit
//         (scale, min) pairs, regrouped as 4 x 24 bits g_c = sc[2c] | m[2c] << 6 |
//         sc[2c+1] << 12 | m[2c+1] << 18: words 1..3 hold g0, g1, g2 in their low 24
//         bits and g3's three bytes in their top bytes
//   Q8_0  [d0..d7 (f16)][qs0 (32 B)] .. [qs7]                          17 texels
//   Q4_0  [d0..d7][qs0 (16 B)] .. [qs7]                                  9 texels
//   Q4_1  [d0 m0 .. d3 m3][d4 m4 .. d7 m7][qs0] .. [qs7]                10 texels
//   Q5_0  [d0..d7][qh0..qh3 (u32)][qh4..qh7][qs0] .. [qs7]              11 texels
//   Q5_1  [d0 m0 .. d3 m3][d4 m4 .. d7 m7][qh0..3][qh4..7][qs0] .. [qs7] 12 texels
//   Q6_K  per group of 8 superblocks (210 B each is not a texel multiple):
//         [d0..d7][scales0 (16 B)] .. [scales7][ql0 (128 B)] .. [ql7][qh0 (64 B)] .. [qh7]
//         = 105 texels; the last group of a matrix is zero-padded.
namespace {

struct SmallBlock {  // byte offsets inside one GGUF block of 32 elements
    uint32_t bytes, scaleBytes, qhBytes, qsBytes;  // d (+ m), qh, qs field sizes
};

bool smallBlock(GgmlType type, SmallBlock* b)
{
    switch (type) {
    case GgmlType::Q8_0: *b = {34, 2, 0, 32}; return true;
    case GgmlType::Q4_0: *b = {18, 2, 0, 16}; return true;
    case GgmlType::Q4_1: *b = {20, 4, 0, 16}; return true;
    case GgmlType::Q5_0: *b = {22, 2, 4, 16}; return true;
    case GgmlType::Q5_1: *b = {24, 4, 4, 16}; return true;
    default: return false;
    }
}

constexpr uint64_t kQ6Bytes = 210, kQ6GroupBytes = 105 * 16;

// Q4_K/Q5_K header: the 12 scale bytes at `s` rewritten in place as the scale groups.
void regroupKScales(uint8_t* s)
{
    uint32_t sc[8], m[8];
    for (int j = 0; j < 8; ++j) {  // ggml's get_scale_min_k4
        if (j < 4) {
            sc[j] = s[j] & 63u;
            m[j] = s[j + 4] & 63u;
        } else {
            sc[j] = (s[j + 4] & 0xFu) | ((s[j - 4] >> 6) << 4);
            m[j] = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
        }
    }
    uint32_t g[4], w[3];
    for (int c = 0; c < 4; ++c)
        g[c] = sc[2 * c] | m[2 * c] << 6 | sc[2 * c + 1] << 12 | m[2 * c + 1] << 18;
    for (int i = 0; i < 3; ++i)
        w[i] = g[i] | ((g[3] >> (8 * i)) & 0xFFu) << 24;
    std::memcpy(s, w, 12);  // little-endian words, as the shader reads them
}

}  // namespace

bool texelLayoutSupported(GgmlType type)
{
    SmallBlock b;
    return type == GgmlType::F16 || type == GgmlType::Q4_K || type == GgmlType::Q5_K || type == GgmlType::Q6_K ||
           smallBlock(type, &b);
}

bool texelLayoutIsIdentity(GgmlType type) { return type == GgmlType::F16; }

uint64_t texelLayoutBytes(GgmlType type, uint64_t rows, uint64_t cols)
{
    assert(texelLayoutSupported(type) && cols % kTexelSuperblock == 0);
    const uint64_t superblocks = rows * (cols / kTexelSuperblock);
    if (type == GgmlType::Q6_K)
        return (superblocks + 7) / 8 * kQ6GroupBytes;
    const auto t = *ggmlTypeTraits(type);
    return rows * (cols / t.blockSize) * t.blockBytes;  // the other layouts keep the size
}

void repackToTexelLayout(GgmlType type, const uint8_t* src, uint64_t rows, uint64_t cols, uint8_t* dst)
{
    assert(texelLayoutSupported(type) && cols % kTexelSuperblock == 0);
    const uint64_t superblocks = rows * (cols / kTexelSuperblock);
    SmallBlock b;
    if (smallBlock(type, &b)) {
        // Per superblock: the 8 blocks' scales, then their qh, then their qs.
        for (uint64_t s = 0; s < superblocks; ++s) {
            const uint8_t* in = src + s * 8 * b.bytes;
            uint8_t* out = dst + s * 8 * b.bytes;
            for (int k = 0; k < 8; ++k) {
                const uint8_t* blk = in + k * b.bytes;
                std::memcpy(out + k * b.scaleBytes, blk, b.scaleBytes);
                std::memcpy(out + 8 * b.scaleBytes + k * b.qhBytes, blk + b.scaleBytes, b.qhBytes);
                std::memcpy(out + 8 * (b.scaleBytes + b.qhBytes) + k * b.qsBytes, blk + b.scaleBytes + b.qhBytes, b.qsBytes);
            }
        }
        return;
    }
    if (type == GgmlType::Q6_K) {
        // GGUF block: ql[128] qh[64] scales[16] d (f16).
        std::memset(dst, 0, texelLayoutBytes(type, rows, cols));
        for (uint64_t s = 0; s < superblocks; ++s) {
            const uint8_t* in = src + s * kQ6Bytes;
            uint8_t* g = dst + s / 8 * kQ6GroupBytes;
            const uint64_t m = s % 8;
            std::memcpy(g + 2 * m, in + 208, 2);
            std::memcpy(g + 16 + 16 * m, in + 192, 16);
            std::memcpy(g + 9 * 16 + 128 * m, in, 128);
            std::memcpy(g + 73 * 16 + 64 * m, in + 128, 64);
        }
        return;
    }
    std::memcpy(dst, src, texelLayoutBytes(type, rows, cols));
    if (type == GgmlType::Q4_K || type == GgmlType::Q5_K) {
        const uint64_t bytes = type == GgmlType::Q4_K ? 144 : 176;
        for (uint64_t s = 0; s < superblocks; ++s)
            regroupKScales(dst + s * bytes + 4);
    }
}

}  // namespace tiefsee
