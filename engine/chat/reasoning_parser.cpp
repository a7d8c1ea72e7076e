// A byte-level state machine over the reply text; see reasoning_parser.h.
#include "chat/reasoning_parser.h"

namespace tiefsee::chat {

namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";
constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view lstripWs(std::string_view s)
{
    const size_t i = s.find_first_not_of(kWhitespace);
    return i == std::string_view::npos ? std::string_view{} : s.substr(i);
}

// Length of the longest proper prefix of `tag` that `s` ends with: those bytes may be
// the start of a tag split across pieces and must wait for the next piece.
size_t partialTagSuffix(std::string_view s, std::string_view tag)
{
    for (size_t k = std::min(s.size(), tag.size() - 1); k > 0; --k)
        if (s.substr(s.size() - k) == tag.substr(0, k)) return k;
    return 0;
}

}  // namespace

ReasoningParser::ReasoningParser(bool startsInReasoning, Clock clock)
    : m_clock(std::move(clock)), m_state(startsInReasoning ? State::ReasoningLead : State::Start), m_autoMode(!startsInReasoning)
{
}

std::chrono::steady_clock::time_point ReasoningParser::now() const
{
    return m_clock ? m_clock() : std::chrono::steady_clock::now();
}

ReasoningParser::Phase ReasoningParser::phase() const
{
    switch (m_state) {
    case State::Start: return Phase::Start;
    case State::ReasoningLead:
    case State::Reasoning: return Phase::Reasoning;
    case State::AnswerLead:
    case State::Answer: return Phase::Answer;
    }
    return Phase::Start;
}

std::chrono::milliseconds ReasoningParser::thinkingDuration() const
{
    if (!m_thinkStart) return std::chrono::milliseconds(0);
    const auto end = m_thinkEnd ? *m_thinkEnd : now();
    return std::chrono::duration_cast<std::chrono::milliseconds>(end - *m_thinkStart);
}

// Appends `text` to the part being built, holding back its trailing whitespace until
// non-whitespace follows.
void ReasoningParser::appendText(std::string& target, std::string& deltaTarget, std::string_view text)
{
    const size_t last = text.find_last_not_of(kWhitespace);
    if (last == std::string_view::npos) {
        m_heldWhitespace += text;
        return;
    }
    std::string chunk = std::move(m_heldWhitespace);
    chunk += text.substr(0, last + 1);
    m_heldWhitespace = std::string(text.substr(last + 1));
    target += chunk;
    deltaTarget += chunk;
}

ReasoningDelta ReasoningParser::feed(std::string_view text)
{
    ReasoningDelta out;
    if (m_finished || text.empty()) return out;
    if (m_firstFeed) {
        m_firstFeed = false;
        m_firstText = now();
        if (m_state == State::ReasoningLead) m_thinkStart = m_firstText;  // the prompt opened <think>
    }
    m_pending += text;
    process(out);
    return out;
}

void ReasoningParser::process(ReasoningDelta& out)
{
    for (;;) {
        switch (m_state) {
        case State::Start: {  // auto mode: does the reply open with <think>?
            const std::string_view t = lstripWs(m_pending);
            if (t.empty()) return;
            if (t.starts_with(kOpen)) {
                m_openSeen = true;
                m_thinkStart = now();
                m_state = State::ReasoningLead;
                m_pending = std::string(t.substr(kOpen.size()));
                continue;
            }
            if (kOpen.starts_with(t)) return;  // "<thi": wait for more
            m_state = State::Answer;
            m_pending = std::string(t);
            continue;
        }
        case State::ReasoningLead: {  // drop leading whitespace, swallow a repeated <think>
            const std::string_view t = lstripWs(m_pending);
            if (t.empty()) {
                m_pending.clear();
                return;
            }
            if (!m_openSeen) {
                if (t.starts_with(kOpen)) {
                    m_openSeen = true;
                    m_pending = std::string(t.substr(kOpen.size()));
                    continue;
                }
                if (kOpen.starts_with(t)) {
                    m_pending = std::string(t);
                    return;
                }
            }
            m_state = State::Reasoning;
            m_pending = std::string(t);
            continue;
        }
        case State::Reasoning: {
            const size_t close = m_pending.find(kClose);
            if (close != std::string::npos) {
                appendText(m_reasoning, out.reasoning, std::string_view(m_pending).substr(0, close));
                m_heldWhitespace.clear();  // whitespace before </think> is dropped
                m_closed = true;
                m_thinkEnd = now();
                m_state = State::AnswerLead;
                m_pending.erase(0, close + kClose.size());
                continue;
            }
            const size_t keep = partialTagSuffix(m_pending, kClose);
            appendText(m_reasoning, out.reasoning, std::string_view(m_pending).substr(0, m_pending.size() - keep));
            m_pending.erase(0, m_pending.size() - keep);
            return;
        }
        case State::AnswerLead: {
            const std::string_view t = lstripWs(m_pending);
            if (t.empty()) {
                m_pending.clear();
                return;
            }
            m_state = State::Answer;
            m_pending = std::string(t);
            continue;
        }
        case State::Answer: {
            if (!(m_autoMode && !m_thinkStart)) {
                appendText(m_answer, out.answer, m_pending);
                m_pending.clear();
                return;
            }
            // Auto mode, no reasoning yet: a lone </think> means everything so far was
            // reasoning (a prompt that opened the block without us being told).
            const size_t close = m_pending.find(kClose);
            if (close != std::string::npos) {
                std::string moved = std::move(m_answer);
                moved += m_heldWhitespace;
                moved += std::string_view(m_pending).substr(0, close);
                const size_t lastText = moved.find_last_not_of(kWhitespace);
                moved.erase(lastText == std::string::npos ? 0 : lastText + 1);  // drop trailing whitespace
                m_answer.clear();
                m_heldWhitespace.clear();
                m_reasoning = moved;
                out.answerReset = true;
                out.answer.clear();
                out.reasoning += moved;
                m_thinkStart = m_firstText;
                m_thinkEnd = now();
                m_closed = true;
                m_state = State::AnswerLead;
                m_pending.erase(0, close + kClose.size());
                continue;
            }
            const size_t keep = partialTagSuffix(m_pending, kClose);
            appendText(m_answer, out.answer, std::string_view(m_pending).substr(0, m_pending.size() - keep));
            m_pending.erase(0, m_pending.size() - keep);
            return;
        }
        }
    }
}

ReasoningDelta ReasoningParser::finish()
{
    ReasoningDelta out;
    if (m_finished) return out;
    m_finished = true;
    // Held-back bytes were a partial tag that never completed: they are plain text.
    switch (m_state) {
    case State::Start:
        if (const std::string_view t = lstripWs(m_pending); !t.empty()) appendText(m_answer, out.answer, t);
        break;
    case State::ReasoningLead:
        if (const std::string_view t = lstripWs(m_pending); !t.empty()) appendText(m_reasoning, out.reasoning, t);
        break;
    case State::Reasoning: appendText(m_reasoning, out.reasoning, m_pending); break;
    case State::AnswerLead: break;
    case State::Answer: appendText(m_answer, out.answer, m_pending); break;
    }
    m_pending.clear();
    m_heldWhitespace.clear();
    if ((m_state == State::ReasoningLead || m_state == State::Reasoning) && m_thinkStart && !m_thinkEnd)
        m_thinkEnd = now();  // cut off mid-reasoning
    return out;
}

}  // namespace tiefsee::chat
