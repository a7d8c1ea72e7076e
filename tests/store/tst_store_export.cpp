// Export and import: JSON round trip of a branched conversation, Markdown output,
// export-all, malformed files, and `tiefsee-cli history` end to end.
#include "store/conversation_store.h"
#include "store/export_import.h"
#include "store_test_util.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace tiefsee;
using namespace tiefsee::store;
using namespace tiefsee::store::test;

namespace {

// Every field of the messages except ids, in path/tree order.
void compareMessages(const std::vector<Message>& a, const std::vector<Message>& b)
{
    QCOMPARE(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].role, b[i].role);
        QCOMPARE(a[i].content, b[i].content);
        QCOMPARE(a[i].reasoning, b[i].reasoning);
        QCOMPARE(a[i].thinkingMs, b[i].thinkingMs);
        QCOMPARE(a[i].promptTokens, b[i].promptTokens);
        QCOMPARE(a[i].generatedTokens, b[i].generatedTokens);
        QCOMPARE(a[i].tokensPerSecond, b[i].tokensPerSecond);
        QCOMPARE(a[i].model, b[i].model);
        QCOMPARE(a[i].createdMs, b[i].createdMs);
        QCOMPARE(a[i].status, b[i].status);
        QCOMPARE(a[i].parentId == 0, b[i].parentId == 0);
    }
}

QByteArray runCli(const QStringList& args, int* exitCode)
{
    QProcess p;
    p.start(QStringLiteral(TIEFSEE_CLI), args);
    p.waitForFinished(30000);
    *exitCode = p.exitCode();
    if (p.exitCode() != 0)
        qWarning("tiefsee-cli %s: %s", qPrintable(args.join(' ')), p.readAllStandardError().constData());
    return p.readAllStandardOutput();
}

}  // namespace

class TestStoreExport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<ConversationStore> m_store;
    qint64 m_conv = 0;
    qint64 m_leaf = 0;

