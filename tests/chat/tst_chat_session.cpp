// ChatSession over a scripted fake backend: the prompt cache (counts of reused and
// prefilled tokens), stops, reasoning split, and the context-drop policy.
#include "chat/chat_session.h"
#include "chat/stop_strings.h"
#include "fake_backend.h"

#include <QtTest>

using namespace tiefsee;
using namespace tiefsee::chat;
using namespace tiefsee::chat::test;

namespace {

const std::string kBos = "<｜begin▁of▁sentence｜>";

ChatTemplate r1() { return ChatTemplate::make(ChatFormat::DeepSeekR1, kBos); }

size_t commonPrefix(const std::vector<int32_t>& a, const std::vector<int32_t>& b)
{
    size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    return n;
}

SessionCallbacks onToken(std::function<void(const TokenDelta&)> f)
{
    SessionCallbacks cb;
    cb.token = std::move(f);
    return cb;
}
SessionCallbacks onDrop(std::function<void(const ContextDrop&)> f)
{
    SessionCallbacks cb;
    cb.contextDropped = std::move(f);
    return cb;
}

GenerationParams params(int32_t maxTokens = 256)
{
    GenerationParams p;
    p.maxTokens = maxTokens;
    p.sampling = SamplerConfig::greedy();
    return p;
}

}  // namespace

class TestChatSession : public QObject {
    Q_OBJECT
private slots:
    void secondTurnPrefillsOnlyTheNewTokensR1()
    {
        FakeBackend b(4096, r1Specials(), {"<｜end▁of▁sentence｜>"});
        ChatSession s(b, r1());
        Conversation c{{Role::User, "Hi"}};
        b.queueReply("Greeting.</think>\n\nHello!");
        GenerationResult first = s.generate(c, params());
        QCOMPARE(first.stopReason, StopReason::EndOfTurn);
        const auto p1 = b.tokenize(kBos + "<｜User｜>Hi<｜Assistant｜><think>\n");
        QCOMPARE(first.stats.promptTokens, p1.size());
        QCOMPARE(first.stats.reusedTokens, size_t(0));
        QCOMPARE(first.stats.prefilledTokens, p1.size());
        QCOMPARE(first.stats.generatedTokens, b.tokenize("Greeting.</think>\n\nHello!").size());
        QCOMPARE(first.content, std::string("<think>\nGreeting.</think>\n\nHello!"));
        QCOMPARE(first.reasoning, std::string("Greeting."));
        QCOMPARE(first.answer, std::string("Hello!"));

        // Turn 2: R1 drops the reasoning, so everything up to the previous
        // "<｜Assistant｜>" is reused and the rest is new.
        c.push_back({Role::Assistant, first.content});
        c.push_back({Role::User, "More"});
        b.queueReply("ok</think>Sure.");
        const size_t before = b.prefilledTotal;
        GenerationResult second = s.generate(c, params());
        const auto p2 = b.tokenize(kBos + "<｜User｜>Hi<｜Assistant｜>\n\nHello!<｜end▁of▁sentence｜><｜User｜>More<｜Assistant｜><think>\n");
        const size_t reused = b.tokenize(kBos + "<｜User｜>Hi<｜Assistant｜>").size();
        QCOMPARE(second.stats.promptTokens, p2.size());
        QCOMPARE(second.stats.reusedTokens, reused);
        QCOMPARE(second.stats.prefilledTokens, p2.size() - reused);
        QCOMPARE(b.prefilledTotal - before, p2.size() - reused);  // the backend agrees
        // The cache now holds the prompt and the reply, as the session says.
        QCOMPARE(b.kv, s.cachedTokens());
        auto expected = p2;
        const auto replyTokens = b.tokenize("ok</think>Sure.");
        expected.insert(expected.end(), replyTokens.begin(), replyTokens.end());
        QCOMPARE(b.kv, expected);
    }

    void secondTurnPrefillsOnlyTheNewTokensWhenTheReplyIsKept()
    {
        // Llama 3 keeps the assistant text as generated: the whole first turn and the
        // reply are reused, only "<|eot_id|>" + the new user turn is prefilled.
        FakeBackend b(4096, llama3Specials(), {"<|eot_id|>"});
        ChatSession s(b, ChatTemplate::make(ChatFormat::Llama3, "<|begin_of_text|>"));
        Conversation c{{Role::System, "Be brief."}, {Role::User, "Hi"}};
        b.queueReply("Hello there");
        GenerationResult first = s.generate(c, params());
        QCOMPARE(first.content, std::string("Hello there"));
        const size_t cachedAfterFirst = b.kv.size();
        QCOMPARE(cachedAfterFirst, first.stats.promptTokens + first.stats.generatedTokens);  // the end token is not fed

        c.push_back({Role::Assistant, first.content});
        c.push_back({Role::User, "And?"});
        b.queueReply("Bye");
        GenerationResult second = s.generate(c, params());
        const std::string newText = "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd?<|eot_id|>"
                                    "<|start_header_id|>assistant<|end_header_id|>\n\n";
        QCOMPARE(second.stats.reusedTokens, cachedAfterFirst);
        QCOMPARE(second.stats.prefilledTokens, b.tokenize(newText).size());
    }

