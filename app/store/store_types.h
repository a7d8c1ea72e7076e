// Plain value types of the conversation store. Ids are SQLite rowids (> 0); 0 means
// "none" (no parent, no active leaf). Times are milliseconds since the Unix epoch, UTC.
#pragma once

#include "core/result.h"

#include <QString>
#include <QtGlobal>

#include <optional>
#include <vector>

namespace tiefsee::store {

enum class Role { System, User, Assistant };
// Streaming: a reply still being generated (or interrupted by a crash, see
// ConversationStore::markInterruptedReplies).
enum class MessageStatus { Complete, Stopped, Failed, Streaming };

const char* roleName(Role role);                 // "user"
std::optional<Role> roleFromName(const QString& name);
const char* statusName(MessageStatus status);    // "complete"
std::optional<MessageStatus> statusFromName(const QString& name);

struct Conversation {
    qint64 id = 0;
    QString title;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;      // last message or edit
    bool pinned = false;
    QString model;             // model id used last, e.g. "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M"
    QString systemPrompt;
    QString settingsJson = QStringLiteral("{}");  // sampling settings, a JSON object
    qint64 activeLeafId = 0;   // last message of the path shown; 0 when empty
};

// One row of the conversation list (what the sidebar needs, nothing more).
struct ConversationSummary {
    qint64 id = 0;
    QString title;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    bool pinned = false;
    QString model;
};

struct Message {
    qint64 id = 0;
    qint64 conversationId = 0;
    qint64 parentId = 0;         // 0 for a first message (a root); siblings share a parent
    Role role = Role::User;
    QString content;             // the answer (assistant) or the prompt (user)
    QString reasoning;           // the <think> text, assistant only
    qint64 thinkingMs = 0;       // how long the model thought, milliseconds
    int promptTokens = 0;
    int generatedTokens = 0;
    double tokensPerSecond = 0;  // generation speed
    QString model;
    qint64 createdMs = 0;
    MessageStatus status = MessageStatus::Complete;
};

// A message on the active path with its place among its siblings, for "2 / 3".
struct PathMessage {
    Message message;
    int siblingIndex = 0;  // 0-based position among siblings, ordered by id (creation)
    int siblingCount = 1;
};

// What a new message carries; ids and times are filled by the store.
struct NewMessage {
    Role role = Role::User;
    QString content;
    QString reasoning;
    QString model;
    MessageStatus status = MessageStatus::Complete;
    qint64 thinkingMs = 0;
    int promptTokens = 0;
    int generatedTokens = 0;
    double tokensPerSecond = 0;
    qint64 createdMs = 0;  // 0 = now
};

// The state of a reply written by StreamingReply.
struct ReplyUpdate {
    QString content;
    QString reasoning;
    MessageStatus status = MessageStatus::Streaming;
    qint64 thinkingMs = 0;
    int promptTokens = 0;
    int generatedTokens = 0;
    double tokensPerSecond = 0;
};

struct SearchOptions {
    bool includeReasoning = false;  // also match the <think> text
    int limit = 50;                 // conversations returned at most
    QString highlightOpen = QStringLiteral("[");   // put around matched words in snippets
    QString highlightClose = QStringLiteral("]");
    int snippetTokens = 12;         // words per snippet
};

// One conversation that matches a search, best match first.
struct SearchHit {
    qint64 conversationId = 0;
    QString title;            // with highlight markers if the title matched
    QString snippet;          // best matching text with markers; empty if only the title matched
    qint64 messageId = 0;     // message the snippet comes from; 0 for a title match
    double rank = 0;          // bm25, lower is better
};

// A whole conversation for export/import: messages in id order (parents first).
struct ConversationTree {
    Conversation conversation;
    std::vector<Message> messages;
};

}  // namespace tiefsee::store
