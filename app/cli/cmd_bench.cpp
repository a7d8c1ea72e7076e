// tiefsee-cli bench: prefill and decode speed of a model on the GPU, in the spirit of
// llama-bench. Reports tokens/s (median and min..max over --reps), time to first
// token, device memory, and decode's achieved weight bandwidth (weight bytes read per
// token x tokens/s) as a fraction of the device's read bandwidth measured in the same
// run (read_bw.comp: a 256 MiB stream through a texel view, the way the weight
// kernels read on CPU devices); a plain copy shader's rate is shown too.
// --profile adds per-op GPU time per decode token and per prefill token; --weights blocks
// loads the weights in GGUF's block layout (the storage-buffer kernels) as a baseline for
// the texel layout; --gpu-kernels runs the kernels and layouts GPUs get on any device.
#include "arg_parser.h"
#include "cli_command.h"
#include "model/model.h"
#include "vulkan/runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <regex>

namespace tiefsee::cli {
namespace {

constexpr const char* kName = "bench";

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Stat {
    double median = 0, min = 0, max = 0;
};
Stat stat(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    Stat s;
    if (v.empty())
        return s;
    s.min = v.front();
    s.max = v.back();
    s.median = v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
    return s;
}

// Seconds of the fastest of 5 runs of a recorded command buffer, after a warm-up run.
Result<double> fastestRun(vk::Recorder& rec)
{
    if (auto r = rec.run(); !r)
        return r.error();
    std::vector<double> t;
    for (int i = 0; i < 5; ++i) {
        const auto t0 = Clock::now();
        if (auto r = rec.run(); !r)
            return r.error();
        t.push_back(since(t0));
    }
    return stat(t).min;
}

// Bandwidth of the copy shader over a 64 MiB buffer, bytes read + written per second.
Result<double> copyBandwidth(vk::Context& ctx)
{
    const uint64_t bytes = 64ull << 20;
    auto a = ctx.allocate(bytes), b = ctx.allocate(bytes);
    if (!a)
        return a.error();
    if (!b)
        return b.error();
    const uint32_t wg = ctx.info().type == vk::DeviceType::Cpu ? 64 : 256;
    auto pipe = vk::createPipeline(ctx, "copy", {wg});
    if (!pipe)
        return pipe.error();
    auto rec = vk::Recorder::create(ctx);
    if (!rec)
        return rec.error();
    const uint32_t count = uint32_t(bytes / 16);
    const uint32_t groups = (count + wg - 1) / wg;
    const uint32_t gx = std::min<uint32_t>(groups, 65535), gy = (groups + gx - 1) / gx;
    rec->begin();
    struct {
        uint32_t count;
    } push{count};
    rec->dispatch(*pipe, {a->view(), b->view()}, vk::Groups{gx, gy, 1}, push, "copy");
    rec->end();
    auto t = fastestRun(*rec);
    if (!t)
        return t.error();
    return 2.0 * double(bytes) / *t;
}

// Read bandwidth of read_bw.comp over a 256 MiB buffer (larger than any cache), bytes/s.
Result<double> readBandwidth(vk::Context& ctx)
{
    const uint64_t bytes = 256ull << 20;
    auto a = ctx.allocate(bytes);
    if (!a)
        return a.error();
    const bool cpu = ctx.info().type == vk::DeviceType::Cpu;
    const uint32_t wg = cpu ? std::max(1u, ctx.info().subgroupSize) : 256, groups = cpu ? 2048 : 4096;
    const uint32_t perGroup = uint32_t(bytes / 16 / groups) / wg * wg;
    auto out = ctx.allocate(uint64_t(groups) * wg * 4);
    if (!out)
        return out.error();
    auto pipe = vk::createPipeline(ctx, "read_bw", {wg});
    if (!pipe)
        return pipe.error();
    auto rec = vk::Recorder::create(ctx);
    if (!rec)
        return rec.error();
    rec->begin();
    struct {
        uint32_t perGroup;
    } push{perGroup};
    rec->dispatch(*pipe, {a->view(), out->view()}, vk::Groups{groups, 1, 1}, push, "read_bw");
    rec->end();
    auto t = fastestRun(*rec);
    if (!t)
        return t.error();
    return double(perGroup) * groups * 16 / *t;
}

// Prints per-op GPU times summed over layers by op name, largest first, per token of
// a pass over `tokens` tokens.
void printProfile(const std::string& what, const std::vector<vk::OpTiming>& timings, uint32_t tokens)
{
    std::map<std::string, std::pair<double, int>> byOp;
    double total = 0;
    const std::regex layer("^blk\\.[0-9]+\\.");
    for (const auto& t : timings) {
        auto& e = byOp[std::regex_replace(t.name, layer, "")];
        e.first += t.ms / tokens;
        e.second += 1;
        total += t.ms / tokens;
    }
    std::vector<std::pair<std::string, std::pair<double, int>>> ops(byOp.begin(), byOp.end());
    std::sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
    std::printf("profile: %.3f ms GPU time per %s (ops serialized by the profiler)\n", total, what.c_str());
    for (const auto& [name, v] : ops)
        std::printf("  %-28s %8.3f ms  %5.1f %%  (%d dispatches)\n", name.c_str(), v.first, 100.0 * v.first / total,
                    v.second);
}

int runBench(const Args& args)
{
    ArgParser p(args);
    const auto modelPath = p.value("--model", "-m");
    const long long nPrompt = p.intValue("-p").value_or(512);
    const long long nGen = p.intValue("-n").value_or(128);
    const long long reps = p.intValue("--reps").value_or(3);
    const bool json = p.flag("--json");
    const bool profile = p.flag("--profile");
    const auto device = p.intValue("--device");
    const auto batch = p.intValue("--batch");
    const auto layout = p.value("--weights");
    const bool gpuKernels = p.flag("--gpu-kernels");
    if (auto err = p.finish(0, 0))
        return fail(kName, *err, kExitUsage);
    if (!modelPath)
        return fail(kName, "--model FILE is required", kExitUsage);
    if (layout && *layout != "best" && *layout != "blocks")
        return fail(kName, "--weights must be 'best' or 'blocks'", kExitUsage);
    if (nPrompt < 1 || nGen < 1 || reps < 1)
        return fail(kName, "-p, -n and --reps must be >= 1", kExitUsage);

    model::LoadOptions opt;
    opt.contextLength = uint32_t(nPrompt + nGen + 8);
    if (device)
        opt.device.index = int(*device);
    if (batch)
        opt.batchSize = uint32_t(std::max(1LL, *batch));
    opt.blockLayoutOnly = layout && *layout == "blocks";
    opt.device.gpuKernels = gpuKernels;
    const auto tl = Clock::now();
    auto loaded = model::Model::load(*modelPath, opt);
    if (!loaded)
        return fail(kName, loaded.error().message);
    model::Model& m = **loaded;
    const double loadS = since(tl);

    std::mt19937 rng(1);
    std::vector<int32_t> prompt(static_cast<size_t>(nPrompt));
    for (auto& t : prompt)
        t = int32_t(rng() % m.info().nVocab);

    std::vector<double> pp, tg, ttft;
    Sampler greedy(SamplerConfig::greedy());
    for (long long r = 0; r < reps + 1; ++r) {  // rep 0 warms up (pipelines, caches)
        m.truncateKv(0);
        const auto t0 = Clock::now();
        if (auto res = m.prefill(prompt); !res)
            return fail(kName, res.error().message);
        auto tok = m.sample(greedy);
        if (!tok)
            return fail(kName, tok.error().message);
        const double tFirst = since(t0);
        const auto t1 = Clock::now();
        for (long long i = 0; i < nGen; ++i) {
            if (auto res = m.decode(*tok); !res)
                return fail(kName, res.error().message);
            tok = m.sample(greedy);
            if (!tok)
                return fail(kName, tok.error().message);
        }
        const double tDec = since(t1);
        if (r == 0)
            continue;
        ttft.push_back(tFirst);
        pp.push_back(double(nPrompt) / tFirst);
        tg.push_back(double(nGen) / tDec);
    }
    auto bw = copyBandwidth(m.context());
    if (!bw)
        return fail(kName, bw.error().message);
    auto rbw = readBandwidth(m.context());
    if (!rbw)
        return fail(kName, rbw.error().message);

    const model::ModelStats st = m.stats();
    const Stat spp = stat(pp), stg = stat(tg), sft = stat(ttft);
    const double achieved = double(st.decodeReadBytes) * stg.median;
    const double frac = achieved / *rbw;
    const double gb = 1e9;
    const char* kernels = m.device().cpuKernels ? "cpu" : "gpu";  // the family the engine runs (--gpu-kernels)
    if (json) {
        std::printf("{\"model\": \"%s\", \"device\": \"%s\", \"kernels\": \"%s\", \"n_prompt\": %lld, "
                    "\"n_gen\": %lld, \"reps\": %lld, "
                    "\"load_s\": %.3f, \"prefill_tps\": {\"median\": %.3f, \"min\": %.3f, \"max\": %.3f}, "
                    "\"decode_tps\": {\"median\": %.3f, \"min\": %.3f, \"max\": %.3f}, \"ttft_s\": %.4f, "
                    "\"device_bytes\": %llu, \"weight_bytes_per_token\": %llu, \"decode_bandwidth_gbs\": %.3f, "
                    "\"read_bandwidth_gbs\": %.3f, \"copy_bandwidth_gbs\": %.3f, \"bandwidth_fraction\": %.4f}\n",
                    modelPath->c_str(), m.device().name.c_str(), kernels, nPrompt, nGen, reps, loadS, spp.median,
                    spp.min, spp.max, stg.median, stg.min, stg.max, sft.median, (unsigned long long)st.deviceBytes,
                    (unsigned long long)st.decodeReadBytes, achieved / gb, *rbw / gb, *bw / gb, frac);
    } else {
        std::printf("model   %s (%s %s) on %s with %s kernels, loaded in %.2f s\n", modelPath->c_str(),
                    m.info().arch.c_str(), m.info().fileTypeName.c_str(), m.device().name.c_str(), kernels, loadS);
        std::printf("prefill pp%lld: %.2f t/s (min %.2f, max %.2f)   time to first token %.3f s\n", nPrompt, spp.median,
                    spp.min, spp.max, sft.median);
        std::printf("decode  tg%lld: %.2f t/s (min %.2f, max %.2f)\n", nGen, stg.median, stg.min, stg.max);
        std::printf("memory  %.1f MiB on the device (weights %.1f MiB, KV cache %.1f MiB)\n", double(st.deviceBytes) / (1 << 20),
                    double(st.weightBytes) / (1 << 20), double(st.kvBytes) / (1 << 20));
        std::printf("bandwidth decode reads %.1f MiB/token -> %.2f GB/s; device read %.2f GB/s -> fraction %.3f "
                    "(copy shader %.2f GB/s read+write)\n",
                    double(st.decodeReadBytes) / (1 << 20), achieved / gb, *rbw / gb, frac, *bw / gb);
    }
    if (profile) {
        // Per-op GPU time of one decode step, then of the prompt's last prefill batch.
        if (auto res = m.setProfiling(true); !res)
            return fail(kName, res.error().message);
        if (auto res = m.decode(0); !res)
            return fail(kName, res.error().message);
        printProfile("decode token", m.decodeProfile(), 1);
        m.truncateKv(0);
        if (auto res = m.prefill(prompt); !res)
            return fail(kName, res.error().message);
        const uint32_t batch = uint32_t((nPrompt - 1) % m.batchSize() + 1);  // the last batch's tokens
        printProfile("prefill token (batch of " + std::to_string(batch) + ")", m.prefillProfile(), batch);
    }
    return kExitOk;
}

TIEFSEE_CLI_COMMAND("bench",
                    "bench --model FILE [-p 512] [-n 128] [--reps 3] [--json] [--profile] [--batch N] [--device I] "
                    "[--weights best|blocks] [--gpu-kernels]",
                    "measures prefill/decode tokens per second and decode bandwidth against the device's read rate; "
                    "--weights blocks keeps GGUF's block layout (the baseline of the texel layout on CPU devices); "
                    "--gpu-kernels runs the GPU kernels and layouts on any device (the GPU path on lavapipe)",
                    &runBench);

}  // namespace
}  // namespace tiefsee::cli
