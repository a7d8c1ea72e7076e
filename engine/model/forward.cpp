#include "model/forward.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tiefsee::model {
namespace {

constexpr uint64_t kIdsOffset = 256;   // byte offset of the token ids in the params buffer (binding alignment)

// Push-constant blocks, mirroring the shaders' layouts.
struct NormPush {
    uint32_t n;
    float eps;
};
struct RopePush {
    uint32_t nTok, nHead, nKv, headDim, nRot, posOffset;
    float eps, freqBase, freqScale, extFactor, attnFactor, corrLow, corrHigh;
};
struct AttentionPush {
    uint32_t nTok, nHead, nKv, headDim, posOffset;
    float scale;
    uint32_t qStride;
};
struct TopKPush {
    uint32_t n, k, first;
};
struct LogitsPush {
    uint32_t n, first;
};
struct RowPush {
    uint32_t n;
};

// Rope frequency scaling from metadata (llama.cpp's conventions): "linear" scales
// positions by 1/factor; "yarn" also mixes in extrapolation over a ramp.
struct RopeScaling {
    float freqScale = 1.f, extFactor = 0.f, attnFactor = 1.f, corrLow = 0.f, corrHigh = 0.f;
};

RopeScaling ropeScaling(const ModelInfo& info)
{
    RopeScaling s;
    if ((info.ropeScalingType == "linear" || info.ropeScalingType == "yarn") && info.ropeScalingFactor > 0.f)
        s.freqScale = 1.f / info.ropeScalingFactor;
    if (info.ropeScalingType == "yarn") {
        s.extFactor = 1.f;
        const float nCtxOrig = float(info.ropeOrigContext ? info.ropeOrigContext : info.contextLength);
        auto corrDim = [&](float nRot) {
            return float(info.ropeDims) * std::log(nCtxOrig / (nRot * 2.f * float(M_PI))) / (2.f * std::log(info.ropeTheta));
        };
        s.corrLow = std::max(0.f, std::floor(corrDim(32.f)));
        s.corrHigh = std::min(float(info.ropeDims - 1), std::ceil(corrDim(1.f)));
    }
    return s;
}

// A lane or job of attention.comp that takes QS query heads keeps 2 x QS x headDim floats
// (queries, accumulators) in unrolled code, and LLVM's time to compile it grows faster
// than QS: uncached pipeline creation at headDim 128 took ~0.7 s for QS 1, ~3.7 s for 2,
// ~6.4 s for 3, ~9 s for 4 and ~31 s for 7 here. A model's first prompt on a machine
// waits for that (Mesa caches it afterwards), so QS x headDim stays within 384.
bool attentionHeadsCompileFast(const ModelInfo& info, uint32_t qs) { return qs * info.headDim <= 384; }

// Query heads that one job (or lane) of attention.comp takes (QS): the most heads of one
// kv head that compile fast and still leave at least minJobs jobs per token.
uint32_t kvHeadGroup(const ModelInfo& info, uint32_t minJobs)
{
    const uint32_t perKv = info.nHead / info.nHeadKv;
    uint32_t best = 1;
    for (uint32_t d = 1; d <= perKv; ++d)
        if (perKv % d == 0 && info.nHead / d >= minJobs && attentionHeadsCompileFast(info, d))
            best = d;
    return best;
}

// Split-keys attention (decode): heads of one kv head share its K/V loads, as many as
// leave a decode step 2 jobs per CPU thread (lavapipe runs one per core).
uint32_t splitAttentionHeads(const ModelInfo& info) { return kvHeadGroup(info, 2 * vk::cpuDeviceThreads()); }

// CPU prefill attention (SPLIT 1): each key's K/V loads are lavapipe gathers that cost
// several times a head's arithmetic on them, and the batch's tokens give the jobs;
// `bench -p 1024 --profile`, attention per prefill token of the 1.5B model (12 heads, 2
// kv heads, batch at 768..1023 keys), 2 rounds: QS 1 5.68/5.58 ms, 2 4.09/3.95, 3
// 3.35/3.22, 6 2.90/2.74.
uint32_t sharedAttentionHeads(const ModelInfo& info) { return kvHeadGroup(info, 1); }

}  // namespace

