// Token sampling: turns one position's logits into the next token id.
//
// The chain, in llama.cpp's default order:
//   penalties (repetition / presence / frequency over the last `penaltyWindow`
//   accepted tokens) -> top-k -> top-p -> min-p -> temperature -> draw.
// temperature <= 0 means greedy (argmax, ties to the lowest id); then the filters
// are skipped. The RNG is seeded (std::mt19937_64), so a seed reproduces a run on
// every platform (the draw does not use std:: distributions, whose output is
// implementation-defined).
//
// Where the work runs: the model can compute the argmax or the top `k` logits on
// the GPU and copy back only those. `gpuPlan()` says what this configuration needs:
// argmax alone (greedy without penalties), the top-k candidates (top-k set, no
// penalties), or the full logits. Threads: a Sampler is used by one thread at a time.
#pragma once

#include <cstdint>
#include <deque>
#include <random>
#include <span>
#include <vector>

namespace tiefsee {

struct SamplerConfig {
    float temperature = 0.6f;     // <= 0: greedy
    int32_t topK = 0;             // keep the k most likely; 0 = off
    float topP = 0.95f;           // keep the smallest set with probability mass >= p; 1 = off
    float minP = 0.f;             // drop tokens with p < minP * p_max; 0 = off
    float repeatPenalty = 1.f;    // > 1: divide positive / multiply negative logits of recent tokens
    float presencePenalty = 0.f;  // subtracted once from every recent token's logit
    float frequencyPenalty = 0.f; // subtracted per occurrence in the window
    int32_t penaltyWindow = 64;   // how many recent tokens the penalties look at
    uint64_t seed = 0;            // RNG seed

    // DeepSeek's advice for the R1 distills: temperature 0.6, top-p 0.95.
    static SamplerConfig r1Defaults() { return {}; }
    static SamplerConfig greedy()
    {
        SamplerConfig c;
        c.temperature = 0.f;
        c.topP = 1.f;
        return c;
    }
};

// One candidate token: its id and (possibly penalised) logit.
struct TokenLogit {
    int32_t id;
    float logit;
};

// The sampler's candidate order: larger logit first, ties to the lower id (so greedy ==
// argmax). Whoever hands candidates to sampleTopK sorts them with this.
inline bool ranksBefore(const TokenLogit& a, const TokenLogit& b)
{
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

class Sampler {
public:
    // What the sampler needs from the model for the next token.
    enum class GpuPlan {
        Argmax,     // only the argmax id (greedy, no penalties)
        TopK,       // the top `config().topK` (id, logit) pairs (top-k set, no penalties)
        FullLogits, // all n_vocab logits
    };

    // Largest k that the GPU top-k path serves; larger k reads the full logits.
    static constexpr int32_t kMaxGpuTopK = 64;

    explicit Sampler(SamplerConfig config = SamplerConfig::r1Defaults());

    const SamplerConfig& config() const { return m_config; }
    GpuPlan gpuPlan() const;
    bool hasPenalties() const;

    // Samples from the full logits of one position (n_vocab values). Does not
    // modify `logits` and does not record the token (call accept()).
    int32_t sample(std::span<const float> logits);
    // Samples from the top candidates the GPU returned (largest first, at least
    // min(topK, n_vocab) of them). Only valid when gpuPlan() is TopK.
    int32_t sampleTopK(std::span<const TokenLogit> candidates);

    // Records a token of the sequence (prompt or generated) for the penalties.
    void accept(int32_t token);
    // Forgets the history and reseeds the RNG with config().seed.
    void reset();

private:
    int32_t sampleCandidates(std::vector<TokenLogit>& cand, bool sorted);
    double uniform();  // [0, 1)

    SamplerConfig m_config;
    std::mt19937_64 m_rng;
    std::deque<int32_t> m_history;  // last penaltyWindow accepted tokens, oldest first
};

}  // namespace tiefsee
