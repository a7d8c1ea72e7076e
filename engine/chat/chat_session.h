// ChatSession: one conversation's generation loop over an InferenceBackend, with a
// prompt cache. The session remembers which tokens the backend's KV cache holds; on
// each turn it renders the whole conversation, keeps the longest common prefix with
// the cache and prefills only the rest (so a follow-up turn, or regenerating/editing
// a middle message, reuses everything before the first changed token).
//
// Context full: the oldest whole turns after the system prompt are left out of the
// prompt (a turn = a user message and the replies after it; the current user message
// is never dropped, and old reasoning is already stripped by the template), both
// before the reply starts and when the cache fills up mid-reply; the caller is told
// which messages no longer fit.
//
// Stops: an end-of-generation token of the file, the format's end-of-turn texts,
// user stop strings, maxTokens, cancel, or a context that cannot be freed.
// Threads: a session and its backend are used by one thread (the engine worker);
// callbacks run on that thread.
#pragma once

#include "chat/chat_message.h"
#include "chat/chat_template.h"
#include "chat/inference_backend.h"
#include "chat/reasoning_parser.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tiefsee::chat {

struct GenerationParams {
    SamplerConfig sampling;                // temperature, top-p, seed, ... (R1 defaults)
    int32_t maxTokens = 4096;              // new tokens per reply; <= 0: until the end of turn
    std::vector<std::string> stopStrings;  // extra texts that end the reply (not shown)
    bool enableThinking = true;            // see RenderOptions
    // Free tokens wanted after the prompt before a reply starts; older turns are
    // dropped to make room. 0: min(maxTokens, context / 4).
    size_t reserveTokens = 0;
};

enum class StopReason {
    EndOfTurn,    // the model ended its reply (EOS/EOT token or end-of-turn text)
    StopString,   // a user stop string
    MaxTokens,    // GenerationParams::maxTokens reached
    Cancelled,    // cancel was set
    ContextFull,  // no older turn left to drop
    Error,        // see GenerationResult::error
};
std::string_view stopReasonName(StopReason reason);  // "end of turn", ...

// Messages of the caller's conversation left out of the prompt: indices
// [firstIndex, firstIndex + count) of the conversation passed to generate().
struct ContextDrop {
    size_t firstIndex = 0;
    size_t count = 0;
};

struct GenerationStats {
    size_t promptTokens = 0;      // tokens of the (final) rendered prompt
    size_t reusedTokens = 0;      // prompt tokens already in the KV cache at the start
    size_t prefilledTokens = 0;   // tokens computed by prefill this turn (incl. after drops)
    size_t generatedTokens = 0;   // tokens sampled (the end-of-turn token not counted)
    double prefillSeconds = 0;
    double decodeSeconds = 0;     // from the first sample to the end
    double prefillTokensPerSecond() const { return prefillSeconds > 0 ? prefilledTokens / prefillSeconds : 0; }
    double decodeTokensPerSecond() const { return decodeSeconds > 0 ? generatedTokens / decodeSeconds : 0; }
};

// One streamed step: the token and what it added to the visible text.
struct TokenDelta {
    int32_t token = -1;
    std::string reasoning;     // text appended to the reasoning
    std::string answer;        // text appended to the answer
    bool answerReset = false;  // clear the shown answer first (it was reasoning)
};

struct GenerationResult {
    std::string content;        // the reply to store as the assistant message (reasoning
                                // included, with the "<think>\n" the prompt opened)
    std::string reasoning;      // parsed parts, as shown
    std::string answer;
    bool reasoningClosed = false;
    std::chrono::milliseconds thinkingTime{0};
    StopReason stopReason = StopReason::EndOfTurn;
    std::optional<Error> error;  // set when stopReason is Error or ContextFull
    GenerationStats stats;
    ContextDrop dropped;         // messages left out (count 0: none)
};

struct SessionCallbacks {
    std::function<void(size_t done, size_t total)> prefillProgress;  // tokens of this prefill
    std::function<void(const TokenDelta&)> token;
    std::function<void(const ContextDrop&)> contextDropped;  // whenever more messages are left out
};

class ChatSession {
public:
    // `backend` must outlive the session.
    ChatSession(InferenceBackend& backend, ChatTemplate tmpl);

    // Generates the assistant's reply to `conversation` (which ends with a user
    // message). Blocks until the reply ends; `cancel` is checked before every token
    // and between prefill batches.
    GenerationResult generate(const Conversation& conversation, const GenerationParams& params,
                              const SessionCallbacks& callbacks = {}, const std::atomic<bool>* cancel = nullptr);

    const ChatTemplate& chatTemplate() const { return m_template; }
    // The tokens the KV cache holds, as the session believes (equals the backend's
    // kvPosition() in length).
    const std::vector<int32_t>& cachedTokens() const { return m_cached; }
    // Forgets the cache (e.g. after the backend was used by someone else).
    void resetCache();

private:
    struct Fit {
        std::vector<int32_t> tokens;  // rendered prompt (+ the reply so far)
        size_t dropped = 0;           // messages left out after the system prompt
    };
    Result<Fit> fitPrompt(const Conversation& conversation, const RenderOptions& options,
                          std::span<const int32_t> replySoFar, size_t limit, size_t alreadyDropped) const;
    Result<void> syncCache(std::span<const int32_t> tokens, GenerationStats& stats, const SessionCallbacks& callbacks,
                           const std::atomic<bool>* cancel, bool countReuse);

    InferenceBackend& m_backend;
    ChatTemplate m_template;
    std::vector<int32_t> m_cached;
};

}  // namespace tiefsee::chat