uint64_t kvCacheBytes(const ModelInfo& info, uint64_t ctx)
{
    return 2ull * info.nLayer * ctx * info.nHeadKv * info.headDim * 2;
}

uint64_t activationBytes(const ModelInfo& info, uint64_t batch)
{
    const uint64_t q = uint64_t(info.nHead) * info.headDim, kv = uint64_t(info.nHeadKv) * info.headDim;
    return batch * 4 * (3ull * info.nEmbd + 2 * q + 2 * kv + 3ull * info.nFf) + 4ull * info.nVocab;
}

Result<Forward> Forward::create(vk::Context& ctx, const ModelInfo& info, const Weights& weights, const KvCache& kv,
                                uint32_t maxBatch)
{
    Forward f;
    f.m_ctx = &ctx;
    f.m_info = &info;
    f.m_w = &weights;
    f.m_kv = &kv;
    f.m_maxBatch = maxBatch;
    // Logit rows for LogitsMode::All: as many as fit one binding.
    const uint64_t rowBytes = uint64_t(info.nVocab) * 4;
    f.m_logitRows = uint32_t(std::clamp<uint64_t>(ctx.info().maxStorageBufferRange / rowBytes, 1, maxBatch));

    if (info.headDim % 8 != 0)  // attention.comp reads cache rows as texels of 8 halves
        return makeError(ErrorKind::Unsupported, "attention heads of " + std::to_string(info.headDim) +
                                                     " values are not supported (must be a multiple of 8)");
    if (info.ropeDims % 4 != 0 || info.ropeDims > info.headDim)
        return makeError(ErrorKind::Unsupported, "rotary dimension count " + std::to_string(info.ropeDims) +
                                                     " is not supported (must be a multiple of 4, at most the head size)");

    // Workgroup shapes: on CPU drivers a workgroup is one job of SIMD lanes, so small
    // workgroups of subgroup width and no barriers; on GPUs wider ones.
    const bool cpu = ctx.info().cpuKernels;
    const uint32_t sg = std::max(1u, ctx.info().subgroupSize);
    const uint32_t wgNorm = cpu ? sg : 256;
    const uint32_t wgSmall = cpu ? sg : 64;

    auto make = [&](vk::Pipeline& dst, const char* name, std::initializer_list<uint32_t> spec) -> Result<void> {
        auto p = vk::createPipeline(ctx, name, spec);
        if (!p)
            return p.error();
        dst = std::move(*p);
        return {};
    };
#define TRY(expr)              \
    if (auto r_ = (expr); !r_) \
        return r_.error();
    {
        auto ops = vk::WeightOps::create(ctx);
        if (!ops)
            return ops.error();
        f.m_ops = std::move(*ops);
    }
    // CPU devices read and write the residual stream as texels where its rows are whole
    // ones (rms_norm_tb: one subgroup per row).
    const char* norm = cpu && info.nEmbd % 4 == 0 ? "rms_norm_tb" : "rms_norm";
    TRY(make(f.m_norm, norm, {wgNorm, 0}));
    TRY(make(f.m_normAdd, norm, {wgNorm, 1}));
    f.m_ropeLanes = cpu ? 1 : sg;  // invocations per head (rope.comp LANES)
    TRY(make(f.m_rope, "rope",
             {std::max(wgSmall, f.m_ropeLanes), info.qkvBias ? 1u : 0u, info.qkNorm ? 1u : 0u,
              info.ropeType == RopeType::Neox ? 1u : 0u, weights.ropeFreqs.valid() ? 1u : 0u, f.m_ropeLanes}));
    if (!cpu) {
        // GPUs: batches split each head's keys over a subgroup's lanes (decode: below). One
        // lane per (token, head) left an H200 almost idle: a decode step's attention took
        // 1.8 ms per layer at 576 keys (93 % of the step, `bench --profile`), 12 lanes busy;
        // prefill attention per token 0.151 -> 0.029 ms.
        f.m_splitEverywhere = true;
        TRY(make(f.m_attentionSplit, "attention", {sg, info.headDim, sg, 1}));
        // Decode: a workgroup per head, lanes across its dims (attention_decode.comp), as
        // wide as the device allows up to 512 invocations (the keys in flight at once).
        const uint32_t hd8 = info.headDim / 8;
        if ((hd8 & (hd8 - 1)) == 0 && hd8 <= sg) {
            const vk::DeviceInfo& di = ctx.info();
            uint32_t wg = std::min(512u, di.maxComputeWorkGroupInvocations) / sg * sg;
            auto sharedBytes = [&](uint32_t w) { return w / sg * (sg / hd8) * (info.headDim + 2) * 4; };
            while (wg > sg && sharedBytes(wg) > di.maxComputeSharedMemorySize)
                wg -= sg;
            if (wg >= sg && sharedBytes(wg) <= di.maxComputeSharedMemorySize) {
                TRY(make(f.m_attentionDecode, "attention_decode", {wg, info.headDim, sg, 1}));
                TRY(make(f.m_attentionDecodeSplit, "attention_decode", {wg, info.headDim, sg, kDecodeSplits}));
                TRY(make(f.m_attentionCombine, "attention_combine", {64, info.headDim, kDecodeSplits}));
                f.m_longDecodeKeys = kGpuSplitDecodeKeys;
            }
        }
    } else {  // a workgroup of subgroup width is one subgroup there (matvec_tb relies on it too)
        TRY(make(f.m_attention, "attention", {wgSmall, info.headDim, 1}));
        f.m_longDecodeKeys = kCpuSplitAttentionKeys;
        f.m_attentionHeads = splitAttentionHeads(info);
        // The value pass with the lanes across the dims (attention.comp DIMS): per block of
        // keys 0.88-0.90x the instructions, attention per decode token at ~1030 keys
        // 0.72-0.83x the time (`bench -p 1024 --profile`, 4 of 5 alternating pairs).
        TRY(make(f.m_attentionSplit, "attention", {sg, info.headDim, sg, f.m_attentionHeads, 0, 1}));
        f.m_sharedHeads = sharedAttentionHeads(info);
        if (f.m_sharedHeads > 1)
            TRY(make(f.m_attentionShared, "attention", {wgSmall, info.headDim, 1, f.m_sharedHeads}));
        if (info.headDim / 8 <= sg)  // a lane per texel of a cache row (attention.comp ROWS)
            TRY(make(f.m_attentionRows, "attention", {sg, info.headDim, 1, f.m_sharedHeads, 1}));
    }
    // CPU devices read and write the feed-forward rows as texels where they are whole ones.
    const bool swigluTexels = cpu && info.nFf % 4 == 0;
    f.m_swigluValues = swigluTexels ? 16 : 4;
    TRY(make(f.m_swiglu, swigluTexels ? "swiglu_tb" : "swiglu", {wgSmall, f.m_swigluValues}));
    uint32_t argmaxWg = cpu ? sg : 1024;  // a power of two (argmax.comp's tree)
    while (argmaxWg > ctx.info().maxComputeWorkGroupInvocations)
        argmaxWg /= 2;
    // CPU devices scan the logits as texels (argmax.comp says why): 1.34-1.53 -> 0.24 ms per
    // decode token for a vocabulary of 151936 on 256-bit lavapipe (`bench --profile`).
    f.m_argmaxTexels = cpu;
    TRY(make(f.m_argmax, cpu ? "argmax_tb" : "argmax", {argmaxWg}));
    TRY(make(f.m_topk, "topk", {256}));  // wide on every device: see topk.comp

    auto alloc = [&](vk::Tensor& dst, uint64_t bytes) -> Result<void> {
        auto t = ctx.allocate(std::max<uint64_t>(bytes, 16));
        if (!t)
            return t.error();
        dst = std::move(*t);
        return {};
    };
    auto allocHost = [&](vk::Tensor& dst, uint64_t bytes) -> Result<void> {
        auto t = ctx.allocateHost(bytes);
        if (!t)
            return t.error();
        dst = std::move(*t);
        return {};
    };
    const uint64_t B = maxBatch, hd = info.headDim;
    TRY(alloc(f.m_x, B * info.nEmbd * 4));
    TRY(alloc(f.m_xn, B * info.nEmbd * 4));
    TRY(alloc(f.m_qkv, B * (info.nHead + 2 * info.nHeadKv) * hd * 4));
    TRY(alloc(f.m_attn, B * info.nHead * hd * 4));
    if (f.m_attentionDecodeSplit.valid())
        TRY(alloc(f.m_attnPartials, uint64_t(info.nHead) * kDecodeSplits * (hd + 2) * 4));
    TRY(alloc(f.m_proj, B * info.nEmbd * 4));
    TRY(alloc(f.m_gateUp, B * 2 * info.nFf * 4));
    TRY(alloc(f.m_ffn, B * info.nFf * 4));
    TRY(alloc(f.m_logits, uint64_t(f.m_logitRows) * rowBytes + 16));  // + a texel past the last row (argmax_tb)
    TRY(alloc(f.m_dummy, 16));
    TRY(allocHost(f.m_params, kIdsOffset + B * 4));
    TRY(allocHost(f.m_result, 16));
    TRY(allocHost(f.m_topkOut, 4 * (1 + 2 * Sampler::kMaxGpuTopK)));
    std::memset(f.m_params.data(), 0, 8);
    std::memset(f.m_topkOut.data(), 0, 4);
#undef TRY
    return f;
}

