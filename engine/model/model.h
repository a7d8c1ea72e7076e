// Model: a GGUF transformer (qwen2 / llama / qwen3) loaded onto a Vulkan device,
// with its f16 KV cache, ready to prefill prompts and decode tokens.
//
//   model::LoadOptions opt;            // device, context length, progress, cancel
//   opt.contextLength = 8192;
//   auto m = model::Model::load("R1-Distill-Qwen-1.5B-Q4_K_M.gguf", opt);
//   if (!m) show(m.error().message);
//   auto ids = (*m)->tokenizer().encode(prompt, true, true);
//   (*m)->prefill(ids);                   // appends at kvPosition(), computes the last logits
//   Sampler s(SamplerConfig::r1Defaults());
//   for (;;) {
//       int32_t tok = *(*m)->sample(s);    // argmax / top-k on the GPU when s allows
//       if (cancelled || tok == eos) break;
//       s.accept(tok);
//       (*m)->decode(tok);                 // one pre-recorded submission, one wait
//   }
//
// KV cache: positions 0 .. kvPosition()-1 hold the keys/values of the tokens fed so
// far. A chat session keeps the cache between turns and calls truncateKv(n) to drop
// everything after the common prefix of the old and new prompt, then prefills only
// the new tokens. The cache holds at most contextLength() tokens; feeding more is an
// error (InvalidInput) that names the limit.
//
// Threads: a Model and everything it returns belong to one thread at a time (the
// engine thread). Load-time callbacks run on the loading thread. Destroying the
// Model frees all its device memory and the Vulkan device.
#pragma once

#include "core/result.h"
#include "model/model_info.h"
#include "sampling/sampler.h"
#include "vulkan/context.h"
#include "vulkan/recorder.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tiefsee {
class Tokenizer;
}

namespace tiefsee::model {

struct LoadOptions {
    vk::DeviceChoice device;          // which GPU (default: discrete > integrated > CPU)
    uint32_t contextLength = 4096;    // KV-cache capacity in tokens; 0 = the model's trained context
    uint32_t batchSize = 256;         // prefill tokens per submission (activation buffers are sized by it)
    bool profile = false;             // time every op of decode and prefill (decodeProfile(), prefillProfile())
    bool blockLayoutOnly = false;     // weights in GGUF's block layout even where the device has a
                                      // faster one (vk::WeightLayout): a baseline for benchmarks
    // Called now and then during the upload with bytes of weights uploaded so far and
    // in total (on the loading thread).
    std::function<void(uint64_t done, uint64_t total)> progress;
    const std::atomic<bool>* cancel = nullptr;  // set to true to abandon the load (ErrorKind::Cancelled)
};

// Which logits a prefill leaves readable.
enum class LogitsMode {
    Last,  // the last prompt position only (what generation needs)
    All,   // every position of this prefill call, in order (tests, --all-logits)
};

// Counters for stats lines and the benchmark.
struct ModelStats {
    uint64_t weightBytes = 0;        // bytes of weights as stored on the device
    uint64_t decodeReadBytes = 0;    // weight bytes a decode step reads (all layers + output)
    uint64_t kvBytes = 0;            // KV-cache bytes (both K and V, all layers)
    uint64_t deviceBytes = 0;        // device memory held by the model now
    uint64_t gpuTopKSamples = 0;     // sample() calls answered from the device's top-k candidates
};

class Model {
public:
    // Reads the file (memory-mapped), checks its tensors against the architecture,
    // creates the device and uploads the weights. Errors: file/format problems
    // (InvalidInput/Unsupported, naming the tensor or key), no usable device (Device),
    // not enough device memory (OutOfMemory, stating what would fit), cancel (Cancelled).
    static Result<std::unique_ptr<Model>> load(const std::string& path, const LoadOptions& options = {});
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    const ModelInfo& info() const;
    const Tokenizer& tokenizer() const;
    const vk::DeviceInfo& device() const;
    vk::Context& context();            // the device the model lives on (benchmarks, diagnostics)
    ModelStats stats() const;
    uint32_t contextLength() const;   // KV capacity in tokens
    uint32_t batchSize() const;

    // ---- KV cache
    size_t kvPosition() const;         // tokens held by the cache
    // Forgets every position >= n (n <= kvPosition()). O(1): nothing is cleared.
    void truncateKv(size_t n);

    // ---- forward passes
    // Feeds `tokens` at positions kvPosition() ..; afterwards the logits of the last
    // one (or all of them, LogitsMode::All) can be read or sampled. Runs in batches of
    // batchSize(); `cancel` is checked between batches (the cache then holds the
    // batches that finished). Errors: empty input, a token id outside the vocabulary,
    // context full, device failure, Cancelled.
    Result<void> prefill(std::span<const int32_t> tokens, LogitsMode mode = LogitsMode::Last,
                         const std::atomic<bool>* cancel = nullptr);
    // Feeds one token at kvPosition(): one submission of the pre-recorded decode step,
    // one wait. Then the next token's logits are ready.
    Result<void> decode(int32_t token);

    // ---- results of the last forward pass
    // Next token from the last position's logits; only what the sampler needs is
    // copied from the device (argmax id, top-k pairs, or all logits).
    Result<int32_t> sample(Sampler& sampler);
    // The last position's logits (n_vocab floats).
    Result<std::vector<float>> logits();
    // Every position of the last prefill when it ran with LogitsMode::All
    // ([n_tokens][n_vocab]); otherwise the last position only.
    Result<std::vector<float>> allLogits();

    // Turns per-op GPU timing of the decode step and of prefill batches on or off
    // (re-records them; profiling serializes the ops, so measure speed with it off).
    Result<void> setProfiling(bool on);
    // Per-op GPU times of the last decode step while profiling, in recording order.
    std::vector<vk::OpTiming> decodeProfile() const;
    // The same for the last prefill batch.
    std::vector<vk::OpTiming> prefillProfile() const;

    struct Impl;

private:
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m;
};

}  // namespace tiefsee::model
