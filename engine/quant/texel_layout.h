// The "texel layout" of weight matrices: how matvec_tb.comp (the mat-vec kernel for CPU
// devices) wants a matrix's bytes, so that every field a SIMD lane reads sits in one
// 16-byte texel. Rows are cut into 256-element superblocks; each type stores a fixed
// number of texels per superblock (Q2_K/Q3_K/Q6_K: per group of 8 superblocks), in the order
// documented in texel_layout.cpp and decoded by shaders/quant_texel.glsl.
//
// Superblocks are stored row-interleaved in groups of texelRowGroup(type) rows: superblock
// sb of rows g*G .. g*G + G - 1 next to each other, then superblock sb + 1 of the same rows,
// so that a kernel job working on those G rows reads one ascending stream (which the CPU's
// hardware prefetcher follows) instead of G streams a row apart. A last, partial group of
// n < G rows is interleaved the same way with n in place of G:
//   index(row, sb) = g0 * nsb + sb * n + (row - g0),  g0 = row / G * G,  n = min(G, rows - g0)
// Q4_K and Q5_K also gather the 16-byte headers of a group's superblocks in front of them,
// and Q6_K gives its last, partial group 8 slots too (zero rows), so that a job fetches
// the scales once for all its rows (texel_layout.cpp).
#pragma once

#include "quant/ggml_type.h"

#include <cstdint>

namespace tiefsee {

// Elements per superblock: a row's length must be a multiple of this.
inline constexpr uint32_t kTexelSuperblock = 256;

// Rows per interleaved group (see above); matvec_tb's jobs work on whole groups.
uint32_t texelRowGroup(GgmlType type);

// True for the types with a texel layout: every type the weight shaders read (F32, F16,
// BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K .. Q6_K).
bool texelLayoutSupported(GgmlType type);

// Bytes of `rows` rows of `cols` elements in the texel layout (a multiple of 16; slightly
// more than GGUF's size where the last group is padded: Q2_K/Q3_K's last group of 8
// superblocks, Q6_K's last group of 8 rows, Q4_K/Q5_K's header regions of a partial row
// group; and Q3_K's scales are stored unpacked).
uint64_t texelLayoutBytes(GgmlType type, uint64_t rows, uint64_t cols);

// Writes `rows` rows of `cols` elements (GGUF block layout at `src`) to `dst`
// (texelLayoutBytes bytes) in the texel layout. cols % kTexelSuperblock == 0.
void repackToTexelLayout(GgmlType type, const uint8_t* src, uint64_t rows, uint64_t cols, uint8_t* dst);

}  // namespace tiefsee
