#include "model/model.h"

#include "model/forward.h"
#include "model/weights.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <cstring>

namespace tiefsee::model {
namespace {

std::string gib(uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f GiB", double(bytes) / double(1ull << 30));
    return buf;
}

}  // namespace

struct Model::Impl {
    std::unique_ptr<gguf::GgufFile> file;
    std::unique_ptr<Tokenizer> tokenizer;
    ModelInfo info;
    std::unique_ptr<vk::Context> ctx;  // destroyed last (declared first among device objects)
    Weights weights;
    KvCache kv;
    Forward forward;
    vk::Recorder decodeRec;   // the decode step, recorded once
    vk::Recorder decodeRecLong;  // the same from Forward::longDecodeKeys() keys, where the device has that path
    bool lastDecodeLong = false;  // which of the two ran last (decodeProfile)
    vk::Recorder prefillRec;  // the last batch of a prefill, re-recorded when its shape changes
    uint32_t prefillRecTok = 0;
    vk::Recorder prefillBodyRec;  // the batches before it (no logits), recorded on first use
    uint32_t prefillBodyTok = 0;
    uint64_t gpuTopKSamples = 0;  // samples served by the device's top-k (ModelStats)
    bool prefillRecAll = false;
    size_t pos = 0;               // tokens in the KV cache
    uint32_t batchSize = 0;
    // What the last forward pass left in the logits buffer.
    uint32_t lastRows = 0;        // rows of logits (1, or the last batch's size with All)
    std::vector<float> allLogits; // LogitsMode::All: rows of earlier batches of this prefill
    bool allMode = false;
    bool haveLogits = false;

