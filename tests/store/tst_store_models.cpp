// The QML list models under QAbstractItemModelTester (which checks every signal and
// index the models emit): conversation list with filter, pin, rename, delete; message
// list of the active path with branch switching, incremental reloads and live text.
#include "store/conversation_list_model.h"
#include "store/conversation_store.h"
#include "store/message_list_model.h"
#include "store_test_util.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tiefsee;
using namespace tiefsee::store;
using namespace tiefsee::store::test;

class TestStoreModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<ConversationStore> m_store;

    static QString titleAt(const QAbstractItemModel& m, int row)
    {
        return m.data(m.index(row, 0), ConversationListModel::TitleRole).toString();
    }

private slots:
    void init()
    {
        m_store = openStore(m_dir.filePath(QString("m-%1.sqlite").arg(QTest::currentTestFunction())));
        QVERIFY(m_store);
    }
    void cleanup() { m_store.reset(); }

    void conversationList()
    {
        auto& s = *m_store;
        ConversationListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setStore(&s);
        QCOMPARE(model.rowCount(), 0);

        Conversation c;
        for (const char* title : {"Octopus intelligence", "Tides", "Mariana trench"}) {
            c.title = title;
            const qint64 id = *s.createConversation(c);
            STORE_VERIFY(s.appendMessage(id, 0, userMessage(QString("Tell me about %1 <b>now</b>").arg(title))));
            QTest::qWait(2);  // distinct update times
        }
        QSignalSpy countSpy(&model, &ConversationListModel::countChanged);
        model.refresh();
        QCOMPARE(countSpy.count(), 1);
        QCOMPARE(model.count(), 3);
        QCOMPARE(titleAt(model, 0), QStringLiteral("Mariana trench"));  // newest first
        QCOMPARE(titleAt(model, 2), QStringLiteral("Octopus intelligence"));
        const QHash<int, QByteArray> roles = model.roleNames();
        QVERIFY(roles.values().contains("snippet"));
        QVERIFY(roles.values().contains("pinned"));

        // Pinned first.
        const qint64 octopus = model.idAt(2);
        QVERIFY(model.setPinned(octopus, true));
        QCOMPARE(model.idAt(0), octopus);
        QCOMPARE(model.data(model.index(0, 0), ConversationListModel::PinnedRole).toBool(), true);

        // Filter: full-text search with an HTML snippet; order stays pinned/newest.
        model.setFilter("trench");
        QCOMPARE(model.count(), 1);
        QCOMPARE(titleAt(model, 0), QStringLiteral("Mariana trench"));
        const QString snippet = model.data(model.index(0, 0), ConversationListModel::SnippetRole).toString();
        QVERIFY2(snippet.contains("<b>trench</b>"), qPrintable(snippet));
        QVERIFY2(snippet.contains("&lt;b&gt;now"), qPrintable(snippet));  // user text is escaped
        model.setFilter("tell");
        QCOMPARE(model.count(), 3);
        QCOMPARE(model.idAt(0), octopus);
        model.setFilter("nothing-matches-this");
        QCOMPARE(model.count(), 0);
        model.setFilter("");
        QCOMPARE(model.count(), 3);

        // Rename in place, delete.
        const qint64 tides = model.idAt(2);
        QCOMPARE(titleAt(model, 2), QStringLiteral("Tides"));
        QVERIFY(model.rename(tides, "Spring tides"));
        QCOMPARE(titleAt(model, 2), QStringLiteral("Spring tides"));
        QVERIFY(model.remove(tides));
        QCOMPARE(model.count(), 2);
        QCOMPARE(model.indexOfId(tides), -1);
        QVERIFY(!model.remove(tides));
        QVERIFY(!model.lastError().isEmpty());
        QCOMPARE(*s.conversationCount(), 2);
    }

    void messageListFollowsActivePath()
    {
        auto& s = *m_store;
        const qint64 conv = *s.createConversation({});
        const qint64 u1 = *s.appendMessage(conv, 0, userMessage("Q1"));
        const qint64 a1 = *s.appendMessage(conv, u1, assistantMessage("A1", "thinking"));
        const qint64 u2 = *s.appendMessage(conv, a1, userMessage("Q2"));

        MessageListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStore(&s);
        model.setConversationId(conv);
        QCOMPARE(model.count(), 3);
        auto at = [&](int row, int role) { return model.data(model.index(row, 0), role); };
        QCOMPARE(at(0, MessageListModel::RoleRole).toString(), QStringLiteral("user"));
        QCOMPARE(at(1, MessageListModel::RoleRole).toString(), QStringLiteral("assistant"));
        QCOMPARE(at(1, MessageListModel::ReasoningRole).toString(), QStringLiteral("thinking"));
        QCOMPARE(at(1, MessageListModel::SiblingCountRole).toInt(), 1);
        QCOMPARE(at(1, MessageListModel::StatusRole).toString(), QStringLiteral("complete"));

        // A new reply is appended as an inserted row, not a reset.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        const qint64 reply = *s.beginReply(conv, u2, "m");
        model.reload();
        QCOMPARE(model.count(), 4);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserts.count(), 1);
        QCOMPARE(at(3, MessageListModel::StatusRole).toString(), QStringLiteral("streaming"));

        // Live text while streaming, without the database.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setLiveReply(reply, "partial answer", "partial thought");
        QCOMPARE(changed.count(), 1);
        QCOMPARE(at(3, MessageListModel::ContentRole).toString(), QStringLiteral("partial answer"));
        model.setLiveReply(424242, "x", "y");  // unknown ids are ignored
        QCOMPARE(changed.count(), 1);

        // Regenerate the first answer and switch between versions.
        const qint64 a1b = *s.regenerate(a1, "m");
        model.reload();
        QCOMPARE(model.count(), 2);
        QCOMPARE(at(1, MessageListModel::IdRole).toLongLong(), a1b);
        QCOMPARE(at(1, MessageListModel::SiblingIndexRole).toInt(), 1);
        QCOMPARE(at(1, MessageListModel::SiblingCountRole).toInt(), 2);
        QVERIFY(model.showSibling(1, -1));
        QCOMPARE(model.count(), 4);
        QCOMPARE(at(1, MessageListModel::IdRole).toLongLong(), a1);
        QCOMPARE(at(1, MessageListModel::SiblingIndexRole).toInt(), 0);
        QCOMPARE(at(3, MessageListModel::IdRole).toLongLong(), reply);
        QVERIFY(!model.showSibling(1, -1));  // already the first
        QVERIFY(model.showSibling(1, +1));
        QCOMPARE(model.count(), 2);
        QVERIFY(!model.showSibling(7, 1));

        // Switching conversations resets; 0 empties.
        const qint64 other = *s.createConversation({});
        STORE_VERIFY(s.appendMessage(other, 0, userMessage("other")));
        model.setConversationId(other);
        QCOMPARE(model.count(), 1);
        model.setConversationId(0);
        QCOMPARE(model.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestStoreModels)
#include "tst_store_models.moc"
