// CPU references of the weight-matrix shaders (get_rows, matvec, matmul): dequantize
// with the ggml-exact CPU dequantizer, then plain loops with double accumulation.
// Used only by tests and benchmarks, never by the shipped inference path.
#pragma once

#include "core/result.h"
#include "quant/ggml_type.h"

#include <cstdint>

namespace tiefsee::ref {

// y[n * rows + r] = sum_k W[r][k] * x[n * cols + k] for n < ntokens, where W is `rows`
// rows of `cols` elements of `type` in GGUF block layout. Errors: type not dequantizable.
Result<void> matmulQuant(GgmlType type, const void* w, uint32_t rows, uint32_t cols, const float* x, uint32_t ntokens, float* y);

// out[i * cols + k] = W[ids[i]][k] for i < nids (ids < rows, asserted).
Result<void> getRowsQuant(GgmlType type, const void* w, uint32_t rows, uint32_t cols, const uint32_t* ids, uint32_t nids, float* out);

}  // namespace tiefsee::ref
