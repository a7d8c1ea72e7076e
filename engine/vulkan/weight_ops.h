// The weight-matrix ops on the GPU: embedding lookup (get_rows), matrix x vector
// (decode) and matrix x matrix (prefill), for every weight type Tiefsee reads (F32,
// F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K), with f32
// activations and f32 accumulation. Weights stay in their GGUF block layout; shaders
// dequantize in registers (shaders/quant.glsl).
//
//   auto ops = vk::WeightOps::create(ctx);
//   auto w = vk::uploadWeights(ctx, GgmlType::Q4_K, rows, cols, mmappedBytes);
//   ops->matvec(rec, *w, x, y);            // y[rows] = W x[cols]          (decode)
//   ops->matmul(rec, *w, x, y, ntokens);   // y[n][rows] = W x[n][cols]    (prefill)
//   ops->getRows(rec, *w, ids, nids, out); // out[i][cols] = W[ids[i]]     (embedding)
//
// On CPU devices (lavapipe) mat-vec weights are uploaded in the texel layout
// (quant/texel_layout.h) and multiplied by matvec_tb.comp through texel buffers, which
// lavapipe reads several times faster than storage buffers; see WeightLayout.
//
// Matrices larger than one storage-buffer binding are split by rows (SplitTensor) and
// each op dispatches once per chunk. The work split per device (lanes per row, rows per
// workgroup, tokens per pass) is chosen from DeviceInfo: see chooseMatVecShape.
#pragma once

#include "core/result.h"
#include "quant/ggml_type.h"
#include "vulkan/context.h"
#include "vulkan/recorder.h"

#include <map>
#include <memory>
#include <string>

namespace tiefsee::vk {

// A weight matrix on the device: `rows` rows of `cols` elements (cols = K, the
// reduction dimension, a multiple of the type's block size), GGUF block layout.
struct WeightMatrix {
    GgmlType type = GgmlType::F32;
    uint32_t rows = 0;
    uint32_t cols = 0;
    bool texel = false;  // chunks hold the texel layout: matvec/matmul only, via matvec_tb
    SplitTensor data;    // rows split into chunks that each fit one binding
};

// How a matrix is stored on the device.
enum class WeightLayout {
    Blocks,  // GGUF's blocks: every op (get_rows, matvec, tiled matmul)
    Best,    // the fastest layout for matvec/matmul on this device (texel layout on CPU
             // devices when the type has one and cols % 256 == 0); get_rows may not work
};
// True when a Best-layout matrix of this type and row length uses the texel layout.
bool usesTexelLayout(const DeviceInfo& info, GgmlType type, uint32_t cols);
// Invocations per matvec_tb workgroup on this device (its subgroup size, 8 lanes per row job).
uint32_t texelWorkgroupWidth(const DeviceInfo& info);

// True for the types the weight shaders handle.
bool weightTypeSupported(GgmlType type);

// Allocates and uploads a matrix from `src` (rows * rowBytes bytes in GGUF layout, e.g.
// a pointer into the mmapped file). Errors: unsupported type, cols not a multiple of
// the block size, out of memory.
Result<WeightMatrix> uploadWeights(Context& ctx, GgmlType type, uint32_t rows, uint32_t cols, const void* src,
                                   WeightLayout layout = WeightLayout::Blocks);

// How matvec.comp splits work on a device (its specialization constants).
struct MatVecShape {
    uint32_t workgroup = 64;     // invocations per workgroup
    uint32_t threadsPerRow = 1;  // lanes per row (1 = lane-per-row, CPU style)
    uint32_t ncols = 1;          // tokens per pass
};
// CPU devices: one lane per row, a few large workgroups, 8 tokens per pass for prefill;
// GPUs: a subgroup per row, several rows per workgroup.
MatVecShape chooseMatVecShape(const DeviceInfo& info, uint32_t ntokens);

// Where a mat-vec/mat-mat writes its rows: y[n * stride + first + r] for token n and
// row r, so that several matrices can fill one output (the layer's q | k | v, or gate |
// up). The default (stride 0 = the matrix's rows, first 0) packs the tokens' rows.
struct OutRows {
    uint32_t stride = 0;
    uint32_t first = 0;
};

class WeightOps {
public:
    // Pipelines are built on first use per (op, type, shape) and kept.
    static Result<std::unique_ptr<WeightOps>> create(Context& ctx);

    // y[n * rows + r] = sum_k W[r][k] * x[n * cols + k] for n < ntokens, with the
    // mat-vec kernel (decode; or prefill in MatVecShape::ncols-token passes).
    // x: ntokens * cols floats; y: ntokens * rows floats (or as `out` places them).
    Result<void> matvec(Recorder& rec, const WeightMatrix& w, TensorView x, TensorView y, uint32_t ntokens = 1,
                        OutRows out = {});
    // Same result for many tokens: tiled shared-memory kernel on GPUs, multi-token
    // mat-vec on CPU devices.
    Result<void> matmul(Recorder& rec, const WeightMatrix& w, TensorView x, TensorView y, uint32_t ntokens,
                        OutRows out = {});
    // Forces the tiled kernel (tests and benchmarks of matmul.comp on any device).
    Result<void> matmulTiled(Recorder& rec, const WeightMatrix& w, TensorView x, TensorView y, uint32_t ntokens,
                             OutRows out = {});
    // out[i * cols + k] = W[ids[i]][k] (f32) for i < nids; ids: nids u32 row indices (< rows).
    Result<void> getRows(Recorder& rec, const WeightMatrix& w, TensorView ids, uint32_t nids, TensorView out);

    // Rows per 8-lane job and tokens per pass of matvec_tb (texel-layout matrices).
    struct TexelShape {
        uint32_t rows = 8;
        uint32_t ncols = 1;
    };
    static TexelShape chooseTexelShape(GgmlType type, uint32_t ntokens);

    // Overrides the device-derived mat-vec shape (benchmarks).
    void setMatVecShape(const MatVecShape& shape) { m_shapeOverride = shape; m_override = true; }

private:
    explicit WeightOps(Context& ctx) : m_ctx(&ctx) {}
    Result<const Pipeline*> pipeline(const std::string& shader, std::initializer_list<uint32_t> spec);

    Context* m_ctx;
    std::map<std::string, Pipeline> m_pipelines;  // key: shader name + spec constants
    MatVecShape m_shapeOverride;
    bool m_override = false;
};

}  // namespace tiefsee::vk
