// CPU dequantization of ggml tensor data to float32: the reference that every
// Vulkan dequant/matmul shader is tested against. Bit-exact with ggml's
// dequantize_row_* (same float operations in the same order).
#pragma once

#include "core/result.h"
#include "quant/ggml_type.h"

#include <cstddef>

namespace tiefsee::quant {

// True for the types dequantize() handles: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0,
// Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K.
bool canDequantize(GgmlType type);

// Dequantizes n elements (n a multiple of the type's block size) from `src` (packed
// blocks, any alignment) into dst[0..n). Pure function; safe to call from many
// threads on different rows. Errors: unsupported type (named), bad n.
Result<void> dequantize(GgmlType type, const void* src, float* dst, size_t n);

}  // namespace tiefsee::quant
