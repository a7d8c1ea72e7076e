// ChatController: one chat window's conversation logic, on the GUI thread.
//
//   composer → send(text) → the user message is committed to the store first
//            → an empty 'streaming' reply row is created → the engine generates on its
//              worker thread → reasoning/answer deltas arrive (queued) and are batched
//              here → every ~40 ms `streamingReasoning`/`streamingAnswer` change once
//              (smooth at 200 tokens/s: one QML update per batch, not per token)
//            → the reply is saved through the store's StreamingReply (≤ 1 s of tokens at
//              risk) and finished as complete / stopped / failed.
//
// Also: open / new conversation, edit (user) and regenerate (assistant) as branches,
// switching siblings, stop, per-conversation generation overrides, and the errors the
// status banner shows in plain words with a way forward.
//
// The store and the engine bridge are owned by the caller (App) and must outlive this.
// Without a store or engine (setStore / setEngine not called) every action reports
// that plainly instead of pretending to work.
#pragma once

#include "bridge/app_settings.h"
#include "bridge/engine_bridge.h"
#include "bridge/generation_overrides.h"
#include "store/conversation_store.h"
#include "store/message_list_model.h"
#include "store/streaming_reply.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace tiefsee::bridge {

class ChatController : public QObject {
    Q_OBJECT
    // The open conversation (0 = a new, not yet saved chat) and its title.
    Q_PROPERTY(qint64 conversationId READ conversationId NOTIFY conversationChanged)
    Q_PROPERTY(QString title READ title NOTIFY conversationChanged)
    // Messages of the active path (roles: messageId, role, content, reasoning,
    // thinkingMs, status, siblingIndex, siblingCount, generatedTokens, tokensPerSecond, modelName;
    // see store/message_list_model.h).
    Q_PROPERTY(QAbstractItemModel* messages READ messages NOTIFY messagesModelChanged)
    Q_PROPERTY(GenerationOverrides* overrides READ overrides CONSTANT)

    // Generation state. phase: "idle" | "loading" | "prefill" | "thinking" | "answering".
    Q_PROPERTY(bool generating READ generating NOTIFY generatingChanged)
    Q_PROPERTY(QString phase READ phase NOTIFY phaseChanged)
    Q_PROPERTY(qint64 streamingMessageId READ streamingMessageId NOTIFY generatingChanged)
    Q_PROPERTY(QString streamingAnswer READ streamingAnswer NOTIFY streamingChanged)
    Q_PROPERTY(QString streamingReasoning READ streamingReasoning NOTIFY streamingChanged)
    Q_PROPERTY(bool thinking READ thinking NOTIFY streamingChanged)
    Q_PROPERTY(double thinkingSeconds READ thinkingSeconds NOTIFY streamingChanged)
    // Loading / prefill progress: fraction 0..1, and done/total (bytes or tokens).
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(qint64 progressDone READ progressDone NOTIFY progressChanged)
    Q_PROPERTY(qint64 progressTotal READ progressTotal NOTIFY progressChanged)

    // The model: chosen (path, name, size) and whether it is loaded on the device.
    Q_PROPERTY(QString modelPath READ modelPath NOTIFY modelChanged)
    Q_PROPERTY(QString modelName READ modelName NOTIFY modelChanged)
    Q_PROPERTY(QString modelSizeText READ modelSizeText NOTIFY modelChanged)
    Q_PROPERTY(bool modelLoaded READ modelLoaded NOTIFY modelChanged)
    Q_PROPERTY(int contextUsed READ contextUsed NOTIFY contextChanged)
    Q_PROPERTY(int contextSize READ contextSize NOTIFY contextChanged)
    Q_PROPERTY(QString contextNotice READ contextNotice NOTIFY contextChanged)

    // The last problem in plain words, the button that helps (text, settings page or -1).
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorChanged)
    Q_PROPERTY(QString errorActionText READ errorActionText NOTIFY errorChanged)
    Q_PROPERTY(int errorSettingsPage READ errorSettingsPage NOTIFY errorChanged)

