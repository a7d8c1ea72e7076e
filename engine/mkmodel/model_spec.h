// The shape of a model mkmodel generates, and presets with the exact shapes of
// the DeepSeek-R1 distills (DESIGN.md, "The models"; values from each model's
// config.json / GGUF metadata).
#pragma once

#include "core/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::mkmodel {

struct ModelSpec {
    std::string arch;             // "qwen2", "llama" or "qwen3"
    std::string name;             // general.name
    uint32_t nLayer = 2;          // transformer blocks
    uint32_t nEmbd = 256;         // hidden size
    uint32_t nHead = 4;           // query heads
    uint32_t nHeadKv = 2;         // key/value heads
    uint32_t headDim = 64;        // per-head dim (q, k and v)
    uint32_t nFf = 512;           // SwiGLU inner width
    uint32_t nVocab = 2048;       // embedding rows (tokenizer size when synthesized)
    uint32_t contextLength = 4096;
    float ropeTheta = 10000.f;
    float rmsEps = 1e-6f;
    bool tiedOutput = false;      // omit output.weight (logits use token_embd)
    // llama3 rope scaling (llama only; written as the rope_freqs tensor like llama.cpp).
    bool llama3Rope = false;
    float ropeScaleFactor = 8.f;
    float ropeLowFreqFactor = 1.f;
    float ropeHighFreqFactor = 4.f;
    uint32_t ropeOrigContext = 8192;
};

// Defaults for an architecture (qwen2: q/k/v bias; qwen3: q/k norm; llama: normal rope).
Result<ModelSpec> defaultSpec(std::string_view arch);
// A preset by name (see presetNames()); its arch must match if `arch` is not empty.
Result<ModelSpec> presetSpec(std::string_view name);
std::vector<std::string> presetNames();
// Checks dims (multiples of 32 where quantized rows need it, heads divide, ...).
Result<void> validateSpec(const ModelSpec& spec);

}  // namespace tiefsee::mkmodel
