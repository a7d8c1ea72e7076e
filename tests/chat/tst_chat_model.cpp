// End to end with a real (random-weight) mini model from testdata through the
// ChatEngine API and tiefsee-cli chat: the second turn prefills only the new tokens,
// cancel works, and piping two lines into the CLI gives two replies.
#include "chat/chat_engine.h"
#include "chat/model_backend.h"
#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

#include <QProcess>
#include <QtTest>

#include <condition_variable>
#include <mutex>

using namespace tiefsee;
using namespace tiefsee::chat;
using namespace std::chrono_literals;

namespace {

const std::string kModel = std::string(TIEFSEE_TESTDATA) + "/models/mini-qwen2-q8_0.gguf";

struct Waiter {
    std::mutex mutex;
    std::condition_variable cv;
    std::optional<LoadedModelInfo> loaded;
    std::optional<Error> loadError;
    std::optional<GenerationResult> result;
    std::vector<int32_t> tokens;  // sampled ids of the current reply
    std::atomic<size_t> tokenCount{0};

    EngineCallbacks callbacks()
    {
        EngineCallbacks cb;
        cb.loaded = [this](uint64_t, const LoadedModelInfo& i) { set([&] { loaded = i; }); };
        cb.loadFailed = [this](uint64_t, const Error& e) { set([&] { loadError = e; }); };
        cb.token = [this](uint64_t, const TokenDelta& d) {
            std::lock_guard lock(mutex);
            if (d.token >= 0) {
                tokens.push_back(d.token);
                ++tokenCount;
            }
        };
        cb.finished = [this](uint64_t, const GenerationResult& r) { set([&] { result = r; }); };
        return cb;
    }
    template <typename F>
    void set(F&& f)
    {
        {
            std::lock_guard lock(mutex);
            f();
        }
        cv.notify_all();
    }
    template <typename P>
    bool wait(P&& pred)
    {
        std::unique_lock lock(mutex);
        return cv.wait_for(lock, 120s, pred);
    }
};

size_t commonPrefix(const std::vector<int32_t>& a, const std::vector<int32_t>& b)
{
    size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    return n;
}

}  // namespace

class TestChatModel : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<gguf::GgufFile> m_file;
    std::unique_ptr<Tokenizer> m_tokenizer;

private slots:
    void initTestCase()
    {
        auto file = gguf::GgufFile::open(kModel);
        QVERIFY2(file.ok(), file.ok() ? "" : file.error().message.c_str());
        m_file = std::move(*file);
        auto tok = Tokenizer::fromGguf(*m_file);
        QVERIFY(tok.ok());
        m_tokenizer = std::move(*tok);
    }

    void secondTurnPrefillsOnlyNewTokensAndCancelWorks()
    {
        Waiter w;
        ChatEngine engine(w.callbacks(), &loadModelBackend);
        ModelLoadOptions lo;
        lo.contextLength = 256;
        engine.loadModel(kModel, lo);
        QVERIFY(w.wait([&] { return w.loaded || w.loadError; }));
        QVERIFY2(!w.loadError, w.loadError ? w.loadError->message.c_str() : "");
        QCOMPARE(w.loaded->templateFormat, std::string("DeepSeek-R1"));
        QCOMPARE(w.loaded->contextSize, size_t(256));

        const ChatTemplate tmpl = ChatTemplate::fromGguf(*m_file);
        auto tokenize = [&](const Conversation& c) { return m_tokenizer->encode(tmpl.render(c), false, true); };

        GenerationParams p;
        p.sampling = SamplerConfig::greedy();
        p.maxTokens = 6;
        Conversation c{{Role::User, "Hello there"}};
        engine.generate(c, p);
        QVERIFY(w.wait([&] { return w.result.has_value(); }));
        const GenerationResult first = *w.result;
        QVERIFY2(!first.error, first.error ? first.error->message.c_str() : "");
        const auto p1 = tokenize(c);
        QCOMPARE(first.stats.promptTokens, p1.size());
        QCOMPARE(first.stats.reusedTokens, size_t(0));
        QCOMPARE(first.stats.prefilledTokens, p1.size());
        QCOMPARE(first.stats.generatedTokens, w.tokens.size());

        // What the KV cache holds now: the prompt and every sampled token that was fed
        // (all of them unless the reply ended with an end-of-generation token, which
        // is neither reported nor fed).
        std::vector<int32_t> cached = p1;
        cached.insert(cached.end(), w.tokens.begin(), w.tokens.end());

        c.push_back({Role::Assistant, first.content});
        c.push_back({Role::User, "And then?"});
        const auto p2 = tokenize(c);
        w.set([&] {
            w.result.reset();
            w.tokens.clear();
        });
        engine.generate(c, p);
        QVERIFY(w.wait([&] { return w.result.has_value(); }));
        const GenerationResult second = *w.result;
        QVERIFY2(!second.error, second.error ? second.error->message.c_str() : "");
        const size_t lcp = commonPrefix(cached, p2);
        QCOMPARE(second.stats.promptTokens, p2.size());
        QCOMPARE(second.stats.reusedTokens, lcp);
        QCOMPARE(second.stats.prefilledTokens, p2.size() - lcp);
        // At least the whole first prompt up to its "<｜Assistant｜>" is reused.
        QVERIFY(lcp >= p1.size() - 2);
        qInfo("turn 2: prompt %zu tokens, reused %zu, prefilled %zu", p2.size(), second.stats.reusedTokens, second.stats.prefilledTokens);

        // Cancel within one token.
        w.set([&] {
            w.result.reset();
            w.tokens.clear();
            w.tokenCount = 0;
        });
        p.maxTokens = 200;
        engine.generate(Conversation{{Role::User, "Go on"}}, p);
        while (w.tokenCount < 3 && !w.result) std::this_thread::sleep_for(1ms);
        engine.cancel();
        const size_t seen = w.tokenCount;
        QVERIFY(w.wait([&] { return w.result.has_value(); }));
        qInfo("cancel: stop=%s after %zu tokens (%zu seen at cancel)", std::string(stopReasonName(w.result->stopReason)).c_str(),
              w.result->stats.generatedTokens, seen);
        if (w.result->stopReason != StopReason::EndOfTurn) {  // random weights may end first
            QCOMPARE(w.result->stopReason, StopReason::Cancelled);
            QVERIFY(w.result->stats.generatedTokens <= seen + 1);
        }
    }

    void cliChatReadsLinesFromAPipe()
    {
        QProcess proc;
        proc.start(QString(TIEFSEE_BINARY_DIR) + "/bin/tiefsee-cli",
                   {"chat", "--model", QString::fromStdString(kModel), "--ctx", "256", "-n", "8", "--temp", "0"});
        QVERIFY(proc.waitForStarted());
        proc.write("Hi\nTell me more\n");
        proc.closeWriteChannel();
        QVERIFY(proc.waitForFinished(120000));
        const QString err = QString::fromUtf8(proc.readAllStandardError());
        QVERIFY2(proc.exitCode() == 0, qPrintable(err));
        const QStringList stats = err.split('\n').filter("[stats]");
        QCOMPARE(stats.size(), 2);
        QVERIFY2(stats[0].contains(" reused=0 "), qPrintable(stats[0]));
        QVERIFY2(!stats[1].contains(" reused=0 "), qPrintable(stats[1]));
        // Not a terminal: the reasoning is wrapped in <think> lines.
        QVERIFY(QString::fromUtf8(proc.readAllStandardOutput()).contains("<think>"));
    }
};

QTEST_GUILESS_MAIN(TestChatModel)
#include "tst_chat_model.moc"
