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

// The projections of a layer stacked into one output each (LayerWeights), after "blk.N.".
const std::vector<std::vector<std::string>> kStacks = {{"attn_q.weight", "attn_k.weight", "attn_v.weight"},
                                                       {"ffn_gate.weight", "ffn_up.weight"}};

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
        auto t = matrixTensor(name, nIn, nOut);
        if (!t)
            return t.error();
        auto l = upload(name, (*t)->type, nOut, nIn, (*t)->data, layout);
        if (!l)
            return l.error();
        if (auto r = advance((*t)->nBytes); !r)
            return r.error();
        return l;
    }

    // Matrices that read the same input (nIn values), `prefix` + names[i] of nOut[i] rows,
    // stacked by stackRuns: rows [outRow, outRow + rows) of the stacked output.
    Result<std::vector<Linear>> stacked(const std::string& prefix, const std::vector<std::string>& names, uint64_t nIn,
                                        const std::vector<uint64_t>& nOut)
    {
        std::vector<const gguf::TensorInfo*> ts;
        std::vector<GgmlType> types;
        for (size_t i = 0; i < names.size(); ++i) {
            auto t = matrixTensor(prefix + names[i], nIn, nOut[i]);
            if (!t)
                return t.error();
            ts.push_back(*t);
            types.push_back((*t)->type);
        }
        std::vector<Linear> out;
        uint64_t outRow = 0;
        size_t first = 0;
        for (size_t n : stackRuns(types)) {
            std::string name;
            uint64_t rows = 0;
            m_joined.clear();  // the run's rows back to back (a single tensor is read in place)
            for (size_t i = first; i < first + n; ++i) {
                name += (name.empty() ? "" : " + ") + prefix + names[i];
                rows += nOut[i];
                if (n > 1)
                    m_joined.insert(m_joined.end(), ts[i]->data, ts[i]->data + ts[i]->nBytes);
            }
            auto l = upload(name, types[first], rows, nIn, n > 1 ? m_joined.data() : ts[first]->data, vk::WeightLayout::Best);
            if (!l)
                return l.error();
            l->outRow = uint32_t(outRow);
            out.push_back(std::move(*l));
            for (size_t i = first; i < first + n; ++i)
                if (auto r = advance(ts[i]->nBytes); !r)
                    return r.error();
            outRow += rows;
            first += n;
        }
        return out;
    }

private:
    // A matrix tensor of nIn x nOut values whose type the shaders read.
    Result<const gguf::TensorInfo*> matrixTensor(const std::string& name, uint64_t nIn, uint64_t nOut)
    {
        auto t = find(name, {nIn, nOut});
        if (!t)
            return t.error();
        if (!vk::weightTypeSupported((*t)->type))
            return makeError(ErrorKind::Unsupported, "tensor '" + name + "' has type " + ggmlTypeName((*t)->type) +
                                                         ", which Tiefsee cannot compute with");
        return t;
    }

    Result<Linear> upload(const std::string& name, GgmlType type, uint64_t rows, uint64_t cols, const void* src,
                          vk::WeightLayout layout)
    {
        if (m_opt.blockLayoutOnly)
            layout = vk::WeightLayout::Blocks;
        auto m = vk::uploadWeights(m_ctx, type, uint32_t(rows), uint32_t(cols), src, layout);
        if (!m)
            return makeError(m.error().kind, "tensor '" + name + "': " + m.error().message);
        Linear l;
        l.name = name;
        l.m = std::move(*m);
        return l;
    }

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
    std::vector<uint8_t> m_joined;  // stacked() joins tensors here; kept, so that its pages are reused
};

uint64_t linearBytes(const Linear& l) { return l.bytes(); }

}  // namespace

uint64_t weightDeviceBytes(const gguf::GgufFile& file, const vk::DeviceInfo& device, bool blockLayoutOnly)
{
    // Bytes of `rows` rows of tensor t's type and row length.
    auto matrixBytes = [&](const gguf::TensorInfo& t, uint64_t rows) -> uint64_t {
        if (!blockLayoutOnly && t.ne[0] <= UINT32_MAX && vk::usesTexelLayout(device, t.type, uint32_t(t.ne[0])))
            return texelLayoutBytes(t.type, rows, t.ne[0]);
        if (rows == t.rows())
            return t.nBytes;
        return t.rows() ? rows * t.rowBytes() : 0;
    };
    uint64_t total = 0;
    for (const auto& t : file.tensors()) {
        if (!isMatrixName(t.name))
            total += t.type == GgmlType::F32 ? t.nBytes : t.nElements * sizeof(float);  // vectors are stored as f32
        else if (t.name != kTokenEmbd)
            total += matrixBytes(t, t.rows());
        else
            total += t.nBytes;
    }
    // A stack of matrices takes the bytes of one matrix of all their rows (the texel
    // layout pads a partial last row group once per matrix).
    for (uint32_t layer = 0; file.tensor("blk." + std::to_string(layer) + ".attn_norm.weight"); ++layer) {
        for (const auto& names : kStacks) {
            std::vector<const gguf::TensorInfo*> ts;
            std::vector<GgmlType> types;
            for (const std::string& n : names)
                if (const gguf::TensorInfo* t = file.tensor("blk." + std::to_string(layer) + "." + n))
                    ts.push_back(t), types.push_back(t->type);
            if (ts.size() != names.size())
                continue;  // the upload will refuse the file
            size_t first = 0;
            for (size_t n : stackRuns(types)) {
                uint64_t rows = 0;
                for (size_t i = first; i < first + n; ++i) {
                    total -= matrixBytes(*ts[i], ts[i]->rows());
                    rows += ts[i]->rows();
                }
                total += matrixBytes(*ts[first], rows);
                first += n;
            }
        }
    }
    return total;
}

std::vector<size_t> stackRuns(std::span<const GgmlType> types)
{
    std::vector<size_t> runs;
    for (size_t i = 0; i < types.size(); ++i) {
        if (i > 0 && types[i] == types[i - 1])
            ++runs.back();
        else
            runs.push_back(1);
    }
    return runs;
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
        TRY_ASSIGN(L.qkv, up.stacked(p, kStacks[0], nEmbd, {nQ, nKvD, nKvD}));
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
        TRY_ASSIGN(L.gateUp, up.stacked(p, kStacks[1], nEmbd, {nFf, nFf}));
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
        uint64_t m = linearBytes(L.wo) + linearBytes(L.down);
        for (const auto* stack : {&L.qkv, &L.gateUp})
            for (const Linear& l : *stack)
                m += linearBytes(l);
        bytes += m + L.attnNorm.size() + L.ffnNorm.size() + L.qkvBias.size() + L.qkNorm.size();
        read += m;
    }
    w.deviceBytes = bytes;
    w.decodeReadBytes = read;
    return w;
}

}  // namespace tiefsee::model
