// The transformer forward pass as a list of recorded dispatches: embedding, then per
// layer
//   rms_norm(+residual) -> q,k,v mat-vec/mat-mat -> rope (+bias, q/k norm, KV write)
//   -> attention -> wo -> rms_norm(+residual) -> gate, up -> swiglu -> down
// and finally rms_norm(+residual) -> output -> argmax.
// The residual add of each block is fused into the next rms_norm, the q/k/v
// epilogue (bias, qwen3 norm, rope, f16 cache store) is one dispatch.
//
// Positions are not baked into the recording: every shader reads the batch's first
// position from `params` (a small host-visible buffer written before each submit),
// so the decode step is recorded once and re-submitted per token.
#pragma once

#include "core/result.h"
#include "model/model_info.h"
#include "model/weights.h"
#include "sampling/sampler.h"
#include "vulkan/context.h"
#include "vulkan/pipeline.h"
#include "vulkan/recorder.h"

#include <memory>
#include <string>
#include <vector>

namespace tiefsee::model {

// Longest context on CPU devices: lavapipe ends a shader invocation's loops after
// 65535 iterations in total, and attention.comp spends 2 + 1/16 of them per key.
inline constexpr uint32_t kMaxCpuContext = 30000;

// The f16 KV cache: per layer, K and V of `capacity` positions, each row
// [nHeadKv][headDim] halves.
struct KvCache {
    std::vector<vk::Tensor> k;  // [nLayer] of [capacity][nHeadKv][headDim] f16
    std::vector<vk::Tensor> v;
    uint32_t capacity = 0;      // positions
    uint64_t bytes = 0;         // all of it
};

// Device memory of the KV cache for `ctx` positions.
uint64_t kvCacheBytes(const ModelInfo& info, uint64_t ctx);
// Device memory of the work buffers for prefill batches of `batch` tokens.
uint64_t activationBytes(const ModelInfo& info, uint64_t batch);

// Which logits a forward pass leaves: none (a prefill batch that more batches follow),
// the last token's (reduced to its argmax and top-k as well), or every token's.
enum class PassLogits { None, Last, All };

class Forward {
public:
    // Builds the pipelines and the work buffers (prefill batches of up to maxBatch tokens).
    static Result<Forward> create(vk::Context& ctx, const ModelInfo& info, const Weights& weights, const KvCache& kv,
                                  uint32_t maxBatch);

    // Records the forward pass of nTok tokens whose ids are in the params buffer, leaving
    // `logits` (All: nTok <= maxLogitRows()). Every token's K/V goes to the cache; below
    // All, the last layer's attention and feed-forward block run for the last token only,
    // and with None not at all. longContext (decode, nTok == 1): the pass
    // will run with at least longDecodeKeys() keys, where the device's attention takes
    // its long-context path (hasLongDecode); batches choose by their own size.
    // Errors only from building a weight-shader pipeline on first use.
    Result<void> record(vk::Recorder& rec, uint32_t nTok, PassLogits logits, bool longContext = false);

    // Whether a decode step's attention changes path at longDecodeKeys() keys, so that it
    // is worth recording twice: below and from there.
    bool hasLongDecode() const { return m_longDecodeKeys != 0; }
    uint32_t longDecodeKeys() const { return m_longDecodeKeys; }
    // CPU devices: keys from which a decode step's attention splits each head's keys over
    // a subgroup's lanes. Measured on lavapipe (1.5B, 12 heads, 2 threads, `bench
    // --profile`): attention per token 3.9 -> 6.0 ms at 40 keys (the lanes' merge costs
    // more than the keys), 22 -> 14 ms at 768 keys; even at about 190.
    static constexpr uint32_t kCpuSplitAttentionKeys = 256;
    // GPUs: keys from which a decode step's attention spreads each head's keys over
    // kDecodeSplits workgroups and merges them in a second dispatch. From the H200 profiles
    // of one workgroup per head (1.5B: ~15 us per layer at 576 keys, 76 us at 4000) a key
    // costs ~0.018 us there and the extra dispatch ~4 us, which 8 splits repay from ~250 keys.
    // Measured after: decode at 513-640 keys 373 -> 400 t/s (with argmax.comp's change, ~2 %
    // of it), 403 t/s at 65-192 keys on one workgroup per head.
    static constexpr uint32_t kGpuSplitDecodeKeys = 512;
    static constexpr uint32_t kDecodeSplits = 8;

