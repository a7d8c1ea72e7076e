// A small RAII wrapper over the sqlite3 C API, used by the conversation store.
//
//   auto db = Database::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
//   auto st = db->statement(kSqlSelectTitle);     // kSql... is a named constant
//   st->bind(1, conversationId);                  // user data only via bound parameters
//   while (auto row = st->step(); row.ok() && *row) use(st->text(0));
//
//   auto tx = Transaction::begin(*db);            // SAVEPOINT: nests inside an outer one
//   ...; if (auto r = tx->commit(); !r) return r.error();   // rolls back if not committed
//
// Statements come from a per-connection cache keyed by the address of the SQL
// string, so SQL must be a string constant with static storage. A Statement resets
// itself when it goes out of scope; it must not outlive its Database.
//
// Threads: a Database is one sqlite3 connection opened in SQLite's "multi-thread"
// mode (SQLITE_OPEN_NOMUTEX): use it from one thread at a time. Give each thread
// its own connection (WAL lets readers and one writer run concurrently).
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace tiefsee::store {

// Builds a plain-words error from a SQLite result code. `what` says what was being
// done ("saving the message"); the kind follows the code (full disk, read-only → Io).
Error sqliteError(int code, const std::string& detail, const std::string& what);

class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    ~Statement();

    // Parameters are 1-based, like SQLite's.
    Statement& bind(int index, qint64 value);
    Statement& bind(int index, int value) { return bind(index, static_cast<qint64>(value)); }
    Statement& bind(int index, bool value) { return bind(index, static_cast<qint64>(value ? 1 : 0)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, const QString& value);
    Statement& bind(int index, const char* utf8);
    Statement& bindNull(int index);
    // NULL when value == 0 (used for "no parent").
    Statement& bindIdOrNull(int index, qint64 value);

    // One step: true = a row is available, false = done (the statement is then reset,
    // so it can be bound and run again).
    Result<bool> step();
    // Steps to the end, for INSERT/UPDATE/DELETE.
    Result<void> run();

    // Columns are 0-based.
    qint64 int64(int column) const;
    double real(int column) const;
    QString text(int column) const;
    bool isNull(int column) const;

private:
    friend class Database;
    Statement(sqlite3_stmt* stmt, sqlite3* db, std::string what);
    sqlite3_stmt* m_stmt = nullptr;  // owned by the Database's cache
    sqlite3* m_db = nullptr;
    std::string m_what;  // for error messages: the first words of the SQL
    bool m_failed = false;
};

class Database {
public:
    // Opens (or creates, with SQLITE_OPEN_CREATE) the file. `flags` are sqlite3_open_v2 flags.
    static Result<Database> open(const QString& path, int flags);

    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    ~Database();

    // A cached prepared statement for a SQL constant (see the header comment).
    Result<Statement> statement(const char* sql);
    // Runs SQL constants (several statements allowed) without results.
    Result<void> exec(const char* sql);
    // The single value of a one-row, one-column query (PRAGMA user_version, ...).
    Result<qint64> queryInt(const char* sql);
    Result<QString> queryText(const char* sql);

    qint64 lastInsertId() const;
    int changes() const;
    bool isReadOnly() const;
    // The last SQLite result code on this connection (extended codes off).
    int lastErrorCode() const;
    const QString& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

private:
    Database() = default;
    void close();
    sqlite3* m_db = nullptr;
    QString m_path;
    std::unordered_map<const char*, sqlite3_stmt*> m_cache;  // finalized in close()
};

// A SAVEPOINT. Nested transactions nest; the outermost commit makes it durable.
class Transaction {
public:
    static Result<Transaction> begin(Database& db);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();  // rolls back unless committed
    Result<void> commit();

private:
    explicit Transaction(Database* db) : m_db(db) {}
    Database* m_db = nullptr;
    bool m_open = false;
};

}  // namespace tiefsee::store