public:
    // Interval at which streamed text is handed to the view, milliseconds.
    static constexpr int kFlushIntervalMs = 40;

    explicit ChatController(AppSettings* settings, QObject* parent = nullptr);
    ~ChatController() override;

    // Connects the conversation store (not owned) and opens settings.lastConversation.
    void setStore(store::ConversationStore* store);
    // Connects the engine (not owned) and loads the default model, if any.
    void setEngine(EngineBridge* engine);

    qint64 conversationId() const { return m_conversationId; }
    QString title() const { return m_title; }
    QAbstractItemModel* messages() const { return m_messages; }
    GenerationOverrides* overrides() const { return m_overrides; }

    bool generating() const { return m_generating; }
    QString phase() const { return m_phase; }
    qint64 streamingMessageId() const { return m_streamingMessageId; }
    QString streamingAnswer() const { return m_answer; }
    QString streamingReasoning() const { return m_reasoning; }
    bool thinking() const { return m_thinking; }
    double thinkingSeconds() const;
    double progress() const { return m_progressTotal > 0 ? double(m_progressDone) / double(m_progressTotal) : 0.0; }
    qint64 progressDone() const { return m_progressDone; }
    qint64 progressTotal() const { return m_progressTotal; }

    QString modelPath() const { return m_modelPath; }
    QString modelName() const { return m_modelName; }
    QString modelSizeText() const { return m_modelSizeText; }
    bool modelLoaded() const { return m_modelLoaded; }
    int contextUsed() const { return m_contextUsed; }
    int contextSize() const { return m_contextSize; }
    QString contextNotice() const { return m_contextNotice; }

    QString errorMessage() const { return m_errorMessage; }
    QString errorActionText() const { return m_errorActionText; }
    int errorSettingsPage() const { return m_errorSettingsPage; }

    // Starts a new, empty chat (saved when the first message is sent).
    Q_INVOKABLE void newConversation();
    // Shows conversation `id` with its active path.
    Q_INVOKABLE bool openConversation(qint64 id);
    // Sends `text` as the next user message and generates the answer. Returns false (and
    // sets the error) if it could not be sent; the composer keeps the text then.
    Q_INVOKABLE bool send(const QString& text);
    // Stops the answer in flight (kept, marked "stopped").
    Q_INVOKABLE void stop();
    // A new answer to the same question, as a sibling of `assistantMessageId`.
    Q_INVOKABLE bool regenerate(qint64 assistantMessageId);
    // A new version of a user message (a sibling) and its answer.
    Q_INVOKABLE bool editMessage(qint64 userMessageId, const QString& text);
    // Switches the branch at message row `row` of `messages` by `delta` (-1 / +1).
    Q_INVOKABLE bool switchBranch(int row, int delta);
    // Loads the model at `path` (GGUF) and makes it the default.
    Q_INVOKABLE void loadModel(const QString& path);
    // The answer text of the last assistant message on the path ("" if none).
    Q_INVOKABLE QString lastAnswer() const;
    Q_INVOKABLE void clearError();

signals:
    void conversationChanged();
    void messagesModelChanged();
    void generatingChanged();
    void phaseChanged();
    void streamingChanged();
    void progressChanged();
    void modelChanged();
    void contextChanged();
    void errorChanged();
    // Something was written to the store (a message, a title): the sidebar refreshes.
    void storeChanged();

private:
    // Kinds of problems the status banner knows how to explain.
    enum class Problem { NotConnected, NoModel, TooLarge, NoDevice, BadFile, Other };
    void setError(Problem problem, const QString& detail = {});
    void setPhase(const QString& phase);
    // Starts generating into the (new, empty, 'streaming') reply `replyId`.
    bool readyToGenerate();
    bool startReply(qint64 replyId);
    void ensureModelLoaded();
    void flushStreaming();
    void onTokensAvailable(quint64 id);
    void onFinished(quint64 id, const FinishedGeneration& result);
    void onLoaded(quint64 id, const LoadedModel& model);
    void onLoadFailed(quint64 id, int errorKind, const QString& message);
    void saveOverrides();
    void setGenerating(bool on);

    store::ConversationStore* m_store = nullptr;
    EngineBridge* m_engine = nullptr;
    store::MessageListModel* m_pathModel = nullptr;  // child; = m_messages once a store is set
    std::unique_ptr<store::StreamingReply> m_reply;  // the reply in flight
    quint64 m_generateRequest = 0;
    quint64 m_loadRequest = 0;
    QTimer m_flushTimer;  // single shot, kFlushIntervalMs: batches streamed text

    AppSettings* m_settings;
    GenerationOverrides* m_overrides;
    QAbstractItemModel* m_messages = nullptr;

    qint64 m_conversationId = 0;
    QString m_title;

    bool m_generating = false;
    QString m_phase = QStringLiteral("idle");
    qint64 m_streamingMessageId = 0;
    QString m_answer;
    QString m_reasoning;
    bool m_thinking = false;
    QElapsedTimer m_thinkingClock;
    qint64 m_thinkingMs = 0;
    qint64 m_progressDone = 0;
    qint64 m_progressTotal = 0;

    QString m_modelPath;
    QString m_modelName;
    QString m_modelSizeText;
    bool m_modelLoaded = false;
    int m_contextUsed = 0;
    int m_contextSize = 0;
    QString m_contextNotice;

    QString m_errorMessage;
    QString m_errorActionText;
    int m_errorSettingsPage = -1;
};

}  // namespace tiefsee::bridge
