#include "model/model_info.h"

#include <map>
#include <vector>

namespace tiefsee::model {
namespace {

Error invalid(const std::string& msg) { return makeError(ErrorKind::InvalidInput, msg); }

// A required positive integer key that must fit in 32 bits.
Result<uint32_t> requireDim(const gguf::GgufFile& f, const std::string& key)
{
    const gguf::Value* v = f.find(key);
    if (!v)
        return invalid("missing metadata key '" + key + "'");
    auto u = f.getUInt(key);
    if (!u)
        return invalid("metadata key '" + key + "' must be a non-negative integer, not " +
                       std::string(gguf::valueTypeName(v->type)));
    if (*u == 0 || *u > 0x7fffffff)
        return invalid("metadata key '" + key + "' has invalid value " + std::to_string(*u));
    return static_cast<uint32_t>(*u);
}

// An optional positive integer key: nullopt if absent, error if present but bad.
Result<std::optional<uint32_t>> optionalDim(const gguf::GgufFile& f, const std::string& key)
{
    if (!f.find(key))
        return std::optional<uint32_t>{};
    auto r = requireDim(f, key);
    if (!r)
        return r.error();
    return std::optional<uint32_t>{*r};
}

// An optional float key with a default; error if present but not numeric/positive.
Result<float> optionalPositiveFloat(const gguf::GgufFile& f, const std::string& key, float dflt)
{
    const gguf::Value* v = f.find(key);
    if (!v)
        return dflt;
    auto d = f.getFloat(key);
    if (!d)
        return invalid("metadata key '" + key + "' must be a number, not " + std::string(gguf::valueTypeName(v->type)));
    if (!(*d > 0) || *d > 1e30)
        return invalid("metadata key '" + key + "' has invalid value " + std::to_string(*d));
    return static_cast<float>(*d);
}

std::string shapeOf(const std::vector<uint64_t>& dims)
{
    std::string s;
    for (uint64_t d : dims)
        s += (s.empty() ? "" : "x") + std::to_string(d);
    return s;
}

// Checks that tensor `name` exists (unless optional) with exactly the given ggml shape.
// Returns true if present.
Result<bool> checkTensor(const gguf::GgufFile& f, const std::string& name, const std::vector<uint64_t>& shape,
                         bool optional = false)
{
    const gguf::TensorInfo* t = f.tensor(name);
    if (!t) {
        if (optional)
            return false;
        return invalid("tensor '" + name + "' is missing");
    }
    bool same = t->nDims == shape.size();
    size_t d = 0;
    for (uint64_t want : shape)
        same = same && t->ne[d++] == want;
    if (!same)
        return invalid("tensor '" + name + "' has shape " + t->shapeString() + ", expected " + shapeOf(shape));
    return true;
}

// llama_ftype names (llama.h); gaps are ids llama.cpp removed.
std::string ftypeName(int32_t id)
{
    static const std::map<int32_t, const char*> names = {
        {0, "F32"}, {1, "F16"}, {2, "Q4_0"}, {3, "Q4_1"}, {7, "Q8_0"}, {8, "Q5_0"}, {9, "Q5_1"},
        {10, "Q2_K"}, {11, "Q3_K_S"}, {12, "Q3_K_M"}, {13, "Q3_K_L"}, {14, "Q4_K_S"}, {15, "Q4_K_M"},
        {16, "Q5_K_S"}, {17, "Q5_K_M"}, {18, "Q6_K"}, {19, "IQ2_XXS"}, {20, "IQ2_XS"}, {21, "Q2_K_S"},
        {22, "IQ3_XS"}, {23, "IQ3_XXS"}, {24, "IQ1_S"}, {25, "IQ4_NL"}, {26, "IQ3_S"}, {27, "IQ3_M"},
        {28, "IQ2_S"}, {29, "IQ2_M"}, {30, "IQ4_XS"}, {31, "IQ1_M"}, {32, "BF16"}, {36, "TQ1_0"},
        {37, "TQ2_0"}, {38, "MXFP4_MOE"},
    };
    auto it = names.find(id);
    return it == names.end() ? std::string() : std::string(it->second);
}

}  // namespace

std::string fileTypeName(int32_t ftype) { return ftypeName(ftype); }

std::string_view ropeTypeName(RopeType t) { return t == RopeType::Neox ? "neox" : "normal"; }

Result<ModelInfo> describeModel(const gguf::GgufFile& f)
{
    ModelInfo m;
    auto arch = f.getString("general.architecture");
    if (!arch)
        return invalid("missing or non-string metadata key 'general.architecture'");
    m.arch = std::string(*arch);
    if (m.arch == "qwen2")
        m.archKind = Arch::Qwen2;
    else if (m.arch == "llama")
        m.archKind = Arch::Llama;
    else if (m.arch == "qwen3")
        m.archKind = Arch::Qwen3;
    else
        return makeError(ErrorKind::Unsupported,
                         "architecture '" + m.arch + "' is not supported (Tiefsee runs qwen2, llama, qwen3)");
    if (auto n = f.getString("general.name"))
        m.name = std::string(*n);
    const std::string p = m.arch + ".";

    // ---- dimensions
#define TIEFSEE_DIM(field, key)                  \
    if (auto r = requireDim(f, p + key); !r)     \
        return r.error();                        \
    else                                         \
        m.field = *r
    TIEFSEE_DIM(nLayer, "block_count");
    TIEFSEE_DIM(nEmbd, "embedding_length");
    TIEFSEE_DIM(nHead, "attention.head_count");
    TIEFSEE_DIM(nFf, "feed_forward_length");
    TIEFSEE_DIM(contextLength, "context_length");
#undef TIEFSEE_DIM
    {
        auto kv = optionalDim(f, p + "attention.head_count_kv");
        if (!kv)
            return kv.error();
        m.nHeadKv = kv->value_or(m.nHead);
    }
    if (m.nHeadKv > m.nHead || m.nHead % m.nHeadKv != 0)
        return invalid("attention.head_count " + std::to_string(m.nHead) + " is not a multiple of head_count_kv " +
                       std::to_string(m.nHeadKv));
    {
        auto kl = optionalDim(f, p + "attention.key_length");
        if (!kl)
            return kl.error();
        if (*kl) {
            m.headDim = **kl;
        } else {
            if (m.nEmbd % m.nHead != 0)
                return invalid("embedding_length " + std::to_string(m.nEmbd) + " is not divisible by head_count " +
                               std::to_string(m.nHead) + " and attention.key_length is missing");
            m.headDim = m.nEmbd / m.nHead;
        }
        auto vl = optionalDim(f, p + "attention.value_length");
        if (!vl)
            return vl.error();
        m.headDimV = vl->value_or(m.headDim);
    }

    // ---- rope
    m.ropeType = m.archKind == Arch::Llama ? RopeType::Normal : RopeType::Neox;
    if (auto r = optionalPositiveFloat(f, p + "rope.freq_base", 10000.f); !r)
        return r.error();
    else
        m.ropeTheta = *r;
    {
        auto rd = optionalDim(f, p + "rope.dimension_count");
        if (!rd)
            return rd.error();
        m.ropeDims = rd->value_or(m.headDim);
        if (m.ropeDims > m.headDim || m.ropeDims % 2 != 0)
            return invalid("rope.dimension_count " + std::to_string(m.ropeDims) + " must be even and at most the head dim " +
                           std::to_string(m.headDim));
    }
    if (auto t = f.getString(p + "rope.scaling.type"))
        m.ropeScalingType = std::string(*t);
    if (auto r = optionalPositiveFloat(f, p + "rope.scaling.factor", 1.f); !r)
        return r.error();
    else
        m.ropeScalingFactor = *r;
    if (auto oc = optionalDim(f, p + "rope.scaling.original_context_length"); !oc)
        return oc.error();
    else
        m.ropeOrigContext = oc->value_or(0);

    // ---- norms
    if (auto r = optionalPositiveFloat(f, p + "attention.layer_norm_rms_epsilon", 1e-5f); !r)
        return r.error();
    else
        m.rmsEps = *r;
    if (m.rmsEps > 1.f)
        return invalid("attention.layer_norm_rms_epsilon " + std::to_string(m.rmsEps) + " is implausibly large");

    // ---- vocabulary size: embedding rows, else tokenizer token count
    uint64_t nTokens = 0;
    if (const gguf::Value* toks = f.getArray("tokenizer.ggml.tokens"))
        nTokens = toks->count;
    if (const gguf::TensorInfo* emb = f.tensor("token_embd.weight")) {
        if (emb->nDims != 2 || emb->ne[0] != m.nEmbd)
            return invalid("tensor 'token_embd.weight' has shape " + emb->shapeString() + ", expected " +
                           std::to_string(m.nEmbd) + "xN_VOCAB");
        if (emb->ne[1] > 0x7fffffff)
            return invalid("tensor 'token_embd.weight' has " + std::to_string(emb->ne[1]) + " rows");
        m.nVocab = static_cast<uint32_t>(emb->ne[1]);
        if (nTokens > m.nVocab)
            return invalid("the tokenizer has " + std::to_string(nTokens) + " tokens but token_embd.weight only " +
                           std::to_string(m.nVocab) + " rows");
    } else if (nTokens > 0 && nTokens <= 0x7fffffff) {
        m.nVocab = static_cast<uint32_t>(nTokens);
    } else if (auto vs = f.getUInt(p + "vocab_size"); vs && *vs > 0 && *vs <= 0x7fffffff) {
        m.nVocab = static_cast<uint32_t>(*vs);
    } else {
        return invalid("cannot tell the vocabulary size: no token_embd.weight and no tokenizer.ggml.tokens");
    }

    // ---- tensors: presence and shapes (only when the file carries weights)
    const bool hasWeights = !f.tensors().empty();
    m.hasRopeFreqs = f.tensor("rope_freqs.weight") != nullptr;
    if (hasWeights) {
        const uint64_t E = m.nEmbd, V = m.nVocab, F = m.nFf;
        const uint64_t qDim = uint64_t(m.nHead) * m.headDim, kDim = uint64_t(m.nHeadKv) * m.headDim;
        const uint64_t vDim = uint64_t(m.nHeadKv) * m.headDimV, oDim = uint64_t(m.nHead) * m.headDimV;
        auto need = [&](const std::string& name, const std::vector<uint64_t>& shape, bool optional = false) {
            return checkTensor(f, name, shape, optional);
        };
        if (auto r = need("output_norm.weight", {E}); !r)
            return r.error();
        auto out = need("output.weight", {E, V}, true);
        if (!out)
            return out.error();
        m.tiedOutput = !*out;
        if (m.hasRopeFreqs)
            if (auto r = need("rope_freqs.weight", {m.ropeDims / 2u}); !r)
                return r.error();
        for (uint32_t l = 0; l < m.nLayer; ++l) {
            const std::string b = "blk." + std::to_string(l) + ".";
            struct Required {
                const char* name;
                std::vector<uint64_t> shape;
            };
            const Required required[] = {
                {"attn_norm.weight", {E}}, {"attn_q.weight", {E, qDim}}, {"attn_k.weight", {E, kDim}},
                {"attn_v.weight", {E, vDim}}, {"attn_output.weight", {oDim, E}}, {"ffn_norm.weight", {E}},
                {"ffn_gate.weight", {E, F}}, {"ffn_up.weight", {E, F}}, {"ffn_down.weight", {F, E}}};
            for (const Required& req : required)
                if (auto r = need(b + req.name, req.shape); !r)
                    return r.error();
            // Biases and q/k norms: all-or-nothing, checked on every layer.
            auto qb = need(b + "attn_q.bias", {qDim}, true);
            auto kb = need(b + "attn_k.bias", {kDim}, true);
            auto vb = need(b + "attn_v.bias", {vDim}, true);
            auto qn = need(b + "attn_q_norm.weight", {m.headDim}, true);
            auto kn = need(b + "attn_k_norm.weight", {m.headDim}, true);
            for (auto* r : {&qb, &kb, &vb, &qn, &kn})
                if (!*r)
                    return r->error();
            const bool bias = *qb && *kb && *vb, anyBias = *qb || *kb || *vb;
            const bool norm = *qn && *kn, anyNorm = *qn || *kn;
            if (bias != anyBias)
                return invalid("layer " + std::to_string(l) + " has only some of the attn_q/k/v biases");
            if (norm != anyNorm)
                return invalid("layer " + std::to_string(l) + " has only one of attn_q_norm/attn_k_norm");
            if (l == 0) {
                m.qkvBias = bias;
                m.qkNorm = norm;
            } else if (m.qkvBias != bias || m.qkNorm != norm) {
                return invalid("layer " + std::to_string(l) + " differs from layer 0 in its attention biases or q/k norms");
            }
        }
        for (const auto& t : f.tensors()) {
            m.nParams += t.nElements;
            m.tensorBytes += t.nBytes;
        }
    }
    m.ropeLlama3 = m.ropeScalingType == "llama3" || (m.archKind == Arch::Llama && m.hasRopeFreqs);

    // ---- file type: the key, else the most common type among matrices
    if (const gguf::Value* ft = f.find("general.file_type")) {
        auto id = f.getInt("general.file_type");
        if (!id || *id < 0 || *id > 1024)
            return invalid("metadata key 'general.file_type' has an invalid value");
        m.fileType = static_cast<int32_t>(*id);
        m.fileTypeName = ftypeName(m.fileType);
        if (m.fileTypeName.empty())
            m.fileTypeName = "unknown (" + std::to_string(*id) + ")";
        (void)ft;
    } else {
        std::map<std::string, uint64_t> bytesByType;
        for (const auto& t : f.tensors())
            if (t.nDims >= 2)
                bytesByType[ggmlTypeName(t.type)] += t.nElements;
        uint64_t best = 0;
        for (const auto& [name, n] : bytesByType)
            if (n > best) {
                best = n;
                m.fileTypeName = name;
            }
        if (m.fileTypeName.empty())
            m.fileTypeName = "F32";
    }
    m.sizeBytes = f.fileSize();
    return m;
}

}  // namespace tiefsee::model
