#include "mkmodel/mkmodel.h"

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "mkmodel/quant_recipe.h"
#include "mkmodel/random_weights.h"
#include "mkmodel/synth_vocab.h"

#include <cmath>
#include <cstdio>
#include <thread>

namespace tiefsee::mkmodel {
namespace {

// One tensor to write: name, ggml shape, type and how its values are drawn.
struct PlannedTensor {
    std::string name;
    std::vector<uint64_t> shape;  // ggml order
    GgmlType type = GgmlType::F32;
    Init init;
};

// llama3 rope frequency divisors (rope_freqs.weight), as llama.cpp's converter computes them.
std::vector<float> llama3RopeFactors(const ModelSpec& s)
{
    const uint32_t dims = s.headDim;
    const double lowWavelen = s.ropeOrigContext / s.ropeLowFreqFactor;
    const double highWavelen = s.ropeOrigContext / s.ropeHighFreqFactor;
    std::vector<float> out;
    for (uint32_t i = 0; i < dims; i += 2) {
        const double freq = 1.0 / std::pow(double(s.ropeTheta), double(i) / dims);
        const double wavelen = 2 * M_PI / freq;
        double factor;
        if (wavelen < highWavelen) {
            factor = 1;
        } else if (wavelen > lowWavelen) {
            factor = s.ropeScaleFactor;
        } else {
            const double smooth = (s.ropeOrigContext / wavelen - s.ropeLowFreqFactor) /
                                  (s.ropeHighFreqFactor - s.ropeLowFreqFactor);
            factor = 1.0 / ((1 - smooth) / s.ropeScaleFactor + smooth);
        }
        out.push_back(static_cast<float>(factor));
    }
    return out;
}

std::vector<PlannedTensor> planTensors(const ModelSpec& s, const FileType& ft)
{
    const uint64_t E = s.nEmbd, V = s.nVocab, F = s.nFf;
    const uint64_t qDim = uint64_t(s.nHead) * s.headDim, kvDim = uint64_t(s.nHeadKv) * s.headDim;
    const bool bias = s.arch == "qwen2", qkNorm = s.arch == "qwen3";
    const bool is70B = s.arch == "llama" && s.nLayer == 80;
    std::vector<PlannedTensor> out;
    auto add = [&](std::string name, std::vector<uint64_t> shape, std::string_view kind, int layer, Init init) {
        TensorRole role{kind, layer, static_cast<int>(s.nLayer), s.nHead / s.nHeadKv, s.tiedOutput, is70B,
                        static_cast<uint32_t>(shape.size()), shape[0]};
        out.push_back({std::move(name), std::move(shape), tensorType(ft, role), std::move(init)});
    };
    auto linear = [](uint64_t fanIn) { return Init{0.f, 1.f / std::sqrt(float(fanIn)), {}}; };
    const Init norm{1.f, 0.1f, {}};
    const Init biasInit{0.f, 0.1f, {}};

    // Untied: embeddings N(0,1), output N(0, 25/n_embd) -> logit std ~5. Tied: small
    // embeddings and a large output_norm, as in the testdata's mini-llama.
    add("token_embd.weight", {E, V}, "token_embd", -1, s.tiedOutput ? Init{0.f, 0.02f, {}} : Init{0.f, 1.f, {}});
    if (s.arch == "llama" && s.llama3Rope)
        add("rope_freqs.weight", {s.headDim / 2u}, "rope_freqs", -1, Init{0.f, 0.f, llama3RopeFactors(s)});
    for (uint32_t l = 0; l < s.nLayer; ++l) {
        const std::string b = "blk." + std::to_string(l) + ".";
        const int li = static_cast<int>(l);
        add(b + "attn_norm.weight", {E}, "norm", li, norm);
        add(b + "attn_q.weight", {E, qDim}, "attn_q", li, linear(E));
        if (bias)
            add(b + "attn_q.bias", {qDim}, "bias", li, biasInit);
        add(b + "attn_k.weight", {E, kvDim}, "attn_k", li, linear(E));
        if (bias)
            add(b + "attn_k.bias", {kvDim}, "bias", li, biasInit);
        add(b + "attn_v.weight", {E, kvDim}, "attn_v", li, linear(E));
        if (bias)
            add(b + "attn_v.bias", {kvDim}, "bias", li, biasInit);
        add(b + "attn_output.weight", {qDim, E}, "attn_output", li, linear(qDim));
        if (qkNorm) {
            add(b + "attn_q_norm.weight", {s.headDim}, "norm", li, norm);
            add(b + "attn_k_norm.weight", {s.headDim}, "norm", li, norm);
        }
        add(b + "ffn_norm.weight", {E}, "norm", li, norm);
        add(b + "ffn_gate.weight", {E, F}, "ffn_gate", li, linear(E));
        add(b + "ffn_up.weight", {E, F}, "ffn_up", li, linear(E));
        add(b + "ffn_down.weight", {F, E}, "ffn_down", li, linear(F));
    }
    const float tiedScale = 5.f / (0.02f * std::sqrt(float(E)));  // 15.625 for n_embd 256
    add("output_norm.weight", {E}, "norm", -1, s.tiedOutput ? Init{tiedScale, 0.1f * tiedScale, {}} : norm);
    if (!s.tiedOutput)
        add("output.weight", {E, V}, "output", -1, Init{0.f, 5.f / std::sqrt(float(E)), {}});
    return out;
}

void writeHyperParameters(gguf::GgufWriter& w, const ModelSpec& s, const FileType& ft)
{
    const std::string p = s.arch + ".";
    w.setString("general.architecture", s.arch);
    w.setString("general.name", s.name);
    w.setUInt32("general.file_type", static_cast<uint32_t>(ft.id));
    w.setUInt32("general.quantization_version", 2);
    w.setUInt32(p + "block_count", s.nLayer);
    w.setUInt32(p + "context_length", s.contextLength);
    w.setUInt32(p + "embedding_length", s.nEmbd);
    w.setUInt32(p + "feed_forward_length", s.nFf);
    w.setUInt32(p + "attention.head_count", s.nHead);
    w.setUInt32(p + "attention.head_count_kv", s.nHeadKv);
    w.setFloat32(p + "rope.freq_base", s.ropeTheta);
    w.setFloat32(p + "attention.layer_norm_rms_epsilon", s.rmsEps);
    // llama.cpp derives the head dim from n_embd / n_head unless these are present.
    if (s.arch == "qwen3" || s.headDim * s.nHead != s.nEmbd) {
        w.setUInt32(p + "attention.key_length", s.headDim);
        w.setUInt32(p + "attention.value_length", s.headDim);
    }
    if (s.arch == "llama") {
        w.setUInt32(p + "vocab_size", s.nVocab);
        w.setUInt32(p + "rope.dimension_count", s.headDim);
    }
}

Result<void> writeTokenizer(gguf::GgufWriter& w, const MkModelOptions& o, uint32_t nVocab)
{
    if (!o.vocabFrom.empty()) {
        auto src = gguf::GgufFile::open(o.vocabFrom);
        if (!src)
            return src.error();
        for (const auto& [key, value] : (*src)->metadata())
            if (key.substr(0, 10) == "tokenizer.")
                w.setValue(key, value);
        return {};
    }
    const SynthVocab v = synthesizeVocab(o.spec.arch, nVocab);
    w.setString("tokenizer.ggml.model", "gpt2");
    w.setString("tokenizer.ggml.pre", v.pre);
    w.setStringArray("tokenizer.ggml.tokens", v.tokens);
    w.setInt32Array("tokenizer.ggml.token_type", v.types);
    w.setStringArray("tokenizer.ggml.merges", v.merges);
    w.setUInt32("tokenizer.ggml.bos_token_id", v.bos);
    w.setUInt32("tokenizer.ggml.eos_token_id", v.eos);
    w.setUInt32("tokenizer.ggml.padding_token_id", v.pad);
    w.setBool("tokenizer.ggml.add_bos_token", v.addBos);
    w.setBool("tokenizer.ggml.add_eos_token", false);
    w.setString("tokenizer.chat_template", v.chatTemplate);
    return {};
}

}  // namespace

Result<MkModelReport> makeModel(const MkModelOptions& o, const std::function<void(const std::string&)>& progress)
{
    auto ft = parseFileType(o.fileType);
    if (!ft) {
        std::string all;
        for (auto n : fileTypeNames())
            all += std::string(all.empty() ? "" : ", ") + std::string(n);
        return makeError(ErrorKind::InvalidInput, "unknown file type '" + o.fileType + "' (use " + all + ")");
    }
    ModelSpec spec = o.spec;
    if (!o.vocabFrom.empty()) {  // the vocab file decides the token count
        auto src = gguf::GgufFile::open(o.vocabFrom);
        if (!src)
            return src.error();
        const gguf::Value* toks = (*src)->getArray("tokenizer.ggml.tokens");
        if (!toks || toks->count == 0)
            return makeError(ErrorKind::InvalidInput, o.vocabFrom + " has no tokenizer.ggml.tokens");
        if (toks->count > spec.nVocab)
            return makeError(ErrorKind::InvalidInput, o.vocabFrom + " has " + std::to_string(toks->count) +
                                                          " tokens, more than the model's vocab of " +
                                                          std::to_string(spec.nVocab));
    }
    if (auto r = validateSpec(spec); !r)
        return r.error();
    if (o.outPath.empty())
        return makeError(ErrorKind::InvalidInput, "no output file given");

    gguf::GgufWriter w;
    writeHyperParameters(w, spec, *ft);
    if (auto r = writeTokenizer(w, o, spec.nVocab); !r)
        return r.error();
    const std::vector<PlannedTensor> plan = planTensors(spec, *ft);
    MkModelReport report;
    for (const PlannedTensor& t : plan) {
        w.addTensor(t.name, t.type, t.shape);
        uint64_t n = 1;
        for (uint64_t d : t.shape)
            n *= d;
        report.nParams += n;
    }
    report.nTensors = plan.size();
    report.nVocab = spec.nVocab;

    const std::string part = o.outPath + ".part";
    if (auto r = w.begin(part); !r)
        return r.error();
    TensorGenerator gen(o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency()));
    for (size_t i = 0; i < plan.size(); ++i) {
        const PlannedTensor& t = plan[i];
        if (progress)
            progress(t.name + " " + ggmlTypeName(t.type));
        const uint64_t rows = t.shape.size() > 1 ? t.shape[1] : 1;
        auto r = gen.generate(t.type, t.shape[0], rows, t.init, mixSeed(o.seed, i, 0x6d6b),
                              [&](const uint8_t* d, size_t n) { return w.writeTensorPart(i, d, n); });
        if (!r) {
            std::remove(part.c_str());
            return r.error();
        }
    }
    auto size = w.finish();
    if (!size) {
        std::remove(part.c_str());
        return size.error();
    }
    if (std::rename(part.c_str(), o.outPath.c_str()) != 0) {
        std::remove(part.c_str());
        return makeError(ErrorKind::Io, "cannot rename " + part + " to " + o.outPath);
    }
    report.bytes = *size;
    return report;
}

}  // namespace tiefsee::mkmodel
