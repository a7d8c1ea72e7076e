#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <algorithm>
#include <cassert>
#include <cstring>

namespace tiefsee::store {

Error sqliteError(int code, const std::string& detail, const std::string& what)
{
    const int primary = code & 0xff;
    std::string prefix = what.empty() ? std::string() : "Error while " + what + ": ";
    switch (primary) {
    case SQLITE_FULL:
        return makeError(ErrorKind::Io, prefix + "the disk is full. Free some space and try again; "
                                                 "nothing that was already saved is lost.");
    case SQLITE_READONLY:
        return makeError(ErrorKind::Io, prefix + "the conversation database is read-only (" + detail +
                                            "). Nothing that was already saved is lost.");
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return makeError(ErrorKind::Io, prefix + "the conversation database cannot be opened (" + detail +
                                            "). Check that the folder exists and is writable.");
    case SQLITE_IOERR:
        return makeError(ErrorKind::Io, prefix + "a disk read or write failed (" + detail + ").");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return makeError(ErrorKind::Io, prefix + "the database is busy, another program (or another "
                                                 "Tiefsee) keeps it locked (" + detail + ").");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return makeError(ErrorKind::InvalidInput, prefix + "the conversation database is damaged (" + detail + ").");
    case SQLITE_NOMEM:
        return makeError(ErrorKind::OutOfMemory, prefix + "out of memory.");
    case SQLITE_CONSTRAINT:
        return makeError(ErrorKind::InvalidInput, prefix + detail);
    default:
        return makeError(ErrorKind::Internal, prefix + detail);
    }
}

// ---------------------------------------------------------------- Statement

Statement::Statement(sqlite3_stmt* stmt, sqlite3* db, std::string what)
    : m_stmt(stmt), m_db(db), m_what(std::move(what))
{
}

Statement::Statement(Statement&& other) noexcept
    : m_stmt(other.m_stmt), m_db(other.m_db), m_what(std::move(other.m_what)), m_failed(other.m_failed)
{
    other.m_stmt = nullptr;
}

Statement::~Statement()
{
    if (m_stmt) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

Statement& Statement::bind(int index, qint64 value)
{
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK)
        m_failed = true;
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK)
        m_failed = true;
    return *this;
}

Statement& Statement::bind(int index, const QString& value)
{
    const QByteArray utf8 = value.toUtf8();
    if (sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        m_failed = true;
    return *this;
}

Statement& Statement::bind(int index, const char* utf8)
{
    if (sqlite3_bind_text(m_stmt, index, utf8, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        m_failed = true;
    return *this;
}

Statement& Statement::bindNull(int index)
{
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK)
        m_failed = true;
    return *this;
}

Statement& Statement::bindIdOrNull(int index, qint64 value)
{
    return value == 0 ? bindNull(index) : bind(index, value);
}

Result<bool> Statement::step()
{
    assert(m_stmt);
    if (m_failed)  // a bind index out of range is a programmer mistake surfaced here
        return makeError(ErrorKind::Internal, "binding a parameter failed in: " + m_what);
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(m_stmt);  // ready to be bound and run again; bindings stay
        return false;
    }
    Error e = sqliteError(rc, sqlite3_errmsg(m_db), "");
    sqlite3_reset(m_stmt);
    return e;
}

Result<void> Statement::run()
{
    for (;;) {
        auto r = step();
        if (!r)
            return r.error();
        if (!*r)
            return {};
    }
}

qint64 Statement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }
bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

QString Statement::text(int column) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    const int n = sqlite3_column_bytes(m_stmt, column);
    return p ? QString::fromUtf8(p, n) : QString();
}

// ---------------------------------------------------------------- Database

Result<Database> Database::open(const QString& path, int flags)
{
    Database db;
    db.m_path = path;
    const QByteArray file = path.toUtf8();
    const int rc = sqlite3_open_v2(file.constData(), &db.m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string detail = db.m_db ? sqlite3_errmsg(db.m_db) : "out of memory";
        return sqliteError(rc, detail + ", " + file.toStdString(), "opening the conversation database");
    }
    sqlite3_extended_result_codes(db.m_db, 0);
    return db;
}

Database::Database(Database&& other) noexcept
    : m_db(other.m_db), m_path(std::move(other.m_path)), m_cache(std::move(other.m_cache))
{
    other.m_db = nullptr;
    other.m_cache.clear();
}

Database& Database::operator=(Database&& other) noexcept
{
    if (this != &other) {
        close();
        m_db = other.m_db;
        m_path = std::move(other.m_path);
        m_cache = std::move(other.m_cache);
        other.m_db = nullptr;
        other.m_cache.clear();
    }
    return *this;
}

Database::~Database() { close(); }

void Database::close()
{
    for (auto& [sql, stmt] : m_cache)
        sqlite3_finalize(stmt);
    m_cache.clear();
    if (m_db)
        sqlite3_close_v2(m_db);
    m_db = nullptr;
}

Result<Statement> Database::statement(const char* sql)
{
    assert(m_db);
    std::string what(sql, std::min<size_t>(60, strlen(sql)));
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        sqlite3_stmt* stmt = nullptr;
        const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK)
            return sqliteError(rc, sqlite3_errmsg(m_db), "preparing '" + what + "'");
        it = m_cache.emplace(sql, stmt).first;
    }
    return Statement(it->second, m_db, std::move(what));
}

Result<void> Database::exec(const char* sql)
{
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string detail = message ? message : sqlite3_errmsg(m_db);
        sqlite3_free(message);
        return sqliteError(rc, detail, "");
    }
    return {};
}

Result<qint64> Database::queryInt(const char* sql)
{
    auto st = statement(sql);
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    return *row ? st->int64(0) : qint64(0);
}

Result<QString> Database::queryText(const char* sql)
{
    auto st = statement(sql);
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    return *row ? st->text(0) : QString();
}

qint64 Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }
bool Database::isReadOnly() const { return sqlite3_db_readonly(m_db, "main") == 1; }
int Database::lastErrorCode() const { return sqlite3_errcode(m_db); }

// ---------------------------------------------------------------- Transaction

namespace {
constexpr const char* kSqlSavepoint = "SAVEPOINT tiefsee";
constexpr const char* kSqlRelease = "RELEASE tiefsee";
constexpr const char* kSqlRollback = "ROLLBACK TO tiefsee; RELEASE tiefsee";
}  // namespace

Result<Transaction> Transaction::begin(Database& db)
{
    Transaction tx(&db);
    if (auto r = db.exec(kSqlSavepoint); !r)
        return r.error();
    tx.m_open = true;
    return tx;
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(other.m_db), m_open(other.m_open)
{
    other.m_open = false;
}

Transaction::~Transaction()
{
    if (m_open)
        (void)m_db->exec(kSqlRollback);  // best effort; SQLite may already have rolled back
}

Result<void> Transaction::commit()
{
    assert(m_open);
    auto r = m_db->exec(kSqlRelease);
    if (r)
        m_open = false;  // on failure the destructor rolls back
    return r;
}

}  // namespace tiefsee::store
