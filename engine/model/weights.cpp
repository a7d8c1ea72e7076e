#include "model/weights.h"

#include "quant/dequant.h"
#include "quant/texel_layout.h"

#include <algorithm>
#include <cstring>

namespace tiefsee::model {
namespace {

Error invalid(const std::string& msg) { return makeError(ErrorKind::InvalidInput, msg); }

// The embedding table keeps GGUF's block layout (get_rows reads it).
constexpr std::string_view kTokenEmbd = "token_embd.weight";

bool isMatrixName(std::string_view name)
{
    return name.ends_with(".weight") && name.find("norm") == std::string_view::npos &&
           name != "rope_freqs.weight";
}

// Uploads matrices and vectors while counting progress.
class Uploader {
public:
    Uploader(vk::Context& ctx, const gguf::GgufFile& file, const UploadOptions& opt)
        : m_ctx(ctx), m_file(file), m_opt(opt)
    {
        for (const auto& t : file.tensors())
            m_total += t.nBytes;
    }

    Result<const gguf::TensorInfo*> find(const std::string& name, const std::vector<uint64_t>& shape)
    {
        const gguf::TensorInfo* t = m_file.tensor(name);
        if (!t)
            return invalid("tensor '" + name + "' is missing from the model file");
        bool same = t->nDims == shape.size();
        size_t d = 0;
        std::string want;
        for (uint64_t s : shape) {
            same = same && t->ne[d++] == s;
            want += (want.empty() ? "" : "x") + std::to_string(s);
        }
        if (!same)
            return invalid("tensor '" + name + "' has shape " + t->shapeString() + ", expected " + want);
        return t;
    }

    // A 1-D f32 vector (norm weight, bias, rope_freqs), appended to `dst` at byte `offset`.
    Result<void> vector(const std::string& name, uint64_t n, vk::Tensor& dst, uint64_t offset)
    {
        auto t = find(name, {n});
        if (!t)
            return t.error();
        std::vector<float> v(n);
        if (auto r = quant::dequantize((*t)->type, (*t)->data, v.data(), n); !r)
            return invalid("tensor '" + name + "': " + r.error().message);
        if (!dst.valid()) {
            auto a = m_ctx.allocate(n * sizeof(float));
            if (!a)
                return a.error();
            dst = std::move(*a);
        }
        if (auto r = m_ctx.upload(dst.view().sub(offset, n * sizeof(float)), v.data(), n * sizeof(float)); !r)
            return r;
        return advance((*t)->nBytes);
    }

    Result<void> vector(const std::string& name, uint64_t n, vk::Tensor& dst) { return vector(name, n, dst, 0); }

    // `layout`: Blocks for the embedding table (get_rows reads it), Best for matrices
    // only ever multiplied with.
    Result<Linear> matrix(const std::string& name, uint64_t nIn, uint64_t nOut, vk::WeightLayout layout = vk::WeightLayout::Best)
    {
        auto tr = find(name, {nIn, nOut});
        if (!tr)
            return tr.error();
        const gguf::TensorInfo& t = **tr;
        if (!vk::weightTypeSupported(t.type))
            return makeError(ErrorKind::Unsupported, "tensor '" + name + "' has type " + ggmlTypeName(t.type) +
                                                         ", which Tiefsee cannot compute with");
        if (m_opt.blockLayoutOnly)
            layout = vk::WeightLayout::Blocks;
        auto m = vk::uploadWeights(m_ctx, t.type, uint32_t(nOut), uint32_t(nIn), t.data, layout);
        if (!m)
            return makeError(m.error().kind, "tensor '" + name + "': " + m.error().message);
        Linear l;
        l.name = name;
        l.m = std::move(*m);
        if (auto r = advance(t.nBytes); !r)
            return r.error();
        return l;
    }

private:
    Result<void> advance(uint64_t bytes)
    {
        m_done += bytes;
        if (m_opt.progress)
            m_opt.progress(std::min(m_done, m_total), m_total);
        if (m_opt.cancel && m_opt.cancel->load())
            return makeError(ErrorKind::Cancelled, "loading the model was cancelled");
        return {};
    }

