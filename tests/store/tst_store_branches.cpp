// Conversations, messages and branches: automatic titles, edit/regenerate as
// siblings, switching branches, the remembered active path, pin/rename/delete, and
// the StreamingReply writer.
#include "store/conversation_store.h"
#include "store/streaming_reply.h"
#include "store_test_util.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tiefsee;
using namespace tiefsee::store;
using namespace tiefsee::store::test;

namespace {
std::vector<qint64> ids(const std::vector<PathMessage>& path)
{
    std::vector<qint64> out;
    for (const PathMessage& p : path)
        out.push_back(p.message.id);
    return out;
}
}  // namespace

class TestStoreBranches : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<ConversationStore> m_store;

private slots:
    void init()
    {
        m_store = openStore(m_dir.filePath(QString("b-%1.sqlite").arg(QTest::currentTestFunction())));
        QVERIFY(m_store);
    }
    void cleanup() { m_store.reset(); }

    void automaticTitleFromFirstUserMessage()
    {
        auto& s = *m_store;
        const qint64 conv = *s.createConversation({});
        QCOMPARE(s.conversation(conv)->title, QString());
        const QString prompt = "\n  Explain   the deep-sea anglerfish and how its lure works when nothing else can be seen\nsecond line";
        STORE_VERIFY(s.appendMessage(conv, 0, userMessage(prompt)));
        const QString title = s.conversation(conv)->title;
        QVERIFY2(title.startsWith("Explain the deep-sea anglerfish"), qPrintable(title));
        QVERIFY(title.size() <= 61);
        QVERIFY(title.endsWith(QChar(0x2026)));
        // A later message does not rename it, nor does a titled conversation get renamed.
        STORE_VERIFY(s.appendMessage(conv, 0, userMessage("Something else")));
        QCOMPARE(s.conversation(conv)->title, title);
        Conversation named;
        named.title = "My title";
        const qint64 conv2 = *s.createConversation(named);
        STORE_VERIFY(s.appendMessage(conv2, 0, userMessage("hello")));
        QCOMPARE(s.conversation(conv2)->title, QStringLiteral("My title"));
        QCOMPARE(titleFromPrompt("short one"), QStringLiteral("short one"));
    }

    void messagesKeepAllFields()
    {
        auto& s = *m_store;
        Conversation c;
        c.model = "R1-Qwen-1.5B";
        c.systemPrompt = "Be brief.";
        c.settingsJson = R"({"temperature":0.6,"top_p":0.95})";
        const qint64 conv = *s.createConversation(c);
        NewMessage m = assistantMessage("answer", "thoughts");
        m.thinkingMs = 1234;
        m.promptTokens = 17;
        m.generatedTokens = 99;
        m.tokensPerSecond = 41.5;
        m.status = MessageStatus::Stopped;
        const qint64 id = *s.appendMessage(conv, 0, m);
        auto back = s.message(id);
        STORE_VERIFY(back);
        QCOMPARE(back->role, Role::Assistant);
        QCOMPARE(back->content, QStringLiteral("answer"));
        QCOMPARE(back->reasoning, QStringLiteral("thoughts"));
        QCOMPARE(back->thinkingMs, 1234);
        QCOMPARE(back->promptTokens, 17);
        QCOMPARE(back->generatedTokens, 99);
        QCOMPARE(back->tokensPerSecond, 41.5);
        QCOMPARE(back->model, QStringLiteral("test-model"));
        QCOMPARE(back->status, MessageStatus::Stopped);
        QVERIFY(back->createdMs > 0);
        auto conv2 = s.conversation(conv);
        QCOMPARE(conv2->systemPrompt, QStringLiteral("Be brief."));
        QCOMPARE(conv2->settingsJson, c.settingsJson);
        STORE_VERIFY(s.setConversationSettings(conv, "R1-Llama-8B", "", R"({"temperature":0.5})"));
        QCOMPARE(s.conversation(conv)->model, QStringLiteral("R1-Llama-8B"));
        QVERIFY(!s.message(424242));
        QCOMPARE(s.message(424242).error().kind, ErrorKind::NotFound);
        QVERIFY(!s.appendMessage(9999, 0, userMessage("no such conversation")));
    }

    void editAndRegenerateCreateSiblings()
    {
        auto& s = *m_store;
        const qint64 conv = *s.createConversation({});
        const qint64 u1 = *s.appendMessage(conv, 0, userMessage("What lives at 4000 m?"));
        const qint64 a1 = *s.appendMessage(conv, u1, assistantMessage("Sea cucumbers."));
        const qint64 u2 = *s.appendMessage(conv, a1, userMessage("And deeper?"));
        const qint64 a2 = *s.appendMessage(conv, u2, assistantMessage("Amphipods."));
        QCOMPARE(ids(*s.activePath(conv)), (std::vector<qint64>{u1, a1, u2, a2}));

        // Regenerate the first answer: a sibling, empty and streaming, becomes active.
        const qint64 a1b = *s.regenerate(a1, "other-model");
        auto regen = s.message(a1b);
        QCOMPARE(regen->parentId, u1);
        QCOMPARE(regen->status, MessageStatus::Streaming);
        QCOMPARE(regen->model, QStringLiteral("other-model"));
        auto path = *s.activePath(conv);
        QCOMPARE(ids(path), (std::vector<qint64>{u1, a1b}));
        QCOMPARE(path[1].siblingIndex, 1);
        QCOMPARE(path[1].siblingCount, 2);
        QCOMPARE(path[0].siblingCount, 1);

        // Edit the first prompt: a new root; its own branch is empty below it.
        const qint64 u1b = *s.editUserMessage(u1, "What lives at 6000 m?");
        path = *s.activePath(conv);
        QCOMPARE(ids(path), (std::vector<qint64>{u1b}));
        QCOMPARE(path[0].siblingIndex, 1);
        QCOMPARE(path[0].siblingCount, 2);
        QCOMPARE(s.siblings(u1)->size(), size_t(2));

        // Only the right roles can be edited / regenerated.
        QVERIFY(!s.editUserMessage(a1, "x"));
        QVERIFY(!s.regenerate(u1, "m"));
        // Nothing was deleted.
        QCOMPARE(s.allMessages(conv)->size(), size_t(6));
    }

    void selectSiblingFollowsNewestBranchAndIsRemembered()
    {
        auto& s = *m_store;
        const qint64 conv = *s.createConversation({});
        const qint64 u1 = *s.appendMessage(conv, 0, userMessage("Q1"));
        const qint64 a1 = *s.appendMessage(conv, u1, assistantMessage("A1"));
        const qint64 u2 = *s.appendMessage(conv, a1, userMessage("Q2"));
        const qint64 a1b = *s.regenerate(a1, "m");
        const qint64 u2b = *s.appendMessage(conv, a1b, userMessage("Q2 on the other branch"));

        // Back to version 1 of the answer: the path continues down its newest branch.
        auto leaf = s.selectSibling(a1b, 0);
        STORE_VERIFY(leaf);
        QCOMPARE(*leaf, u2);
        QCOMPARE(ids(*s.activePath(conv)), (std::vector<qint64>{u1, a1, u2}));
        QCOMPARE(s.activePath(conv)->at(1).siblingIndex, 0);

        // The choice survives reopening the database.
        const QString path = s.path();
        m_store.reset();
        m_store = openStore(path);
        QCOMPARE(ids(*m_store->activePath(conv)), (std::vector<qint64>{u1, a1, u2}));
        QCOMPARE(*m_store->selectSibling(a1, 1), u2b);
        QVERIFY(!m_store->selectSibling(a1, 2));
        QVERIFY(!m_store->selectSibling(a1, -1));
        QVERIFY(!m_store->setActiveLeaf(conv, 0 + 999999));
    }

    void pinRenameDeleteAndListOrder()
    {
        auto& s = *m_store;
        Conversation c;
        c.title = "old";
        c.updatedMs = 1000;
        const qint64 oldest = *s.createConversation(c);
        c.title = "middle";
        c.updatedMs = 2000;
        const qint64 middle = *s.createConversation(c);
        c.title = "newest";
        c.updatedMs = 3000;
        const qint64 newest = *s.createConversation(c);
        auto order = [&] {
            std::vector<qint64> out;
            auto list = s.listConversations();
            for (const auto& x : *list)
                out.push_back(x.id);
            return out;
        };
        QCOMPARE(order(), (std::vector<qint64>{newest, middle, oldest}));
        STORE_VERIFY(s.setPinned(oldest, true));
        QCOMPARE(order(), (std::vector<qint64>{oldest, newest, middle}));
        // A new message moves a conversation to the top of the unpinned ones.
        STORE_VERIFY(s.appendMessage(middle, 0, userMessage("bump")));
        QCOMPARE(order(), (std::vector<qint64>{oldest, middle, newest}));
        STORE_VERIFY(s.renameConversation(middle, "  renamed   title "));
        QCOMPARE(s.conversation(middle)->title, QStringLiteral("renamed title"));
        QVERIFY(!s.renameConversation(777, "x"));

        STORE_VERIFY(s.deleteConversation(middle));
        QCOMPARE(order(), (std::vector<qint64>{oldest, newest}));
        QCOMPARE(*s.database().queryInt("SELECT COUNT(*) FROM messages"), 0);  // cascaded
        QVERIFY(!s.deleteConversation(middle));
    }

    void streamingReplySavesOnIntervalAndFinishes()
    {
        auto& s = *m_store;
        const qint64 conv = *s.createConversation({});
        const qint64 user = *s.appendMessage(conv, 0, userMessage("Tell me about squid."));
        const qint64 reply = *s.beginReply(conv, user, "m");
        QCOMPARE(s.message(reply)->status, MessageStatus::Streaming);

        qint64 now = 0;  // fake clock, ms
        StreamingReply w(s, reply, 1000, [&] { return now; });
        w.appendReasoning("Squid have ");
        w.appendContent("Squid");
        QCOMPARE(w.saveCount(), 0);  // within the first second: nothing written yet
        QCOMPARE(s.message(reply)->content, QString());
        now = 999;
        w.appendContent(" are");
        QCOMPARE(w.saveCount(), 0);
        now = 1000;
        w.appendContent(" fast");
        QCOMPARE(w.saveCount(), 1);
        QCOMPARE(s.message(reply)->content, QStringLiteral("Squid are fast"));
        QCOMPARE(s.message(reply)->reasoning, QStringLiteral("Squid have "));
        QCOMPARE(w.savedContentSize(), 14);
        now = 1500;
        w.appendContent(".");
        QVERIFY(!w.flushIfDue());
        now = 2100;
        QVERIFY(w.flushIfDue());  // a timer can save during a pause in tokens
        QCOMPARE(s.message(reply)->content, QStringLiteral("Squid are fast."));
        QVERIFY(!w.flushIfDue());  // nothing new

        ReplyUpdate stats;
        stats.generatedTokens = 5;
        stats.promptTokens = 7;
        stats.tokensPerSecond = 12.5;
        stats.thinkingMs = 300;
        w.setStats(stats);
        STORE_VERIFY(w.finish(MessageStatus::Complete));
        auto done = s.message(reply);
        QCOMPARE(done->status, MessageStatus::Complete);
        QCOMPARE(done->generatedTokens, 5);
        QCOMPARE(done->thinkingMs, 300);
        w.appendContent("ignored after finish");
        QCOMPARE(s.message(reply)->content, QStringLiteral("Squid are fast."));
    }

    void interruptedRepliesAreMarkedStopped()
    {
        auto& s = *m_store;
        const qint64 conv = *s.createConversation({});
        const qint64 user = *s.appendMessage(conv, 0, userMessage("Q"));
        const qint64 reply = *s.beginReply(conv, user, "m");
        {
            qint64 now = 0;
            StreamingReply w(s, reply, 1000, [&] { return now; });
            w.appendContent("partial");
        }  // destroyed without finish(): saved as stopped
        QCOMPARE(s.message(reply)->status, MessageStatus::Stopped);
        QCOMPARE(s.message(reply)->content, QStringLiteral("partial"));

        const qint64 crashed = *s.beginReply(conv, user, "m");  // as if the app died here
        QCOMPARE(*s.markInterruptedReplies(), 1);
        QCOMPARE(s.message(crashed)->status, MessageStatus::Stopped);
        QCOMPARE(*s.markInterruptedReplies(), 0);
    }
};

QTEST_GUILESS_MAIN(TestStoreBranches)
#include "tst_store_branches.moc"
