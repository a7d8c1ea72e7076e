// CPU quantization of float32 data into ggml block formats, following ggml's
// reference quantizers (quantize_row_*_ref: the same scale searches, so the quality
// matches llama-quantize without an importance matrix). Used by mkmodel and by
// tests that need quantized weights. Pure functions on rows: call them from as many
// threads as you like on disjoint rows.
#pragma once

#include "quant/ggml_type.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tiefsee::quant {

// True for the types quantize() can produce (the same set dequantize() reads).
bool canQuantize(GgmlType type);

// Bytes that n elements of `type` take (n a multiple of the block size).
size_t quantizedSize(GgmlType type, size_t n);

// Quantizes src[0..n) into dst (quantizedSize(type, n) bytes). n must be a multiple
// of the block size and the type quantizable (both asserted: programmer errors).
// Non-finite inputs are treated as 0.
void quantizeInto(GgmlType type, const float* src, size_t n, uint8_t* dst);

// Same, returning a new buffer.
std::vector<uint8_t> quantize(GgmlType type, const float* src, size_t n);

}  // namespace tiefsee::quant
