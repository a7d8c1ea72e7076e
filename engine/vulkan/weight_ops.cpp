#include "vulkan/weight_ops.h"

#include "config.h"  // shaders/config.h: push-constant layouts shared with GLSL
#include "quant/quantize.h"
#include "quant/texel_layout.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace tiefsee::vk {

namespace {

// "q4_k" for Q4_K: the suffix of the typed shader variants (shaders/CMakeLists.txt).
std::string shaderSuffix(GgmlType type)
{
    std::string s(ggmlTypeTraits(type)->name);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// Workgroup counts for `n` workgroups laid out as x (<= 65535) by y.
Groups spread(uint32_t n, uint32_t z = 1)
{
    const uint32_t x = std::min<uint32_t>(n, 65535);
    return Groups{x, (n + x - 1) / x, z};
}

}  // namespace

bool weightTypeSupported(GgmlType type)
{
    switch (type) {
    case GgmlType::F32: case GgmlType::F16: case GgmlType::BF16: case GgmlType::Q8_0: case GgmlType::Q4_0:
    case GgmlType::Q4_1: case GgmlType::Q5_0: case GgmlType::Q5_1: case GgmlType::Q2_K: case GgmlType::Q3_K:
    case GgmlType::Q4_K: case GgmlType::Q5_K: case GgmlType::Q6_K:
        return true;
    default:
        return false;
    }
}

bool usesTexelLayout(const DeviceInfo& info, GgmlType type, uint32_t cols)
{
    // matvec_tb needs CPU-style SIMD subgroups of at least 8 lanes (one workgroup of 8
    // invocations must be one subgroup).
    return info.cpuKernels && info.subgroupSize >= 8 && texelLayoutSupported(type) &&
           cols % kTexelSuperblock == 0;
}

uint32_t texelWorkgroupWidth(const DeviceInfo& info)
{
    // One workgroup must be exactly one subgroup (matvec_tb's lanes shuffle); each 8 lanes
    // of it work on their own rows.
    return std::clamp<uint32_t>(info.subgroupSize / 8 * 8, 8, 64);
}

namespace {

// Uploads in the texel layout: the same row chunks as the block layout, each repacked.
Result<WeightMatrix> uploadTexel(Context& ctx, WeightMatrix w, const uint8_t* src)
{
    const uint64_t rb = quant::quantizedSize(w.type, w.cols);
    auto split = ctx.allocateRows(w.rows, rb, [&](uint64_t n) { return texelLayoutBytes(w.type, n, w.cols); });
    if (!split)
        return split.error();
    w.data = std::move(*split);
    std::vector<uint8_t> packed;
    for (size_t c = 0; c < w.data.chunks.size(); ++c) {
        const uint64_t n = w.data.chunkRows(c), bytes = w.data.chunks[c].size();
        packed.resize(bytes);
        repackToTexelLayout(w.type, src + w.data.chunkFirstRow(c) * rb, n, w.cols, packed.data());
        if (auto r = ctx.upload(w.data.chunks[c], packed.data(), bytes); !r)
            return r.error();
    }
    w.texel = true;
    return w;
}

}  // namespace

Result<WeightMatrix> uploadWeights(Context& ctx, GgmlType type, uint32_t rows, uint32_t cols, const void* src, WeightLayout layout)
{
    if (!weightTypeSupported(type))
        return makeError(ErrorKind::Unsupported, "weights of type " + ggmlTypeName(type) + " are not supported on the GPU");
    const auto traits = *ggmlTypeTraits(type);
    if (rows == 0 || cols == 0 || cols % traits.blockSize != 0)
        return makeError(ErrorKind::InvalidInput, "a " + ggmlTypeName(type) + " matrix needs a row length that is a multiple of " +
                                                      std::to_string(traits.blockSize) + " (got " + std::to_string(cols) + ")");
    WeightMatrix w;
    w.type = type;
    w.rows = rows;
    w.cols = cols;
    if (layout == WeightLayout::Best && usesTexelLayout(ctx.info(), type, cols))
        return uploadTexel(ctx, std::move(w), static_cast<const uint8_t*>(src));
    auto data = ctx.allocateRows(rows, quant::quantizedSize(type, cols));
    if (!data)
        return data.error();
    w.data = std::move(*data);
    if (auto r = ctx.upload(w.data, src); !r)
        return r.error();
    return w;
}

MatVecShape chooseMatVecShape(const DeviceInfo& info, uint32_t ntokens)
{
    MatVecShape s;
    s.ncols = std::min<uint32_t>(std::max<uint32_t>(ntokens, 1), MATVEC_MAX_NCOLS);
    if (info.cpuKernels) {
        // lavapipe: a workgroup is one job on one CPU thread, its invocations run as
        // SIMD lanes. One row per lane; 64 rows per job keeps jobs few and large.
        s.threadsPerRow = 1;
        s.workgroup = 64;
    } else {
        s.threadsPerRow = std::clamp<uint32_t>(info.subgroupSize, 8, 64);
        s.workgroup = s.threadsPerRow * 4;
    }
    return s;
}

Result<std::unique_ptr<WeightOps>> WeightOps::create(Context& ctx)
{
    return std::unique_ptr<WeightOps>(new WeightOps(ctx));
}

Result<const Pipeline*> WeightOps::pipeline(const std::string& shader, std::initializer_list<uint32_t> spec)
{
    std::string key = shader;
    for (uint32_t v : spec)
        key += "/" + std::to_string(v);
    auto it = m_pipelines.find(key);
    if (it != m_pipelines.end())
        return &it->second;
    auto p = createPipeline(*m_ctx, shader, spec);
    if (!p)
        return p.error();
    return &m_pipelines.emplace(key, std::move(*p)).first->second;
}

WeightOps::TexelShape WeightOps::chooseTexelShape(GgmlType type, uint32_t ntokens)
{
    // Decode: one job per interleaved row group (texelRowGroup says why its size; Q6_K,
    // Q3_K, Q2_K: two, see below).
    // Prefill shares each decoded row between 8 tokens and gives a job 32 rows (2 groups
    // of 16, or 4 of 8), so that the x texels it fetches serve more rows; batches of up to
    // 4 tokens take 4 tokens and 4 groups (no passes over missing tokens). Measured on
    // lavapipe (medians of alternating whole-process `bench -p 64` runs, prefill t/s
    // against 4 groups x 4 tokens): 2 groups x 8 tokens 1.13x for Q4_K_M (3 runs; profile:
    // Q4_K 0.92x, Q6_K 0.95x time), 1.18x for Q8_0, 1.04x for Q4_0; against 2 groups x 8
    // tokens, 1 group x 16 tokens 0.94x, 1 x 8 0.86x, 4 x 8 0.94x (1.5B Q4_K_M, whose Q4_K
    // groups are 16 rows). For the types with groups of 8 rows, 32 rows against 16 took
    // 0.93-0.95x the time (bench-kernels 64 tokens, minimum of 4-5 alternating runs: Q6_K
    // 1536 x 8960, Q8_0, Q5_0, Q2_K, Q3_K 8960 x 1536). In decode 2 groups gave
    // Q4_K 1.0x (bench-kernels; whole-process 0.94x) but Q6_K, whose groups are 8 rows,
    // 0.94x (1536 x 8960) and 0.95x (the 151936 x 1536 output matrix), Q3_K 0.92-0.94x
    // and Q2_K 0.95-0.96x (8960 x 1536, 8 alternating runs), so decode jobs of these three
    // K-quants (their layouts group 8 superblocks) take 16 rows; Q8_0 (1.03x) and Q5_0
    // (1.07x) keep 8.
    // ROWS * NCOLS must be a multiple of 8 (the lane butterfly).
    const uint32_t g = texelRowGroup(type);
    if (ntokens > 4)
        return TexelShape{32, 8};  // a multiple of every group size (8 or 16)
    if (ntokens > 1)
        return TexelShape{4 * g, 4};
    const bool twoGroups = type == GgmlType::Q6_K || type == GgmlType::Q3_K || type == GgmlType::Q2_K;
    return TexelShape{twoGroups ? 2 * g : g, 1};
}

namespace {

// Floats between consecutive tokens' rows in y (OutRows: 0 = the matrix's rows).
uint32_t outStride(const WeightMatrix& w, OutRows out) { return out.stride ? out.stride : w.rows; }

// The push constants of one row chunk's mat-vec/mat-mat dispatch, its rows placed as
// `out` says.
shaders::MatMulPush chunkPush(const WeightMatrix& w, size_t chunk, uint32_t ntokens, OutRows out)
{
    return shaders::MatMulPush{uint32_t(w.data.chunkRows(chunk)), w.cols, ntokens,
                               out.first + uint32_t(w.data.chunkFirstRow(chunk)), w.cols, outStride(w, out)};
}

[[maybe_unused]] bool fitsOutput(const WeightMatrix& w, TensorView y, uint32_t ntokens, OutRows out)
{
    const uint64_t stride = outStride(w, out);
    return out.first + w.rows <= stride && y.size >= ((ntokens - 1) * stride + out.first + w.rows) * 4;
}

}  // namespace

Result<void> WeightOps::matvec(Recorder& rec, const WeightMatrix& w, TensorView x, TensorView y, uint32_t ntokens,
                               OutRows out)
{
    assert(x.size >= uint64_t(ntokens) * w.cols * 4 && fitsOutput(w, y, ntokens, out));
    // Texel-layout matrices go to matvec_tb (CPU devices), the rest to matvec; both take
    // the same push constants and one dispatch per row chunk.
    const std::string name = "matvec_" + shaderSuffix(w.type);
    if (w.texel) {
        const TexelShape s = chooseTexelShape(w.type, ntokens);
        // Each pass of tokens binds y from the storage-buffer offset alignment (at least 16
        // bytes, a vec4's) below its start (the rows' offset then says how many floats later
        // it starts: its skew), and a binding spans at most the device's storage-buffer
        // range, so very long outputs (all-logits prefill of a large batch) take several
        // passes.
        const uint64_t align = std::max<uint64_t>(16, m_ctx->info().minStorageBufferOffsetAlignment);
        const uint64_t stride = outStride(w, out), lead = align / 4 - 1 + out.first + w.rows;  // with the largest skew
        const uint64_t maxFloats = m_ctx->bindingLimit() / 4;
        if (lead > maxFloats)
            return makeError(ErrorKind::Unsupported, "a mat-vec output row of " + std::to_string(lead) +
                                                         " values exceeds the device's storage-buffer range");
        const uint32_t perPass = uint32_t(std::min<uint64_t>(ntokens, (maxFloats - lead) / stride + 1));
        const uint32_t skew0 = uint32_t(y.offset % align / 4);  // the first pass's
        // Each lane stores its ROWS / 8 consecutive rows of a token YVEC at a time where every
        // YVEC-row block of y lies wholly inside or outside the matrix and is aligned
        // (matvec_tb.comp says why). With several tokens the stride is a multiple of YVEC,
        // so every pass's skew is the first's modulo YVEC.
        auto storeWidth = [&](uint32_t v) {
            if ((s.rows / 8) % v != 0 || (ntokens > 1 && stride % v != 0))
                return false;
            for (size_t c = 0; c < w.data.chunks.size(); ++c)
                if ((skew0 + out.first + w.data.chunkFirstRow(c)) % v != 0 || w.data.chunkRows(c) % v != 0)
                    return false;
            return true;
        };
        const uint32_t yvec = storeWidth(4) ? 4 : storeWidth(2) ? 2 : 1;
        auto p = pipeline("matvec_tb_" + shaderSuffix(w.type),
                          {s.rows, s.ncols, texelRowGroup(w.type), texelWorkgroupWidth(m_ctx->info()), yvec});
        if (!p)
            return p.error();
        for (uint32_t t0 = 0; t0 < ntokens; t0 += perPass) {
            const uint32_t n = std::min(perPass, ntokens - t0);
            uint32_t skew = 0;  // y of the pass's tokens (a token's rows end at out.first + w.rows)
            const TensorView yp = y.sub(uint64_t(t0) * stride * 4, ((n - 1) * stride + out.first + w.rows) * 4)
                                      .alignedDown(align, &skew);
            const TensorView xp = x.sub(uint64_t(t0) * w.cols * 4, uint64_t(n) * w.cols * 4);
            // A workgroup per CPU thread, each taking jobs from the dispatch's counter.
            for (size_t c = 0; c < w.data.chunks.size(); ++c) {
                auto counter = rec.workCounter();
                if (!counter)
                    return counter.error();
                shaders::MatMulPush push = chunkPush(w, c, n, out);
                push.rowOffset += skew;
                rec.dispatch(**p, {w.data.chunks[c], xp, yp, *counter}, Groups{cpuDeviceThreads()}, push, name);
            }
        }
        return {};
    }
    const MatVecShape s = m_override ? m_shapeOverride : chooseMatVecShape(m_ctx->info(), ntokens);
    auto p = pipeline(name, {s.workgroup, s.threadsPerRow, s.ncols});
    if (!p)
        return p.error();
    const TensorView xv = x.sub(0, uint64_t(ntokens) * w.cols * 4);
    const uint32_t rowsPerGroup = s.workgroup / s.threadsPerRow;
    for (size_t c = 0; c < w.data.chunks.size(); ++c) {
        const uint32_t rows = uint32_t(w.data.chunkRows(c));
        rec.dispatch(**p, {w.data.chunks[c], xv, y},
                     spread((rows + rowsPerGroup - 1) / rowsPerGroup, (ntokens + s.ncols - 1) / s.ncols),
                     chunkPush(w, c, ntokens, out), name);
    }
    return {};
}

Result<void> WeightOps::matmulTiled(Recorder& rec, const WeightMatrix& w, TensorView x, TensorView y, uint32_t ntokens,
                                    OutRows out)
{
    assert(x.size >= uint64_t(ntokens) * w.cols * 4 && fitsOutput(w, y, ntokens, out));
    if (w.texel)  // the tiled kernel reads GGUF blocks; texel-layout matrices only exist on CPU devices
        return matvec(rec, w, x, y, ntokens, out);
    auto p = pipeline("matmul_" + shaderSuffix(w.type), {});
    if (!p)
        return p.error();
    for (size_t c = 0; c < w.data.chunks.size(); ++c) {
        const uint32_t rows = uint32_t(w.data.chunkRows(c));
        const shaders::MatMulPush push = chunkPush(w, c, ntokens, out);
        Groups g{(rows + MATMUL_BM - 1) / MATMUL_BM, (ntokens + MATMUL_BN - 1) / MATMUL_BN, 1};
        rec.dispatch(**p, {w.data.chunks[c], x, y}, g, push, "matmul_" + shaderSuffix(w.type));
    }
    return {};
}

Result<void> WeightOps::matmul(Recorder& rec, const WeightMatrix& w, TensorView x, TensorView y, uint32_t ntokens,
                               OutRows out)
{
    if (m_ctx->info().cpuKernels || ntokens <= 2)
        return matvec(rec, w, x, y, ntokens, out);
    return matmulTiled(rec, w, x, y, ntokens, out);
}

Result<void> WeightOps::getRows(Recorder& rec, const WeightMatrix& w, TensorView ids, uint32_t nids, TensorView out)
{
    assert(ids.size >= uint64_t(nids) * 4 && out.size >= uint64_t(nids) * w.cols * 4);
    assert(!w.texel && "get_rows needs the block layout");
    const uint32_t local = 64;
    auto p = pipeline("get_rows_" + shaderSuffix(w.type), {local});
    if (!p)
        return p.error();
    const uint32_t unit = ggmlTypeTraits(w.type)->blockSize == 1 ? 1 : TIEFSEE_QUANT_UNIT;
    const uint32_t units = w.cols / unit;
    for (size_t c = 0; c < w.data.chunks.size(); ++c) {
        shaders::GetRowsPush push{uint32_t(w.data.chunkRows(c)), w.cols, nids, uint32_t(w.data.chunkFirstRow(c))};
        const uint32_t gy = std::min<uint32_t>(nids, 65535);
        rec.dispatch(**p, {w.data.chunks[c], ids, out}, Groups{(units + local - 1) / local, gy, (nids + gy - 1) / gy}, push,
                     "get_rows_" + shaderSuffix(w.type));
    }
    return {};
}

}  // namespace tiefsee::vk
