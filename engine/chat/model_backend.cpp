// Adapter from model::Model + Tokenizer to the chat layer's InferenceBackend.
#include "chat/model_backend.h"

#include "gguf/gguf_file.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>

namespace tiefsee::chat {

namespace {

class StreamTokenDecoder : public TokenDecoder {
public:
    explicit StreamTokenDecoder(const Tokenizer& tokenizer) : m_decoder(tokenizer, /*showSpecial=*/true) {}
    std::string push(int32_t token) override { return m_decoder.push(token); }
    std::string flush() override { return m_decoder.flush(); }

private:
    StreamDecoder m_decoder;
};

}  // namespace

ModelBackend::ModelBackend(std::unique_ptr<model::Model> model) : m_model(std::move(model)) {}
ModelBackend::~ModelBackend() = default;

std::vector<int32_t> ModelBackend::tokenize(std::string_view text) const
{
    return m_model->tokenizer().encode(text, /*addSpecial=*/false, /*parseSpecial=*/true);
}

std::unique_ptr<TokenDecoder> ModelBackend::newDecoder() const { return std::make_unique<StreamTokenDecoder>(m_model->tokenizer()); }

bool ModelBackend::isEndOfGeneration(int32_t token) const { return m_model->tokenizer().isEndOfGeneration(token); }
size_t ModelBackend::contextSize() const { return m_model->contextLength(); }
size_t ModelBackend::kvPosition() const { return m_model->kvPosition(); }
void ModelBackend::truncateKv(size_t n) { m_model->truncateKv(std::min(n, m_model->kvPosition())); }

Result<void> ModelBackend::prefill(std::span<const int32_t> tokens, const PrefillProgressFn& progress, const std::atomic<bool>* cancel)
{
    const size_t batch = std::max<size_t>(1, m_model->batchSize());
    for (size_t done = 0; done < tokens.size();) {
        if (cancel && cancel->load()) return makeError(ErrorKind::Cancelled, "Cancelled.");
        const size_t n = std::min(batch, tokens.size() - done);
        if (auto r = m_model->prefill(tokens.subspan(done, n), model::LogitsMode::Last, cancel); !r) return r;
        done += n;
        if (progress) progress(done, tokens.size());
    }
    return {};
}

Result<void> ModelBackend::decode(int32_t token) { return m_model->decode(token); }

void ModelBackend::resetSampler(const SamplerConfig& config) { m_sampler = Sampler(config); }

Result<int32_t> ModelBackend::sampleNext()
{
    Result<int32_t> token = m_model->sample(m_sampler);
    if (token) m_sampler.accept(*token);
    return token;
}

Result<LoadedBackend> loadModelBackend(const std::string& path, const ModelLoadOptions& options,
                                       const std::function<void(double)>& progress, const std::atomic<bool>* cancel)
{
    // The chat template comes from the metadata; the mapping is cheap and closed again.
    auto file = gguf::GgufFile::open(path);
    if (!file) return file.error();
    ChatTemplate tmpl = ChatTemplate::fromGguf(**file);
    file->reset();

    model::LoadOptions lo;
    lo.contextLength = options.contextLength;
    lo.device.index = options.deviceIndex;
    lo.device.nameContains = options.deviceName;
    lo.cancel = cancel;
    if (progress)
        lo.progress = [&](uint64_t done, uint64_t total) { progress(total ? double(done) / double(total) : 1.0); };
    auto model = model::Model::load(path, lo);
    if (!model) return model.error();

    LoadedBackend out{std::make_unique<ModelBackend>(std::move(*model)), std::move(tmpl), {}};
    auto& backend = static_cast<ModelBackend&>(*out.backend);
    const model::ModelInfo& info = backend.model().info();
    out.info.path = path;
    out.info.name = info.name.empty() ? path.substr(path.find_last_of("/\\") + 1) : info.name;
    out.info.architecture = info.arch;
    out.info.contextSize = backend.contextSize();
    out.info.templateFormat = std::string(out.chatTemplate.formatName());
    out.info.templateNotice = out.chatTemplate.notice();
    out.info.templateFallback = out.chatTemplate.isFallback();
    return out;
}

}  // namespace tiefsee::chat