    void regenerateAndEditReuseThePrefix()
    {
        FakeBackend b(4096, r1Specials(), {"<｜end▁of▁sentence｜>"});
        ChatSession s(b, r1());
        const Conversation c{{Role::User, "first question"}, {Role::Assistant, "r</think>first answer"}, {Role::User, "second question"}};
        b.queueReply("a</think>b");
        GenerationResult g1 = s.generate(c, params());
        const size_t prompt = g1.stats.promptTokens;

        // Regenerate: same prompt, everything but the last token reused.
        b.queueReply("c</think>d");
        GenerationResult g2 = s.generate(c, params());
        QCOMPARE(g2.stats.reusedTokens, prompt - 1);
        QCOMPARE(g2.stats.prefilledTokens, size_t(1));
        QCOMPARE(g2.answer, std::string("d"));

        // Edit the middle message: reuse up to the first changed byte.
        Conversation edited = c;
        edited[2].content = "second thought";
        const auto oldPrompt = b.tokenize(r1().render(c));
        const auto newPrompt = b.tokenize(r1().render(edited));
        b.queueReply("e</think>f");
        GenerationResult g3 = s.generate(edited, params());
        const size_t lcp = commonPrefix(oldPrompt, newPrompt);
        QVERIFY(lcp > b.tokenize(r1().render(Conversation(c.begin(), c.begin() + 2), {.addGenerationPrompt = false})).size());
        QCOMPARE(g3.stats.reusedTokens, lcp);
        QCOMPARE(g3.stats.prefilledTokens, newPrompt.size() - lcp);
        QCOMPARE(b.kv, s.cachedTokens());
    }

    void stopConditions()
    {
        FakeBackend b(4096, llama3Specials(), {"<|eot_id|>"});
        ChatSession s(b, ChatTemplate::make(ChatFormat::Llama3, "<|begin_of_text|>"));
        const Conversation c{{Role::User, "Hi"}};

        // User stop string: the reply ends before it and it is not shown.
        b.queueReply("abcSTOPdef");
        GenerationParams p = params();
        p.stopStrings = {"STOP"};
        std::string streamed;
        GenerationResult r = s.generate(c, p, onToken([&](const TokenDelta& d) { streamed += d.answer; }));
        QCOMPARE(r.stopReason, StopReason::StopString);
        QCOMPARE(r.content, std::string("abc"));
        QCOMPARE(streamed, std::string("abc"));

        // The format's end-of-turn text written as plain text also ends the reply.
        b.queueReply("ok<|start_header_id|>user");
        r = s.generate(c, params());
        QCOMPARE(r.stopReason, StopReason::EndOfTurn);
        QCOMPARE(r.content, std::string("ok"));

        // Max tokens.
        b.endless = true;
        r = s.generate(c, params(5));
        QCOMPARE(r.stopReason, StopReason::MaxTokens);
        QCOMPARE(r.stats.generatedTokens, size_t(5));
        QCOMPARE(r.content, std::string("xxxxx"));

        // Cancel, honoured before the next token.
        std::atomic<bool> cancel{false};
        b.onSample = [&](size_t n) {
            if (n == 3) cancel = true;
        };
        r = s.generate(c, params(100), {}, &cancel);
        QCOMPARE(r.stopReason, StopReason::Cancelled);
        QCOMPARE(r.stats.generatedTokens, size_t(4));  // the 4th was already being sampled
        b.onSample = nullptr;
        b.endless = false;

        // Cancel during the prefill.
        cancel = true;
        s.resetCache();
        r = s.generate(c, params(), {}, &cancel);
        QCOMPARE(r.stopReason, StopReason::Cancelled);
        QCOMPARE(b.kv, s.cachedTokens());
    }

    void streamedDeltasAddUp()
    {
        FakeBackend b(4096, r1Specials(), {"<｜end▁of▁sentence｜>"});
        ChatSession s(b, r1());
        b.queueReply("Let me see.\n</think>\n\nIt is **4**.");
        std::string reasoning, answer;
        size_t tokens = 0;
        GenerationResult r = s.generate(Conversation{{Role::User, "2+2?"}}, params(),
                                        onToken([&](const TokenDelta& d) {
                                            if (d.answerReset) answer.clear();
                                            reasoning += d.reasoning;
                                            answer += d.answer;
                                            if (d.token >= 0) ++tokens;
                                        }));
        QCOMPARE(reasoning, std::string("Let me see."));
        QCOMPARE(answer, std::string("It is **4**."));
        QCOMPARE(r.reasoning, reasoning);
        QCOMPARE(r.answer, answer);
        QVERIFY(r.reasoningClosed);
        QCOMPARE(tokens, r.stats.generatedTokens);
    }

