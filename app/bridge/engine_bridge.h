// EngineBridge: the Qt face of chat::ChatEngine. It owns the engine (and so its worker
// thread) and turns the worker-thread callbacks into signals delivered on the GUI
// thread (queued). Streamed text is not sent per token: the worker appends it to a
// pending buffer under a mutex and posts at most one `tokensAvailable` until the GUI
// takes the buffer (takePending), so 200 tokens/s cost a handful of events per second.
//
// Threads: construct, call and destroy on the GUI thread. Signals arrive on the GUI
// thread in the order the engine produced them.
#pragma once

#include "chat/chat_engine.h"

#include <QObject>
#include <QString>

#include <memory>
#include <mutex>

namespace tiefsee::bridge {

// What the worker streamed since the last takePending(), for one request.
struct PendingText {
    QString reasoning;         // to append to the reasoning
    QString answer;            // to append to the answer (after a reset, if answerReset)
    bool answerReset = false;  // the shown answer was reasoning after all: clear it first
    int tokens = 0;            // tokens these pieces came from
};

// A finished generation, copied out of the worker.
struct FinishedGeneration {
    QString content;           // the reply as the model produced it (with <think>)
    QString reasoning;
    QString answer;
    qint64 thinkingMs = 0;
    chat::StopReason stopReason = chat::StopReason::EndOfTurn;
    QString error;             // plain words, when stopReason is Error / ContextFull
    ErrorKind errorKind = ErrorKind::Internal;
    int promptTokens = 0;
    int generatedTokens = 0;
    double tokensPerSecond = 0;
    int droppedMessages = 0;   // conversation messages left out of the prompt
};

struct LoadedModel {
    QString path;
    QString name;
    QString architecture;
    int contextSize = 0;
    QString templateNotice;  // non-empty: the chat format was not recognised exactly
};

class EngineBridge : public QObject {
    Q_OBJECT
public:
    // `loader` loads a GGUF into a backend on the worker (chat::loadModelBackend in the
    // app; tests may pass a fake).
    explicit EngineBridge(chat::BackendLoader loader, QObject* parent = nullptr);
    ~EngineBridge() override;

    quint64 loadModel(const QString& path, int contextLength, int deviceIndex);
    quint64 generate(chat::Conversation conversation, chat::GenerationParams params);
    // Stops the running request within one token and drops queued ones.
    void cancel();
    bool busy() const;

    // The text streamed for request `id` since the last call (GUI thread). Text of
    // other (older) requests is dropped.
    PendingText takePending(quint64 id);

signals:
    void loadProgress(quint64 id, double fraction);
    void loaded(quint64 id, const tiefsee::bridge::LoadedModel& model);
    void loadFailed(quint64 id, int errorKind, const QString& message);
    void prefillProgress(quint64 id, qint64 done, qint64 total);
    // New streamed text waits in takePending(id). Not emitted again until it was taken.
    void tokensAvailable(quint64 id);
    void contextDropped(quint64 id, int firstIndex, int count);
    void finished(quint64 id, const tiefsee::bridge::FinishedGeneration& result);

private:
    chat::EngineCallbacks makeCallbacks();

    std::mutex m_mutex;          // guards the pending buffer (worker appends, GUI takes)
    quint64 m_pendingId = 0;
    PendingText m_pending;
    bool m_notifyPosted = false;  // a tokensAvailable is on its way to the GUI thread

    std::unique_ptr<chat::ChatEngine> m_engine;  // last: destroyed (joined) first
};

}  // namespace tiefsee::bridge

Q_DECLARE_METATYPE(tiefsee::bridge::LoadedModel)
Q_DECLARE_METATYPE(tiefsee::bridge::FinishedGeneration)
