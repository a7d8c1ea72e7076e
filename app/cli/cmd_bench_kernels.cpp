// tiefsee-cli bench-kernels: achieved memory bandwidth of the decode mat-vec kernel per
// weight type, next to a plain buffer-copy shader measured in the same run on the same
// device. Figures are ratios against that baseline (DESIGN.md: never absolute claims).
//
// Method: the weights of one matrix (rows x cols) are replicated until the working set
// exceeds --working-set MiB (so caches cannot hold it, as in a real decode step that
// walks every layer), one command buffer runs the mat-vec over every copy, and it is
// submitted --reps times; GB/s = weight bytes read / wall time. The copy baseline moves
// the same working set buffer-to-buffer; its GB/s counts bytes read + bytes written.
// --weights best (default) uploads each type in the layout the model loader would use
// (the texel layout and matvec_tb on CPU devices, where the type has one); --weights
// blocks keeps GGUF's blocks (matvec.comp with the --workgroup/--threads-per-row shape).
#include "arg_parser.h"
#include "cli_command.h"
#include "quant/quantize.h"
#include "vulkan/runtime.h"
#include "vulkan/weight_ops.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>

namespace tiefsee::cli {
namespace {

constexpr const char* kName = "bench-kernels";

const GgmlType kTypes[] = {GgmlType::F32,  GgmlType::F16,  GgmlType::BF16, GgmlType::Q8_0, GgmlType::Q4_0,
                           GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q2_K, GgmlType::Q3_K,
                           GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K};

double seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

// Runs a recorded command buffer once to warm up, then `reps` times; wall seconds per run.
Result<double> timeRuns(vk::Recorder& rec, int reps)
{
    if (auto r = rec.run(); !r)
        return r.error();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i)
        if (auto r = rec.run(); !r)
            return r.error();
    return seconds(t0, std::chrono::steady_clock::now()) / reps;
}

// Copy shader bandwidth (read + write bytes per second) over `bytes` of buffers.
Result<double> copyBandwidth(vk::Context& ctx, uint64_t bytes, int reps)
{
    const uint64_t piece = std::min<uint64_t>(64ull << 20, ctx.info().maxStorageBufferRange) / 16 * 16;
    auto pipe = vk::createPipeline(ctx, "copy", {64});
    if (!pipe)
        return pipe.error();
    std::vector<vk::Tensor> src, dst;
    for (uint64_t done = 0; done < bytes; done += piece) {
        auto a = ctx.allocate(piece);
        auto b = ctx.allocate(piece);
        if (!a)
            return a.error();
        if (!b)
            return b.error();
        src.push_back(std::move(*a));
        dst.push_back(std::move(*b));
    }
    auto rec = vk::Recorder::create(ctx);
    if (!rec)
        return rec.error();
    rec->begin();
    const uint32_t count = uint32_t(piece / 16);
    struct {
        uint32_t count;
    } push{count};
    for (size_t i = 0; i < src.size(); ++i) {
        // CPU devices: a few large jobs per thread; GPUs: one uvec4 per invocation.
        const uint32_t groups = ctx.info().type == vk::DeviceType::Cpu ? 64 : (count + 63) / 64;
        const uint32_t gx = std::min<uint32_t>(groups, 65535);
        rec->dispatch(*pipe, {src[i], dst[i]}, vk::Groups{gx, (groups + gx - 1) / gx, 1}, push);
    }
    rec->end();
    auto t = timeRuns(*rec, reps);
    if (!t)
        return t.error();
    return 2.0 * double(piece * src.size()) / *t / 1e9;
}

struct MatVecResult {
    double gbps = 0;     // weight bytes / second
    double msPerMatrix = 0;
    double gmacs = 0;    // multiply-adds (rows x cols x tokens) / second / 1e9
};

Result<MatVecResult> matvecBandwidth(vk::Context& ctx, vk::WeightOps& ops, GgmlType type, uint32_t rows, uint32_t cols,
                                     uint32_t ntokens, uint64_t workingSet, int reps, vk::WeightLayout layout)
{
    std::mt19937 rng(7);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    std::vector<float> f(size_t(rows) * cols);
    for (auto& v : f)
        v = dist(rng);
    const std::vector<uint8_t> bytes = quant::quantize(type, f.data(), f.size());
    const size_t copies = std::max<size_t>(1, (workingSet + bytes.size() - 1) / bytes.size());
    std::vector<vk::WeightMatrix> ws;
    for (size_t i = 0; i < copies; ++i) {
        auto w = vk::uploadWeights(ctx, type, rows, cols, bytes.data(), layout);
        if (!w)
            return w.error();
        ws.push_back(std::move(*w));
    }
    const uint64_t ySize = uint64_t(rows) * ntokens * 4;  // one copy's outputs
    auto x = ctx.allocate(uint64_t(cols) * ntokens * 4);
    auto y = ctx.allocate(ySize * copies);
    if (!x)
        return x.error();
    if (!y)
        return y.error();
    std::vector<float> xv(size_t(cols) * ntokens, 0.5f);
    if (auto r = ctx.upload(*x, xv.data(), xv.size() * 4); !r)
        return r.error();
    auto rec = vk::Recorder::create(ctx);
    if (!rec)
        return rec.error();
    rec->begin();
    for (size_t i = 0; i < copies; ++i)  // independent outputs: no barriers between them
        if (auto r = ops.matvec(*rec, ws[i], *x, y->view().sub(i * ySize, ySize), ntokens); !r)
            return r.error();
    rec->end();
    auto t = timeRuns(*rec, reps);
    if (!t)
        return t.error();
    return MatVecResult{double(bytes.size() * copies) / *t / 1e9, *t * 1e3 / double(copies),
                        double(rows) * cols * ntokens * double(copies) / *t / 1e9};
}

int runBenchKernels(const Args& args)
{
    ArgParser p(args);
    const auto typeName = p.value("--type");
    const long long rows = p.intValue("--rows").value_or(8960);
    const long long cols = p.intValue("--cols").value_or(1536);
    const int reps = int(p.intValue("--reps").value_or(10));
    const long long tokens = p.intValue("--tokens").value_or(1);
    const long long workingSetMiB = p.intValue("--working-set").value_or(256);
    const auto device = p.value("--device");
    const auto wg = p.intValue("--workgroup");
    const auto tpr = p.intValue("--threads-per-row");
    const auto weights = p.value("--weights");
    if (auto err = p.finish(0, 0))
        return fail(kName, *err, kExitUsage);
    if (weights && *weights != "best" && *weights != "blocks")
        return fail(kName, "--weights must be 'best' or 'blocks'", kExitUsage);
    const vk::WeightLayout layout = weights && *weights == "blocks" ? vk::WeightLayout::Blocks : vk::WeightLayout::Best;
    if (rows <= 0 || cols <= 0 || reps <= 0 || workingSetMiB <= 0 || tokens <= 0)
        return fail(kName, "--rows, --cols, --reps, --tokens and --working-set must be positive", kExitUsage);

    std::vector<GgmlType> types;
    if (typeName) {
        auto t = ggmlTypeFromName(*typeName);
        if (!t || !vk::weightTypeSupported(*t))
            return fail(kName, "unknown or unsupported weight type '" + *typeName + "'", kExitUsage);
        types.push_back(*t);
    } else {
        types.assign(std::begin(kTypes), std::end(kTypes));
    }

    vk::DeviceChoice choice;
    if (device) {
        if (!device->empty() && std::all_of(device->begin(), device->end(), ::isdigit))
            choice.index = std::stoi(*device);
        else
            choice.nameContains = *device;
    }
    auto ctx = vk::Context::create(choice);
    if (!ctx)
        return fail(kName, ctx.error().message);
    vk::Context& c = **ctx;
    auto ops = vk::WeightOps::create(c);
    if (!ops)
        return fail(kName, ops.error().message);
    vk::MatVecShape shape = vk::chooseMatVecShape(c.info(), uint32_t(tokens));
    if (wg)
        shape.workgroup = uint32_t(*wg);
    if (tpr)
        shape.threadsPerRow = uint32_t(*tpr);
    (*ops)->setMatVecShape(shape);

    const uint64_t workingSet = uint64_t(workingSetMiB) << 20;
    std::printf("device: %s (%s)\n", c.info().name.c_str(), c.info().driverInfo.c_str());
    std::printf("mat-vec %lld rows x %lld cols x %lld token(s), working set >= %lld MiB, %d reps; workgroup %u, %u lane(s) "
                "per row\n",
                rows, cols, tokens, workingSetMiB, reps, shape.workgroup, shape.threadsPerRow);

    auto copy = copyBandwidth(c, workingSet, reps);
    if (!copy)
        return fail(kName, copy.error().message);
    std::printf("copy shader: %.2f GB/s (bytes read + written)\n\n", *copy);
    std::printf("%-6s %-7s %12s %10s %14s %10s\n", "type", "layout", "ms/matrix", "GB/s", "ratio to copy", "GMAC/s");
    for (GgmlType t : types) {
        const uint32_t block = ggmlTypeTraits(t)->blockSize;
        if (cols % block != 0) {
            std::printf("%-6s %12s   (cols not a multiple of %u)\n", ggmlTypeName(t).c_str(), "-", block);
            continue;
        }
        auto r = matvecBandwidth(c, **ops, t, uint32_t(rows), uint32_t(cols), uint32_t(tokens), workingSet, reps, layout);
        if (!r)
            return fail(kName, ggmlTypeName(t) + ": " + r.error().message);
        const bool texel = layout == vk::WeightLayout::Best && vk::usesTexelLayout(c.info(), t, uint32_t(cols));
        std::printf("%-6s %-7s %12.3f %10.2f %13.0f%% %10.2f\n", ggmlTypeName(t).c_str(), texel ? "texel" : "blocks",
                    r->msPerMatrix, r->gbps, 100.0 * r->gbps / *copy, r->gmacs);
        std::fflush(stdout);
    }
    return kExitOk;
}

}  // namespace

TIEFSEE_CLI_COMMAND(kName,
                    "bench-kernels [--type T] [--rows N --cols N] [--tokens N] [--reps N] [--working-set MiB] [--device D] "
                    "[--weights best|blocks]",
                    "measures the mat-vec kernels' memory bandwidth per weight type against a copy shader; --tokens N "
                    "times the prefill shape (N tokens per matrix) and reports multiply-adds per second",
                    &runBenchKernels);

}  // namespace tiefsee::cli
