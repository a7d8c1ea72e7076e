// tiefsee-cli info MODEL.gguf [--json]: the model description (describeModel) and
// the tensor list. The --json shape is a contract other tools and tests rely on:
// {"arch","n_layer","n_embd","n_head","n_head_kv","head_dim","n_ff","n_vocab",
//  "context_length","rope_theta","file_type","n_params","size_bytes",
//  "tensors":[{"name","type","shape"}]}  (shape in ggml order, ne[0] first).
#include "arg_parser.h"
#include "cli_command.h"
#include "gguf/gguf_file.h"
#include "model/model_info.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <map>

namespace tiefsee::cli {
namespace {

constexpr std::string_view kName = "info";

std::string humanCount(uint64_t n)
{
    char buf[32];
    if (n >= 1000000000ull)
        std::snprintf(buf, sizeof buf, "%.2f B", double(n) / 1e9);
    else if (n >= 1000000ull)
        std::snprintf(buf, sizeof buf, "%.2f M", double(n) / 1e6);
    else
        std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
    return buf;
}

std::string humanBytes(uint64_t n)
{
    char buf[32];
    if (n >= (1ull << 30))
        std::snprintf(buf, sizeof buf, "%.2f GiB", double(n) / double(1ull << 30));
    else
        std::snprintf(buf, sizeof buf, "%.2f MiB", double(n) / double(1ull << 20));
    return buf;
}

nlohmann::ordered_json toJson(const model::ModelInfo& m, const gguf::GgufFile& f)
{
    nlohmann::ordered_json tensors = nlohmann::ordered_json::array();
    for (const auto& t : f.tensors()) {
        nlohmann::ordered_json shape = nlohmann::ordered_json::array();
        for (uint32_t d = 0; d < t.nDims; ++d)
            shape.push_back(t.ne[d]);
        tensors.push_back({{"name", std::string(t.name)}, {"type", ggmlTypeName(t.type)}, {"shape", shape}});
    }
    return nlohmann::ordered_json{
        {"arch", m.arch}, {"n_layer", m.nLayer}, {"n_embd", m.nEmbd}, {"n_head", m.nHead},
        {"n_head_kv", m.nHeadKv}, {"head_dim", m.headDim}, {"n_ff", m.nFf}, {"n_vocab", m.nVocab},
        {"context_length", m.contextLength}, {"rope_theta", m.ropeTheta}, {"file_type", m.fileTypeName},
        {"n_params", m.nParams}, {"size_bytes", m.sizeBytes}, {"tensors", tensors},
    };
}

void printHuman(const model::ModelInfo& m, const gguf::GgufFile& f)
{
    std::cout << f.path() << "\n";
    if (!m.name.empty())
        std::cout << "  name            " << m.name << "\n";
    std::cout << "  architecture    " << m.arch << " (GGUF v" << f.version() << ")\n"
              << "  file type       " << m.fileTypeName << (m.fileType < 0 ? " (no general.file_type; from the tensors)" : "")
              << "\n"
              << "  parameters      " << humanCount(m.nParams) << "\n"
              << "  size            " << humanBytes(m.sizeBytes) << " (" << m.sizeBytes << " bytes)\n"
              << "  layers          " << m.nLayer << "\n"
              << "  hidden size     " << m.nEmbd << "\n"
              << "  heads           " << m.nHead << " query / " << m.nHeadKv << " key-value, head dim " << m.headDim;
    if (m.headDimV != m.headDim)
        std::cout << " (value " << m.headDimV << ")";
    std::cout << "\n"
              << "  feed-forward    " << m.nFf << "\n"
              << "  vocabulary      " << m.nVocab << "\n"
              << "  context length  " << m.contextLength << "\n"
              << "  rope            " << model::ropeTypeName(m.ropeType) << ", theta " << m.ropeTheta << ", "
              << m.ropeDims << " dims";
    if (m.ropeLlama3)
        std::cout << ", llama3 scaling" << (m.hasRopeFreqs ? " (rope_freqs tensor)" : "");
    else if (!m.ropeScalingType.empty())
        std::cout << ", scaling " << m.ropeScalingType << " x" << m.ropeScalingFactor;
    std::cout << "\n"
              << "  rms norm eps    " << m.rmsEps << "\n"
              << "  output          " << (m.tiedOutput ? "tied to token_embd" : "own output.weight") << "\n"
              << "  attention       " << (m.qkvBias ? "q/k/v bias" : "no bias") << (m.qkNorm ? ", q/k RMS norm" : "")
              << "\n";
    std::map<std::string, int> counts;
    for (const auto& t : f.tensors())
        ++counts[ggmlTypeName(t.type)];
    std::cout << "  tensors         " << f.tensors().size() << " (";
    bool first = true;
    for (const auto& [type, n] : counts) {
        std::cout << (first ? "" : ", ") << type << " x" << n;
        first = false;
    }
    std::cout << ")\n";
    for (const auto& t : f.tensors()) {
        char line[256];
        std::snprintf(line, sizeof line, "    %-32s %-5s %s\n", std::string(t.name).c_str(), ggmlTypeName(t.type).c_str(),
                      t.shapeString().c_str());
        std::cout << line;
    }
}

int runInfo(const Args& args)
{
    ArgParser p(args);
    const bool json = p.flag("--json");
    if (auto err = p.finish(1, 1))
        return fail(kName, *err, kExitUsage);
    auto file = gguf::GgufFile::open(p.positional()[0]);
    if (!file)
        return fail(kName, file.error().message);
    auto info = model::describeModel(**file);
    if (!info)
        return fail(kName, (*file)->path() + ": " + info.error().message);
    if (json)
        std::cout << toJson(*info, **file).dump(1) << "\n";
    else
        printHuman(*info, **file);
    return kExitOk;
}

}  // namespace

TIEFSEE_CLI_COMMAND(kName, "info MODEL.gguf [--json]", "describes a GGUF model: architecture, dims, rope, quantization, tensors",
                    &runInfo);

}  // namespace tiefsee::cli
