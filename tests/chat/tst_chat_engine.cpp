// ChatEngine (worker thread, request queue, callbacks) over the fake backend:
// ordering guarantees, cancel within one token, loading another model mid-reply.
#include "chat/chat_engine.h"
#include "fake_backend.h"

#include <QtTest>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace tiefsee;
using namespace tiefsee::chat;
using namespace tiefsee::chat::test;
using namespace std::chrono_literals;

namespace {

// Collects the engine's callbacks (called on the worker thread) for the test thread.
struct Recorder {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> events;               // "loaded 1", "finished 2", ...
    std::map<uint64_t, GenerationResult> results;
    std::map<uint64_t, Error> loadErrors;
    std::map<uint64_t, LoadedModelInfo> loaded;
    std::atomic<size_t> tokens{0};
    std::string answer;

    EngineCallbacks callbacks()
    {
        EngineCallbacks cb;
        cb.loaded = [this](uint64_t id, const LoadedModelInfo& info) {
            note("loaded " + std::to_string(id), [&] { loaded[id] = info; });
        };
        cb.loadFailed = [this](uint64_t id, const Error& e) {
            note("loadFailed " + std::to_string(id), [&] { loadErrors[id] = e; });
        };
        cb.token = [this](uint64_t, const TokenDelta& d) {
            std::lock_guard lock(mutex);
            if (d.token >= 0) ++tokens;
            answer += d.answer;
        };
        cb.finished = [this](uint64_t id, const GenerationResult& r) {
            note("finished " + std::to_string(id), [&] { results[id] = r; });
        };
        return cb;
    }
    template <typename F>
    void note(std::string event, F&& update)
    {
        {
            std::lock_guard lock(mutex);
            update();
            events.push_back(std::move(event));
        }
        changed.notify_all();
    }
    bool waitFor(const std::string& event)
    {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 20s, [&] { return std::find(events.begin(), events.end(), event) != events.end(); });
    }
    size_t indexOf(const std::string& event)
    {
        std::lock_guard lock(mutex);
        return size_t(std::find(events.begin(), events.end(), event) - events.begin());
    }
};

// Loads fake models: "r1" answers scripted replies, "endless" never stops (slowly),
// anything else fails.
BackendLoader fakeLoader(std::atomic<int>* loads = nullptr)
{
    return [loads](const std::string& path, const ModelLoadOptions& options, const std::function<void(double)>& progress,
                   const std::atomic<bool>*) -> Result<LoadedBackend> {
        if (loads) ++*loads;
        if (path != "r1" && path != "endless") return makeError(ErrorKind::NotFound, "no such model: " + path);
        progress(0.5);
        auto backend = std::make_unique<FakeBackend>(options.contextLength, r1Specials(), std::vector<std::string>{"<｜end▁of▁sentence｜>"});
        if (path == "endless") {
            backend->endless = true;
            backend->onSample = [](size_t) { std::this_thread::sleep_for(1ms); };
        } else {
            for (int i = 0; i < 8; ++i) backend->queueReply("thought " + std::to_string(i) + "</think>\n\nreply " + std::to_string(i));
        }
        progress(1.0);
        LoadedBackend lb{std::move(backend), ChatTemplate::make(ChatFormat::DeepSeekR1, "<｜begin▁of▁sentence｜>"), {}};
        lb.info.path = path;
        lb.info.name = path;
        lb.info.contextSize = options.contextLength;
        return lb;
    };
}

GenerationParams greedy(int32_t maxTokens = 10000)
{
    GenerationParams p;
    p.sampling = SamplerConfig::greedy();
    p.maxTokens = maxTokens;
    return p;
}

std::string id(const char* what, uint64_t n) { return std::string(what) + " " + std::to_string(n); }

}  // namespace

class TestChatEngine : public QObject {
    Q_OBJECT
private slots:
    void loadThenTwoTurnsReuseTheCache()
    {
        Recorder rec;
        ChatEngine engine(rec.callbacks(), fakeLoader());
        ModelLoadOptions options;
        options.contextLength = 2048;
        const uint64_t load = engine.loadModel("r1", options);
        Conversation c{{Role::User, "Hi"}};
        const uint64_t g1 = engine.generate(c, greedy());  // queued behind the load
        QVERIFY(rec.waitFor(id("finished", g1)));
        QVERIFY(rec.indexOf(id("loaded", load)) < rec.indexOf(id("finished", g1)));
        const GenerationResult r1 = rec.results[g1];
        QCOMPARE(r1.stopReason, StopReason::EndOfTurn);
        QCOMPARE(r1.answer, std::string("reply 0"));
        QCOMPARE(r1.reasoning, std::string("thought 0"));
        QCOMPARE(r1.stats.reusedTokens, size_t(0));

        c.push_back({Role::Assistant, r1.content});
        c.push_back({Role::User, "Again"});
        const uint64_t g2 = engine.generate(c, greedy());
        QVERIFY(rec.waitFor(id("finished", g2)));
        const GenerationResult r2 = rec.results[g2];
        QCOMPARE(r2.answer, std::string("reply 1"));
        // Only what follows the previous "<｜Assistant｜>" is prefilled.
        FakeBackend tok(1, r1Specials(), {});
        const size_t reused = tok.tokenize("<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>").size();
        QCOMPARE(r2.stats.reusedTokens, reused);
        QCOMPARE(r2.stats.prefilledTokens, r2.stats.promptTokens - reused);
        for (int i = 0; i < 2000 && engine.busy(); ++i) std::this_thread::sleep_for(1ms);  // finished runs just before idle
        QVERIFY(!engine.busy());
    }

