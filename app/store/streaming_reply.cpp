#include "store/streaming_reply.h"

#include <QElapsedTimer>

namespace tiefsee::store {
namespace {

qint64 monotonicMs()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}

}  // namespace

StreamingReply::StreamingReply(ConversationStore& store, qint64 messageId, qint64 intervalMs, Clock clock)
    : m_store(store), m_messageId(messageId), m_intervalMs(intervalMs), m_clock(clock ? std::move(clock) : monotonicMs)
{
    m_lastSaveMs = m_clock();
}

StreamingReply::~StreamingReply()
{
    if (!m_finished)
        (void)finish(MessageStatus::Stopped);  // best effort: the error has nowhere to go
}

void StreamingReply::appendContent(const QString& text)
{
    if (m_finished || text.isEmpty())
        return;
    m_state.content += text;
    m_dirty = true;
    flushIfDue();
}

void StreamingReply::appendReasoning(const QString& text)
{
    if (m_finished || text.isEmpty())
        return;
    m_state.reasoning += text;
    m_dirty = true;
    flushIfDue();
}

void StreamingReply::setStats(const ReplyUpdate& stats)
{
    m_state.thinkingMs = stats.thinkingMs;
    m_state.promptTokens = stats.promptTokens;
    m_state.generatedTokens = stats.generatedTokens;
    m_state.tokensPerSecond = stats.tokensPerSecond;
    m_dirty = true;
}

bool StreamingReply::flushIfDue()
{
    if (m_finished || !m_dirty || m_clock() - m_lastSaveMs < m_intervalMs)
        return false;
    return flush().ok();
}

Result<void> StreamingReply::flush()
{
    if (!m_dirty)
        return {};
    auto r = m_store.updateReply(m_messageId, m_state);
    m_lastSaveMs = m_clock();  // also after a failure: retry at the next interval, not every token
    if (!r) {
        m_lastError = r.error();
        return r;
    }
    m_lastError.reset();
    m_dirty = false;
    ++m_saves;
    m_savedContent = m_state.content.size();
    m_savedReasoning = m_state.reasoning.size();
    return {};
}

Result<void> StreamingReply::finish(MessageStatus status)
{
    if (m_finished)
        return {};
    m_state.status = status;
    m_dirty = true;
    auto r = flush();
    m_finished = r.ok();
    return r;
}

}  // namespace tiefsee::store