void Forward::setBatch(uint32_t pos0, std::span<const int32_t> ids)
{
    assert(ids.size() <= m_maxBatch && m_params.data());
    std::memcpy(m_params.data(), &pos0, 4);
    std::memcpy(m_params.data() + kIdsOffset, ids.data(), ids.size_bytes());
}

void Forward::setTopK(bool enabled)
{
    const uint32_t v = enabled ? 1 : 0;
    std::memcpy(m_params.data() + 4, &v, 4);
}

std::vector<TokenLogit> Forward::topCandidates() const
{
    const auto* p = reinterpret_cast<const uint32_t*>(m_topkOut.data());
    const uint32_t n = std::min<uint32_t>(p[0], Sampler::kMaxGpuTopK);
    std::vector<TokenLogit> c(n);
    for (uint32_t i = 0; i < n; ++i) {
        c[i].id = int32_t(p[1 + 2 * i]);
        std::memcpy(&c[i].logit, &p[2 + 2 * i], 4);
    }
    std::sort(c.begin(), c.end(), ranksBefore);
    return c;
}

int32_t Forward::argmaxId() const
{
    int32_t id;
    std::memcpy(&id, m_result.data(), 4);
    return id;
}

Result<void> Forward::linear(vk::Recorder& rec, const Linear& w, vk::TensorView x, vk::TensorView y, uint32_t nTok,
                             vk::OutRows out)
{
    return nTok == 1 ? m_ops->matvec(rec, w.m, x, y, 1, out) : m_ops->matmul(rec, w.m, x, y, nTok, out);
}

