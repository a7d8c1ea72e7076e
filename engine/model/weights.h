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
#include <string>
#include <vector>

namespace tiefsee::model {

// One weight matrix in the file's block layout: nOut rows of nIn values (ggml
// ne0 = nIn = m.cols, ne1 = nOut = m.rows), row-split so that every chunk fits a
// storage-buffer binding. The weight shaders dequantize it in registers.
struct Linear {
    std::string name;              // GGUF tensor name, for messages
    vk::WeightMatrix m;
    bool valid() const { return !m.data.chunks.empty(); }
    uint64_t bytes() const { return m.data.bytes(); }
};

struct LayerWeights {
    vk::Tensor attnNorm;   // [nEmbd] f32
    Linear wq;             // nEmbd -> nHead * headDim
    Linear wk;             // nEmbd -> nHeadKv * headDim
    Linear wv;             // nEmbd -> nHeadKv * headDim
    vk::Tensor qkvBias;    // [(nHead + 2 nHeadKv) * headDim] f32: q | k | v biases (qwen2), else empty
    vk::Tensor qkNorm;     // [2][headDim] f32: attn_q_norm | attn_k_norm (qwen3), else empty
    Linear wo;             // nHead * headDim -> nEmbd
    vk::Tensor ffnNorm;    // [nEmbd] f32
    Linear gate;           // nEmbd -> nFf
    Linear up;             // nEmbd -> nFf
    Linear down;           // nFf -> nEmbd
};

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
