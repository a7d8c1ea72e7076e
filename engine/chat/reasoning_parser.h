// Streaming reasoning parser: splits a model's reply into reasoning (the <think>
// block) and answer while the text arrives in pieces of any size, so the UI can show
// the two apart live and say "Thought for 12 s".
//
// Handles:
//  - replies that start inside reasoning with only a closing "</think>" (R1 distills,
//    whose generation prompt already opened "<think>\n"): construct with
//    startsInReasoning = true;
//  - models that emit both tags (R1-0528, Qwen3), and a repeated "<think>" right after
//    a prompt that opened one;
//  - tags split across pieces at any byte (partial tags are held back, never shown);
//  - a reply cut off mid-reasoning (finish() closes it, reasoningClosed() stays false);
//  - in auto mode (startsInReasoning = false), a lone "</think>" after text that had
//    no opening tag: that text was reasoning after all; the delta says answerReset.
// Whitespace: leading whitespace of the reasoning and of the answer is dropped, and
// trailing whitespace is held back until more text follows (dropped at the end), so
// "</think>\n\n" never shows as blank lines. The raw text is not kept here.
// Threads: one parser is used by one thread.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tiefsee::chat {

// What one feed() added. Apply in this order: if answerReset, clear the answer shown
// so far (it has been moved into `reasoning`); then append `reasoning` and `answer`.
struct ReasoningDelta {
    std::string reasoning;
    std::string answer;
    bool answerReset = false;

    bool empty() const { return reasoning.empty() && answer.empty() && !answerReset; }
};

class ReasoningParser {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    enum class Phase { Start, Reasoning, Answer };

    // `clock` defaults to steady_clock::now (tests inject a fake one).
    explicit ReasoningParser(bool startsInReasoning, Clock clock = {});

    // Feeds the next piece of generated text (any split, UTF-8 or not).
    ReasoningDelta feed(std::string_view text);
    // End of the reply: releases held-back text; closes an unterminated reasoning block.
    ReasoningDelta finish();

    Phase phase() const;
    const std::string& reasoning() const { return m_reasoning; }  // everything so far
    const std::string& answer() const { return m_answer; }
    bool hadReasoning() const { return m_thinkStart.has_value(); }
    bool reasoningClosed() const { return m_closed; }  // a "</think>" was seen
    bool finished() const { return m_finished; }

    // When reasoning began (first reasoning text / opening tag) and ended (closing tag,
    // or finish() for a cut-off reply). nullopt if it did not happen.
    std::optional<std::chrono::steady_clock::time_point> thinkingStarted() const { return m_thinkStart; }
    std::optional<std::chrono::steady_clock::time_point> thinkingEnded() const { return m_thinkEnd; }
    // thinkingEnded - thinkingStarted (or until now while still thinking); 0 if none.
    std::chrono::milliseconds thinkingDuration() const;

private:
    enum class State { Start, ReasoningLead, Reasoning, AnswerLead, Answer };

    void process(ReasoningDelta& out);
    void appendText(std::string& target, std::string& deltaTarget, std::string_view text);
    std::chrono::steady_clock::time_point now() const;

    Clock m_clock;
    State m_state;
    bool m_autoMode;               // !startsInReasoning: a lone </think> may reclassify
    bool m_openSeen = false;       // an opening <think> was consumed
    bool m_closed = false;
    bool m_finished = false;
    bool m_firstFeed = true;
    std::string m_pending;         // bytes not yet classified (possible partial tag)
    std::string m_heldWhitespace;  // trailing whitespace of the current part, held back
    std::string m_reasoning;
    std::string m_answer;
    std::optional<std::chrono::steady_clock::time_point> m_thinkStart, m_thinkEnd, m_firstText;
};

}  // namespace tiefsee::chat
