#include "sampling/sampler.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <unordered_map>

namespace tiefsee {

Sampler::Sampler(SamplerConfig config) : m_config(config), m_rng(config.seed) {}

bool Sampler::hasPenalties() const
{
    return m_config.penaltyWindow > 0 &&
           (m_config.repeatPenalty != 1.f || m_config.presencePenalty != 0.f || m_config.frequencyPenalty != 0.f);
}

Sampler::GpuPlan Sampler::gpuPlan() const
{
    if (hasPenalties())
        return GpuPlan::FullLogits;  // penalties can move any token, so all logits are needed
    if (m_config.temperature <= 0.f)
        return GpuPlan::Argmax;
    if (m_config.topK > 0 && m_config.topK <= kMaxGpuTopK)
        return GpuPlan::TopK;
    return GpuPlan::FullLogits;
}

void Sampler::accept(int32_t token)
{
    if (m_config.penaltyWindow <= 0)
        return;
    m_history.push_back(token);
    while (m_history.size() > size_t(m_config.penaltyWindow))
        m_history.pop_front();
}

void Sampler::reset()
{
    m_history.clear();
    m_rng.seed(m_config.seed);
}

double Sampler::uniform()
{
    return double(m_rng() >> 11) * 0x1.0p-53;
}

int32_t Sampler::sample(std::span<const float> logits)
{
    assert(!logits.empty());
    std::vector<TokenLogit> cand(logits.size());
    for (size_t i = 0; i < logits.size(); ++i)
        cand[i] = {int32_t(i), logits[i]};
    if (hasPenalties()) {
        std::unordered_map<int32_t, int> counts;
        for (int32_t t : m_history)
            if (t >= 0 && size_t(t) < cand.size())
                ++counts[t];
        for (const auto& [t, n] : counts) {
            float& l = cand[size_t(t)].logit;
            l = l > 0 ? l / m_config.repeatPenalty : l * m_config.repeatPenalty;
            l -= m_config.presencePenalty + m_config.frequencyPenalty * float(n);
        }
    }
    return sampleCandidates(cand, false);
}

int32_t Sampler::sampleTopK(std::span<const TokenLogit> candidates)
{
    assert(gpuPlan() == GpuPlan::TopK && !candidates.empty());
    std::vector<TokenLogit> cand(candidates.begin(), candidates.end());
    return sampleCandidates(cand, true);
}

int32_t Sampler::sampleCandidates(std::vector<TokenLogit>& cand, bool sorted)
{
    if (m_config.temperature <= 0.f) {
        return std::min_element(cand.begin(), cand.end(), ranksBefore)->id;
    }
    // top-k (or just sort everything when it is off; sorting ~150k values costs
    // ~10 ms, cheap next to a token's forward pass on the devices we target).
    size_t keep = cand.size();
    if (m_config.topK > 0)
        keep = std::min(keep, size_t(m_config.topK));
    if (!sorted) {
        std::partial_sort(cand.begin(), cand.begin() + ptrdiff_t(keep), cand.end(), ranksBefore);
    }
    cand.resize(keep);

    // Softmax at temperature 1 for the top-p / min-p filters (llama.cpp applies the
    // temperature after them).
    std::vector<double> p(cand.size());
    double sum = 0;
    for (size_t i = 0; i < cand.size(); ++i) {
        p[i] = std::exp(double(cand[i].logit) - double(cand[0].logit));
        sum += p[i];
    }
    if (m_config.topP < 1.f) {
        double mass = 0;
        size_t n = 0;
        while (n < cand.size()) {
            mass += p[n] / sum;
            ++n;
            if (mass >= m_config.topP)
                break;
        }
        cand.resize(n);
        p.resize(n);
    }
    if (m_config.minP > 0.f) {
        size_t n = 1;  // p[0] is the maximum (1 after normalising by it)
        while (n < cand.size() && p[n] >= m_config.minP)
            ++n;
        cand.resize(n);
    }
    // Temperature, then draw.
    std::vector<double> w(cand.size());
    double total = 0;
    for (size_t i = 0; i < cand.size(); ++i) {
        w[i] = std::exp((double(cand[i].logit) - double(cand[0].logit)) / m_config.temperature);
        total += w[i];
    }
    double r = uniform() * total;
    for (size_t i = 0; i < cand.size(); ++i) {
        r -= w[i];
        if (r < 0)
            return cand[i].id;
    }
    return cand.back().id;
}

}  // namespace tiefsee
