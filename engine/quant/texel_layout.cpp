#include "quant/texel_layout.h"

#include "quant/blocks.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace tiefsee {

// Layouts, per 256 elements (a "superblock": one K-quant block or 8 small blocks).
// Fields of the 8 small blocks are gathered so that each lane's data is one texel:
//   F32, F16, BF16  GGUF's values (1024, 512, 512 bytes)
//   Q4_K, Q5_K  per row group (n rows, texelRowGroup) and superblock, the n blocks'
//         16-byte headers gathered so that a job fetches them once for all its rows:
//         [d, dmin (4 B) of rows 0..n-1, padded to a texel][scale group 0 of rows
//         0..n-1 (3 B each), padded to a texel] .. [group 3][row 0's qh (Q5_K, 32 B) and
//         qs (128 B)] .. [row n-1's], where g_c = sc[2c] | m[2c] << 6 | sc[2c+1] << 12 |
//         m[2c+1] << 18 (the 8 packed 6-bit (scale, min) pairs of bytes 4..15 regrouped
//         for lanes 2c, 2c+1). A full group of 16 rows takes exactly GGUF's bytes; the
//         last, partial group of a matrix pads its header regions (at most 4 texels per
//         superblock).
//   Q8_0  [d0..d7 (f16)][qs0 (32 B)] .. [qs7]                          17 texels
//   Q4_0  [d0..d7][qs0 (16 B)] .. [qs7]                                  9 texels
//   Q4_1  [d0 m0 .. d3 m3][d4 m4 .. d7 m7][qs0] .. [qs7]                10 texels
//   Q5_0  [d0..d7][qh0..qh3 (u32)][qh4..qh7][qs0] .. [qs7]              11 texels
//   Q5_1  [d0 m0 .. d3 m3][d4 m4 .. d7 m7][qh0..3][qh4..7][qs0] .. [qs7] 12 texels
//   Q6_K, Q3_K, Q2_K  per group of 8 superblocks (210, 110, 84 B are not texel
//         multiples); the last group of a matrix is zero-padded.
//     Q6_K [d0..d7][lane scales 0] .. [lane scales 7] then per pair of superblocks
//          (slots 2p, 2p + 1) [ql of 2p (128 B)][ql of 2p + 1][qh of both (128 B)]
//          = 1 + 8 + 4 x 24 texels; a matrix's last row group has 8 slots
//          too (rows past the end zero), so that every group is the same superblock of 8
//          rows. The pair's qh texel l holds the 2-bit fields lane l needs of both
//          superblocks (bits 0-1 and 4-5 of each byte for 2p, 2-3 and 6-7 for 2p + 1):
//          a lane gathers one qh texel per two rows instead of half a texel per row,
//          three gathers per two rows where four were. Lane scales l hold the two int8 scales
//          lane l needs of each of the 8 superblocks (bytes 8n + r and 8n + r + 4, n = l/4,
//          r = l%4, at bytes 2m and 2m + 1), so that a job of 8 rows (one group) fetches
//          d and its scales once for all rows. ql/qh follow per pair of superblocks so
//          that a job reads ascending addresses (field by field, the CPU's prefetcher missed: the
//          mat-vec ran ~25 % slower from DRAM than from cache, 1.4-1.8x slower in all).
//     Q3_K [d0..d7][scales0 (16 int8 = the 6-bit scale - 32, unpacked)] .. [scales7]
//          [hmask0 (32 B)] .. [hmask7][qs0 (64 B)] .. [qs7] = 57 texels
//     Q2_K [d0 dmin0 .. d7 dmin7 (2 texels)][scales0 (16 B)] .. [scales7][qs0 (64 B)] .. [qs7]
//          = 42 texels
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

// Q3_K: the 12 bytes of packed 6-bit scales as 16 int8 values (scale - 32).
void unpackQ3Scales(const uint8_t* in, uint8_t* out)
{
    uint8_t s[16];
    quant::unpackScalesQ3K(in, s);
    for (int i = 0; i < 16; ++i)
        out[i] = uint8_t(int8_t(int(s[i]) - 32));
}

// A K-quant stored in groups of 8 superblocks: per field, where it sits in GGUF's block
// and how many bytes it takes in the group (16 for Q3_K's unpacked scales); each field of
// the 8 superblocks is stored together.
struct GroupField {
    uint32_t offset, bytes, outBytes;
    void (*transform)(const uint8_t* in, uint8_t* out);  // null: copy
};
struct GroupedType {
    uint32_t blockBytes;
    GroupField fields[4];
    int nFields;
    uint64_t groupBytes() const
    {
        uint64_t b = 0;
        for (int i = 0; i < nFields; ++i)
            b += 8ull * fields[i].outBytes;
        return b;
    }
};

