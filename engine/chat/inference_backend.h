// What a chat session needs from a model: tokenization, a KV cache it can truncate,
// prefill/decode, and sampling. The real implementation wraps model::Model
// (model_backend.h); tests use a scripted fake. Threads: a backend is used by one
// thread at a time (the engine's worker thread).
#pragma once

#include "core/result.h"
#include "sampling/sampler.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::chat {

// Streaming detokenizer: ids in, complete UTF-8 text out (partial characters held).
class TokenDecoder {
public:
    virtual ~TokenDecoder() = default;
    virtual std::string push(int32_t token) = 0;
    virtual std::string flush() = 0;  // what is still held back
};

// Called between prefill batches: tokens of this prefill done so far, and in total.
using PrefillProgressFn = std::function<void(size_t done, size_t total)>;

class InferenceBackend {
public:
    virtual ~InferenceBackend() = default;

    // Prompt text -> ids, special-token texts parsed, no BOS added (the template
    // writes it).
    virtual std::vector<int32_t> tokenize(std::string_view text) const = 0;
    // A fresh streaming detokenizer (special tokens shown as their text).
    virtual std::unique_ptr<TokenDecoder> newDecoder() const = 0;
    // End-of-sequence / end-of-turn tokens of the file.
    virtual bool isEndOfGeneration(int32_t token) const = 0;

    virtual size_t contextSize() const = 0;  // KV capacity in tokens
    virtual size_t kvPosition() const = 0;   // tokens the KV cache holds
    virtual void truncateKv(size_t n) = 0;   // forget positions >= n

    // Appends `tokens` at kvPosition() and leaves the last position's logits ready.
    // Checks `cancel` between batches (the cache keeps the finished batches; returns
    // ErrorKind::Cancelled). Feeding past contextSize() is an error.
    virtual Result<void> prefill(std::span<const int32_t> tokens, const PrefillProgressFn& progress,
                                 const std::atomic<bool>* cancel) = 0;
    // Appends one token (the fast single-token path).
    virtual Result<void> decode(int32_t token) = 0;

    // Starts a new reply's sampling (seeds the RNG, clears penalty history).
    virtual void resetSampler(const SamplerConfig& config) = 0;
    // Draws the next token from the last position's logits and records it for the
    // penalties. Does not feed it into the KV cache (decode() does).
    virtual Result<int32_t> sampleNext() = 0;
};

}  // namespace tiefsee::chat
