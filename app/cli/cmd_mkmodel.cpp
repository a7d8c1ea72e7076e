// tiefsee-cli mkmodel: writes a GGUF model with seeded random weights (any shape,
// any supported file type) for tests and benchmarks. See engine/mkmodel/mkmodel.h.
#include "arg_parser.h"
#include "cli_command.h"
#include "mkmodel/mkmodel.h"
#include "mkmodel/quant_recipe.h"

#include <chrono>
#include <cstdio>
#include <iostream>

namespace tiefsee::cli {
namespace {

constexpr std::string_view kName = "mkmodel";

int runMkModel(const Args& args)
{
    ArgParser p(args);
    const auto arch = p.value("--arch");
    const auto preset = p.value("--preset");
    const auto type = p.value("--type");
    const auto out = p.value("--out", "-o");
    const auto vocabFrom = p.value("--vocab-from");
    const auto seed = p.intValue("--seed");
    const auto threads = p.intValue("--threads");
    const bool quiet = p.flag("--quiet", "-q");
    struct DimFlag {
        const char* flag;
        uint32_t mkmodel::ModelSpec::*field;
        std::optional<long long> value;
    };
    DimFlag dims[] = {
        {"--layers", &mkmodel::ModelSpec::nLayer, {}}, {"--embd", &mkmodel::ModelSpec::nEmbd, {}},
        {"--heads", &mkmodel::ModelSpec::nHead, {}},   {"--kv-heads", &mkmodel::ModelSpec::nHeadKv, {}},
        {"--head-dim", &mkmodel::ModelSpec::headDim, {}}, {"--ff", &mkmodel::ModelSpec::nFf, {}},
        {"--vocab", &mkmodel::ModelSpec::nVocab, {}},  {"--ctx", &mkmodel::ModelSpec::contextLength, {}},
    };
    for (DimFlag& d : dims)
        d.value = p.intValue(d.flag);
    if (auto err = p.finish(0, 0))
        return fail(kName, *err, kExitUsage);
    if (!out)
        return fail(kName, "--out FILE is required", kExitUsage);
    if (!arch && !preset)
        return fail(kName, "give --arch qwen2|llama|qwen3 and/or --preset NAME", kExitUsage);

    mkmodel::MkModelOptions o;
    if (preset) {
        auto s = mkmodel::presetSpec(*preset);
        if (!s)
            return fail(kName, s.error().message, kExitUsage);
        if (arch && *arch != s->arch)
            return fail(kName, "preset " + *preset + " is a " + s->arch + " model, not " + *arch, kExitUsage);
        o.spec = *s;
    } else {
        auto s = mkmodel::defaultSpec(*arch);
        if (!s)
            return fail(kName, s.error().message, kExitUsage);
        o.spec = *s;
    }
    bool headDimGiven = false;
    for (const DimFlag& d : dims) {
        if (!d.value)
            continue;
        if (*d.value <= 0 || *d.value > 0x7fffffff)
            return fail(kName, std::string(d.flag) + " must be a positive integer", kExitUsage);
        o.spec.*d.field = static_cast<uint32_t>(*d.value);
        headDimGiven = headDimGiven || std::string_view(d.flag) == "--head-dim";
    }
    // Without --head-dim (and without a preset), heads split the hidden size evenly.
    if (!preset && !headDimGiven && o.spec.nHead && o.spec.nEmbd % o.spec.nHead == 0)
        o.spec.headDim = o.spec.nEmbd / o.spec.nHead;
    o.fileType = type.value_or("Q4_K_M");
    o.seed = static_cast<uint64_t>(seed.value_or(1));
    o.outPath = *out;
    o.vocabFrom = vocabFrom.value_or("");
    o.threads = threads ? static_cast<unsigned>(std::max(1ll, *threads)) : 0;

    const auto start = std::chrono::steady_clock::now();
    auto report = mkmodel::makeModel(o, [quiet](const std::string& line) {
        if (!quiet)
            std::cerr << "  " << line << "\n";
    });
    if (!report)
        return fail(kName, report.error().message,
                    report.error().kind == ErrorKind::InvalidInput ? kExitUsage : kExitFailure);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char line[256];
    std::snprintf(line, sizeof line, "wrote %s: %s %s, %zu tensors, %.3f B params, %.1f MiB in %.1f s\n",
                  o.outPath.c_str(), o.spec.arch.c_str(), o.fileType.c_str(), report->nTensors,
                  double(report->nParams) / 1e9, double(report->bytes) / (1 << 20), seconds);
    std::cout << line;
    return kExitOk;
}

}  // namespace

TIEFSEE_CLI_COMMAND(kName,
                    "mkmodel --arch qwen2|llama|qwen3 [--preset NAME] [--layers N --embd N --heads N --kv-heads N "
                    "--head-dim N --ff N --vocab N --ctx N] --type F32|F16|BF16|Q8_0|Q4_0|Q4_1|Q5_0|Q5_1|Q2_K|Q3_K_M|"
                    "Q4_K_M|Q5_K_M|Q6_K --seed N --out FILE [--vocab-from FILE.gguf] [--threads N] [--quiet]",
                    "writes a GGUF model with seeded random weights (presets: r1-distill-qwen-1.5b/7b/14b/32b, "
                    "r1-distill-llama-8b/70b, r1-0528-qwen3-8b)",
                    &runMkModel);

}  // namespace tiefsee::cli
