// StreamingReply: writes a reply in flight to the store at most about once per
// interval, so a crash loses at most the last interval of tokens.
//
//   qint64 id = *store.beginReply(conv, userMessageId, model);   // status 'streaming'
//   StreamingReply reply(store, id);                 // default interval: 1000 ms
//   for each decoded piece:
//       reply.appendReasoning(thinkText) / reply.appendContent(answerText);
//       // saves when the interval has passed since the last save (check on append)
//   reply.setStats(stats);                           // token counts, tokens/s, thinking ms
//   reply.finish(MessageStatus::Complete);           // final save: Complete / Stopped / Failed
//
// Saving is driven by the appends (a time check on each) and by flushIfDue(), which a
// UI may also call from a QTimer during long pauses. No thread of its own: use it on
// the thread that owns the store. A reply destroyed without finish() is saved as
// Stopped. Errors of intermediate saves are remembered (lastError()) and retried at
// the next save; finish() returns the final result.
#pragma once

#include "store/conversation_store.h"

#include <chrono>
#include <functional>

namespace tiefsee::store {

class StreamingReply {
public:
    using Clock = std::function<qint64()>;  // milliseconds, monotonic; injectable for tests

    StreamingReply(ConversationStore& store, qint64 messageId, qint64 intervalMs = 1000, Clock clock = {});
    ~StreamingReply();
    StreamingReply(const StreamingReply&) = delete;
    StreamingReply& operator=(const StreamingReply&) = delete;

    void appendContent(const QString& text);
    void appendReasoning(const QString& text);
    // Statistics saved with the next save. `status` in `stats` is ignored.
    void setStats(const ReplyUpdate& stats);

    // Saves if there are unsaved changes and the interval has passed. Returns true if it saved.
    bool flushIfDue();
    // Saves now (if anything changed).
    Result<void> flush();
    // Final save with the given status; later appends are ignored.
    Result<void> finish(MessageStatus status);

    qint64 messageId() const { return m_messageId; }
    const ReplyUpdate& state() const { return m_state; }
    int saveCount() const { return m_saves; }
    // Characters of content/reasoning known to be in the database.
    qsizetype savedContentSize() const { return m_savedContent; }
    qsizetype savedReasoningSize() const { return m_savedReasoning; }
    const std::optional<Error>& lastError() const { return m_lastError; }

private:
    ConversationStore& m_store;
    qint64 m_messageId;
    qint64 m_intervalMs;
    Clock m_clock;
    ReplyUpdate m_state;
    qint64 m_lastSaveMs;
    bool m_dirty = false;
    bool m_finished = false;
    int m_saves = 0;
    qsizetype m_savedContent = 0;
    qsizetype m_savedReasoning = 0;
    std::optional<Error> m_lastError;
};

}  // namespace tiefsee::store
