// ConversationStore: conversations, messages and branches. Opening lives in
// store_open.cpp, search in store_search.cpp.
#include "store/conversation_store.h"

#include <QDateTime>

#include <unordered_map>

namespace tiefsee::store {
namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

// ---------------------------------------------------------------- SQL
#define TIEFSEE_MESSAGE_COLUMNS                                                                               \
    "m.id, m.conversation_id, m.parent_id, m.role, m.content, m.reasoning, m.thinking_ms, m.prompt_tokens, " \
    "m.generated_tokens, m.tokens_per_s, m.model, m.created_ms, m.status"

constexpr const char* kSqlInsertConversation =
    "INSERT INTO conversations (title, created_ms, updated_ms, pinned, model, system_prompt, settings_json, "
    "active_leaf_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kSqlSelectConversation =
    "SELECT id, title, created_ms, updated_ms, pinned, model, system_prompt, settings_json, active_leaf_id "
    "FROM conversations WHERE id = ?1";
constexpr const char* kSqlListConversations =
    "SELECT id, title, created_ms, updated_ms, pinned, model FROM conversations "
    "ORDER BY pinned DESC, updated_ms DESC, id DESC";
constexpr const char* kSqlCountConversations = "SELECT COUNT(*) FROM conversations";
constexpr const char* kSqlRenameConversation = "UPDATE conversations SET title = ?2 WHERE id = ?1";
constexpr const char* kSqlSetTitleIfEmpty = "UPDATE conversations SET title = ?2 WHERE id = ?1 AND title = ''";
constexpr const char* kSqlSetPinned = "UPDATE conversations SET pinned = ?2 WHERE id = ?1";
constexpr const char* kSqlSetSettings =
    "UPDATE conversations SET model = ?2, system_prompt = ?3, settings_json = ?4 WHERE id = ?1";
constexpr const char* kSqlDeleteConversation = "DELETE FROM conversations WHERE id = ?1";
constexpr const char* kSqlTouchConversation =
    "UPDATE conversations SET updated_ms = ?2, active_leaf_id = ?3 WHERE id = ?1";
constexpr const char* kSqlSetActiveLeaf = "UPDATE conversations SET active_leaf_id = ?2 WHERE id = ?1";

constexpr const char* kSqlInsertMessage =
    "INSERT INTO messages (conversation_id, parent_id, role, content, reasoning, thinking_ms, prompt_tokens, "
    "generated_tokens, tokens_per_s, model, created_ms, status) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
constexpr const char* kSqlSelectMessage = "SELECT " TIEFSEE_MESSAGE_COLUMNS " FROM messages m WHERE m.id = ?1";
constexpr const char* kSqlSelectMessages =
    "SELECT " TIEFSEE_MESSAGE_COLUMNS " FROM messages m WHERE m.conversation_id = ?1 ORDER BY m.id";
constexpr const char* kSqlUpdateReply =
    "UPDATE messages SET content = ?2, reasoning = ?3, status = ?4, thinking_ms = ?5, prompt_tokens = ?6, "
    "generated_tokens = ?7, tokens_per_s = ?8 WHERE id = ?1";
constexpr const char* kSqlMarkInterrupted = "UPDATE messages SET status = 'stopped' WHERE status = 'streaming'";
constexpr const char* kSqlSiblings =
    "SELECT " TIEFSEE_MESSAGE_COLUMNS " FROM messages m WHERE m.conversation_id = ?1 AND m.parent_id IS ?2 "
    "ORDER BY m.id";
// Sibling count and 0-based index of message ?3 among the children of ?2.
constexpr const char* kSqlSiblingPosition =
    "SELECT COUNT(*), COALESCE(SUM(id < ?3), 0) FROM messages WHERE conversation_id = ?1 AND parent_id IS ?2";
constexpr const char* kSqlNewestChild = "SELECT id FROM messages WHERE parent_id = ?1 ORDER BY id DESC LIMIT 1";
constexpr const char* kSqlNewestMessage = "SELECT MAX(id) FROM messages WHERE conversation_id = ?1";
// Leaf → root; the caller reverses it.
constexpr const char* kSqlPathToRoot =
    "WITH RECURSIVE path(id, depth) AS ("
    "  SELECT ?1, 0"
    "  UNION ALL SELECT m.parent_id, path.depth + 1 FROM messages m JOIN path ON m.id = path.id"
    "  WHERE m.parent_id IS NOT NULL) "
    "SELECT " TIEFSEE_MESSAGE_COLUMNS " FROM path JOIN messages m ON m.id = path.id ORDER BY path.depth DESC";
constexpr const char* kSqlIntegrityCheck = "PRAGMA integrity_check";

Message readMessage(const Statement& st)
{
    Message m;
    m.id = st.int64(0);
    m.conversationId = st.int64(1);
    m.parentId = st.isNull(2) ? 0 : st.int64(2);
    m.role = roleFromName(st.text(3)).value_or(Role::User);
    m.content = st.text(4);
    m.reasoning = st.text(5);
    m.thinkingMs = st.int64(6);
    m.promptTokens = int(st.int64(7));
    m.generatedTokens = int(st.int64(8));
    m.tokensPerSecond = st.real(9);
    m.model = st.text(10);
    m.createdMs = st.int64(11);
    m.status = statusFromName(st.text(12)).value_or(MessageStatus::Complete);
    return m;
}

Error notFound(const char* what, qint64 id)
{
    return makeError(ErrorKind::NotFound, std::string("There is no ") + what + " with id " + std::to_string(id) + ".");
}

// Runs a statement that must change exactly one row with id ?1.
Result<void> runOnOne(Database& db, Statement& st, const char* what, qint64 id)
{
    if (auto r = st.run(); !r)
        return r.error();
    if (db.changes() == 0)
        return notFound(what, id);
    return {};
}

}  // namespace