    void cancelIsHonouredWithinOneToken()
    {
        Recorder rec;
        ChatEngine engine(rec.callbacks(), fakeLoader());
        engine.loadModel("endless");
        const uint64_t g = engine.generate(Conversation{{Role::User, "go"}}, greedy());
        const uint64_t queued = engine.generate(Conversation{{Role::User, "later"}}, greedy());
        // Let it produce some tokens, then cancel.
        for (int i = 0; i < 2000 && rec.tokens < 5; ++i) std::this_thread::sleep_for(1ms);
        QVERIFY(rec.tokens >= 5);
        engine.cancel();
        const size_t seenAtCancel = rec.tokens;
        QVERIFY(rec.waitFor(id("finished", g)));
        QVERIFY(rec.waitFor(id("finished", queued)));
        QCOMPARE(rec.results[g].stopReason, StopReason::Cancelled);
        QVERIFY(rec.results[g].stats.generatedTokens <= seenAtCancel + 1);
        QCOMPARE(rec.results[queued].stopReason, StopReason::Cancelled);  // queued ones too, one finish each
        QCOMPARE(rec.results[queued].stats.generatedTokens, size_t(0));

        // The engine works normally afterwards.
        const uint64_t after = engine.generate(Conversation{{Role::User, "again"}}, greedy(3));
        QVERIFY(rec.waitFor(id("finished", after)));
        QCOMPARE(rec.results[after].stopReason, StopReason::MaxTokens);
    }

    void loadingAnotherModelWhileGeneratingCancelsCleanly()
    {
        Recorder rec;
        std::atomic<int> loads{0};
        ChatEngine engine(rec.callbacks(), fakeLoader(&loads));
        engine.loadModel("endless");
        const uint64_t g = engine.generate(Conversation{{Role::User, "go"}}, greedy());
        for (int i = 0; i < 2000 && rec.tokens < 3; ++i) std::this_thread::sleep_for(1ms);
        const uint64_t load = engine.loadModel("r1");
        QVERIFY(rec.waitFor(id("loaded", load)));
        QCOMPARE(rec.results[g].stopReason, StopReason::Cancelled);
        QVERIFY(rec.indexOf(id("finished", g)) < rec.indexOf(id("loaded", load)));
        QCOMPARE(loads.load(), 2);
        const uint64_t g2 = engine.generate(Conversation{{Role::User, "hello"}}, greedy());
        QVERIFY(rec.waitFor(id("finished", g2)));
        QCOMPARE(rec.results[g2].answer, std::string("reply 0"));
    }

    void errorsArriveAsCallbacks()
    {
        Recorder rec;
        ChatEngine engine(rec.callbacks(), fakeLoader());
        const uint64_t g = engine.generate(Conversation{{Role::User, "hi"}}, greedy());
        QVERIFY(rec.waitFor(id("finished", g)));
        QCOMPARE(rec.results[g].stopReason, StopReason::Error);
        QVERIFY(rec.results[g].error.has_value());

        const uint64_t bad = engine.loadModel("missing.gguf");
        QVERIFY(rec.waitFor(id("loadFailed", bad)));
        QCOMPARE(rec.loadErrors[bad].kind, ErrorKind::NotFound);

        // A load superseded by the next one reports Cancelled; only the last one loads.
        const uint64_t first = engine.loadModel("r1");
        const uint64_t second = engine.loadModel("r1");
        QVERIFY(rec.waitFor(id("loaded", second)));
        QVERIFY(rec.waitFor(id("loadFailed", first)) || rec.waitFor(id("loaded", first)));
    }

    void destroyWhileGenerating()
    {
        Recorder rec;
        {
            ChatEngine engine(rec.callbacks(), fakeLoader());
            engine.loadModel("endless");
            engine.generate(Conversation{{Role::User, "go"}}, greedy());
            for (int i = 0; i < 2000 && rec.tokens < 2; ++i) std::this_thread::sleep_for(1ms);
        }  // must join without hanging
        QVERIFY(rec.tokens >= 2);
    }
};

QTEST_GUILESS_MAIN(TestChatEngine)
#include "tst_chat_engine.moc"
