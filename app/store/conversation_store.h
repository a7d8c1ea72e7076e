// ConversationStore: every conversation in one SQLite file, never losing a sent message.
//
// Opening
//   auto opened = ConversationStore::open(ConversationStore::defaultPath());
//   if (!opened) showError(opened.error().message);           // read-only, newer schema, ...
//   if (!opened->movedAsideTo.isEmpty()) tell the user "the damaged database was moved to ..."
//   ConversationStore& store = *opened->store;
//   store.markInterruptedReplies();   // once at app start: 'streaming' left by a crash → 'stopped'
//
// A chat turn (each call is its own transaction and is durable when it returns)
//   qint64 conv = *store.createConversation({});               // title comes from the first prompt
//   qint64 user = *store.appendMessage(conv, 0, {Role::User, "Why is the sea blue?"});  // before generating
//   qint64 reply = *store.beginReply(conv, user, "R1-Qwen-7B");  // empty, status 'streaming'
//   StreamingReply writer(store, reply);                       // streaming_reply.h
//   writer.appendContent(piece) ... writer.finish(MessageStatus::Complete, stats);
//
// Branches (the messages of a conversation form a tree through parentId)
//   editUserMessage(id, text)  → new user sibling; generate its reply with beginReply(conv, newId)
//   regenerate(assistantId)    → new empty 'streaming' assistant sibling, stream into it
//   selectSibling(id, index)   → show sibling `index` (0-based) and its latest descendants
//   activePath(conv)           → root..leaf with sibling index/count for "2 / 3"
// The active path is remembered per conversation (its leaf id).
//
// Threads: a ConversationStore owns one SQLite connection; use it from one thread at a
// time (it is not a QObject and has no thread affinity beyond that). For work off the
// GUI thread, open a second ConversationStore on the same path in the worker thread:
// WAL mode lets one writer and many readers work concurrently; a 5 s busy timeout
// covers short write contention.
//
// Errors: every call a user can make fail (full disk, read-only file, missing id)
// returns Result with a plain-words message. A failed write changes nothing.
#pragma once

#include "store/sqlite_db.h"
#include "store/store_types.h"

#include <memory>

namespace tiefsee::store {

class ConversationStore;

struct OpenedStore {
    std::unique_ptr<ConversationStore> store;
    QString movedAsideTo;  // non-empty when a damaged database was moved aside (full path)
    int migratedFrom = 0;  // schema version found in the file (0 = new file)
};

class ConversationStore {
public:
    // <AppDataLocation>/conversations.sqlite, e.g. ~/.local/share/Tiefsee/conversations.sqlite.
    // Needs QCoreApplication's application name "Tiefsee" to be set (done here if empty).
    static QString defaultPath();

    // Opens or creates the database, creating its folder. A damaged file (quick_check
    // fails or it is not a database) is renamed to "<path>.corrupt-<yyyyMMdd-hhmmss>"
    // and a fresh database is created in its place. A newer schema, a read-only file or
    // folder, or an unreadable file give an error and leave the file untouched.
    static Result<OpenedStore> open(const QString& path);

    ~ConversationStore();
    ConversationStore(const ConversationStore&) = delete;
    ConversationStore& operator=(const ConversationStore&) = delete;

    const QString& path() const { return m_db.path(); }

    // ---- conversations
    // `title` may be empty: the first user message then names it (automatic title).
    Result<qint64> createConversation(const Conversation& values);
    Result<Conversation> conversation(qint64 id);
    // All conversations, pinned first, then most recently updated first.
    Result<std::vector<ConversationSummary>> listConversations();
    Result<int> conversationCount();
    Result<void> renameConversation(qint64 id, const QString& title);
    Result<void> setPinned(qint64 id, bool pinned);
    // Model, system prompt and sampling settings (JSON object text).
    Result<void> setConversationSettings(qint64 id, const QString& model, const QString& systemPrompt,
                                         const QString& settingsJson);
    // Deletes the conversation and all its messages.
    Result<void> deleteConversation(qint64 id);

    // ---- messages
    // Adds a message under `parentId` (0 = a first message) and makes it the active
    // leaf. Names an untitled conversation after its first user message.
    Result<qint64> appendMessage(qint64 conversationId, qint64 parentId, const NewMessage& message);
    // An empty assistant message with status 'streaming' under `parentId`.
    Result<qint64> beginReply(qint64 conversationId, qint64 parentId, const QString& model);
    // Overwrites a reply's text, status and statistics (used by StreamingReply).
    Result<void> updateReply(qint64 messageId, const ReplyUpdate& update);
    Result<Message> message(qint64 id);
    // Every message of the conversation (the whole tree), in id order (parents first).
    Result<std::vector<Message>> allMessages(qint64 conversationId);
    // Sets every 'streaming' message to 'stopped'; returns how many. Call once at app start.
    Result<int> markInterruptedReplies();

    // ---- branches
    Result<std::vector<PathMessage>> activePath(qint64 conversationId);
    // Siblings of a message, itself included, in creation order.
    Result<std::vector<Message>> siblings(qint64 messageId);
    Result<qint64> editUserMessage(qint64 userMessageId, const QString& newText);
    Result<qint64> regenerate(qint64 assistantMessageId, const QString& model);
    // Makes sibling `index` of `messageId` active, descending to its newest leaf; returns the leaf.
    Result<qint64> selectSibling(qint64 messageId, int index);
    Result<void> setActiveLeaf(qint64 conversationId, qint64 leafId);

    // ---- search (FTS5 over titles, answers and optionally reasoning)
    // `query` is plain user text: words are matched as prefixes, all must occur.
    Result<std::vector<SearchHit>> search(const QString& query, const SearchOptions& options = {});

    // ---- export / import support (see export_import.h for the formats)
    Result<ConversationTree> tree(qint64 conversationId, bool activePathOnly);
    // Inserts a whole conversation in one transaction with new ids; returns its id.
    Result<qint64> importTree(const ConversationTree& tree);

    // ---- maintenance
    // PRAGMA integrity_check; ok or an error with SQLite's findings.
    Result<void> checkIntegrity();
    // Groups many writes into one transaction (bulk import, benchmarks). Commit it.
    Result<Transaction> beginBatch() { return Transaction::begin(m_db); }
    // The raw connection, for tests (fault injection) and diagnostics.
    Database& database() { return m_db; }

private:
    explicit ConversationStore(Database db) : m_db(std::move(db)) {}
    Result<void> touch(qint64 conversationId, qint64 activeLeafId);
    Result<qint64> insertMessage(qint64 conversationId, qint64 parentId, const NewMessage& message);
    Result<qint64> newestLeafUnder(qint64 messageId);
    Database m_db;
};

// The first line of `text`, trimmed to at most ~60 characters at a word boundary.
QString titleFromPrompt(const QString& text);

}  // namespace tiefsee::store
