// Full-text search: titles and answers, reasoning on request, snippets with markers,
// the triggers that keep the index in sync on insert/update/delete, and user text
// that looks like FTS syntax.
#include "store/conversation_store.h"
#include "store/streaming_reply.h"
#include "store_test_util.h"

#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace tiefsee;
using namespace tiefsee::store;
using namespace tiefsee::store::test;

namespace {
std::set<qint64> conversationsOf(const std::vector<SearchHit>& hits)
{
    std::set<qint64> out;
    for (const SearchHit& h : hits)
        out.insert(h.conversationId);
    return out;
}
}  // namespace

class TestStoreSearch : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<ConversationStore> m_store;
    qint64 m_whales = 0, m_coral = 0, m_vents = 0;
    qint64 m_whaleAnswer = 0;

private slots:
    void init()
    {
        m_store = openStore(m_dir.filePath(QString("s-%1.sqlite").arg(QTest::currentTestFunction())));
        QVERIFY(m_store);
        auto& s = *m_store;
        Conversation c;
        c.title = "Whale songs";
        m_whales = *s.createConversation(c);
        const qint64 u = *s.appendMessage(m_whales, 0, userMessage("Why do humpback whales sing?"));
        m_whaleAnswer = *s.appendMessage(m_whales, u, assistantMessage(
            "Male humpbacks sing long, structured songs during the breeding season; the songs travel far under water.",
            "The user asks about cetacean acoustics and mating behaviour."));
        c.title = "Coral reefs";
        m_coral = *s.createConversation(c);
        const qint64 u2 = *s.appendMessage(m_coral, 0, userMessage("Are coral reefs animals?"));
        STORE_VERIFY(s.appendMessage(m_coral, u2, assistantMessage("Yes: corals are colonies of tiny animals (polyps).",
                                                                   "Polyps build calcium carbonate skeletons.")));
        c.title = "";
        m_vents = *s.createConversation(c);
        STORE_VERIFY(s.appendMessage(m_vents, 0, userMessage("Hydrothermal vents: what lives there?")));
    }
    void cleanup() { m_store.reset(); }

    void findsAnswersAndTitles()
    {
        auto hits = m_store->search("humpback");
        STORE_VERIFY(hits);
        QCOMPARE(conversationsOf(*hits), (std::set<qint64>{m_whales}));
        const SearchHit& h = hits->front();
        QVERIFY2(h.snippet.contains("[humpback"), qPrintable(h.snippet));
        QCOMPARE(h.title, QStringLiteral("Whale songs"));
        QVERIFY(h.messageId != 0);

        auto titleHit = m_store->search("reefs");
        QCOMPARE(conversationsOf(*titleHit), (std::set<qint64>{m_coral}));
        QCOMPARE(titleHit->front().title, QStringLiteral("Coral [reefs]"));

        // Every word must match; words are prefixes; case and diacritics do not matter.
        QCOMPARE(conversationsOf(*m_store->search("HUMP sing")), (std::set<qint64>{m_whales}));
        QCOMPARE(m_store->search("humpback coral")->size(), size_t(0));
        QCOMPARE(conversationsOf(*m_store->search("córal")), (std::set<qint64>{m_coral}));
        QCOMPARE(conversationsOf(*m_store->search("hydrothermal")), (std::set<qint64>{m_vents}));
        // The automatic title is indexed too (via the update trigger).
        QCOMPARE(m_store->search("vents")->front().title, QStringLiteral("Hydrothermal [vents]: what lives there?"));
    }

    void reasoningOnlyWhenAsked()
    {
        QCOMPARE(m_store->search("cetacean")->size(), size_t(0));
        SearchOptions options;
        options.includeReasoning = true;
        options.highlightOpen = "<<";
        options.highlightClose = ">>";
        auto hits = m_store->search("cetacean", options);
        QCOMPARE(conversationsOf(*hits), (std::set<qint64>{m_whales}));
        QVERIFY2(hits->front().snippet.contains("<<cetacean>>"), qPrintable(hits->front().snippet));
    }

    void triggersFollowUpdatesAndDeletes()
    {
        auto& s = *m_store;
        // Update of a message (what StreamingReply does).
        ReplyUpdate u;
        u.content = "Humpbacks hum a lullaby of bioluminescence.";
        u.status = MessageStatus::Complete;
        STORE_VERIFY(s.updateReply(m_whaleAnswer, u));
        QCOMPARE(s.search("breeding")->size(), size_t(0));
        QCOMPARE(conversationsOf(*s.search("bioluminescence")), (std::set<qint64>{m_whales}));

        // Rename.
        STORE_VERIFY(s.renameConversation(m_coral, "Polyp cities"));
        QCOMPARE(s.search("reefs")->size(), size_t(1));  // still in the answer text
        QCOMPARE(s.search("reefs")->front().title, QStringLiteral("Polyp cities"));
        QCOMPARE(conversationsOf(*s.search("cities")), (std::set<qint64>{m_coral}));

        // Delete cascades to messages, and both indexes forget them.
        STORE_VERIFY(s.deleteConversation(m_whales));
        QCOMPARE(s.search("bioluminescence")->size(), size_t(0));
        QCOMPARE(s.search("whale")->size(), size_t(0));
        QCOMPARE(*s.database().queryInt("SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH 'lullaby'"), 0);
        // The index agrees with the tables.
        STORE_VERIFY(s.database().exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')"));
        STORE_VERIFY(s.database().exec("INSERT INTO conversations_fts (conversations_fts) VALUES ('integrity-check')"));
    }

    void streamedTextIsSearchable()
    {
        auto& s = *m_store;
        const qint64 reply = *s.beginReply(m_vents, s.activePath(m_vents)->back().message.id, "m");
        qint64 now = 0;
        StreamingReply w(s, reply, 1000, [&] { return now; });
        w.appendContent("Tube worms and ");
        now = 1000;
        w.appendContent("yeti crabs.");
        QCOMPARE(conversationsOf(*s.search("yeti")), (std::set<qint64>{m_vents}));
        STORE_VERIFY(w.finish(MessageStatus::Complete));
    }

    void syntaxInUserTextIsHarmless()
    {
        const char* tricky[] = {"\"humpback", "humpback\"", "NEAR(a b)", "a OR", "AND", "*", "-", "content:x",
                                "{content} : x", "'; DROP TABLE messages; --", "(((", "^sing", "   ", ""};
        for (const char* q : tricky) {
            auto hits = m_store->search(QString::fromUtf8(q));
            QVERIFY2(hits.ok(), q);
        }
        QCOMPARE(conversationsOf(*m_store->search("\"humpback")), (std::set<qint64>{m_whales}));
        QCOMPARE(*m_store->conversationCount(), 3);
        QCOMPARE(m_store->search("").value().size(), size_t(0));
    }

    void limitIsRespected()
    {
        auto& s = *m_store;
        for (int i = 0; i < 30; ++i) {
            const qint64 c = *s.createConversation({});
            STORE_VERIFY(s.appendMessage(c, 0, userMessage(QString("plankton bloom number %1").arg(i))));
        }
        SearchOptions options;
        options.limit = 10;
        QCOMPARE(s.search("plankton", options)->size(), size_t(10));
        options.limit = 100;
        QCOMPARE(s.search("plankton", options)->size(), size_t(30));
    }
};

QTEST_GUILESS_MAIN(TestStoreSearch)
#include "tst_store_search.moc"
