#include "store/schema.h"

#include <string>

namespace tiefsee::store {
namespace {

// Times are milliseconds since the Unix epoch (UTC). Text is UTF-8.
// status: 'complete' | 'stopped' | 'failed' | 'streaming' (a reply being written).
constexpr const char* kSqlSchemaV1 = R"sql(
CREATE TABLE conversations (
    id            INTEGER PRIMARY KEY,
    title         TEXT    NOT NULL DEFAULT '',
    created_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL,
    pinned        INTEGER NOT NULL DEFAULT 0,
    model         TEXT    NOT NULL DEFAULT '',
    system_prompt TEXT    NOT NULL DEFAULT '',
    settings_json TEXT    NOT NULL DEFAULT '{}'
);
CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role             TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content          TEXT    NOT NULL DEFAULT '',
    reasoning        TEXT    NOT NULL DEFAULT '',
    thinking_ms      INTEGER NOT NULL DEFAULT 0,
    prompt_tokens    INTEGER NOT NULL DEFAULT 0,
    generated_tokens INTEGER NOT NULL DEFAULT 0,
    tokens_per_s     REAL    NOT NULL DEFAULT 0,
    model            TEXT    NOT NULL DEFAULT '',
    created_ms       INTEGER NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'complete'
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
CREATE INDEX conversations_by_order ON conversations (pinned DESC, updated_ms DESC);
)sql";

// v2: the flat list becomes a chain (each message's parent is the previous one of its
// conversation) and the last message becomes the active leaf.
constexpr const char* kSqlMigrateV2 = R"sql(
ALTER TABLE messages ADD COLUMN parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE;
ALTER TABLE conversations ADD COLUMN active_leaf_id INTEGER;
UPDATE messages SET parent_id = (
    SELECT MAX(p.id) FROM messages p
    WHERE p.conversation_id = messages.conversation_id AND p.id < messages.id);
UPDATE conversations SET active_leaf_id = (
    SELECT MAX(m.id) FROM messages m WHERE m.conversation_id = conversations.id);
CREATE INDEX messages_by_parent ON messages (conversation_id, parent_id);
CREATE INDEX messages_children ON messages (parent_id);
)sql";

// v3: external-content FTS5 indexes (they store only the index; the text stays in the
// tables) and the triggers that keep them in sync. 'rebuild' indexes existing rows.
constexpr const char* kSqlMigrateV3 = R"sql(
CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, reasoning, content='messages', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE conversations_fts USING fts5(
    title, content='conversations', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content, reasoning) VALUES (new.id, new.content, new.reasoning);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, reasoning)
        VALUES ('delete', old.id, old.content, old.reasoning);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, reasoning ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, reasoning)
        VALUES ('delete', old.id, old.content, old.reasoning);
    INSERT INTO messages_fts (rowid, content, reasoning) VALUES (new.id, new.content, new.reasoning);
END;

CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO conversations_fts (conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
    INSERT INTO conversations_fts (conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
END;

INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
INSERT INTO conversations_fts (conversations_fts) VALUES ('rebuild');
)sql";

// Index i holds the SQL that takes version i to version i + 1.
constexpr const char* kMigrations[kLatestSchemaVersion] = {kSqlSchemaV1, kSqlMigrateV2, kSqlMigrateV3};

constexpr const char* kSqlUserVersion = "PRAGMA user_version";
// PRAGMA takes no bound parameters; these are constants, one per version.
constexpr const char* kSqlSetUserVersion[kLatestSchemaVersion + 1] = {
    "PRAGMA user_version = 0", "PRAGMA user_version = 1", "PRAGMA user_version = 2", "PRAGMA user_version = 3"};

}  // namespace

Result<int> schemaVersion(Database& db)
{
    auto v = db.queryInt(kSqlUserVersion);
    if (!v)
        return v.error();
    return int(*v);
}

Result<int> migrate(Database& db, int target)
{
    auto found = schemaVersion(db);
    if (!found)
        return found.error();
    if (*found > kLatestSchemaVersion) {
        return makeError(ErrorKind::Unsupported,
                         "The conversation database " + db.path().toStdString() + " was written by a newer Tiefsee "
                         "(schema version " + std::to_string(*found) + "; this version understands up to " +
                         std::to_string(kLatestSchemaVersion) + "). Please update Tiefsee. The file was left untouched.");
    }
    for (int v = *found; v < target; ++v) {
        auto tx = Transaction::begin(db);
        if (!tx)
            return tx.error();
        if (auto r = db.exec(kMigrations[v]); !r)
            return makeError(r.error().kind, "Upgrading the conversation database to version " + std::to_string(v + 1) +
                                                 " failed: " + r.error().message);
        if (auto r = db.exec(kSqlSetUserVersion[v + 1]); !r)
            return r.error();
        if (auto r = tx->commit(); !r)
            return r.error();
    }
    return *found;
}

}  // namespace tiefsee::store