// ---------------------------------------------------------------- names

const char* roleName(Role role)
{
    switch (role) {
    case Role::System: return "system";
    case Role::User: return "user";
    case Role::Assistant: return "assistant";
    }
    return "user";
}

std::optional<Role> roleFromName(const QString& name)
{
    if (name == QLatin1String("system")) return Role::System;
    if (name == QLatin1String("user")) return Role::User;
    if (name == QLatin1String("assistant")) return Role::Assistant;
    return std::nullopt;
}

const char* statusName(MessageStatus status)
{
    switch (status) {
    case MessageStatus::Complete: return "complete";
    case MessageStatus::Stopped: return "stopped";
    case MessageStatus::Failed: return "failed";
    case MessageStatus::Streaming: return "streaming";
    }
    return "complete";
}

std::optional<MessageStatus> statusFromName(const QString& name)
{
    if (name == QLatin1String("complete")) return MessageStatus::Complete;
    if (name == QLatin1String("stopped")) return MessageStatus::Stopped;
    if (name == QLatin1String("failed")) return MessageStatus::Failed;
    if (name == QLatin1String("streaming")) return MessageStatus::Streaming;
    return std::nullopt;
}

QString titleFromPrompt(const QString& text)
{
    constexpr int kMaxChars = 60;
    QString line;
    for (const QString& l : text.split(QLatin1Char('\n'))) {
        line = l.simplified();
        if (!line.isEmpty())
            break;
    }
    if (line.size() <= kMaxChars)
        return line;
    int cut = line.lastIndexOf(QLatin1Char(' '), kMaxChars);
    if (cut < kMaxChars / 2)
        cut = kMaxChars;
    return line.left(cut).trimmed() + QChar(0x2026);  // …
}

// ---------------------------------------------------------------- conversations

ConversationStore::~ConversationStore() = default;

Result<qint64> ConversationStore::createConversation(const Conversation& values)
{
    const qint64 now = nowMs();
    auto st = m_db.statement(kSqlInsertConversation);
    if (!st)
        return st.error();
    st->bind(1, values.title.trimmed())
        .bind(2, values.createdMs ? values.createdMs : now)
        .bind(3, values.updatedMs ? values.updatedMs : now)
        .bind(4, values.pinned)
        .bind(5, values.model)
        .bind(6, values.systemPrompt)
        .bind(7, values.settingsJson.isEmpty() ? QStringLiteral("{}") : values.settingsJson)
        .bindIdOrNull(8, values.activeLeafId);
    if (auto r = st->run(); !r)
        return r.error();
    return m_db.lastInsertId();
}

Result<Conversation> ConversationStore::conversation(qint64 id)
{
    auto st = m_db.statement(kSqlSelectConversation);
    if (!st)
        return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row)
        return row.error();
    if (!*row)
        return notFound("conversation", id);
    Conversation c;
    c.id = st->int64(0);
    c.title = st->text(1);
    c.createdMs = st->int64(2);
    c.updatedMs = st->int64(3);
    c.pinned = st->int64(4) != 0;
    c.model = st->text(5);
    c.systemPrompt = st->text(6);
    c.settingsJson = st->text(7);
    c.activeLeafId = st->isNull(8) ? 0 : st->int64(8);
    return c;
}

