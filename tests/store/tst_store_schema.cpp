// Schema and opening: fresh databases, migrations from every earlier version, a newer
// schema refused, damaged files moved aside, full and read-only databases.
#include "store/conversation_store.h"
#include "store/schema.h"
#include "store_test_util.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace tiefsee;
using namespace tiefsee::store;
using namespace tiefsee::store::test;

namespace {

// Rows as the first release (schema v1: flat message list) wrote them.
constexpr const char* kSqlV1Rows = R"sql(
INSERT INTO conversations (id, title, created_ms, updated_ms) VALUES (1, 'Sea colours', 1000, 2000);
INSERT INTO conversations (id, title, created_ms, updated_ms, pinned) VALUES (2, 'Empty one', 500, 600, 1);
INSERT INTO messages (conversation_id, role, content, created_ms) VALUES (1, 'user', 'Why is the sea blue?', 1000);
INSERT INTO messages (conversation_id, role, content, reasoning, created_ms)
    VALUES (1, 'assistant', 'Because water absorbs red light.', 'Think about absorption spectra.', 1100);
INSERT INTO messages (conversation_id, role, content, created_ms) VALUES (1, 'user', 'And the sky?', 1200);
)sql";

// Rows as schema v2 (branches, before full-text search) wrote them: message 2 was
// regenerated as message 3, and message 3's branch is the active one.
constexpr const char* kSqlV2Rows = R"sql(
INSERT INTO conversations (id, title, created_ms, updated_ms, active_leaf_id) VALUES (1, 'Kelp forests', 1000, 2000, 4);
INSERT INTO messages (id, conversation_id, parent_id, role, content, created_ms) VALUES (1, 1, NULL, 'user', 'Where does kelp grow?', 1000);
INSERT INTO messages (id, conversation_id, parent_id, role, content, created_ms) VALUES (2, 1, 1, 'assistant', 'In cold water.', 1100);
INSERT INTO messages (id, conversation_id, parent_id, role, content, created_ms) VALUES (3, 1, 1, 'assistant', 'Along rocky coasts with cold, nutrient-rich water.', 1200);
INSERT INTO messages (id, conversation_id, parent_id, role, content, created_ms) VALUES (4, 1, 3, 'user', 'How fast does it grow?', 1300);
)sql";

Database rawOpen(const QString& path)
{
    auto db = Database::open(path, 0x00000002 /*READWRITE*/ | 0x00000004 /*CREATE*/);
    Q_ASSERT(db.ok());
    return std::move(*db);
}

QString pragmaText(ConversationStore& s, const char* sql) { return *s.database().queryText(sql); }

}  // namespace

class TestStoreSchema : public QObject {
    Q_OBJECT

private slots:
    void freshDatabaseHasLatestSchemaAndPragmas()
    {
        QTemporaryDir dir;
        auto opened = ConversationStore::open(dir.filePath("sub/folder/c.sqlite"));
        STORE_VERIFY(opened);
        QCOMPARE(opened->migratedFrom, 0);
        QVERIFY(opened->movedAsideTo.isEmpty());
        ConversationStore& s = *opened->store;
        QCOMPARE(*schemaVersion(s.database()), kLatestSchemaVersion);
        QCOMPARE(pragmaText(s, "PRAGMA journal_mode"), QStringLiteral("wal"));
        QCOMPARE(*s.database().queryInt("PRAGMA foreign_keys"), 1);
        QCOMPARE(*s.database().queryInt("PRAGMA synchronous"), 1);  // NORMAL
        QVERIFY(*s.database().queryInt("PRAGMA busy_timeout") >= 1000);
        STORE_VERIFY(s.checkIntegrity());
        QCOMPARE(*s.conversationCount(), 0);
    }

