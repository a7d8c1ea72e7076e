// The generation loop, prompt cache and context-drop policy; see chat_session.h.
#include "chat/chat_session.h"

#include "chat/stop_strings.h"

#include <algorithm>

namespace tiefsee::chat {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

size_t firstNonSystem(const Conversation& c)
{
    size_t i = 0;
    while (i < c.size() && c[i].role == Role::System) ++i;
    return i;
}

}  // namespace

std::string_view stopReasonName(StopReason reason)
{
    switch (reason) {
    case StopReason::EndOfTurn: return "end of turn";
    case StopReason::StopString: return "stop string";
    case StopReason::MaxTokens: return "token limit";
    case StopReason::Cancelled: return "cancelled";
    case StopReason::ContextFull: return "context full";
    case StopReason::Error: return "error";
    }
    return "error";
}

ChatSession::ChatSession(InferenceBackend& backend, ChatTemplate tmpl) : m_backend(backend), m_template(std::move(tmpl)) {}

void ChatSession::resetCache()
{
    m_cached.clear();
    m_backend.truncateKv(0);
}

// Renders the conversation with the fewest dropped turns (at least `minDropped`
// messages) whose tokens, plus the reply so far, fit in `limit`. Turns are dropped
// whole: the cut always lands on a user message.
Result<ChatSession::Fit> ChatSession::fitPrompt(const Conversation& conversation, const RenderOptions& options,
                                                std::span<const int32_t> replySoFar, size_t limit, size_t minDropped) const
{
    const size_t start = firstNonSystem(conversation);
    // Candidate cuts: drop messages [start, userIndex) for every user message (the
    // first candidate drops nothing).
    std::vector<size_t> dropCounts{0};
    for (size_t i = start + 1; i < conversation.size(); ++i)
        if (conversation[i].role == Role::User) dropCounts.push_back(i - start);
    std::erase_if(dropCounts, [&](size_t d) { return d < minDropped; });

    auto tokensFor = [&](size_t dropped) {
        Conversation kept(conversation.begin(), conversation.begin() + static_cast<ptrdiff_t>(start));
        kept.insert(kept.end(), conversation.begin() + static_cast<ptrdiff_t>(start + dropped), conversation.end());
        std::vector<int32_t> tokens = m_backend.tokenize(m_template.render(kept, options));
        tokens.insert(tokens.end(), replySoFar.begin(), replySoFar.end());
        return tokens;
    };
    // Most turns fit at the first try. Otherwise the prompt shrinks as more turns go,
    // so binary-search the first cut that fits.
    std::optional<Fit> best;
    if (!dropCounts.empty()) {
        std::vector<int32_t> tokens = tokensFor(dropCounts[0]);
        if (tokens.size() <= limit) return Fit{std::move(tokens), dropCounts[0]};
    }
    size_t lo = 1, hi = dropCounts.size();
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        std::vector<int32_t> tokens = tokensFor(dropCounts[mid]);
        if (tokens.size() <= limit) {
            best = Fit{std::move(tokens), dropCounts[mid]};
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    if (!best) {
        return makeError(ErrorKind::InvalidInput,
                         "The conversation does not fit in the context of " + std::to_string(m_backend.contextSize()) +
                             " tokens even with all earlier messages left out; shorten the message or load the model with a "
                             "larger context.");
    }
    return std::move(*best);
}

// Makes the KV cache hold exactly `tokens`: keeps the common prefix, prefills the rest.
Result<void> ChatSession::syncCache(std::span<const int32_t> tokens, GenerationStats& stats, const SessionCallbacks& callbacks,
                                    const std::atomic<bool>* cancel, bool countReuse)
{
    assert(!tokens.empty());
    const size_t limit = std::min(m_cached.size(), tokens.size());
    size_t common = 0;
    while (common < limit && m_cached[common] == tokens[common]) ++common;
    // The last token is always fed again so its logits are fresh for sampling.
    if (common == tokens.size()) --common;
    m_backend.truncateKv(common);
    m_cached.resize(common);
    if (countReuse) stats.reusedTokens = common;

    const std::span<const int32_t> rest = tokens.subspan(common);
    const auto t0 = Clock::now();
    Result<void> r = m_backend.prefill(rest, callbacks.prefillProgress, cancel);
    stats.prefillSeconds += secondsSince(t0);
    if (!r) {
        // The cache keeps the batches that finished.
        const size_t held = std::min(m_backend.kvPosition(), tokens.size());
        m_cached.assign(tokens.begin(), tokens.begin() + static_cast<ptrdiff_t>(held));
        return r;
    }
    stats.prefilledTokens += rest.size();
    m_cached.assign(tokens.begin(), tokens.end());
    return {};
}

GenerationResult ChatSession::generate(const Conversation& conversation, const GenerationParams& params,
                                       const SessionCallbacks& callbacks, const std::atomic<bool>* cancel)
{
    GenerationResult res;
    auto failWith = [&](StopReason reason, Error error) {
        res.stopReason = reason;
        res.error = std::move(error);
        return res;
    };
    auto lastSpoken = std::find_if(conversation.rbegin(), conversation.rend(), [](const ChatMessage& m) { return m.role != Role::System; });
    if (lastSpoken == conversation.rend() || lastSpoken->role != Role::User)
        return failWith(StopReason::Error, makeError(ErrorKind::InvalidInput, "The conversation must end with a user message."));

    if (m_cached.size() != m_backend.kvPosition()) resetCache();  // someone else used the backend

    const RenderOptions render{.addGenerationPrompt = true, .enableThinking = params.enableThinking};
    const size_t ctx = m_backend.contextSize();
    size_t reserve = params.reserveTokens;
    if (reserve == 0) reserve = std::min(params.maxTokens > 0 ? size_t(params.maxTokens) : ctx / 4, ctx / 4);
    reserve = std::min(reserve, ctx - 1);

    // Fits with the wished-for room if possible, else with any room at all.
    auto fit = [&](std::span<const int32_t> reply, size_t minDropped) {
        Result<Fit> f = fitPrompt(conversation, render, reply, ctx - reserve, minDropped);
        if (!f) f = fitPrompt(conversation, render, reply, ctx - 1, minDropped);
        return f;
    };
    auto noteDrop = [&](size_t dropped) {
        if (dropped == res.dropped.count) return;
        res.dropped = {firstNonSystem(conversation), dropped};
        if (callbacks.contextDropped) callbacks.contextDropped(res.dropped);
    };
    auto prefillFailed = [&](const Error& e) {
        return failWith(e.kind == ErrorKind::Cancelled ? StopReason::Cancelled : StopReason::Error, e);
    };

    Result<Fit> prompt = fit({}, 0);
    if (!prompt) return failWith(StopReason::ContextFull, prompt.error());
    noteDrop(prompt->dropped);
    res.stats.promptTokens = prompt->tokens.size();
    if (auto r = syncCache(prompt->tokens, res.stats, callbacks, cancel, true); !r) return prefillFailed(r.error());

    // ---- decode loop
    m_backend.resetSampler(params.sampling);
    std::unique_ptr<TokenDecoder> decoder = m_backend.newDecoder();
    ReasoningParser parser(m_template.generationOpensReasoning(render));
    std::vector<std::string> stops = params.stopStrings;
    const size_t userStops = stops.size();
    for (std::string& s : m_template.endOfTurnTexts()) stops.push_back(std::move(s));
    StopStringMatcher matcher(std::move(stops));

    std::vector<int32_t> reply;  // sampled tokens (the end-of-turn token excluded)
    std::string raw;             // reply text up to a stop string
    auto show = [&](int32_t token, std::string_view text) {
        raw += text;
        ReasoningDelta d = parser.feed(text);
        if (callbacks.token && (token >= 0 || !d.empty()))
            callbacks.token(TokenDelta{token, std::move(d.reasoning), std::move(d.answer), d.answerReset});
    };

    const auto decodeStart = Clock::now();
    res.stopReason = StopReason::EndOfTurn;
    for (;;) {
        if (cancel && cancel->load()) {
            res.stopReason = StopReason::Cancelled;
            break;
        }
        if (params.maxTokens > 0 && reply.size() >= size_t(params.maxTokens)) {
            res.stopReason = StopReason::MaxTokens;
            break;
        }
        Result<int32_t> next = m_backend.sampleNext();
        if (!next) {
            res.stopReason = StopReason::Error;
            res.error = next.error();
            break;
        }
        const int32_t token = *next;
        if (m_backend.isEndOfGeneration(token)) break;
        reply.push_back(token);
        const StopStringMatcher::Output out = matcher.feed(decoder->push(token));
        show(token, out.text);
        if (out.stopped) {
            res.stopReason = out.which < userStops ? StopReason::StopString : StopReason::EndOfTurn;
            break;
        }
        // Feed the token. If the cache is full, leave out more old turns and rebuild.
        if (m_backend.kvPosition() >= ctx) {
            Result<Fit> refit = fit(reply, res.dropped.count + 1);
            if (!refit) {
                res.stopReason = StopReason::ContextFull;
                res.error = refit.error();
                break;
            }
            noteDrop(refit->dropped);
            res.stats.promptTokens = refit->tokens.size() - reply.size();
            if (auto r = syncCache(refit->tokens, res.stats, callbacks, cancel, false); !r) {
                res.stopReason = r.error().kind == ErrorKind::Cancelled ? StopReason::Cancelled : StopReason::Error;
                if (res.stopReason == StopReason::Error) res.error = r.error();
                break;
            }
            continue;
        }
        if (auto r = m_backend.decode(token); !r) {
            res.stopReason = StopReason::Error;
            res.error = r.error();
            break;
        }
        m_cached.push_back(token);
    }
    // Release what the decoder and the stop matcher still hold (not after a stop string).
    if (!matcher.stopped()) {
        const StopStringMatcher::Output out = matcher.feed(decoder->flush());
        show(-1, out.text);
        if (!out.stopped) show(-1, matcher.flush());
    }
    const ReasoningDelta last = parser.finish();
    if (callbacks.token && !last.empty()) callbacks.token(TokenDelta{-1, last.reasoning, last.answer, last.answerReset});

    res.stats.generatedTokens = reply.size();
    res.stats.decodeSeconds = secondsSince(decodeStart);
    res.content = m_template.openedReasoningPrefix(render) + raw;
    res.reasoning = parser.reasoning();
    res.answer = parser.answer();
    res.reasoningClosed = parser.reasoningClosed();
    res.thinkingTime = parser.thinkingDuration();
    return res;
}

}  // namespace tiefsee::chat