Result<std::vector<ConversationSummary>> ConversationStore::listConversations()
{
    auto st = m_db.statement(kSqlListConversations);
    if (!st)
        return st.error();
    std::vector<ConversationSummary> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        out.push_back({st->int64(0), st->text(1), st->int64(2), st->int64(3), st->int64(4) != 0, st->text(5)});
    }
    return out;
}

Result<int> ConversationStore::conversationCount()
{
    auto n = m_db.queryInt(kSqlCountConversations);
    if (!n)
        return n.error();
    return int(*n);
}

Result<void> ConversationStore::renameConversation(qint64 id, const QString& title)
{
    auto st = m_db.statement(kSqlRenameConversation);
    if (!st)
        return st.error();
    st->bind(1, id).bind(2, title.simplified());
    return runOnOne(m_db, *st, "conversation", id);
}

Result<void> ConversationStore::setPinned(qint64 id, bool pinned)
{
    auto st = m_db.statement(kSqlSetPinned);
    if (!st)
        return st.error();
    st->bind(1, id).bind(2, pinned);
    return runOnOne(m_db, *st, "conversation", id);
}

Result<void> ConversationStore::setConversationSettings(qint64 id, const QString& model, const QString& systemPrompt,
                                                        const QString& settingsJson)
{
    auto st = m_db.statement(kSqlSetSettings);
    if (!st)
        return st.error();
    st->bind(1, id).bind(2, model).bind(3, systemPrompt).bind(4, settingsJson.isEmpty() ? QStringLiteral("{}") : settingsJson);
    return runOnOne(m_db, *st, "conversation", id);
}

Result<void> ConversationStore::deleteConversation(qint64 id)
{
    auto st = m_db.statement(kSqlDeleteConversation);
    if (!st)
        return st.error();
    st->bind(1, id);
    return runOnOne(m_db, *st, "conversation", id);  // messages go by ON DELETE CASCADE
}

Result<void> ConversationStore::touch(qint64 conversationId, qint64 activeLeafId)
{
    auto st = m_db.statement(kSqlTouchConversation);
    if (!st)
        return st.error();
    st->bind(1, conversationId).bind(2, nowMs()).bindIdOrNull(3, activeLeafId);
    return runOnOne(m_db, *st, "conversation", conversationId);
}

// ---------------------------------------------------------------- messages

Result<qint64> ConversationStore::insertMessage(qint64 conversationId, qint64 parentId, const NewMessage& msg)
{
    if (parentId != 0) {
        auto parent = message(parentId);
        if (!parent)
            return parent.error();
        if (parent->conversationId != conversationId)
            return makeError(ErrorKind::InvalidInput, "Message " + std::to_string(parentId) +
                                                          " belongs to another conversation.");
    }
    auto st = m_db.statement(kSqlInsertMessage);
    if (!st)
        return st.error();
    st->bind(1, conversationId)
        .bindIdOrNull(2, parentId)
        .bind(3, roleName(msg.role))
        .bind(4, msg.content)
        .bind(5, msg.reasoning)
        .bind(6, msg.thinkingMs)
        .bind(7, msg.promptTokens)
        .bind(8, msg.generatedTokens)
        .bind(9, msg.tokensPerSecond)
        .bind(10, msg.model)
        .bind(11, msg.createdMs ? msg.createdMs : nowMs())
        .bind(12, statusName(msg.status));
    if (auto r = st->run(); !r)
        return r.error();
    return m_db.lastInsertId();
}

Result<qint64> ConversationStore::appendMessage(qint64 conversationId, qint64 parentId, const NewMessage& msg)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto conv = conversation(conversationId);
    if (!conv)
        return conv.error();
    auto id = insertMessage(conversationId, parentId, msg);
    if (!id)
        return id.error();
    if (auto r = touch(conversationId, *id); !r)
        return r.error();
    if (msg.role == Role::User && conv->title.isEmpty()) {
        auto st = m_db.statement(kSqlSetTitleIfEmpty);
        if (!st)
            return st.error();
        st->bind(1, conversationId).bind(2, titleFromPrompt(msg.content));
        if (auto r = st->run(); !r)
            return r.error();
    }
    if (auto r = tx->commit(); !r)
        return r.error();
    return *id;
}

Result<qint64> ConversationStore::beginReply(qint64 conversationId, qint64 parentId, const QString& model)
{
    NewMessage reply;
    reply.role = Role::Assistant;
    reply.model = model;
    reply.status = MessageStatus::Streaming;
    return appendMessage(conversationId, parentId, reply);
}