bool groupedType(GgmlType type, GroupedType* g)
{
    switch (type) {
    case GgmlType::Q3_K: *g = {110, {{108, 2, 2, nullptr}, {96, 12, 16, unpackQ3Scales}, {0, 32, 32, nullptr}, {32, 64, 64, nullptr}}, 4}; return true;
    case GgmlType::Q2_K: *g = {84, {{80, 4, 4, nullptr}, {0, 16, 16, nullptr}, {16, 64, 64, nullptr}}, 3}; return true;
    default: return false;
    }
}

// Q6_K: a group of 8 superblocks' bytes in the texel layout.
constexpr uint64_t kQ6GroupBytes = 16 + 8 * 16 + 8 * 192;

// Q4_K/Q5_K: the 4 scale groups g_c of a block's 12 packed scale bytes at `s`.
void kScaleGroups(const uint8_t* s, uint32_t g[4])
{
    uint8_t sc[8], m[8];
    for (int j = 0; j < 8; ++j)
        quant::scaleMinK4(j, s, sc[j], m[j]);
    for (int c = 0; c < 4; ++c)
        g[c] = uint32_t(sc[2 * c]) | uint32_t(m[2 * c]) << 6 | uint32_t(sc[2 * c + 1]) << 12 | uint32_t(m[2 * c + 1]) << 18;
}

// Q4_K/Q5_K block of n rows' superblock (see the table above): texels of its regions.
struct KBlock {
    uint64_t n, restBytes;  // rows; bytes of a row after its 16-byte header
    KBlock(GgmlType type, uint64_t rows) : n(rows), restBytes(ggmlTypeTraits(type)->blockBytes - 16) {}
    uint64_t dmBytes() const { return (n + 3) / 4 * 16; }
    uint64_t groupBytes() const { return (3 * n + 15) / 16 * 16; }
    uint64_t bytes() const { return dmBytes() + 4 * groupBytes() + n * restBytes; }
};

// Row-interleaved order (texel_layout.h): GGUF's superblock (row * nsb + sb) for the
// superblock at position i of the layout.
struct InterleavedOrder {
    uint64_t rows, nsb, group;
    uint64_t source(uint64_t i) const
    {
        const uint64_t g0 = i / (group * nsb) * group;
        const uint64_t n = std::min(group, rows - g0);
        const uint64_t rem = i - g0 * nsb;
        return (g0 + rem % n) * nsb + rem / n;
    }
};

}  // namespace

uint32_t texelRowGroup(GgmlType type)
{
    // The rows a matvec_tb job works on together (a decode job takes one group, Q6_K's
    // two; a prefill job four, weight_ops.cpp): more rows share the job's x values, until
    // the decoded rows no longer fit the registers. Measured on lavapipe (8960 x 1536, 512-bit
    // vectors, row-interleaved layout): 16 rows beat 8 by 5-15 % for Q4_0/Q4_K/F16 and by
    // 10-25 % for F32; for Q8_0, Q5_0, Q2_K, Q3_K and Q6_K runs 16 vs 8 went either way
    // within the host's noise, so those keep 8 (fewer registers).
    switch (type) {
    case GgmlType::F32: case GgmlType::F16: case GgmlType::BF16: case GgmlType::Q4_0: case GgmlType::Q4_1: case GgmlType::Q4_K:
    case GgmlType::Q5_K:
        return 16;
    default:
        return 8;
    }
}

bool texelLayoutSupported(GgmlType type)
{
    SmallBlock b;
    GroupedType g;
    return type == GgmlType::F32 || type == GgmlType::F16 || type == GgmlType::BF16 || type == GgmlType::Q4_K ||
           type == GgmlType::Q5_K || type == GgmlType::Q6_K || smallBlock(type, &b) || groupedType(type, &g);
}

uint64_t texelLayoutBytes(GgmlType type, uint64_t rows, uint64_t cols)
{
    assert(texelLayoutSupported(type) && cols % kTexelSuperblock == 0);
    const uint64_t nsb = cols / kTexelSuperblock, superblocks = rows * nsb;
    if (GroupedType g; groupedType(type, &g))
        return (superblocks + 7) / 8 * g.groupBytes();
    if (type == GgmlType::Q6_K)  // 8 row slots per group, the last one padded
        return (rows + 7) / 8 * nsb * kQ6GroupBytes;
    if (type == GgmlType::Q4_K || type == GgmlType::Q5_K) {
        const uint64_t G = texelRowGroup(type), full = rows / G, last = rows % G;
        return full * nsb * KBlock(type, G).bytes() + (last ? nsb * KBlock(type, last).bytes() : 0);
    }
    const auto t = *ggmlTypeTraits(type);
    return rows * (cols / t.blockSize) * t.blockBytes;  // the other layouts keep the size
}

