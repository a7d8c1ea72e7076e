#include "models/fit_estimate.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace tiefsee::models {

uint64_t kvBytesPerToken(const ModelShape& s)
{
    return 2ull * s.nLayer * s.nHeadKv * s.headDim * 2ull;
}

uint64_t workingBufferBytes(const ModelShape& s)
{
    // One prefill batch of f32 activations: residual + norm output (2 × embd), q/k/v/o
    // (embd + 2 × kv width + embd), gate/up (2 × ffn). Attention scores are not
    // materialised (flash-attention style), so they do not scale with ctx.
    const uint64_t kvWidth = uint64_t(s.nHeadKv) * s.headDim;
    const uint64_t perToken = 4ull * s.nEmbd + 2ull * kvWidth + 2ull * s.nFf;
    const uint64_t activations = uint64_t(kPrefillBatch) * perToken * 4ull;
    const uint64_t logits = uint64_t(s.nVocab) * 4ull * 2ull;  // decode logits + sampler copy
    return activations + logits + kFixedOverheadBytes;
}

FitEstimate estimateFit(const ModelShape& shape, uint64_t weightBytes, uint32_t ctx, uint64_t budgetBytes,
                        uint32_t maxContext)
{
    FitEstimate f;
    f.weightBytes = weightBytes;
    f.bufferBytes = workingBufferBytes(shape);
    f.budgetBytes = budgetBytes;
    if (maxContext && ctx > maxContext)
        ctx = maxContext;
    const uint64_t perToken = kvBytesPerToken(shape);
    f.kvBytes = perToken * ctx;
    f.totalBytes = weightBytes + f.kvBytes + f.bufferBytes;
    if (f.totalBytes <= budgetBytes) {
        f.verdict = FitVerdict::Fits;
        f.context = ctx;
        return f;
    }
    const uint64_t fixed = weightBytes + f.bufferBytes;
    if (fixed < budgetBytes && perToken > 0) {
        uint64_t tokens = (budgetBytes - fixed) / perToken;
        tokens = tokens / 1024 * 1024;
        if (tokens >= kMinContext) {
            f.verdict = FitVerdict::SmallerContext;
            f.context = uint32_t(std::min<uint64_t>(tokens, ctx));
            f.kvBytes = perToken * f.context;
            f.totalBytes = fixed + f.kvBytes;
            return f;
        }
    }
    f.verdict = FitVerdict::TooLarge;
    f.context = 0;
    return f;
}

const char* fitKey(FitVerdict v)
{
    switch (v) {
    case FitVerdict::Fits: return "fits";
    case FitVerdict::SmallerContext: return "smaller-context";
    case FitVerdict::TooLarge: return "too-large";
    }
    return "too-large";
}

std::string fitText(const FitEstimate& f)
{
    switch (f.verdict) {
    case FitVerdict::Fits: return "fits";
    case FitVerdict::SmallerContext: return "fits with smaller context (" + std::to_string(f.context) + ")";
    case FitVerdict::TooLarge: return "too large";
    }
    return "too large";
}

double approxBitsPerWeight(const std::string& quant)
{
    // Averages over whole files as llama.cpp's quantize reports them (mixes included).
    struct Entry { std::string_view name; double bpw; };
    static constexpr Entry table[] = {
        {"F32", 32.0}, {"F16", 16.0}, {"BF16", 16.0}, {"Q8_0", 8.5}, {"Q6_K", 6.56},
        {"Q5_K_M", 5.69}, {"Q5_K_S", 5.54}, {"Q5_0", 5.5}, {"Q5_1", 6.0}, {"Q4_K_M", 4.85},
        {"Q4_K_S", 4.58}, {"Q4_0", 4.5}, {"Q4_1", 5.0}, {"IQ4_XS", 4.25}, {"IQ4_NL", 4.5},
        {"Q3_K_L", 4.27}, {"Q3_K_M", 3.91}, {"Q3_K_S", 3.5}, {"Q2_K", 3.35},
    };
    for (const Entry& e : table)
        if (e.name == quant)
            return e.bpw;
    return 0.0;
}

std::string formatBytes(uint64_t bytes)
{
    char buf[32];
    const double b = double(bytes);
    if (b >= 1e9)
        std::snprintf(buf, sizeof buf, "%.2f GB", b / 1e9);
    else if (b >= 1e6)
        std::snprintf(buf, sizeof buf, "%.1f MB", b / 1e6);
    else if (b >= 1e3)
        std::snprintf(buf, sizeof buf, "%.1f kB", b / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    return buf;
}

}  // namespace tiefsee::models