Forward::AttentionChoice Forward::chooseAttention(uint32_t nTok, bool longContext) const
{
    const ModelInfo& info = *m_info;
    // Few (token, head) pairs fill few CPU jobs when each is one lane (a decode step's 12
    // heads are one job on one core): below 8 jobs' worth, lanes split each head's keys,
    // in decode only for long contexts (kCpuSplitAttentionKeys).
    const bool splitAttention =
        m_splitEverywhere || (m_attentionSplit.valid() && nTok * info.nHead < 8 * m_attentionSplit.interface().localSize[0] &&
                              (nTok > 1 || longContext));
    // Otherwise, where the batch still gives every CPU thread 2 workgroups, lanes take
    // m_sharedHeads heads each.
    const bool sharedAttention =
        m_attentionShared.valid() && nTok * info.nHead / m_sharedHeads >=
                                         2 * vk::cpuDeviceThreads() * m_attentionShared.interface().localSize[0];
    // Where the batch fills whole subgroups of tokens, still 2 workgroups per CPU thread, the
    // lanes of a workgroup are consecutive tokens of the same heads and fetch each K/V row once
    // between them.
    const uint32_t rowsWidth = m_attentionRows.valid() ? m_attentionRows.interface().localSize[0] : 0;
    const uint32_t rowsJobs = rowsWidth ? (nTok + rowsWidth - 1) / rowsWidth * (info.nHead / m_sharedHeads) : 0;
    const bool rowsAttention = rowsWidth && nTok >= rowsWidth && rowsJobs >= 2 * vk::cpuDeviceThreads();
    // GPUs, decode: a workgroup per head, or kDecodeSplits of them for long contexts.
    const bool decodeAttention = nTok == 1 && m_attentionDecode.valid();
    const bool decodeSplit = decodeAttention && longContext;
    AttentionChoice c;
    c.decode = decodeAttention;
    c.decodeSplit = decodeSplit;
    c.pipeline = decodeSplit       ? &m_attentionDecodeSplit
                 : decodeAttention ? &m_attentionDecode
                 : splitAttention  ? &m_attentionSplit
                 : rowsAttention   ? &m_attentionRows
                 : sharedAttention ? &m_attentionShared
                                   : &m_attention;
    c.groups = decodeAttention   ? vk::Groups{info.nHead * (decodeSplit ? kDecodeSplits : 1)}
               : splitAttention  ? vk::Groups{nTok * info.nHead / m_attentionHeads}  // one workgroup per token and heads
               : rowsAttention   ? vk::Groups{rowsJobs}
               : sharedAttention ? vk::groupsFor(m_attentionShared, nTok * info.nHead / m_sharedHeads)
                                 : vk::groupsFor(m_attention, nTok * info.nHead);
    return c;
}

