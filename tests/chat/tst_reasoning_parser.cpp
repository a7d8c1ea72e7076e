// Reasoning parser: every case is fed whole, token by token, byte by byte, and split
// into two and three pieces at every byte position; all splits must give the same
// reasoning/answer, and the streamed deltas must add up to the accumulated text.
#include "chat/reasoning_parser.h"

#include <QtTest>

#include <string>
#include <vector>

using namespace tiefsee::chat;
using namespace std::chrono_literals;

namespace {

struct Outcome {
    std::string reasoning;   // accumulated from deltas
    std::string answer;
    bool closed = false;
    bool hadReasoning = false;
    int resets = 0;
};

Outcome feedPieces(bool startsInReasoning, const std::vector<std::string>& pieces)
{
    ReasoningParser p(startsInReasoning);
    Outcome o;
    auto apply = [&](const ReasoningDelta& d) {
        if (d.answerReset) {
            o.answer.clear();
            ++o.resets;
        }
        o.reasoning += d.reasoning;
        o.answer += d.answer;
    };
    for (const std::string& piece : pieces) apply(p.feed(piece));
    apply(p.finish());
    // The deltas must add up to what the parser accumulated.
    if (o.reasoning != p.reasoning() || o.answer != p.answer()) {
        o.reasoning = "<delta mismatch>";
    }
    o.closed = p.reasoningClosed();
    o.hadReasoning = p.hadReasoning();
    return o;
}

struct Case {
    const char* name;
    bool startsInReasoning;
    std::vector<std::string> tokens;  // how a model would emit it
    std::string reasoning, answer;
    bool closed, hadReasoning;
};

std::vector<Case> cases()
{
    return {
        {"r1_lone_close", true, {"Let", " me", " think", ".\n", "OK", ".\n", "</think>", "\n\n", "The", " answer", " is", " 4", "."},
         "Let me think.\nOK.", "The answer is 4.", true, true},
        {"r1_both_tags", true, {"<think>", "\n", "Hmm", ".\n", "</think>", "\n\n", "Yes", "."}, "Hmm.", "Yes.", true, true},
        {"auto_both_tags", false, {"<think>", "\n", "Hmm", ".\n", "</think>", "\n\n", "Yes", "."}, "Hmm.", "Yes.", true, true},
        {"auto_no_tags", false, {"Just", " an", " answer", ".\n"}, "", "Just an answer.", false, false},
        {"cut_off_mid_reasoning", true, {"Thinking", " about", " </", "thi"}, "Thinking about </thi", "", false, true},
        {"cut_off_mid_open_tag", false, {"<th"}, "", "<th", false, false},
        {"auto_lone_close", false, {"reason", "ing here", "\n", "</think>", "\n\n", "answer"}, "reasoning here", "answer", true, true},
        {"tag_like_text_in_answer", true, {"r", "</think>", "x", " </thin", " y <think>", " z"}, "r", "x </thin y <think> z", true, true},
        {"utf8", true, {"思考", "中…", "\n", "</think>", "\n\n", "答案：", "４"}, "思考中…", "答案：４", true, true},
        {"empty_reasoning", true, {"</think>", "\n\n", "Hi"}, "", "Hi", true, true},
        {"whitespace_inside_kept", true, {"a", "\n\n", "b", "\n", "</think>", "c", "\n\n", "d", "\n"}, "a\n\nb", "c\n\nd", true, true},
        {"qwen3_empty_think", false, {"<think>", "\n\n", "</think>", "\n\n", "Hello", "!"}, "", "Hello!", true, true},
    };
}

std::vector<std::string> bytesOf(const std::string& s)
{
    std::vector<std::string> v;
    for (char c : s) v.emplace_back(1, c);
    return v;
}

// A fake clock the tests move by hand.
struct FakeClock {
    std::chrono::steady_clock::time_point t{};
    ReasoningParser::Clock fn()
    {
        return [this] { return t; };
    }
};

}  // namespace

class TestReasoningParser : public QObject {
    Q_OBJECT
private slots:
    void everySplit_data()
    {
        QTest::addColumn<int>("index");
        const auto all = cases();
        for (int i = 0; i < int(all.size()); ++i) QTest::newRow(all[i].name) << i;
    }