Result<void> ConversationStore::updateReply(qint64 messageId, const ReplyUpdate& u)
{
    auto st = m_db.statement(kSqlUpdateReply);
    if (!st)
        return st.error();
    st->bind(1, messageId)
        .bind(2, u.content)
        .bind(3, u.reasoning)
        .bind(4, statusName(u.status))
        .bind(5, u.thinkingMs)
        .bind(6, u.promptTokens)
        .bind(7, u.generatedTokens)
        .bind(8, u.tokensPerSecond);
    return runOnOne(m_db, *st, "message", messageId);
}

Result<Message> ConversationStore::message(qint64 id)
{
    auto st = m_db.statement(kSqlSelectMessage);
    if (!st)
        return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row)
        return row.error();
    if (!*row)
        return notFound("message", id);
    return readMessage(*st);
}

Result<std::vector<Message>> ConversationStore::allMessages(qint64 conversationId)
{
    auto st = m_db.statement(kSqlSelectMessages);
    if (!st)
        return st.error();
    st->bind(1, conversationId);
    std::vector<Message> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.error();
        if (!*row)
            return out;
        out.push_back(readMessage(*st));
    }
}

Result<int> ConversationStore::markInterruptedReplies()
{
    if (auto r = m_db.exec(kSqlMarkInterrupted); !r)
        return r.error();
    return m_db.changes();
}

// ---------------------------------------------------------------- branches

Result<std::vector<PathMessage>> ConversationStore::activePath(qint64 conversationId)
{
    auto conv = conversation(conversationId);
    if (!conv)
        return conv.error();
    qint64 leaf = conv->activeLeafId;
    if (leaf == 0) {  // older rows or an empty conversation: the newest message
        auto newest = m_db.statement(kSqlNewestMessage);
        if (!newest)
            return newest.error();
        newest->bind(1, conversationId);
        auto row = newest->step();
        if (!row)
            return row.error();
        leaf = (*row && !newest->isNull(0)) ? newest->int64(0) : 0;
    }
    std::vector<PathMessage> path;
    if (leaf == 0)
        return path;
    {
        auto st = m_db.statement(kSqlPathToRoot);
        if (!st)
            return st.error();
        st->bind(1, leaf);
        for (;;) {
            auto row = st->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            path.push_back({readMessage(*st), 0, 1});
        }
    }
    auto pos = m_db.statement(kSqlSiblingPosition);
    if (!pos)
        return pos.error();
    for (PathMessage& p : path) {
        if (p.message.conversationId != conversationId)
            return makeError(ErrorKind::Internal, "The active path leaves its conversation.");
        pos->bindIdOrNull(2, p.message.parentId).bind(1, conversationId).bind(3, p.message.id);
        auto row = pos->step();
        if (!row)
            return row.error();
        p.siblingCount = int(pos->int64(0));
        p.siblingIndex = int(pos->int64(1));
        (void)pos->step();  // finish the aggregate row so the next bind starts clean
    }
    return path;
}

Result<std::vector<Message>> ConversationStore::siblings(qint64 messageId)
{
    auto msg = message(messageId);
    if (!msg)
        return msg.error();
    auto st = m_db.statement(kSqlSiblings);
    if (!st)
        return st.error();
    st->bind(1, msg->conversationId).bindIdOrNull(2, msg->parentId);
    std::vector<Message> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.error();
        if (!*row)
            return out;
        out.push_back(readMessage(*st));
    }
}

Result<qint64> ConversationStore::editUserMessage(qint64 userMessageId, const QString& newText)
{
    auto msg = message(userMessageId);
    if (!msg)
        return msg.error();
    if (msg->role != Role::User)
        return makeError(ErrorKind::InvalidInput, "Only your own messages can be edited.");
    NewMessage edited;
    edited.role = Role::User;
    edited.content = newText;
    return appendMessage(msg->conversationId, msg->parentId, edited);
}

Result<qint64> ConversationStore::regenerate(qint64 assistantMessageId, const QString& model)
{
    auto msg = message(assistantMessageId);
    if (!msg)
        return msg.error();
    if (msg->role != Role::Assistant)
        return makeError(ErrorKind::InvalidInput, "Only answers can be regenerated.");
    return beginReply(msg->conversationId, msg->parentId, model);
}

