// Fit estimate: will a model run on a device with a given memory budget, and with
// how much context? Pure arithmetic on the model's shape; no Qt, no GPU.
//
//   total = weights (file's tensor bytes)
//         + KV cache, f16:  2 (K and V) × n_layer × ctx × n_head_kv × head_dim × 2 bytes
//         + working buffers: see workingBufferBytes()
//
// The verdict is "fits" at the requested context, "fits with a smaller context (N)"
// where N is the largest multiple of 1024 that fits (at least kMinContext), or
// "too large".
#pragma once

#include <cstdint>
#include <string>

namespace tiefsee::models {

// The numbers of a transformer the estimate needs (from the catalog or GGUF metadata).
struct ModelShape {
    uint32_t nLayer = 0;    // transformer blocks
    uint32_t nEmbd = 0;     // hidden size
    uint32_t nHead = 0;     // query heads
    uint32_t nHeadKv = 0;   // key/value heads (GQA)
    uint32_t headDim = 0;   // per-head dimension (usually nEmbd / nHead)
    uint32_t nFf = 0;       // feed-forward hidden size
    uint32_t nVocab = 0;    // vocabulary size (logits row)
    bool valid() const { return nLayer && nEmbd && nHead && nHeadKv && headDim && nVocab; }
};

enum class FitVerdict { Fits, SmallerContext, TooLarge };

struct FitEstimate {
    FitVerdict verdict = FitVerdict::TooLarge;
    uint32_t context = 0;          // the requested ctx (Fits) or the largest that fits (SmallerContext); 0 if TooLarge
    uint64_t weightBytes = 0;
    uint64_t kvBytes = 0;          // KV cache at `context` (at the requested ctx when TooLarge)
    uint64_t bufferBytes = 0;      // working buffers
    uint64_t totalBytes = 0;       // weights + kv + buffers
    uint64_t budgetBytes = 0;
};

constexpr uint32_t kMinContext = 2048;       // below this a reasoning model is not useful
constexpr uint32_t kPrefillBatch = 512;      // tokens per prefill step the buffers are sized for
constexpr uint64_t kFixedOverheadBytes = 256ull << 20;  // driver context, staging ring, descriptor pools

// Bytes of f16 KV cache per token of context: 2 × n_layer × n_head_kv × head_dim × 2.
uint64_t kvBytesPerToken(const ModelShape& s);
// Activations for one prefill batch (residual, q/k/v/o, two FFN halves, logits in f32),
// the logits of one decode step and a fixed overhead.
uint64_t workingBufferBytes(const ModelShape& s);

// The estimate for running a model of `weightBytes` at `ctx` within `budgetBytes`.
// `maxContext` caps the context (the model's trained length); 0 = no cap.
FitEstimate estimateFit(const ModelShape& shape, uint64_t weightBytes, uint32_t ctx, uint64_t budgetBytes,
                        uint32_t maxContext = 0);

// "fits", "fits with smaller context (12288)", "too large" (for lists and the CLI).
std::string fitText(const FitEstimate& f);
// "fits" / "smaller-context" / "too-large" (stable keys for QML).
const char* fitKey(FitVerdict v);

// Approximate bits per weight of a llama.cpp file type ("Q4_K_M" → 4.85), for size
// estimates before the Hub has told us the real size; 0 for an unknown name.
double approxBitsPerWeight(const std::string& quant);

// "4.7 GB" (decimal, as the Hub shows) for sizes in lists.
std::string formatBytes(uint64_t bytes);

}  // namespace tiefsee::models
