// A scripted InferenceBackend for session and engine tests: one token per byte, plus
// the given special-token texts as ids 256, 257, ...; the KV cache is a vector of
// ids (so tests can compare it with the prompt); replies come from a script.
#pragma once

#include "chat/inference_backend.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace tiefsee::chat::test {

class FakeBackend : public InferenceBackend {
public:
    FakeBackend(size_t contextSize, std::vector<std::string> specials, std::vector<std::string> endOfGeneration)
        : m_ctx(contextSize), m_specials(std::move(specials))
    {
        for (const std::string& e : endOfGeneration) m_eog.push_back(idOf(e));
    }

    int32_t idOf(const std::string& special) const
    {
        for (size_t i = 0; i < m_specials.size(); ++i)
            if (m_specials[i] == special) return int32_t(256 + i);
        return -1;
    }

    // ---- script
    // The next reply (one per resetSampler(), i.e. per generate()); after its last
    // token the model emits the first end-of-generation token.
    void queueReply(const std::string& text) { m_replies.push_back(tokenize(text)); }
    // Replies that never end (for max-token and cancel tests): token 'x' forever.
    bool endless = false;
    // Called before each sample with the number sampled so far in this reply.
    std::function<void(size_t)> onSample;

    // ---- counters
    size_t prefilledTotal = 0;   // tokens fed by prefill()
    size_t decodedTotal = 0;     // tokens fed by decode()
    size_t prefillCalls = 0;
    size_t maxKv = 0;            // the most positions ever held
    std::vector<int32_t> kv;     // what the cache holds

    // ---- InferenceBackend
    std::vector<int32_t> tokenize(std::string_view text) const override
    {
        std::vector<int32_t> out;
        for (size_t i = 0; i < text.size();) {
            bool matched = false;
            for (size_t s = 0; s < m_specials.size(); ++s) {
                if (text.substr(i).starts_with(m_specials[s])) {
                    out.push_back(int32_t(256 + s));
                    i += m_specials[s].size();
                    matched = true;
                    break;
                }
            }
            if (!matched) out.push_back(static_cast<unsigned char>(text[i++]));
        }
        return out;
    }
    std::string textOf(int32_t id) const
    {
        if (id < 256) return std::string(1, char(id));
        return m_specials.at(size_t(id - 256));
    }
    std::unique_ptr<TokenDecoder> newDecoder() const override
    {
        struct Decoder : TokenDecoder {
            const FakeBackend* b;
            explicit Decoder(const FakeBackend* backend) : b(backend) {}
            std::string push(int32_t t) override { return b->textOf(t); }
            std::string flush() override { return {}; }
        };
        return std::make_unique<Decoder>(this);
    }
    bool isEndOfGeneration(int32_t token) const override
    {
        return std::find(m_eog.begin(), m_eog.end(), token) != m_eog.end();
    }
    size_t contextSize() const override { return m_ctx; }
    size_t kvPosition() const override { return kv.size(); }
    void truncateKv(size_t n) override
    {
        if (n < kv.size()) kv.resize(n);
    }
    Result<void> prefill(std::span<const int32_t> tokens, const PrefillProgressFn& progress, const std::atomic<bool>* cancel) override
    {
        if (tokens.empty()) return makeError(ErrorKind::InvalidInput, "empty prefill");
        if (cancel && cancel->load()) return makeError(ErrorKind::Cancelled, "cancelled");
        if (kv.size() + tokens.size() > m_ctx) return makeError(ErrorKind::InvalidInput, "context full");
        ++prefillCalls;
        prefilledTotal += tokens.size();
        kv.insert(kv.end(), tokens.begin(), tokens.end());
        maxKv = std::max(maxKv, kv.size());
        if (progress) progress(tokens.size(), tokens.size());
        return {};
    }
    Result<void> decode(int32_t token) override
    {
        if (kv.size() + 1 > m_ctx) return makeError(ErrorKind::InvalidInput, "context full");
        ++decodedTotal;
        kv.push_back(token);
        maxKv = std::max(maxKv, kv.size());
        return {};
    }
    void resetSampler(const SamplerConfig&) override
    {
        m_current.clear();
        if (!m_replies.empty()) {
            m_current = m_replies.front();
            m_replies.pop_front();
        }
        m_pos = 0;
    }
    Result<int32_t> sampleNext() override
    {
        if (onSample) onSample(m_pos);
        if (endless) {
            ++m_pos;
            return int32_t('x');
        }
        if (m_pos < m_current.size()) return m_current[m_pos++];
        return m_eog.empty() ? int32_t('.') : m_eog.front();
    }

private:
    size_t m_ctx;
    std::vector<std::string> m_specials;
    std::vector<int32_t> m_eog;
    std::deque<std::vector<int32_t>> m_replies;
    std::vector<int32_t> m_current;
    size_t m_pos = 0;
};

// The R1 chat texts as specials, <｜end▁of▁sentence｜> ending a reply.
inline std::vector<std::string> r1Specials()
{
    return {"<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>", "<think>", "</think>"};
}
inline std::vector<std::string> llama3Specials()
{
    return {"<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"};
}

}  // namespace tiefsee::chat::test