Result<qint64> ConversationStore::newestLeafUnder(qint64 messageId)
{
    auto st = m_db.statement(kSqlNewestChild);
    if (!st)
        return st.error();
    qint64 leaf = messageId;
    for (;;) {
        st->bind(1, leaf);
        auto row = st->step();
        if (!row)
            return row.error();
        if (!*row)
            return leaf;
        leaf = st->int64(0);
        (void)st->step();  // LIMIT 1: reaches the end and resets
    }
}

Result<qint64> ConversationStore::selectSibling(qint64 messageId, int index)
{
    auto sibs = siblings(messageId);
    if (!sibs)
        return sibs.error();
    if (index < 0 || index >= int(sibs->size()))
        return makeError(ErrorKind::InvalidInput, "There is no version " + std::to_string(index + 1) +
                                                      " of this message (it has " + std::to_string(sibs->size()) + ").");
    auto leaf = newestLeafUnder((*sibs)[size_t(index)].id);
    if (!leaf)
        return leaf.error();
    if (auto r = setActiveLeaf((*sibs)[size_t(index)].conversationId, *leaf); !r)
        return r.error();
    return *leaf;
}

Result<void> ConversationStore::setActiveLeaf(qint64 conversationId, qint64 leafId)
{
    if (leafId != 0) {
        auto msg = message(leafId);
        if (!msg)
            return msg.error();
        if (msg->conversationId != conversationId)
            return makeError(ErrorKind::InvalidInput, "That message belongs to another conversation.");
    }
    auto st = m_db.statement(kSqlSetActiveLeaf);
    if (!st)
        return st.error();
    st->bind(1, conversationId).bindIdOrNull(2, leafId);
    return runOnOne(m_db, *st, "conversation", conversationId);
}

// ---------------------------------------------------------------- export / import support

Result<ConversationTree> ConversationStore::tree(qint64 conversationId, bool activePathOnly)
{
    ConversationTree t;
    auto conv = conversation(conversationId);
    if (!conv)
        return conv.error();
    t.conversation = *conv;
    if (activePathOnly) {
        auto path = activePath(conversationId);
        if (!path)
            return path.error();
        for (PathMessage& p : *path)
            t.messages.push_back(std::move(p.message));
        t.conversation.activeLeafId = t.messages.empty() ? 0 : t.messages.back().id;
    } else {
        auto all = allMessages(conversationId);
        if (!all)
            return all.error();
        t.messages = std::move(*all);
    }
    return t;
}

Result<qint64> ConversationStore::importTree(const ConversationTree& tree)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    Conversation values = tree.conversation;
    values.activeLeafId = 0;
    if (values.title.isEmpty())
        values.title = QStringLiteral("Imported conversation");
    auto convId = createConversation(values);
    if (!convId)
        return convId.error();
    std::unordered_map<qint64, qint64> newIds;  // id in the file → id here
    for (const Message& m : tree.messages) {
        qint64 parent = 0;
        if (m.parentId != 0) {
            auto it = newIds.find(m.parentId);
            if (it == newIds.end())
                return makeError(ErrorKind::InvalidInput, "Message " + std::to_string(m.id) +
                                                              " refers to a parent that comes later or is missing.");
            parent = it->second;
        }
        NewMessage n{m.role, m.content, m.reasoning, m.model, m.status, m.thinkingMs,
                     m.promptTokens, m.generatedTokens, m.tokensPerSecond, m.createdMs};
        auto id = insertMessage(*convId, parent, n);
        if (!id)
            return id.error();
        if (!newIds.emplace(m.id, *id).second)
            return makeError(ErrorKind::InvalidInput, "Message id " + std::to_string(m.id) + " appears twice.");
    }
    qint64 leaf = 0;
    if (auto it = newIds.find(tree.conversation.activeLeafId); it != newIds.end())
        leaf = it->second;
    else if (!tree.messages.empty())
        leaf = newIds[tree.messages.back().id];
    auto st = m_db.statement(kSqlSetActiveLeaf);
    if (!st)
        return st.error();
    st->bind(1, *convId).bindIdOrNull(2, leaf);
    if (auto r = st->run(); !r)
        return r.error();
    if (auto r = tx->commit(); !r)
        return r.error();
    return *convId;
}

Result<void> ConversationStore::checkIntegrity()
{
    auto st = m_db.statement(kSqlIntegrityCheck);
    if (!st)
        return st.error();
    QStringList problems;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        if (st->text(0) != QLatin1String("ok"))
            problems << st->text(0);
    }
    if (!problems.isEmpty())
        return makeError(ErrorKind::InvalidInput, "The database is damaged: " + problems.join("; ").toStdString());
    return {};
}

}  // namespace tiefsee::store
