// ModelInfo: what a GGUF file says about the transformer inside it (architecture,
// dimensions, rope, norms, quantization), read from metadata and checked against
// the tensor shapes. describeModel() is the gate every loader goes through: if it
// succeeds, the hyper-parameters are consistent and all required tensors exist
// with the expected shapes.
#pragma once

#include "core/result.h"
#include "gguf/gguf_file.h"

#include <cstdint>
#include <string>

namespace tiefsee::model {

enum class Arch { Qwen2, Llama, Qwen3 };

// How rotary embeddings pair dimensions (llama.cpp's LLAMA_ROPE_TYPE_*).
enum class RopeType {
    Normal,  // pairs (2i, 2i+1): llama
    Neox,    // pairs (i, i + n_rot/2): qwen2, qwen3
};

struct ModelInfo {
    // ---- identity
    std::string arch;             // general.architecture: "qwen2", "llama" or "qwen3"
    Arch archKind = Arch::Llama;  // the same as an enum
    std::string name;             // general.name (may be empty)

    // ---- dimensions (all > 0)
    uint32_t nLayer = 0;          // transformer blocks ({arch}.block_count)
    uint32_t nEmbd = 0;           // hidden size (residual stream width)
    uint32_t nHead = 0;           // query heads
    uint32_t nHeadKv = 0;         // key/value heads (GQA: nHead % nHeadKv == 0)
    uint32_t headDim = 0;         // per-head dim of q and k ({arch}.attention.key_length, else nEmbd/nHead)
    uint32_t headDimV = 0;        // per-head dim of v ({arch}.attention.value_length, else headDim)
    uint32_t nFf = 0;             // feed-forward (SwiGLU) inner width
    uint32_t nVocab = 0;          // rows of token_embd (or tokenizer token count when no tensors)
    uint32_t contextLength = 0;   // trained context length in tokens ({arch}.context_length)

    // ---- rope
    RopeType ropeType = RopeType::Normal;
    float ropeTheta = 10000.f;    // base frequency ({arch}.rope.freq_base; 10000 if missing)
    uint32_t ropeDims = 0;        // rotated dims per head ({arch}.rope.dimension_count, else headDim)
    bool ropeLlama3 = false;      // llama3-style frequency scaling (rope_freqs tensor and/or rope.scaling keys)
    bool hasRopeFreqs = false;    // the file has rope_freqs.weight: ropeDims/2 per-frequency divisors
    std::string ropeScalingType;  // {arch}.rope.scaling.type ("" if absent, e.g. "linear", "yarn", "llama3")
    float ropeScalingFactor = 1.f;        // {arch}.rope.scaling.factor (1 if absent)
    uint32_t ropeOrigContext = 0;         // {arch}.rope.scaling.original_context_length (0 if absent)

    // ---- norms and layer structure
    float rmsEps = 1e-6f;         // RMSNorm epsilon ({arch}.attention.layer_norm_rms_epsilon)
    bool tiedOutput = false;      // no output.weight: logits use token_embd
    bool qkvBias = false;         // attn_q/k/v have .bias tensors (qwen2)
    bool qkNorm = false;          // attn_q_norm/attn_k_norm RMS norms per head (qwen3)

    // ---- quantization and size
    int32_t fileType = -1;        // general.file_type (llama_ftype), -1 if the key is missing
    std::string fileTypeName;     // "Q4_K_M", ...; derived from the dominant tensor type if the key is missing
    uint64_t nParams = 0;         // sum of the element counts of all tensors
    uint64_t sizeBytes = 0;       // file size in bytes
    uint64_t tensorBytes = 0;     // bytes of tensor data
};

// Reads and validates the model description. Errors: ErrorKind::Unsupported for an
// architecture other than qwen2/llama/qwen3, InvalidInput for missing keys,
// inconsistent dims or tensors of the wrong shape (messages name key/tensor).
Result<ModelInfo> describeModel(const gguf::GgufFile& file);

// "Q4_K_M" for a llama_ftype id; "" for an unknown id.
std::string fileTypeName(int32_t ftype);

std::string_view ropeTypeName(RopeType t);  // "normal" / "neox"

}  // namespace tiefsee::model