    ~Impl()
    {
        // Device objects go before the context that owns their memory.
        prefillRec = {};
        prefillBodyRec = {};
        decodeRec = {};
        decodeRecLong = {};
        forward = {};
        kv = {};
        weights = {};
        ctx.reset();
    }
};

Model::Model(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
Model::~Model() = default;

const ModelInfo& Model::info() const { return m->info; }
const Tokenizer& Model::tokenizer() const { return *m->tokenizer; }
const vk::DeviceInfo& Model::device() const { return m->ctx->info(); }
vk::Context& Model::context() { return *m->ctx; }
uint32_t Model::contextLength() const { return m->kv.capacity; }
uint32_t Model::batchSize() const { return m->batchSize; }
size_t Model::kvPosition() const { return m->pos; }

void Model::truncateKv(size_t n)
{
    assert(n <= m->pos);
    m->pos = n;
    m->haveLogits = false;
}

ModelStats Model::stats() const
{
    ModelStats s;
    s.weightBytes = m->weights.deviceBytes;
    s.decodeReadBytes = m->weights.decodeReadBytes;
    s.kvBytes = m->kv.bytes;
    s.deviceBytes = m->ctx->bytesAllocated();
    s.gpuTopKSamples = m->gpuTopKSamples;
    return s;
}

std::vector<vk::OpTiming> Model::decodeProfile() const
{
    return (m->lastDecodeLong ? m->decodeRecLong : m->decodeRec).timings();
}

// Records the decode step (one token, last logits + argmax) into a fresh recorder.
static Result<vk::Recorder> recordDecode(vk::Context& ctx, Forward& forward, bool profile, bool longContext)
{
    auto rec = vk::Recorder::create(ctx, {.profile = profile});
    if (!rec)
        return rec.error();
    rec->begin();
    if (auto r = forward.record(*rec, 1, PassLogits::Last, longContext); !r)
        return r.error();
    rec->end();
    return std::move(*rec);
}

// Records both decode steps (the long-context one where the device has it).
static Result<void> recordDecodeSteps(Model::Impl& m, bool profile)
{
    auto rec = recordDecode(*m.ctx, m.forward, profile, false);
    if (!rec)
        return rec.error();
    m.decodeRec = std::move(*rec);
    if (m.forward.hasLongDecode()) {
        auto longRec = recordDecode(*m.ctx, m.forward, profile, true);
        if (!longRec)
            return longRec.error();
        m.decodeRecLong = std::move(*longRec);
    }
    return {};
}

std::vector<vk::OpTiming> Model::prefillProfile() const { return m->prefillRec.timings(); }

// Fresh prefill recorders (recorded on the first batch that needs each).
static Result<void> resetPrefillRecorder(Model::Impl& m, bool profile)
{
    auto rec = vk::Recorder::create(*m.ctx, {.profile = profile});
    if (!rec)
        return rec.error();
    auto body = vk::Recorder::create(*m.ctx, {.profile = profile});
    if (!body)
        return body.error();
    m.prefillRec = std::move(*rec);
    m.prefillRecTok = 0;
    m.prefillBodyRec = std::move(*body);
    m.prefillBodyTok = 0;
    return {};
}

Result<void> Model::setProfiling(bool on)
{
    if (auto r = recordDecodeSteps(*m, on); !r)
        return r;
    return resetPrefillRecorder(*m, on);
}

Result<std::unique_ptr<Model>> Model::load(const std::string& path, const LoadOptions& options)
{
    auto impl = std::make_unique<Impl>();
    auto file = gguf::GgufFile::open(path);
    if (!file)
        return file.error();
    impl->file = std::move(*file);
    auto info = describeModel(*impl->file);
    if (!info)
        return info.error();
    impl->info = std::move(*info);
    const ModelInfo& mi = impl->info;
    auto tok = Tokenizer::fromGguf(*impl->file);
    if (!tok)
        return tok.error();
    impl->tokenizer = std::move(*tok);

    auto ctx = vk::Context::create(options.device);
    if (!ctx)
        return ctx.error();
    impl->ctx = std::move(*ctx);
    vk::Context& c = *impl->ctx;

    // Memory check before anything is allocated: weights + KV cache + work buffers.
    uint32_t nCtx = options.contextLength ? options.contextLength : mi.contextLength;
    const bool cpuLimit = c.info().type == vk::DeviceType::Cpu && nCtx > kMaxCpuContext;
    if (cpuLimit && !options.contextLength)
        nCtx = kMaxCpuContext;  // the model's own context is longer than this device can use
    impl->batchSize = std::clamp<uint32_t>(options.batchSize, 1, std::max<uint32_t>(1, nCtx));
    const uint64_t weightBytes = weightDeviceBytes(*impl->file, c.info(), options.blockLayoutOnly);
    const uint64_t actBytes = activationBytes(mi, impl->batchSize) + (4ull << 20);
    const uint64_t avail = c.bytesAvailable();
    const uint64_t kvPerToken = kvCacheBytes(mi, 1);
    if (weightBytes + actBytes + kvCacheBytes(mi, nCtx) > avail) {
        if (weightBytes + actBytes + kvPerToken * 256 > avail)
            return makeError(ErrorKind::OutOfMemory,
                             "the model needs " + gib(weightBytes) + " of device memory for its weights, but " +
                                 c.info().name + " has only " + gib(avail) + " free; choose a smaller model or quantization");
        const uint64_t fits = (avail - weightBytes - actBytes) / kvPerToken;
        return makeError(ErrorKind::OutOfMemory,
                         "a context of " + std::to_string(nCtx) + " tokens needs " + gib(kvCacheBytes(mi, nCtx)) +
                             " for the KV cache on top of " + gib(weightBytes) + " of weights, but " + c.info().name +
                             " has " + gib(avail) + " free; a context of at most " + std::to_string(fits) +
                             " tokens would fit");
    }
    if (cpuLimit && options.contextLength)
        return makeError(ErrorKind::Unsupported, "a context of " + std::to_string(nCtx) + " tokens is more than " + c.info().name +
                                                     " can attend over (at most " + std::to_string(kMaxCpuContext) +
                                                     " tokens on a CPU Vulkan driver); choose a shorter context");

    UploadOptions up;
    up.progress = options.progress;
    up.blockLayoutOnly = options.blockLayoutOnly;
    up.cancel = options.cancel;
    auto w = uploadWeights(c, *impl->file, mi, up);
    if (!w)
        return w.error();
    impl->weights = std::move(*w);

    // KV cache: one K and one V tensor per layer.
    KvCache& kv = impl->kv;
    kv.capacity = nCtx;
    const uint64_t layerBytes = kvCacheBytes(mi, nCtx) / (2ull * mi.nLayer);
    if (layerBytes > c.info().maxStorageBufferRange)
        return makeError(ErrorKind::Unsupported,
                         "a context of " + std::to_string(nCtx) + " tokens needs " + gib(layerBytes) +
                             " per layer of KV cache, more than this device binds at once; at most " +
                             std::to_string(c.info().maxStorageBufferRange / kvCacheBytes(mi, 1) * 2 * mi.nLayer) +
                             " tokens would fit");
    for (uint32_t l = 0; l < mi.nLayer; ++l) {
        auto k = c.allocate(layerBytes);
        if (!k)
            return k.error();
        auto v = c.allocate(layerBytes);
        if (!v)
            return v.error();
        kv.k.push_back(std::move(*k));
        kv.v.push_back(std::move(*v));
    }
    kv.bytes = layerBytes * 2 * mi.nLayer;

    auto fwd = Forward::create(c, impl->info, impl->weights, impl->kv, impl->batchSize);
    if (!fwd)
        return fwd.error();
    impl->forward = std::move(*fwd);

    if (auto r = recordDecodeSteps(*impl, options.profile); !r)
        return r.error();
    if (auto r = resetPrefillRecorder(*impl, options.profile); !r)
        return r.error();
    return std::unique_ptr<Model>(new Model(std::move(impl)));
}

Result<void> Model::prefill(std::span<const int32_t> tokens, LogitsMode mode, const std::atomic<bool>* cancel)
{
    if (tokens.empty())
        return makeError(ErrorKind::InvalidInput, "nothing to prefill: the token list is empty");
    for (int32_t t : tokens)
        if (t < 0 || uint32_t(t) >= m->info.nVocab)
            return makeError(ErrorKind::InvalidInput, "token id " + std::to_string(t) + " is outside the vocabulary (0.." +
                                                          std::to_string(m->info.nVocab - 1) + ")");
    if (m->pos + tokens.size() > m->kv.capacity)
        return makeError(ErrorKind::InvalidInput, "the context is full: " + std::to_string(m->pos) + " + " +
                                                      std::to_string(tokens.size()) + " tokens exceed the context length of " +
                                                      std::to_string(m->kv.capacity));
    const bool all = mode == LogitsMode::All;
    const uint32_t step = all ? std::min(m->batchSize, m->forward.maxLogitRows()) : m->batchSize;
    m->haveLogits = false;
    m->allLogits.clear();
    m->allMode = all;
    for (size_t i = 0; i < tokens.size(); i += step) {
        if (cancel && cancel->load())
            return makeError(ErrorKind::Cancelled, "prefill was cancelled");
        const uint32_t n = uint32_t(std::min<size_t>(step, tokens.size() - i));
        // A batch that more follow leaves no logits unless all are wanted (and records
        // apart from the last, whose shape varies).
        const bool body = !all && i + n < tokens.size();
        vk::Recorder& rec = body ? m->prefillBodyRec : m->prefillRec;
        uint32_t& recTok = body ? m->prefillBodyTok : m->prefillRecTok;
        if (recTok != n || (!body && m->prefillRecAll != all)) {
            rec.begin();
            if (auto r = m->forward.record(rec, n, body ? PassLogits::None : all ? PassLogits::All : PassLogits::Last); !r)
                return r;
            rec.end();
            recTok = n;
            if (!body)
                m->prefillRecAll = all;
        }
        m->forward.setBatch(uint32_t(m->pos), tokens.subspan(i, n));
        if (auto r = rec.run(); !r)
            return r;
        m->pos += n;
        m->lastRows = all ? n : 1;
        if (all && i + n < tokens.size()) {  // keep this batch's rows before the next overwrites them
            const size_t old = m->allLogits.size();
            m->allLogits.resize(old + size_t(n) * m->info.nVocab);
            if (auto r = m->ctx->download(m->forward.logits().view(), m->allLogits.data() + old,
                                          uint64_t(n) * m->info.nVocab * 4);
                !r)
                return r;
        }
    }
    m->haveLogits = true;
    return {};
}

Result<void> Model::decode(int32_t token)
{
    if (token < 0 || uint32_t(token) >= m->info.nVocab)
        return makeError(ErrorKind::InvalidInput, "token id " + std::to_string(token) + " is outside the vocabulary");
    if (m->pos + 1 > m->kv.capacity)
        return makeError(ErrorKind::InvalidInput,
                         "the context is full (" + std::to_string(m->kv.capacity) + " tokens)");
    m->forward.setBatch(uint32_t(m->pos), std::span<const int32_t>(&token, 1));
    m->lastDecodeLong = m->forward.hasLongDecode() && m->pos + 1 >= m->forward.longDecodeKeys();
    if (auto r = (m->lastDecodeLong ? m->decodeRecLong : m->decodeRec).run(); !r)
        return r;
    m->pos += 1;
    m->lastRows = 1;
    m->allMode = false;
    m->allLogits.clear();
    m->haveLogits = true;
    return {};
}

Result<int32_t> Model::sample(Sampler& sampler)
{
    if (!m->haveLogits)
        return makeError(ErrorKind::InvalidInput, "no logits to sample from: prefill or decode first");
    const Sampler::GpuPlan plan = sampler.gpuPlan();
    m->forward.setTopK(plan == Sampler::GpuPlan::TopK);  // for the next passes
    switch (plan) {
    case Sampler::GpuPlan::Argmax:
        return m->forward.argmaxId();
    case Sampler::GpuPlan::TopK:
        // Candidates exist when this pass already had top-k on (the sampler's plan
        // usually stays the same for a whole reply); else read the logits once.
        if (auto c = m->forward.topCandidates(); !c.empty()) {
            ++m->gpuTopKSamples;
            return sampler.sampleTopK(c);
        }
        break;
    case Sampler::GpuPlan::FullLogits:
        break;
    }
    auto l = logits();
    if (!l)
        return l.error();
    return sampler.sample(*l);
}

Result<std::vector<float>> Model::logits()
{
    if (!m->haveLogits)
        return makeError(ErrorKind::InvalidInput, "no logits: prefill or decode first");
    const uint64_t nv = m->info.nVocab;
    std::vector<float> out(nv);
    if (auto r = m->ctx->download(m->forward.logits().view().sub((m->lastRows - 1) * nv * 4, nv * 4), out.data(), nv * 4);
        !r)
        return r.error();
    return out;
}

Result<std::vector<float>> Model::allLogits()
{
    if (!m->haveLogits)
        return makeError(ErrorKind::InvalidInput, "no logits: prefill or decode first");
    if (!m->allMode)
        return logits();
    const uint64_t nv = m->info.nVocab;
    std::vector<float> out = m->allLogits;
    const size_t old = out.size();
    out.resize(old + m->lastRows * nv);
    if (auto r = m->ctx->download(m->forward.logits().view(), out.data() + old, m->lastRows * nv * 4); !r)
        return r.error();
    return out;
}

}  // namespace tiefsee::model
