// tiefsee-cli run: loads a model, prefills a prompt and streams the continuation,
// then prints a stats line. --logits-out dumps the prompt's logits (little-endian
// f32) before any sampling, for comparisons with other implementations.
#include "arg_parser.h"
#include "cli_command.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace tiefsee::cli {
namespace {

constexpr const char* kName = "run";

double seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

std::optional<std::vector<int32_t>> parseIds(const std::string& s)
{
    std::vector<int32_t> ids;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ',')) {
        try {
            size_t used = 0;
            const long v = std::stol(item, &used);
            if (used != item.size())
                return std::nullopt;
            ids.push_back(int32_t(v));
        } catch (...) {
            return std::nullopt;
        }
    }
    if (ids.empty())
        return std::nullopt;
    return ids;
}

int runRun(const Args& args)
{
    ArgParser p(args);
    const auto modelPath = p.value("--model", "-m");
    const auto prompt = p.value("--prompt");
    const auto promptIds = p.value("--prompt-ids");
    const long long nGen = p.intValue("-n", "--n-predict").value_or(128);
    SamplerConfig sc = SamplerConfig::r1Defaults();
    if (auto v = p.doubleValue("--temp"))
        sc.temperature = float(*v);
    if (auto v = p.doubleValue("--top-p"))
        sc.topP = float(*v);
    if (auto v = p.intValue("--top-k"))
        sc.topK = int32_t(*v);
    if (auto v = p.doubleValue("--min-p"))
        sc.minP = float(*v);
    if (auto v = p.doubleValue("--repeat-penalty"))
        sc.repeatPenalty = float(*v);
    if (auto v = p.intValue("--seed"))
        sc.seed = uint64_t(*v);
    const auto ctxLen = p.intValue("--ctx");
    const auto device = p.intValue("--device");
    const auto batch = p.intValue("--batch");
    const auto logitsOut = p.value("--logits-out");
    const bool allLogits = p.flag("--all-logits");
    const bool printIds = p.flag("--print-ids");
    const bool gpuKernels = p.flag("--gpu-kernels");
    if (auto err = p.finish(0, 0))
        return fail(kName, *err, kExitUsage);
    if (!modelPath)
        return fail(kName, "--model FILE is required", kExitUsage);
    if (bool(prompt) == bool(promptIds))
        return fail(kName, "give exactly one of --prompt TEXT or --prompt-ids 1,2,3", kExitUsage);
    if (nGen < 0)
        return fail(kName, "-n must be >= 0", kExitUsage);

    model::LoadOptions opt;
    if (ctxLen)
        opt.contextLength = uint32_t(*ctxLen);
    if (device)
        opt.device.index = int(*device);
    if (batch)
        opt.batchSize = uint32_t(std::max(1LL, *batch));
    opt.device.gpuKernels = gpuKernels;
    const auto t0 = std::chrono::steady_clock::now();
    auto loaded = model::Model::load(*modelPath, opt);
    if (!loaded)
        return fail(kName, loaded.error().message);
    model::Model& m = **loaded;
    const auto tLoaded = std::chrono::steady_clock::now();
    std::fprintf(stderr, "loaded %s (%s, %s) on %s in %.2f s\n", modelPath->c_str(), m.info().arch.c_str(),
                 m.info().fileTypeName.c_str(), m.device().name.c_str(), seconds(t0, tLoaded));

    std::vector<int32_t> ids;
    if (promptIds) {
        auto parsed = parseIds(*promptIds);
        if (!parsed)
            return fail(kName, "--prompt-ids must be a comma-separated list of integers", kExitUsage);
        ids = *parsed;
    } else {
        ids = m.tokenizer().encode(*prompt, true, true);
    }
    if (ids.empty())
        return fail(kName, "the prompt has no tokens", kExitUsage);
    if (ids.size() + size_t(nGen) > m.contextLength())
        return fail(kName, "prompt (" + std::to_string(ids.size()) + " tokens) plus -n " + std::to_string(nGen) +
                               " exceeds the context of " + std::to_string(m.contextLength()) + " tokens (use --ctx)");

    const auto tp0 = std::chrono::steady_clock::now();
    if (auto r = m.prefill(ids, allLogits ? model::LogitsMode::All : model::LogitsMode::Last); !r)
        return fail(kName, r.error().message);
    const auto tp1 = std::chrono::steady_clock::now();
    if (logitsOut) {
        auto l = allLogits ? m.allLogits() : m.logits();
        if (!l)
            return fail(kName, l.error().message);
        std::ofstream out(*logitsOut, std::ios::binary);
        out.write(reinterpret_cast<const char*>(l->data()), std::streamsize(l->size() * sizeof(float)));
        if (!out)
            return fail(kName, "cannot write " + *logitsOut);
    }

    Sampler sampler(sc);
    for (int32_t t : ids)
        sampler.accept(t);
    StreamDecoder text(m.tokenizer());
    int generated = 0;
    const auto td0 = std::chrono::steady_clock::now();
    for (long long i = 0; i < nGen; ++i) {
        auto tok = m.sample(sampler);
        if (!tok)
            return fail(kName, tok.error().message);
        sampler.accept(*tok);
        ++generated;
        if (printIds)
            std::cout << (i ? "," : "") << *tok << std::flush;
        else
            std::cout << text.push(*tok) << std::flush;
        if (i + 1 == nGen)
            break;  // the last token needs no forward pass
        if (auto r = m.decode(*tok); !r)
            return fail(kName, r.error().message);
    }
    const auto td1 = std::chrono::steady_clock::now();
    if (!printIds)
        std::cout << text.flush();
    std::cout << "\n";
    const double tPre = seconds(tp0, tp1), tDec = seconds(td0, td1);
    const int decodes = std::max(0, generated - 1);
    std::fprintf(stderr, "prompt %zu tokens, prefill %.2f t/s | generated %d tokens, decode %.2f t/s\n", ids.size(),
                 double(ids.size()) / tPre, generated, decodes > 0 ? double(decodes) / tDec : 0.0);
    return kExitOk;
}

TIEFSEE_CLI_COMMAND("run",
                    "run --model FILE (--prompt TEXT | --prompt-ids 1,2,3) [-n N] [--temp T] [--top-p P] [--top-k K] "
                    "[--min-p P] [--repeat-penalty R] [--seed S] [--ctx N] [--batch N] [--device I] [--logits-out PATH] "
                    "[--all-logits] [--print-ids] [--gpu-kernels]",
                    "generates text with a model on the GPU and prints prefill/decode speed; --gpu-kernels runs the "
                    "GPU kernels and layouts on any device (the GPU path on lavapipe)",
                    &runRun);

}  // namespace
}  // namespace tiefsee::cli