void repackToTexelLayout(GgmlType type, const uint8_t* src, uint64_t rows, uint64_t cols, uint8_t* dst)
{
    assert(texelLayoutSupported(type) && cols % kTexelSuperblock == 0);
    const uint64_t nsb = cols / kTexelSuperblock, superblocks = rows * nsb;
    const InterleavedOrder order{rows, nsb, texelRowGroup(type)};
    SmallBlock b;
    if (smallBlock(type, &b)) {
        // Per superblock: the 8 blocks' scales, then their qh, then their qs.
        for (uint64_t s = 0; s < superblocks; ++s) {
            const uint8_t* in = src + order.source(s) * 8 * b.bytes;
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
    if (GroupedType g; groupedType(type, &g)) {
        std::memset(dst, 0, texelLayoutBytes(type, rows, cols));
        for (uint64_t s = 0; s < superblocks; ++s) {
            const uint8_t* in = src + order.source(s) * g.blockBytes;
            uint8_t* group = dst + s / 8 * g.groupBytes();
            const uint64_t m = s % 8;
            for (int f = 0; f < g.nFields; ++f) {
                const GroupField& fd = g.fields[f];
                if (fd.transform)
                    fd.transform(in + fd.offset, group + m * fd.outBytes);
                else
                    std::memcpy(group + m * fd.outBytes, in + fd.offset, fd.bytes);
                group += 8 * fd.outBytes;
            }
        }
        return;
    }
    if (type == GgmlType::Q6_K) {
        std::memset(dst, 0, texelLayoutBytes(type, rows, cols));
        for (uint64_t row = 0; row < rows; ++row) {
            for (uint64_t sb = 0; sb < nsb; ++sb) {
                quant::BlockQ6_K in;
                std::memcpy(&in, src + (row * nsb + sb) * sizeof in, sizeof in);
                uint8_t* group = dst + (row / 8 * nsb + sb) * kQ6GroupBytes;
                const uint64_t m = row % 8;
                std::memcpy(group + 2 * m, &in.d, 2);
                for (int l = 0; l < 8; ++l) {  // the scales lane l reads
                    const int n = l / 4, r = l % 4;
                    group[16 + 16 * l + 2 * m] = uint8_t(in.scales[8 * n + r]);
                    group[16 + 16 * l + 2 * m + 1] = uint8_t(in.scales[8 * n + r + 4]);
                }
                // Slots 2p and 2p + 1 share [ql of 2p][ql of 2p + 1][qh of both].
                uint8_t* pair = group + 144 + 384 * (m / 2);
                std::memcpy(pair + 128 * (m % 2), in.ql, sizeof in.ql);
                for (int l = 0; l < 8; ++l) {
                    // Lane l's 2-bit fields of qh texel 2n + (r & 1), shift 2 (r / 2):
                    // bits 0-1 and 4-5 of each byte, moved up by 2 for the odd slot.
                    const int t = 2 * (l / 4) + (l & 1), hs = 2 * ((l >> 1) & 1);
                    for (int k = 0; k < 16; ++k) {
                        const uint8_t bits = uint8_t((in.qh[16 * t + k] >> hs) & 0x33);
                        pair[256 + 16 * l + k] |= uint8_t(bits << (2 * (m % 2)));
                    }
                }
            }
        }
        return;
    }
    if (type == GgmlType::Q4_K || type == GgmlType::Q5_K) {
        const uint64_t G = texelRowGroup(type), blockBytes = ggmlTypeTraits(type)->blockBytes;
        std::memset(dst, 0, texelLayoutBytes(type, rows, cols));
        uint8_t* out = dst;
        for (uint64_t g0 = 0; g0 < rows; g0 += G) {
            const KBlock kb(type, std::min(G, rows - g0));
            for (uint64_t sb = 0; sb < nsb; ++sb, out += kb.bytes()) {
                for (uint64_t i = 0; i < kb.n; ++i) {
                    const uint8_t* in = src + ((g0 + i) * nsb + sb) * blockBytes;
                    std::memcpy(out + 4 * i, in, 4);  // d, dmin
                    uint32_t g[4];
                    kScaleGroups(in + 4, g);
                    for (int c = 0; c < 4; ++c)
                        for (int b = 0; b < 3; ++b)  // little-endian 24 bits, as the shader reads them
                            out[kb.dmBytes() + c * kb.groupBytes() + 3 * i + b] = uint8_t(g[c] >> (8 * b));
                    std::memcpy(out + kb.dmBytes() + 4 * kb.groupBytes() + i * kb.restBytes, in + 16, kb.restBytes);
                }
            }
        }
        return;
    }
    // F32, F16, BF16: whole superblocks, reordered.
    const uint64_t bytes = texelLayoutBytes(type, 1, kTexelSuperblock);
    for (uint64_t s = 0; s < superblocks; ++s)
        std::memcpy(dst + s * bytes, src + order.source(s) * bytes, bytes);
}

}  // namespace tiefsee