    vk::Context& m_ctx;
    const gguf::GgufFile& m_file;
    const UploadOptions& m_opt;
    uint64_t m_total = 0;
    uint64_t m_done = 0;
};

uint64_t linearBytes(const Linear& l) { return l.bytes(); }

}  // namespace

uint64_t weightDeviceBytes(const gguf::GgufFile& file, const vk::DeviceInfo& device, bool blockLayoutOnly)
{
    uint64_t total = 0;
    for (const auto& t : file.tensors()) {
        if (!isMatrixName(t.name))
            total += t.type == GgmlType::F32 ? t.nBytes : t.nElements * sizeof(float);  // vectors are stored as f32
        else if (!blockLayoutOnly && t.name != kTokenEmbd && t.ne[0] <= UINT32_MAX &&
                 vk::usesTexelLayout(device, t.type, uint32_t(t.ne[0])))
            total += texelLayoutBytes(t.type, t.rows(), t.ne[0]);
        else
            total += t.nBytes;
    }
    return total;
}

Result<Weights> uploadWeights(vk::Context& ctx, const gguf::GgufFile& file, const ModelInfo& info,
                              const UploadOptions& options)
{
    Uploader up(ctx, file, options);
    Weights w;
    const uint64_t nEmbd = info.nEmbd, hd = info.headDim, nQ = uint64_t(info.nHead) * hd,
                   nKvD = uint64_t(info.nHeadKv) * hd, nFf = info.nFf;
    if (info.headDimV != info.headDim)
        return makeError(ErrorKind::Unsupported, "models whose value heads differ in size from key heads are not supported");

#define TRY(expr)                 \
    if (auto r_ = (expr); !r_)    \
        return r_.error();
#define TRY_ASSIGN(dst, expr)     \
    {                             \
        auto r_ = (expr);         \
        if (!r_)                  \
            return r_.error();    \
        dst = std::move(*r_);     \
    }

    TRY_ASSIGN(w.tokenEmbd, up.matrix(std::string(kTokenEmbd), nEmbd, info.nVocab, vk::WeightLayout::Blocks));
    for (uint32_t i = 0; i < info.nLayer; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        LayerWeights L;
        TRY(up.vector(p + "attn_norm.weight", nEmbd, L.attnNorm));
        TRY_ASSIGN(L.wq, up.matrix(p + "attn_q.weight", nEmbd, nQ));
        TRY_ASSIGN(L.wk, up.matrix(p + "attn_k.weight", nEmbd, nKvD));
        TRY_ASSIGN(L.wv, up.matrix(p + "attn_v.weight", nEmbd, nKvD));
        if (info.qkvBias) {
            auto a = ctx.allocate((nQ + 2 * nKvD) * 4);
            if (!a)
                return a.error();
            L.qkvBias = std::move(*a);
            TRY(up.vector(p + "attn_q.bias", nQ, L.qkvBias, 0));
            TRY(up.vector(p + "attn_k.bias", nKvD, L.qkvBias, nQ * 4));
            TRY(up.vector(p + "attn_v.bias", nKvD, L.qkvBias, (nQ + nKvD) * 4));
        }
        if (info.qkNorm) {
            auto a = ctx.allocate(2 * hd * 4);
            if (!a)
                return a.error();
            L.qkNorm = std::move(*a);
            TRY(up.vector(p + "attn_q_norm.weight", hd, L.qkNorm, 0));
            TRY(up.vector(p + "attn_k_norm.weight", hd, L.qkNorm, hd * 4));
        }
        TRY_ASSIGN(L.wo, up.matrix(p + "attn_output.weight", nQ, nEmbd));
        TRY(up.vector(p + "ffn_norm.weight", nEmbd, L.ffnNorm));
        TRY_ASSIGN(L.gate, up.matrix(p + "ffn_gate.weight", nEmbd, nFf));
        TRY_ASSIGN(L.up, up.matrix(p + "ffn_up.weight", nEmbd, nFf));
        TRY_ASSIGN(L.down, up.matrix(p + "ffn_down.weight", nFf, nEmbd));
        w.layers.push_back(std::move(L));
    }
    TRY(up.vector("output_norm.weight", nEmbd, w.outputNorm));
    if (!info.tiedOutput)
        TRY_ASSIGN(w.output, up.matrix("output.weight", nEmbd, info.nVocab));
    if (file.tensor("rope_freqs.weight"))
        TRY(up.vector("rope_freqs.weight", info.ropeDims / 2, w.ropeFreqs));
#undef TRY
#undef TRY_ASSIGN

    uint64_t bytes = linearBytes(w.tokenEmbd) + linearBytes(w.output) + w.outputNorm.size() + w.ropeFreqs.size();
    uint64_t read = linearBytes(w.outputMatrix()) + w.tokenEmbd.m.data.rowBytes;
    for (const auto& L : w.layers) {
        const uint64_t m = linearBytes(L.wq) + linearBytes(L.wk) + linearBytes(L.wv) + linearBytes(L.wo) +
                           linearBytes(L.gate) + linearBytes(L.up) + linearBytes(L.down);
        bytes += m + L.attnNorm.size() + L.ffnNorm.size() + L.qkvBias.size() + L.qkNorm.size();
        read += m;
    }
    w.deviceBytes = bytes;
    w.decodeReadBytes = read;
    return w;
}

}  // namespace tiefsee::model
