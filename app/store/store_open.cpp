// Opening the conversation database: pragmas, integrity check, moving a damaged file
// aside, migrations.
#include "store/conversation_store.h"
#include "store/schema.h"

#include <sqlite3.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace tiefsee::store {
namespace {

constexpr const char* kSqlQuickCheck = "PRAGMA quick_check";
constexpr const char* kSqlJournalWal = "PRAGMA journal_mode = WAL";
// NORMAL in WAL mode: a commit survives a crash of the app (kill -9); only a power
// loss may drop the last commits, and the file never corrupts.
constexpr const char* kSqlSettings = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL";
constexpr int kBusyTimeoutMs = 5000;

// The outcome of one open attempt: a ready database, a damaged file, or another error.
struct Attempt {
    std::optional<Database> db;
    bool damaged = false;
    std::optional<Error> error;
    int migratedFrom = 0;
};

bool isDamageError(const Error& e) { return e.kind == ErrorKind::InvalidInput; }  // SQLITE_CORRUPT / NOTADB

Attempt tryOpen(const QString& path)
{
    Attempt a;
    auto db = Database::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db) {
        a.error = db.error();
        return a;
    }
    if (db->isReadOnly()) {
        a.error = makeError(ErrorKind::Io, "The conversation database " + path.toStdString() +
                                               " is read-only (check the permissions of the file and its folder). "
                                               "It was left untouched.");
        return a;
    }
    sqlite3_busy_timeout(db->handle(), kBusyTimeoutMs);
    auto check = db->queryText(kSqlQuickCheck);
    if (!check) {
        if (isDamageError(check.error()))
            a.damaged = true;
        else
            a.error = check.error();
        return a;
    }
    if (*check != QLatin1String("ok")) {
        a.damaged = true;
        return a;
    }
    auto mode = db->queryText(kSqlJournalWal);
    if (!mode || mode->compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        a.error = mode ? makeError(ErrorKind::Io, "Could not switch the conversation database to WAL mode.")
                       : mode.error();
        return a;
    }
    if (auto r = db->exec(kSqlSettings); !r) {
        a.error = r.error();
        return a;
    }
    auto migrated = migrate(*db);
    if (!migrated) {
        if (isDamageError(migrated.error()))
            a.damaged = true;
        else
            a.error = migrated.error();
        return a;
    }
    a.migratedFrom = *migrated;
    a.db = std::move(*db);
    return a;
}

// Renames the database (and its WAL file) to "<path>.corrupt-<timestamp>"; returns the new path.
Result<QString> moveAside(const QString& path)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss"));
    QString target = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = path + QStringLiteral(".corrupt-") + stamp + QLatin1Char('-') + QString::number(n);
    if (!QFile::rename(path, target))
        return makeError(ErrorKind::Io, "The conversation database " + path.toStdString() +
                                            " is damaged and could not be moved aside to " + target.toStdString() + ".");
    if (QFileInfo::exists(path + QStringLiteral("-wal")))
        QFile::rename(path + QStringLiteral("-wal"), target + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));  // index of the WAL only, rebuilt from it
    return target;
}

}  // namespace

QString ConversationStore::defaultPath()
{
    if (QCoreApplication::organizationName().isEmpty())
        QCoreApplication::setOrganizationName(QStringLiteral("Tiefsee"));
    if (QCoreApplication::applicationName().isEmpty())
        QCoreApplication::setApplicationName(QStringLiteral("Tiefsee"));
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/conversations.sqlite");
}

Result<OpenedStore> ConversationStore::open(const QString& path)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return makeError(ErrorKind::Io, "Could not create the folder " + info.absolutePath().toStdString() +
                                            " for the conversation database.");
    if (info.exists() && !info.isReadable())
        return makeError(ErrorKind::Io, "The conversation database " + path.toStdString() +
                                            " cannot be read (check its permissions). It was left untouched.");
    OpenedStore opened;
    Attempt a = tryOpen(path);
    if (a.damaged) {
        a = Attempt{};  // closes the damaged file before renaming it
        auto moved = moveAside(path);
        if (!moved)
            return moved.error();
        opened.movedAsideTo = *moved;
        a = tryOpen(path);
        if (a.damaged)
            return makeError(ErrorKind::Io, "A fresh conversation database could not be created at " +
                                                path.toStdString() + ".");
    }
    if (a.error)
        return *a.error;
    opened.migratedFrom = a.migratedFrom;
    opened.store.reset(new ConversationStore(std::move(*a.db)));
    return opened;
}

}  // namespace tiefsee::store
