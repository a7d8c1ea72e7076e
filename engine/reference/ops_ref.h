// CPU references of the transformer ops that the model's shaders implement
// (rms_norm, rope, attention, swiglu, add, kv write, argmax, top-k) plus a plain
// f32 mat-mul. Straightforward loops with f32 storage and double accumulation:
// used by the shader tests and by the CPU reference forward pass, never by the
// shipped inference path.
//
// Layout convention for every activation: row-major [n_tokens][n], the n values of
// one token contiguous. Heads are contiguous inside a row: [n_head][head_dim].
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace tiefsee::ref {

// The f32 value nearest to x after a round trip through IEEE half (round to
// nearest even, overflow to inf) — what a float->f16 store in a shader gives.
float roundToHalf(float x);

// y[t][i] = x[t][i] / sqrt(mean_i(x[t][i]^2) + eps) * w[i]; rows of n values.
// y may alias x.
void rmsNorm(std::span<const float> x, std::span<const float> w, std::span<float> y, size_t n, float eps);

// y[t][i] += b[i] for every row t of n = b.size() values.
void addBias(std::span<float> y, std::span<const float> b);

// y[i] += x[i].
void add(std::span<float> y, std::span<const float> x);

// out[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + exp(-g)). out may alias gate.
void swiglu(std::span<const float> gate, std::span<const float> up, std::span<float> out);

// y[t][r] = sum_c w[r][c] * x[t][c]; w is [nOut][nIn] row-major (a ggml weight
// with ne0 = nIn), x is [nTok][nIn], y is [nTok][nOut].
void matmul(std::span<const float> w, std::span<const float> x, std::span<float> y, size_t nIn, size_t nOut);

// Rotary position embedding parameters, ggml's rope_ext semantics.
struct RopeParams {
    uint32_t nDims = 0;        // rotated dimensions per head (<= head_dim; the rest pass through)
    bool neox = false;         // true: pairs (i, i + nDims/2) (qwen); false: pairs (2i, 2i+1) (llama)
    float freqBase = 10000.f;  // theta
    float freqScale = 1.f;     // 1 / linear scaling factor (YaRN / linear)
    float extFactor = 0.f;     // YaRN extrapolation mix (0 = off)
    float attnFactor = 1.f;    // YaRN magnitude scale
    float betaFast = 32.f;     // YaRN ramp bounds
    float betaSlow = 1.f;
    uint32_t nCtxOrig = 0;     // YaRN original training context
    std::span<const float> freqFactors;  // nDims/2 divisors of each frequency (llama3 rope_freqs), or empty
};

// YaRN correction range [low, high] in rotation-pair index units (ggml_rope_yarn_corr_dims).
std::pair<float, float> ropeYarnCorrDims(const RopeParams& p);

// Rotates x in place: x is [nTok][nHead][headDim]; token t is at position pos[t].
void rope(std::span<float> x, size_t nHead, size_t headDim, std::span<const int32_t> pos, const RopeParams& p);

// Causal multi-head attention with grouped K/V heads over a cache.
//   q   [nTok][nHead][headDim]          query token t sits at position pos0 + t
//   k,v [nCtx][nKvHead][headDim]        cache rows 0 .. pos0 + nTok - 1 are valid
//   out [nTok][nHead][headDim]
// Query head h uses kv head h / (nHead / nKvHead); query t sees keys 0 .. pos0 + t.
// scores = q·k * scale; softmax over the visible keys; out = sum p * v.
void attention(std::span<const float> q, std::span<const float> k, std::span<const float> v, std::span<float> out,
               size_t nTok, size_t pos0, size_t nHead, size_t nKvHead, size_t headDim, float scale);

// Index of the largest value; ties go to the lowest index.
int32_t argmax(std::span<const float> x);

// The k largest (value, index) pairs, largest first; ties by lowest index.
std::vector<std::pair<float, int32_t>> topK(std::span<const float> x, size_t k);

}  // namespace tiefsee::ref