    void longConversationKeepsGoingByDroppingOldTurns()
    {
        const size_t ctx = 160;
        FakeBackend b(ctx, r1Specials(), {"<｜end▁of▁sentence｜>"});
        ChatSession s(b, r1());
        Conversation c{{Role::System, "SYS"}};
        std::vector<ContextDrop> drops;
        size_t turnsWithDrops = 0;
        for (int turn = 0; turn < 12; ++turn) {
            c.push_back({Role::User, "question number " + std::to_string(turn)});
            b.queueReply("thinking hard</think>\n\nanswer " + std::to_string(turn));
            GenerationParams p = params(32);
            GenerationResult r = s.generate(c, p, onDrop([&](const ContextDrop& d) { drops.push_back(d); }));
            QCOMPARE(r.stopReason, StopReason::EndOfTurn);
            QCOMPARE(r.answer, "answer " + std::to_string(turn));
            QVERIFY(b.maxKv <= ctx);
            QVERIFY(r.stats.promptTokens + p.maxTokens <= ctx || r.stats.promptTokens + ctx / 4 <= ctx);
            if (r.dropped.count > 0) {
                ++turnsWithDrops;
                QCOMPARE(r.dropped.firstIndex, size_t(1));  // right after the system prompt
                // Whole turns: the first kept message is a user message.
                QCOMPARE(c[r.dropped.firstIndex + r.dropped.count].role, Role::User);
            }
            // The system prompt always leads the cache.
            const auto head = b.tokenize(kBos + "SYS<｜User｜>");
            QVERIFY(std::equal(head.begin(), head.end(), b.kv.begin()));
            c.push_back({Role::Assistant, r.content});
        }
        QVERIFY(turnsWithDrops >= 6);
        QVERIFY(!drops.empty());
    }

    void replyLongerThanTheRoomLeftDropsMidReply()
    {
        const size_t ctx = 96;
        FakeBackend b(ctx, r1Specials(), {"<｜end▁of▁sentence｜>"});
        ChatSession s(b, r1());
        const Conversation c{{Role::User, "old question one"}, {Role::Assistant, "old answer one"},
                             {Role::User, "old question two"}, {Role::Assistant, "old answer two"},
                             {Role::User, "now"}};
        const std::string reply = "r</think>" + std::string(50, 'z');
        b.queueReply(reply);
        int dropCalls = 0;
        GenerationParams p = params(200);
        p.reserveTokens = 8;  // the prompt fits at first; the reply overflows
        GenerationResult r = s.generate(c, p, onDrop([&](const ContextDrop&) { ++dropCalls; }));
        QCOMPARE(r.stopReason, StopReason::EndOfTurn);
        QCOMPARE(r.stats.generatedTokens, b.tokenize(reply).size());
        QCOMPARE(r.answer, std::string(50, 'z'));
        QVERIFY(dropCalls >= 1);
        QVERIFY(r.dropped.count >= 2);
        QVERIFY(b.maxKv <= ctx);
        QCOMPARE(b.kv, s.cachedTokens());
    }

    void tooLongMessageIsAClearError()
    {
        FakeBackend b(64, r1Specials(), {"<｜end▁of▁sentence｜>"});
        ChatSession s(b, r1());
        GenerationResult r = s.generate(Conversation{{Role::User, std::string(200, 'q')}}, params());
        QCOMPARE(r.stopReason, StopReason::ContextFull);
        QVERIFY(r.error && !r.error->message.empty());
        QCOMPARE(b.prefilledTotal, size_t(0));

        GenerationResult bad = s.generate(Conversation{{Role::User, "q"}, {Role::Assistant, "a"}}, params());
        QCOMPARE(bad.stopReason, StopReason::Error);
        QCOMPARE(bad.error->kind, ErrorKind::InvalidInput);
    }

    void stopMatcherHoldsBackPrefixes()
    {
        StopStringMatcher m({"</s>", "STOP"});
        QCOMPARE(m.feed("ab<").text, std::string("ab"));
        QCOMPARE(m.feed("x ST").text, std::string("<x "));
        const auto o = m.feed("OP!");
        QVERIFY(o.stopped);
        QCOMPARE(o.which, size_t(1));
        QCOMPARE(o.text, std::string(""));
        StopStringMatcher n({"STOP"});
        QCOMPARE(n.feed("ST").text, std::string(""));
        QCOMPARE(n.flush(), std::string("ST"));
    }
};

QTEST_GUILESS_MAIN(TestChatSession)
#include "tst_chat_session.moc"