    // Host-visible inputs/outputs.
    void setBatch(uint32_t pos0, std::span<const int32_t> ids);  // writes params
    int32_t argmaxId() const;                                    // after a pass
    // Whether the next passes also select the last row's top kMaxGpuTopK logits on the
    // device (topk.comp); and those candidates after a pass that did (else empty),
    // largest first, ties to the lowest id.
    void setTopK(bool enabled);
    std::vector<TokenLogit> topCandidates() const;

    const vk::Tensor& logits() const { return m_logits; }        // [rows][nVocab] f32
    uint32_t maxBatch() const { return m_maxBatch; }
    uint32_t maxLogitRows() const { return m_logitRows; }

private:
    // The attention pipeline and workgroups for a batch of nTok queries (longContext as in
    // record()).
    struct AttentionChoice {
        const vk::Pipeline* pipeline = nullptr;
        vk::Groups groups{1};
        bool decode = false;       // attention_decode.comp (GPUs): binds the partials too
        bool decodeSplit = false;  // ... over kDecodeSplits workgroups, merged by m_attentionCombine
    };
    AttentionChoice chooseAttention(uint32_t nTok, bool longContext) const;

    // y = w x for nTok tokens; `out` places w's rows in y (stacked projections).
    Result<void> linear(vk::Recorder& rec, const Linear& w, vk::TensorView x, vk::TensorView y, uint32_t nTok,
                        vk::OutRows out = {});

    vk::Context* m_ctx = nullptr;
    const ModelInfo* m_info = nullptr;
    const Weights* m_w = nullptr;
    const KvCache* m_kv = nullptr;
    uint32_t m_maxBatch = 0;
    uint32_t m_logitRows = 0;

    // Pipelines.
    std::unique_ptr<vk::WeightOps> m_ops;  // get_rows / mat-vec / mat-mat for every weight type
    vk::Pipeline m_norm, m_normAdd, m_rope, m_attention, m_swiglu, m_argmax, m_topk;
    uint32_t m_swigluValues = 4;  // values per invocation of m_swiglu (its PER_THREAD)
    bool m_argmaxTexels = false;  // m_argmax is argmax_tb
    uint32_t m_ropeLanes = 1;     // invocations per head of m_rope (its LANES)
    vk::Pipeline m_attentionSplit;  // lanes split each head's keys (attention.comp SPLIT)
    bool m_splitEverywhere = false;  // GPUs: m_attentionSplit for every batch (no m_attention)
    vk::Pipeline m_attentionDecode;  // GPUs, decode: a workgroup per head (attention_decode.comp)
    vk::Pipeline m_attentionDecodeSplit, m_attentionCombine;  // the same over kDecodeSplits workgroups
    uint32_t m_longDecodeKeys = 0;   // see longDecodeKeys(); 0 where decode has one path
    uint32_t m_attentionHeads = 1;  // query heads per m_attentionSplit job
    vk::Pipeline m_attentionShared;  // CPU devices, prefill: one lane per token and m_sharedHeads heads
    uint32_t m_sharedHeads = 1;      // of one kv head, sharing its K/V loads (attention.comp QS)
    vk::Pipeline m_attentionRows;    // CPU devices, prefill: lanes are tokens sharing row fetches (ROWS)

    // Work buffers (device-local unless noted); shapes for maxBatch tokens.
    vk::Tensor m_x;       // [B][nEmbd] residual stream
    vk::Tensor m_xn;      // [B][nEmbd] normalised input of the next mat-mul
    vk::Tensor m_qkv;     // [B][nHead + 2 nHeadKv][headDim]: q | k | v (rope.comp's slots)
    vk::Tensor m_attn;    // [B][nHead][headDim] attention output
    vk::Tensor m_attnPartials;  // GPUs, decode: [nHead][kDecodeSplits][headDim + 2] (attention_decode.comp)
    vk::Tensor m_proj;    // [B][nEmbd] wo / down output, added to x by the next norm
    vk::Tensor m_gateUp;  // [B][2 nFf]: gate | up
    vk::Tensor m_ffn;     // [B][nFf] swiglu output
    vk::Tensor m_logits;  // [logitRows][nVocab]
    vk::Tensor m_dummy;   // bound where a shader's optional input is absent
    vk::Tensor m_params;  // host: u32 pos0 at 0, u32 top-k enabled at 4, int32 ids at kIdsOffset
    vk::Tensor m_topkOut; // host: count, then (id, value bits) pairs (topk.comp)
    vk::Tensor m_result;  // host: argmax id and value bits (2 u32)
};

}  // namespace tiefsee::model