    void everySplit()
    {
        QFETCH(int, index);
        const Case c = cases()[index];
        std::string whole;
        for (const auto& t : c.tokens) whole += t;

        auto check = [&](const Outcome& o, const QString& how) {
            QVERIFY2(o.reasoning == c.reasoning, qPrintable(how + ": reasoning '" + QString::fromStdString(o.reasoning) + "'"));
            QVERIFY2(o.answer == c.answer, qPrintable(how + ": answer '" + QString::fromStdString(o.answer) + "'"));
            QCOMPARE(o.closed, c.closed);
            QCOMPARE(o.hadReasoning, c.hadReasoning);
        };
        check(feedPieces(c.startsInReasoning, {whole}), "whole");
        check(feedPieces(c.startsInReasoning, c.tokens), "tokens");
        check(feedPieces(c.startsInReasoning, bytesOf(whole)), "bytes");
        for (size_t i = 0; i <= whole.size(); ++i) {
            check(feedPieces(c.startsInReasoning, {whole.substr(0, i), whole.substr(i)}), QString("split at %1").arg(i));
            for (size_t j = i; j <= whole.size(); ++j)
                check(feedPieces(c.startsInReasoning, {whole.substr(0, i), whole.substr(i, j - i), whole.substr(j)}),
                      QString("split at %1,%2").arg(i).arg(j));
        }
    }

    void streamsBeforeTheEnd()
    {
        // Text shows while it arrives: reasoning before </think>, answer before finish().
        ReasoningParser p(true);
        QCOMPARE(p.feed("Step one").reasoning, std::string("Step one"));
        QCOMPARE(p.phase(), ReasoningParser::Phase::Reasoning);
        auto d = p.feed(". Step two\n</thi");  // trailing "\n" and the partial tag wait
        QCOMPARE(d.reasoning, std::string(". Step two"));
        d = p.feed("nk>\n\nFour");
        QVERIFY(d.reasoning.empty());
        QCOMPARE(d.answer, std::string("Four"));
        QCOMPARE(p.phase(), ReasoningParser::Phase::Answer);
        QVERIFY(p.reasoningClosed());
    }

    void autoModeLoneCloseResetsAnswer()
    {
        ReasoningParser p(false);
        QCOMPARE(p.feed("maybe ").answer, std::string("maybe"));
        const auto d = p.feed("so</think>\n\nyes");
        QVERIFY(d.answerReset);
        QCOMPARE(d.reasoning, std::string("maybe so"));
        QCOMPARE(d.answer, std::string("yes"));
    }

    void thinkingTimesForcedMode()
    {
        FakeClock clock;
        ReasoningParser p(true, clock.fn());
        QVERIFY(!p.thinkingStarted());
        clock.t += 1s;
        (void)p.feed("Hmm");
        QCOMPARE(*p.thinkingStarted(), clock.t);
        clock.t += 12s;
        (void)p.feed(" ok</think>");
        clock.t += 5s;
        (void)p.feed("Answer");
        (void)p.finish();
        QCOMPARE(p.thinkingDuration(), std::chrono::milliseconds(12000));
    }

    void thinkingTimesAutoModeAndCutOff()
    {
        FakeClock clock;
        ReasoningParser p(false, clock.fn());
        clock.t += 2s;
        (void)p.feed("<thi");
        QVERIFY(!p.thinkingStarted());
        clock.t += 1s;
        (void)p.feed("nk>\nplan");
        QCOMPARE(*p.thinkingStarted(), clock.t);
        clock.t += 7s;
        QCOMPARE(p.thinkingDuration(), std::chrono::milliseconds(7000));  // still thinking
        clock.t += 3s;
        (void)p.finish();  // cut off
        QVERIFY(!p.reasoningClosed());
        QCOMPARE(p.thinkingDuration(), std::chrono::milliseconds(10000));
        QCOMPARE(p.reasoning(), std::string("plan"));
    }

    void noReasoningNoTimes()
    {
        ReasoningParser p(false);
        (void)p.feed("Hello");
        (void)p.finish();
        QVERIFY(!p.hadReasoning());
        QCOMPARE(p.thinkingDuration(), std::chrono::milliseconds(0));
    }
};

QTEST_GUILESS_MAIN(TestReasoningParser)
#include "tst_reasoning_parser.moc"
