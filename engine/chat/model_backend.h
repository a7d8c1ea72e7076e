// The real InferenceBackend: a model::Model (Vulkan forward pass, KV cache, sampler)
// and its tokenizer, plus the loader the ChatEngine uses for GGUF files.
#pragma once

#include "chat/chat_engine.h"
#include "chat/inference_backend.h"
#include "sampling/sampler.h"

#include <memory>

namespace tiefsee::model {
class Model;
}

namespace tiefsee::chat {

class ModelBackend : public InferenceBackend {
public:
    explicit ModelBackend(std::unique_ptr<model::Model> model);
    ~ModelBackend() override;

    model::Model& model() { return *m_model; }

    std::vector<int32_t> tokenize(std::string_view text) const override;
    std::unique_ptr<TokenDecoder> newDecoder() const override;
    bool isEndOfGeneration(int32_t token) const override;
    size_t contextSize() const override;
    size_t kvPosition() const override;
    void truncateKv(size_t n) override;
    // Feeds in chunks of the model's batch size, reporting progress and checking
    // `cancel` between chunks.
    Result<void> prefill(std::span<const int32_t> tokens, const PrefillProgressFn& progress,
                         const std::atomic<bool>* cancel) override;
    Result<void> decode(int32_t token) override;
    void resetSampler(const SamplerConfig& config) override;
    Result<int32_t> sampleNext() override;

private:
    std::unique_ptr<model::Model> m_model;
    Sampler m_sampler;
};

// BackendLoader for ChatEngine: loads the GGUF at `path` onto the chosen device and
// picks its chat template from the file's metadata.
Result<LoadedBackend> loadModelBackend(const std::string& path, const ModelLoadOptions& options,
                                       const std::function<void(double)>& progress, const std::atomic<bool>* cancel);

}  // namespace tiefsee::chat
