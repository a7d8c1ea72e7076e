// ChatController with the real engine thread and store, over a scripted fake model
// (tests/chat/fake_backend.h): a reply streamed at about 200 tokens/s reaches the view
// in batches (one per flush interval, not one per token), every batch is a prefix of
// the final text, the messages model stays consistent (QAbstractItemModelTester), and
// the stored answer equals what was streamed.
#include "../chat/fake_backend.h"
#include "bridge/app_settings.h"
#include "bridge/chat_controller.h"
#include "bridge/engine_bridge.h"
#include "store/conversation_store.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <thread>

using namespace tiefsee;
using namespace std::chrono_literals;

namespace {

constexpr int kAnswerChars = 400;  // one token per byte in the fake model

// Loads "fast": a reply of a short reasoning and kAnswerChars answer characters, one
// token every 5 ms (200 tokens/s).
chat::BackendLoader streamingLoader()
{
    return [](const std::string& path, const chat::ModelLoadOptions& options, const std::function<void(double)>& progress,
              const std::atomic<bool>*) -> Result<chat::LoadedBackend> {
        if (path != "fast")
            return makeError(ErrorKind::NotFound, "no such model: " + path);
        auto backend = std::make_unique<chat::test::FakeBackend>(options.contextLength, chat::test::r1Specials(),
                                                                 std::vector<std::string>{"<｜end▁of▁sentence｜>"});
        std::string answer;
        for (int i = 0; i < kAnswerChars; ++i)
            answer += char('a' + i % 26);
        backend->queueReply("a short thought</think>\n\n" + answer);
        backend->onSample = [](size_t) { std::this_thread::sleep_for(5ms); };
        progress(1.0);
        chat::LoadedBackend lb{std::move(backend), chat::ChatTemplate::make(chat::ChatFormat::DeepSeekR1, "<｜begin▁of▁sentence｜>"), {}};
        lb.info.path = path;
        lb.info.name = "Fast";
        lb.info.contextSize = options.contextLength;
        return lb;
    };
}

}  // namespace

class TestChatController : public QObject {
    Q_OBJECT
private slots:
    void streamsInBatches()
    {
        QTemporaryDir dir;
        bridge::AppSettings settings(dir.filePath("settings.ini"));
        auto opened = store::ConversationStore::open(dir.filePath("chats.db"));
        QVERIFY(opened.ok());
        bridge::EngineBridge engine(streamingLoader());
        bridge::ChatController chat(&settings);
        chat.setStore(opened->store.get());
        chat.setEngine(&engine);
        QAbstractItemModelTester tester(chat.messages(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        chat.loadModel("fast");
        QTRY_VERIFY_WITH_TIMEOUT(chat.modelLoaded(), 10000);

        QStringList seen;  // the answer text at each update the view got
        connect(&chat, &bridge::ChatController::streamingChanged, this, [&] {
            if (chat.generating())
                seen << chat.streamingAnswer();
        });
        QVERIFY(chat.send("Hi"));
        QVERIFY(chat.generating());
        QTRY_VERIFY_WITH_TIMEOUT(!chat.generating(), 30000);

        const QString answer = chat.lastAnswer();
        QCOMPARE(answer.size(), kAnswerChars);
        // Batched: at 200 tokens/s and a 40 ms flush interval about 8 tokens per update;
        // far fewer updates than tokens, yet more than one (it streamed).
        QVERIFY2(seen.size() < kAnswerChars / 3, qPrintable(QString::number(seen.size())));
        int growing = 0;
        for (int i = 0; i < seen.size(); ++i) {
            QVERIFY(answer.startsWith(seen[i]));
            if (i > 0 && seen[i].size() > seen[i - 1].size())
                ++growing;
        }
        QVERIFY2(growing >= 3, qPrintable(QString::number(growing)));
        qInfo("%lld view updates for %d answer tokens, %d of them growing", qlonglong(seen.size()), kAnswerChars, growing);
    }
};

QTEST_MAIN(TestChatController)
#include "tst_chat_controller.moc"