Result<void> Forward::record(vk::Recorder& rec, uint32_t nTok, PassLogits logits, bool longContext)
{
    const ModelInfo& info = *m_info;
    const Weights& W = *m_w;
    const bool allLogits = logits == PassLogits::All;
    assert(nTok >= 1 && nTok <= m_maxBatch && (!allLogits || nTok <= m_logitRows));
    const uint64_t e4 = uint64_t(info.nEmbd) * 4, hd = info.headDim;
    auto rows = [](const vk::Tensor& t, uint64_t rowBytes, uint64_t first, uint64_t n) {
        return t.view().sub(first * rowBytes, n * rowBytes);
    };
    const uint32_t qkvRow = (info.nHead + 2 * info.nHeadKv) * info.headDim;  // floats per token of q | k | v
    const uint64_t attnRow = info.nHead * hd * 4, gateUpRow = 2ull * info.nFf * 4, ffnRow = uint64_t(info.nFf) * 4;
    const vk::TensorView x = rows(m_x, e4, 0, nTok), xn = rows(m_xn, e4, 0, nTok);
    const vk::TensorView qkv = rows(m_qkv, qkvRow * 4ull, 0, nTok);
    const vk::TensorView params = m_params.view().sub(0, 16);
    const vk::TensorView ids = m_params.view().sub(kIdsOffset, uint64_t(nTok) * 4);
    const vk::TensorView dummy = m_dummy.view();
    const RopeScaling rs = ropeScaling(info);
    const AttentionChoice attention = chooseAttention(nTok, longContext);
    // After the last layer's K/V, only the rows whose logits the pass leaves matter: a batch
    // that more follow (None) ends there, and one that leaves the last token's logits runs
    // the last layer's attention, wo and feed-forward block for that token alone: 3.3 % of
    // a 1.5B prefill's multiply-adds were spent on rows nobody reads (lavapipe, `bench -p
    // 256`, 5 alternating runs against the build before: prefill 1.00-1.09x the tokens/s,
    // median 1.02x). Where a row's views would start off the device's binding offset
    // alignment, all rows run.
    const uint64_t align = std::max<uint64_t>({16, m_ctx->info().minStorageBufferOffsetAlignment,
                                               m_ctx->info().minTexelBufferOffsetAlignment});
    const uint64_t lt = nTok - 1;
    const bool lastRowOnly = logits != PassLogits::All && nTok > 1 && (lt * e4) % align == 0 &&
                             (lt * qkvRow * 4) % align == 0 && (lt * attnRow) % align == 0 &&
                             (lt * gateUpRow) % align == 0 && (lt * ffnRow) % align == 0;
    // The one query of that layer has at least nTok keys: it takes the decode step's path
    // for that many (Model::decode's rule).
    const AttentionChoice lastAttention = chooseAttention(1, hasLongDecode() && nTok >= m_longDecodeKeys);

#define TRY(expr)              \
    if (auto r_ = (expr); !r_) \
        return r_;
    // Embedding lookup.
    TRY(m_ops->getRows(rec, W.tokenEmbd.m, ids, nTok, x));
    const NormPush normPush{info.nEmbd, info.rmsEps};
    for (uint32_t l = 0; l < info.nLayer; ++l) {
        const LayerWeights& L = W.layers[l];
        // x += proj (the previous block's output); xn = norm(x) * attn_norm
        if (l == 0)
            rec.dispatch(m_norm, {x, L.attnNorm.view(), xn, dummy}, vk::Groups{nTok}, normPush, "attn_norm");
        else
            rec.dispatch(m_normAdd, {x, L.attnNorm.view(), xn, rows(m_proj, e4, 0, nTok)}, vk::Groups{nTok}, normPush,
                         "attn_norm");
        for (const Linear& w : L.qkv)
            TRY(linear(rec, w, xn, qkv, nTok, vk::OutRows{qkvRow, w.outRow}));
        const RopePush rp{nTok, info.nHead, info.nHeadKv, info.headDim, info.ropeDims, 0, info.rmsEps, info.ropeTheta,
                          rs.freqScale, rs.extFactor, rs.attnFactor, rs.corrLow, rs.corrHigh};
        rec.dispatch(m_rope,
                     {params, qkv, L.qkvBias.valid() ? L.qkvBias.view() : dummy,
                      L.qkNorm.valid() ? L.qkNorm.view() : dummy, W.ropeFreqs.valid() ? W.ropeFreqs.view() : dummy,
                      m_kv->k[l].view(), m_kv->v[l].view()},
                     vk::groupsFor(m_rope, nTok * (info.nHead + 2 * info.nHeadKv) * m_ropeLanes), rp, "rope");
        // The rows from here on: all of the batch's, or (last layer) the last token's.
        const bool lastLayer = l + 1 == info.nLayer;
        if (lastLayer && logits == PassLogits::None)
            return {};
        const bool one = lastLayer && lastRowOnly;
        const uint32_t t0 = one ? nTok - 1 : 0, nt = one ? 1 : nTok;
        const AttentionChoice& at = one ? lastAttention : attention;
        const vk::TensorView q = rows(m_qkv, qkvRow * 4ull, t0, nt), attn = rows(m_attn, attnRow, t0, nt);
        const vk::TensorView xr = rows(m_x, e4, t0, nt), xnr = rows(m_xn, e4, t0, nt), projr = rows(m_proj, e4, t0, nt);
        const vk::TensorView gateUp = rows(m_gateUp, gateUpRow, t0, nt), ffn = rows(m_ffn, ffnRow, t0, nt);
        const AttentionPush ap{nt, info.nHead, info.nHeadKv, info.headDim, t0, 1.f / std::sqrt(float(info.headDim)), qkvRow};
        if (at.decode) {
            rec.dispatch(*at.pipeline,
                         {params, q, m_kv->k[l].view(), m_kv->v[l].view(), attn, at.decodeSplit ? m_attnPartials.view() : dummy},
                         at.groups, ap, "attention");
            if (at.decodeSplit)
                rec.dispatch(m_attentionCombine, {m_attnPartials.view(), attn}, vk::Groups{info.nHead},
                             RowPush{info.nHead}, "attention");
        } else {
            rec.dispatch(*at.pipeline, {params, q, m_kv->k[l].view(), m_kv->v[l].view(), attn}, at.groups, ap, "attention");
        }
        TRY(linear(rec, L.wo, attn, projr, nt));
        rec.dispatch(m_normAdd, {xr, L.ffnNorm.view(), xnr, projr}, vk::Groups{nt}, normPush, "ffn_norm");
        for (const Linear& w : L.gateUp)
            TRY(linear(rec, w, xnr, gateUp, nt, vk::OutRows{2 * info.nFf, w.outRow}));
        const RowPush sp{info.nFf};
        rec.dispatch(m_swiglu, {gateUp, ffn}, vk::groupsFor(m_swiglu, (info.nFf + m_swigluValues - 1) / m_swigluValues, nt),
                     sp, "swiglu");
        TRY(linear(rec, L.down, ffn, projr, nt));
    }
    // Final norm and logits: all rows, or only the last token's.
    const uint32_t first = allLogits ? 0 : nTok - 1, n = allLogits ? nTok : 1;
    rec.dispatch(m_normAdd, {rows(m_x, e4, first, n), W.outputNorm.view(), rows(m_xn, e4, first, n), rows(m_proj, e4, first, n)},
                 vk::Groups{n}, normPush, "output_norm");
    const uint64_t lb = uint64_t(info.nVocab) * 4;
    TRY(linear(rec, W.outputMatrix(), rows(m_xn, e4, first, n), rows(m_logits, lb, 0, n), n));
    // The last row's logits, bound from the storage-buffer offset alignment below them (a
    // vocabulary that is not a multiple of 4 puts the rows of a batch off it).
    const vk::TensorView lastRow = rows(m_logits, lb, n - 1, 1);
    uint32_t lastFirst = 0;
    const vk::TensorView last =
        lastRow.alignedDown(std::max<uint64_t>(4, m_ctx->info().minStorageBufferOffsetAlignment), &lastFirst);
    // argmax_tb binds whole texels from a texel-view offset alignment below the row.
    uint32_t argmaxFirst = lastFirst;
    vk::TensorView argmaxIn = last;
    if (m_argmaxTexels) {
        argmaxIn = lastRow.alignedDown(std::max<uint64_t>(16, m_ctx->info().minTexelBufferOffsetAlignment), &argmaxFirst);
        argmaxIn.size = (argmaxIn.size + 15) / 16 * 16;
    }
    rec.dispatch(m_argmax, {argmaxIn, m_result.view().sub(0, 8)}, vk::Groups{1}, LogitsPush{info.nVocab, argmaxFirst},
                 "argmax");
    const TopKPush tp{info.nVocab, uint32_t(Sampler::kMaxGpuTopK), lastFirst};
    rec.dispatch(m_topk, {params, last, m_topkOut.view()}, vk::Groups{1}, tp, "topk");
#undef TRY
    return {};
}

}  // namespace tiefsee::model
