// The model's weights on the device, matched by name and shape to what the
// architecture (ModelInfo) expects, and their upload from the memory-mapped file.
#pragma once

#include "core/result.h"
#include "gguf/gguf_file.h"
#include "model/model_info.h"
#include "vulkan/context.h"
#include "vulkan/weight_ops.h"

#include <atomic>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace tiefsee::model {

// One weight matrix in the file's block layout: nOut rows of nIn values (ggml
// ne0 = nIn = m.cols, ne1 = nOut = m.rows), row-split so that every chunk fits a
// storage-buffer binding. The weight shaders dequantize it in registers.
struct Linear {
    std::string name;              // GGUF tensor name(s), for messages
    vk::WeightMatrix m;
    uint32_t outRow = 0;           // first row it fills of its stacked output (see LayerWeights)
    bool valid() const { return !m.data.chunks.empty(); }
    uint64_t bytes() const { return m.data.bytes(); }
};

// The projections that read the same input are stacked: q | k | v (nEmbd -> (nHead +
// 2 nHeadKv) * headDim) and gate | up (nEmbd -> 2 nFf), each filling rows [outRow,
// outRow + rows) of one output per token. Consecutive tensors of the same type share
// one matrix (stackRuns), so that a Q4_K_M layer whose v is Q6_K takes two mat-vec
// dispatches for q | k | v instead of three, and one with a Q4_K v takes one.
struct LayerWeights {
    vk::Tensor attnNorm;       // [nEmbd] f32
    std::vector<Linear> qkv;   // attn_q | attn_k | attn_v
    vk::Tensor qkvBias;        // [(nHead + 2 nHeadKv) * headDim] f32: q | k | v biases (qwen2), else empty
    vk::Tensor qkNorm;         // [2][headDim] f32: attn_q_norm | attn_k_norm (qwen3), else empty
    Linear wo;                 // nHead * headDim -> nEmbd
    vk::Tensor ffnNorm;        // [nEmbd] f32
    std::vector<Linear> gateUp;  // ffn_gate | ffn_up
    Linear down;               // nFf -> nEmbd
};

// Runs of consecutive equal types: the sizes of the groups stacked into one matrix,
// e.g. {Q4_K, Q4_K, Q6_K} -> {2, 1}.
std::vector<size_t> stackRuns(std::span<const GgmlType> types);

struct Weights {
    Linear tokenEmbd;                 // nVocab rows of nEmbd (embedding lookup; logits too when tied)
    std::vector<LayerWeights> layers;
    vk::Tensor outputNorm;            // [nEmbd] f32
    Linear output;                    // nEmbd -> nVocab; empty when tied
    vk::Tensor ropeFreqs;             // [ropeDims / 2] f32 frequency divisors (llama3), else empty
    uint64_t deviceBytes = 0;         // bytes of all weights on the device
    uint64_t decodeReadBytes = 0;     // bytes one decode step reads (matrices + output; one embedding row)

    const Linear& outputMatrix() const { return output.valid() ? output : tokenEmbd; }
};

struct UploadOptions {
    std::function<void(uint64_t done, uint64_t total)> progress;
    const std::atomic<bool>* cancel = nullptr;
    bool blockLayoutOnly = false;  // keep GGUF's block layout everywhere (benchmark baseline)
};

// Bytes the weights will take on `device` (for the memory check before loading):
// matrices in the layout the upload will choose (vk::usesTexelLayout, unless
// blockLayoutOnly), vectors as f32.
uint64_t weightDeviceBytes(const gguf::GgufFile& file, const vk::DeviceInfo& device, bool blockLayoutOnly);

// Checks every tensor the architecture needs (name, shape, a type the shaders read)
// and uploads them. Errors name the tensor: missing, wrong shape, unsupported type;
// OutOfMemory from the allocator; Cancelled.
Result<Weights> uploadWeights(vk::Context& ctx, const gguf::GgufFile& file, const ModelInfo& info,
                              const UploadOptions& options);

}  // namespace tiefsee::model
