// Export and import of conversations.
//
// JSON (one conversation):
//   {"format": "tiefsee-conversation", "version": 1,
//    "conversation": {"title", "created", "updated", "pinned", "model", "systemPrompt",
//                     "settings": {...}, "activeLeaf": <message id or null>},
//    "messages": [{"id", "parent" (id or null), "role", "content", "reasoning",
//                  "thinkingMs", "promptTokens", "generatedTokens", "tokensPerSecond",
//                  "model", "created", "status"}, ...]}          parents before children
// JSON (everything): {"format": "tiefsee-export", "version": 1, "conversations": [<above>...]}
// Times are milliseconds since the Unix epoch (UTC). Ids in a file are only used to
// link messages; import assigns new ids.
//
// Markdown is for reading: the title, then each message under a heading, the
// reasoning in a <details> block. The whole-tree form labels each message with the
// one it answers.
#pragma once

#include "store/conversation_store.h"

#include <QByteArray>
#include <QJsonObject>

namespace tiefsee::store {

enum class ExportScope { ActivePath, WholeTree };

QJsonObject conversationToJson(const ConversationTree& tree);
Result<ConversationTree> conversationFromJson(const QJsonObject& object);
QString conversationToMarkdown(const ConversationTree& tree, ExportScope scope);

// Store-level helpers used by the CLI and the UI.
Result<QByteArray> exportConversationJson(ConversationStore& store, qint64 id, ExportScope scope);
Result<QString> exportConversationMarkdown(ConversationStore& store, qint64 id, ExportScope scope);
// Every conversation (whole trees) into one JSON document.
Result<QByteArray> exportAllJson(ConversationStore& store);
// Imports a single-conversation or an export-all document, all or nothing (one
// transaction); returns the new conversation ids in file order.
Result<std::vector<qint64>> importJson(ConversationStore& store, const QByteArray& json);

}  // namespace tiefsee::store