    void reopeningDoesNotMigrateAgain()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("c.sqlite");
        {
            auto s = openStore(path);
            QVERIFY(s);
            STORE_VERIFY(s->createConversation({}));
        }
        auto opened = ConversationStore::open(path);
        STORE_VERIFY(opened);
        QCOMPARE(opened->migratedFrom, kLatestSchemaVersion);
        QCOMPARE(*opened->store->conversationCount(), 1);
    }

    void migratesFromVersion1()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("v1.sqlite");
        {
            Database db = rawOpen(path);
            QCOMPARE(*migrate(db, 1), 0);
            QCOMPARE(*schemaVersion(db), 1);
            STORE_VERIFY(db.exec(kSqlV1Rows));
        }
        auto opened = ConversationStore::open(path);
        STORE_VERIFY(opened);
        QCOMPARE(opened->migratedFrom, 1);
        ConversationStore& s = *opened->store;
        QCOMPARE(*schemaVersion(s.database()), kLatestSchemaVersion);

        // The flat list became a chain with the last message active.
        auto path1 = s.activePath(1);
        STORE_VERIFY(path1);
        QCOMPARE(path1->size(), size_t(3));
        QCOMPARE((*path1)[0].message.content, QStringLiteral("Why is the sea blue?"));
        QCOMPARE((*path1)[0].message.parentId, 0);
        QCOMPARE((*path1)[1].message.parentId, (*path1)[0].message.id);
        QCOMPARE((*path1)[1].message.reasoning, QStringLiteral("Think about absorption spectra."));
        QCOMPARE((*path1)[2].message.parentId, (*path1)[1].message.id);
        QCOMPARE((*path1)[2].siblingCount, 1);
        QCOMPARE(s.conversation(1)->activeLeafId, (*path1)[2].message.id);
        QCOMPARE(s.activePath(2)->size(), size_t(0));

        // Old rows are searchable (the FTS index was built from them).
        auto hits = s.search("absorbs");
        STORE_VERIFY(hits);
        QCOMPARE(hits->size(), size_t(1));
        QCOMPARE(hits->front().conversationId, 1);
        QCOMPARE(s.search("colours")->size(), size_t(1));
        QCOMPARE(s.search("spectra", SearchOptions{true})->size(), size_t(1));

        // ...and writable.
        auto reply = s.appendMessage(1, (*path1)[2].message.id, assistantMessage("Rayleigh scattering."));
        STORE_VERIFY(reply);
        QCOMPARE(s.activePath(1)->size(), size_t(4));
        QCOMPARE(s.listConversations()->front().id, 2);  // pinned first
        STORE_VERIFY(s.checkIntegrity());
    }

    void migratesFromVersion2()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("v2.sqlite");
        {
            Database db = rawOpen(path);
            QCOMPARE(*migrate(db, 2), 0);
            QCOMPARE(*schemaVersion(db), 2);
            STORE_VERIFY(db.exec(kSqlV2Rows));
        }
        auto opened = ConversationStore::open(path);
        STORE_VERIFY(opened);
        QCOMPARE(opened->migratedFrom, 2);
        ConversationStore& s = *opened->store;
        auto p = s.activePath(1);
        STORE_VERIFY(p);
        QCOMPARE(p->size(), size_t(3));
        QCOMPARE((*p)[1].message.id, 3);
        QCOMPARE((*p)[1].siblingIndex, 1);
        QCOMPARE((*p)[1].siblingCount, 2);
        QCOMPARE(s.search("rocky")->size(), size_t(1));
        QCOMPARE(s.search("kelp")->front().title, QStringLiteral("[Kelp] forests"));
        STORE_VERIFY(s.checkIntegrity());
    }

    void refusesNewerSchemaAndLeavesFileAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("future.sqlite");
        {
            Database db = rawOpen(path);
            STORE_VERIFY(db.exec("CREATE TABLE future (x); PRAGMA user_version = 99"));
        }
        auto opened = ConversationStore::open(path);
        QVERIFY(!opened);
        QCOMPARE(opened.error().kind, ErrorKind::Unsupported);
        QVERIFY2(opened.error().message.find("newer Tiefsee") != std::string::npos, opened.error().message.c_str());
        Database db = rawOpen(path);
        QCOMPARE(*schemaVersion(db), 99);
        QCOMPARE(QDir(dir.path()).entryList({"*.corrupt-*"}).size(), 0);
    }

    void movesGarbageFileAside()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("c.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray garbage = QByteArray("this is not a database at all ").repeated(400);
        f.write(garbage);
        f.close();

        auto opened = ConversationStore::open(path);
        STORE_VERIFY(opened);
        QVERIFY(!opened->movedAsideTo.isEmpty());
        QVERIFY(opened->movedAsideTo.startsWith(path + ".corrupt-"));
        QFile moved(opened->movedAsideTo);
        QVERIFY(moved.open(QIODevice::ReadOnly));
        QCOMPARE(moved.readAll(), garbage);  // the old file is kept byte for byte
        QCOMPARE(*opened->store->conversationCount(), 0);
        STORE_VERIFY(opened->store->createConversation({}));
    }

    void movesDatabaseWithDamagedPagesAside()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("c.sqlite");
        {
            auto s = openStore(path);
            QVERIFY(s);
            const qint64 conv = *s->createConversation({});
            qint64 parent = 0;
            for (int i = 0; i < 300; ++i)
                parent = *s->appendMessage(conv, parent, userMessage(QString("message %1 ").arg(i).repeated(40)));
        }  // the last connection closing checkpoints the WAL into the main file
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.size() > 64 * 1024);
        for (qint64 off = 8192; off < f.size() - 4096; off += 16384) {  // trash pages, keep the header
            f.seek(off);
            f.write(QByteArray(2048, char(0xA5)));
        }
        f.close();

        auto opened = ConversationStore::open(path);
        STORE_VERIFY(opened);
        QVERIFY2(!opened->movedAsideTo.isEmpty(), "quick_check should have found the damage");
        QVERIFY(QFile::exists(opened->movedAsideTo));
        QCOMPARE(*opened->store->conversationCount(), 0);
    }

    void fullDiskGivesClearErrorAndKeepsData()
    {
        QTemporaryDir dir;
        auto s = openStore(dir.filePath("c.sqlite"));
        QVERIFY(s);
        const qint64 conv = *s->createConversation({});
        const qint64 first = *s->appendMessage(conv, 0, userMessage("kept safe"));
        // Simulate a full disk: the file may not grow any more.
        const qint64 pages = *s->database().queryInt("PRAGMA page_count");
        const QByteArray limit = "PRAGMA max_page_count = " + QByteArray::number(pages);
        STORE_VERIFY(s->database().exec(limit.constData()));

        auto big = s->appendMessage(conv, first, assistantMessage(QString("x").repeated(2 * 1024 * 1024)));
        QVERIFY(!big);
        QCOMPARE(big.error().kind, ErrorKind::Io);
        QVERIFY2(big.error().message.find("disk is full") != std::string::npos, big.error().message.c_str());

        auto p = s->activePath(conv);
        STORE_VERIFY(p);
        QCOMPARE(p->size(), size_t(1));
        QCOMPARE(p->front().message.content, QStringLiteral("kept safe"));
        STORE_VERIFY(s->checkIntegrity());

        STORE_VERIFY(s->database().exec("PRAGMA max_page_count = 1073741823"));
        STORE_VERIFY(s->appendMessage(conv, first, assistantMessage("fits again")));
    }

    void readOnlyConnectionGivesClearErrorAndKeepsData()
    {
        QTemporaryDir dir;
        auto s = openStore(dir.filePath("c.sqlite"));
        QVERIFY(s);
        const qint64 conv = *s->createConversation({});
        STORE_VERIFY(s->appendMessage(conv, 0, userMessage("kept safe")));
        STORE_VERIFY(s->database().exec("PRAGMA query_only = 1"));
        auto r = s->appendMessage(conv, 0, userMessage("cannot be written"));
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Io);
        QVERIFY2(r.error().message.find("read-only") != std::string::npos, r.error().message.c_str());
        QCOMPARE(s->activePath(conv)->size(), size_t(1));
    }

    void readOnlyFileIsRefusedUntouched()
    {
        if (geteuid() == 0)
            QSKIP("root ignores file permissions; covered by readOnlyConnectionGivesClearErrorAndKeepsData");
        QTemporaryDir dir;
        const QString path = dir.filePath("c.sqlite");
        {
            auto s = openStore(path);
            QVERIFY(s);
        }
        QFile::setPermissions(path, QFileDevice::ReadOwner);
        auto opened = ConversationStore::open(path);
        QVERIFY(!opened);
        QVERIFY(opened.error().message.find("read-only") != std::string::npos);
        QVERIFY(QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "tst_store_schema.moc"