private slots:
    void init()
    {
        m_store = openStore(m_dir.filePath(QString("e-%1.sqlite").arg(QTest::currentTestFunction())));
        QVERIFY(m_store);
        auto& s = *m_store;
        Conversation c;
        c.title = "Abyssal plains";
        c.model = "R1-Qwen-7B";
        c.systemPrompt = "Answer like a marine biologist.";
        c.settingsJson = R"({"temperature":0.6})";
        c.pinned = true;
        m_conv = *s.createConversation(c);
        const qint64 u1 = *s.appendMessage(m_conv, 0, userMessage("How deep are abyssal plains?"));
        NewMessage a = assistantMessage("Between 3000 and 6000 m.", "Recall the depth zones.\nAbyssal: 4000-6000.");
        a.thinkingMs = 2500;
        a.generatedTokens = 40;
        a.promptTokens = 12;
        a.tokensPerSecond = 33.25;
        const qint64 a1 = *s.appendMessage(m_conv, u1, a);
        STORE_VERIFY(s.regenerate(a1, "R1-Qwen-7B"));  // an unfinished sibling (streaming)
        STORE_VERIFY(s.selectSibling(a1, 0));
        m_leaf = *s.appendMessage(m_conv, a1, userMessage("What lives there? \"quotes\" & <tags>"));
    }
    void cleanup() { m_store.reset(); }

    void jsonRoundTripOfWholeTree()
    {
        auto& s = *m_store;
        auto json = exportConversationJson(s, m_conv, ExportScope::WholeTree);
        STORE_VERIFY(json);
        auto ids = importJson(s, *json);
        STORE_VERIFY(ids);
        QCOMPARE(ids->size(), size_t(1));
        const qint64 copy = ids->front();
        QVERIFY(copy != m_conv);

        auto a = s.conversation(m_conv), b = s.conversation(copy);
        QCOMPARE(b->title, a->title);
        QCOMPARE(b->model, a->model);
        QCOMPARE(b->systemPrompt, a->systemPrompt);
        QCOMPARE(b->pinned, a->pinned);
        QCOMPARE(b->createdMs, a->createdMs);
        QCOMPARE(QJsonDocument::fromJson(b->settingsJson.toUtf8()), QJsonDocument::fromJson(a->settingsJson.toUtf8()));
        compareMessages(*s.allMessages(m_conv), *s.allMessages(copy));
        // The branch structure and the active path come back too.
        auto pa = *s.activePath(m_conv), pb = *s.activePath(copy);
        QCOMPARE(pb.size(), pa.size());
        for (size_t i = 0; i < pa.size(); ++i) {
            QCOMPARE(pb[i].message.content, pa[i].message.content);
            QCOMPARE(pb[i].siblingIndex, pa[i].siblingIndex);
            QCOMPARE(pb[i].siblingCount, pa[i].siblingCount);
        }
        // Exporting the copy gives the same document apart from ids.
        auto again = QJsonDocument::fromJson(*exportConversationJson(s, copy, ExportScope::WholeTree)).object();
        auto first = QJsonDocument::fromJson(*json).object();
        QCOMPARE(again["conversation"].toObject()["title"], first["conversation"].toObject()["title"]);
        QCOMPARE(again["messages"].toArray().size(), first["messages"].toArray().size());
    }

    void activePathExportHasOnlyThePath()
    {
        auto json = exportConversationJson(*m_store, m_conv, ExportScope::ActivePath);
        STORE_VERIFY(json);
        const QJsonObject o = QJsonDocument::fromJson(*json).object();
        QCOMPARE(o["format"].toString(), QStringLiteral("tiefsee-conversation"));
        QCOMPARE(o["messages"].toArray().size(), 3);
        auto ids = importJson(*m_store, *json);
        STORE_VERIFY(ids);
        QCOMPARE(m_store->allMessages(ids->front())->size(), size_t(3));
    }

    void markdownIsReadable()
    {
        auto md = exportConversationMarkdown(*m_store, m_conv, ExportScope::ActivePath);
        STORE_VERIFY(md);
        QVERIFY(md->startsWith("# Abyssal plains\n"));
        QVERIFY(md->contains("## You\n\nHow deep are abyssal plains?"));
        QVERIFY(md->contains("## Tiefsee (test-model)"));
        QVERIFY(md->contains("<details><summary>Thinking (2.5 s)</summary>"));
        QVERIFY(md->contains("Abyssal: 4000-6000."));
        QVERIFY(md->contains("> System prompt: Answer like a marine biologist."));
        QVERIFY(!md->contains("streaming"));
        auto tree = exportConversationMarkdown(*m_store, m_conv, ExportScope::WholeTree);
        QVERIFY(tree->contains("## 3. Tiefsee (R1-Qwen-7B) — reply to 1"));
        QVERIFY(tree->contains("## 4. You — reply to 2"));
    }

    void exportAllAndImportAll()
    {
        auto& s = *m_store;
        const qint64 second = *s.createConversation({});
        STORE_VERIFY(s.appendMessage(second, 0, userMessage("Second conversation")));
        auto all = exportAllJson(s);
        STORE_VERIFY(all);
        QCOMPARE(QJsonDocument::fromJson(*all)["conversations"].toArray().size(), 2);
        auto ids = importJson(s, *all);
        STORE_VERIFY(ids);
        QCOMPARE(ids->size(), size_t(2));
        QCOMPARE(*s.conversationCount(), 4);
    }

    void malformedFilesAreRejectedWhole()
    {
        auto& s = *m_store;
        QVERIFY(!importJson(s, "{not json"));
        QVERIFY(!importJson(s, R"({"format":"something-else"})"));
        QVERIFY(!importJson(s, R"({"format":"tiefsee-conversation","version":99})"));
        // A parent that does not exist: nothing of the file is imported.
        const QByteArray orphan = R"({"format":"tiefsee-export","version":1,"conversations":[
            {"format":"tiefsee-conversation","version":1,"conversation":{"title":"ok"},"messages":[]},
            {"format":"tiefsee-conversation","version":1,"conversation":{"title":"bad"},
             "messages":[{"id":5,"parent":4,"role":"user","content":"x"}]}]})";
        auto r = importJson(s, orphan);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::InvalidInput);
        QCOMPARE(*s.conversationCount(), 1);
        QVERIFY(!importJson(s, R"({"format":"tiefsee-conversation","version":1,"conversation":{},
            "messages":[{"id":1,"role":"wizard","content":"x"}]})"));
    }

    void historyCommandEndToEnd()
    {
        const QString db = m_store->path();
        m_store.reset();
        int code = -1;
        QByteArray out = runCli({"history", "--db", db, "list"}, &code);
        QCOMPARE(code, 0);
        QVERIFY(out.contains("Abyssal plains"));
        out = runCli({"history", "--db", db, "search", "abyssal"}, &code);
        QCOMPARE(code, 0);
        QVERIFY2(out.startsWith(QByteArray::number(m_conv) + "\t"), out.constData());
        QVERIFY(out.contains("[abyssal]"));
        out = runCli({"history", "--db", db, "export", QString::number(m_conv), "--format", "md"}, &code);
        QCOMPARE(code, 0);
        QVERIFY(out.startsWith("# Abyssal plains"));
        const QString file = m_dir.filePath("conv.json");
        runCli({"history", "--db", db, "export", QString::number(m_conv), "--format", "json", "--tree", "--output", file},
               &code);
        QCOMPARE(code, 0);
        out = runCli({"history", "--db", db, "import", file}, &code);
        QCOMPARE(code, 0);
        const qint64 newId = out.trimmed().toLongLong();
        QVERIFY(newId > m_conv);
        const QString allFile = m_dir.filePath("all.json");
        runCli({"history", "--db", db, "export-all", allFile}, &code);
        QCOMPARE(code, 0);
        QFile f(allFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(f.readAll())["conversations"].toArray().size(), 2);
        runCli({"history", "--db", db, "export", "999", "--format", "md"}, &code);
        QCOMPARE(code, 1);
        runCli({"history", "--db", db, "frobnicate"}, &code);
        QCOMPARE(code, 2);
    }
};

QTEST_GUILESS_MAIN(TestStoreExport)
#include "tst_store_export.moc"
