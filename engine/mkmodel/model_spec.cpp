#include "mkmodel/model_spec.h"

namespace tiefsee::mkmodel {
namespace {

struct Preset {
    const char* name;
    ModelSpec spec;
};

ModelSpec make(const char* arch, const char* name, uint32_t layers, uint32_t embd, uint32_t heads, uint32_t kv,
               uint32_t headDim, uint32_t ff, uint32_t vocab, float theta, float eps, bool llama3)
{
    ModelSpec s;
    s.arch = arch;
    s.name = name;
    s.nLayer = layers;
    s.nEmbd = embd;
    s.nHead = heads;
    s.nHeadKv = kv;
    s.headDim = headDim;
    s.nFf = ff;
    s.nVocab = vocab;
    s.contextLength = 131072;
    s.ropeTheta = theta;
    s.rmsEps = eps;
    s.llama3Rope = llama3;
    return s;
}

// Shapes from DESIGN.md; rms eps and context from the models' config.json.
const Preset kPresets[] = {
    {"r1-distill-qwen-1.5b", make("qwen2", "DeepSeek-R1-Distill-Qwen-1.5B (random)", 28, 1536, 12, 2, 128, 8960, 151936, 10000.f, 1e-6f, false)},
    {"r1-distill-qwen-7b", make("qwen2", "DeepSeek-R1-Distill-Qwen-7B (random)", 28, 3584, 28, 4, 128, 18944, 152064, 10000.f, 1e-6f, false)},
    {"r1-distill-qwen-14b", make("qwen2", "DeepSeek-R1-Distill-Qwen-14B (random)", 48, 5120, 40, 8, 128, 13824, 152064, 1e6f, 1e-5f, false)},
    {"r1-distill-qwen-32b", make("qwen2", "DeepSeek-R1-Distill-Qwen-32B (random)", 64, 5120, 40, 8, 128, 27648, 152064, 1e6f, 1e-5f, false)},
    {"r1-distill-llama-8b", make("llama", "DeepSeek-R1-Distill-Llama-8B (random)", 32, 4096, 32, 8, 128, 14336, 128256, 500000.f, 1e-5f, true)},
    {"r1-distill-llama-70b", make("llama", "DeepSeek-R1-Distill-Llama-70B (random)", 80, 8192, 64, 8, 128, 28672, 128256, 500000.f, 1e-5f, true)},
    {"r1-0528-qwen3-8b", make("qwen3", "DeepSeek-R1-0528-Qwen3-8B (random)", 36, 4096, 32, 8, 128, 12288, 151936, 1e6f, 1e-6f, false)},
};

}  // namespace

Result<ModelSpec> defaultSpec(std::string_view arch)
{
    ModelSpec s;
    s.arch = std::string(arch);
    s.name = "Tiefsee random " + s.arch;
    if (arch == "qwen2") {
        s.ropeTheta = 10000.f;
    } else if (arch == "llama") {
        s.ropeTheta = 500000.f;
        s.rmsEps = 1e-5f;
        s.llama3Rope = true;
    } else if (arch == "qwen3") {
        s.ropeTheta = 1e6f;
    } else {
        return makeError(ErrorKind::Unsupported, "architecture '" + s.arch + "' is not supported (use qwen2, llama or qwen3)");
    }
    return s;
}

Result<ModelSpec> presetSpec(std::string_view name)
{
    for (const Preset& p : kPresets)
        if (name == p.name)
            return p.spec;
    std::string all;
    for (const Preset& p : kPresets)
        all += std::string(all.empty() ? "" : ", ") + p.name;
    return makeError(ErrorKind::NotFound, "unknown preset '" + std::string(name) + "' (presets: " + all + ")");
}

std::vector<std::string> presetNames()
{
    std::vector<std::string> names;
    for (const Preset& p : kPresets)
        names.emplace_back(p.name);
    return names;
}

Result<void> validateSpec(const ModelSpec& s)
{
    auto bad = [](const std::string& m) { return makeError(ErrorKind::InvalidInput, m); };
    if (s.arch != "qwen2" && s.arch != "llama" && s.arch != "qwen3")
        return bad("architecture '" + s.arch + "' is not supported (use qwen2, llama or qwen3)");
    if (!s.nLayer || !s.nEmbd || !s.nHead || !s.nHeadKv || !s.headDim || !s.nFf || !s.nVocab || !s.contextLength)
        return bad("every dimension must be positive");
    if (s.nLayer > 1000 || s.nEmbd > 65536 || s.nFf > 262144 || s.nVocab > 1u << 20 || s.nHead > 1024)
        return bad("dimensions are implausibly large");
    if (s.nHead % s.nHeadKv != 0)
        return bad("--heads " + std::to_string(s.nHead) + " must be a multiple of --kv-heads " + std::to_string(s.nHeadKv));
    // Row lengths of the matrices are nEmbd, nHead*headDim and nFf: quantized blocks need
    // multiples of 32 (256 for K-quants, which fall back to legacy types otherwise).
    if (s.nEmbd % 32 || s.nFf % 32 || (s.nHead * s.headDim) % 32)
        return bad("--embd, --ff and heads x head-dim must be multiples of 32");
    if (s.headDim % 2)
        return bad("--head-dim must be even (rope rotates pairs)");
    if (s.nVocab < 512)
        return bad("--vocab must be at least 512 (256 byte tokens, merges and the special tokens)");
    return {};
}

}  // namespace tiefsee::mkmodel
