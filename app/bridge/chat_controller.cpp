// ChatController (see chat_controller.h).
#include "bridge/chat_controller.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocale>

namespace tiefsee::bridge {

namespace {
QString sizeText(const QString& path)
{
    const qint64 bytes = QFileInfo(path).size();
    return bytes > 0 ? QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat) : QString();
}
std::string utf8(const QString& s) { return s.toStdString(); }
}  // namespace

ChatController::ChatController(AppSettings* settings, QObject* parent)
    : QObject(parent), m_settings(settings), m_overrides(new GenerationOverrides(settings, this))
{
    if (!m_settings->defaultModel().isEmpty()) {
        m_modelPath = m_settings->defaultModel();
        m_modelName = QFileInfo(m_modelPath).completeBaseName();
        m_modelSizeText = sizeText(m_modelPath);
    }
    m_contextSize = m_settings->contextLength();
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &ChatController::flushStreaming);
    connect(m_overrides, &GenerationOverrides::edited, this, &ChatController::saveOverrides);
}

// A reply still in flight is saved as 'stopped' by StreamingReply's destructor.
ChatController::~ChatController() = default;

void ChatController::setStore(store::ConversationStore* store)
{
    m_store = store;
    m_pathModel = new store::MessageListModel(this);
    m_pathModel->setStore(store);
    m_messages = m_pathModel;
    emit messagesModelChanged();
    const qint64 last = m_settings->lastConversation();
    if (last > 0)
        openConversation(last);
}

void ChatController::setEngine(EngineBridge* engine)
{
    m_engine = engine;
    connect(engine, &EngineBridge::tokensAvailable, this, &ChatController::onTokensAvailable);
    connect(engine, &EngineBridge::finished, this, &ChatController::onFinished);
    connect(engine, &EngineBridge::loaded, this, &ChatController::onLoaded);
    connect(engine, &EngineBridge::loadFailed, this, &ChatController::onLoadFailed);
    connect(engine, &EngineBridge::loadProgress, this, [this](quint64 id, double f) {
        if (id != m_loadRequest)
            return;
        m_progressDone = qint64(f * 1000);
        m_progressTotal = 1000;
        emit progressChanged();
    });
    connect(engine, &EngineBridge::prefillProgress, this, [this](quint64 id, qint64 done, qint64 total) {
        if (id != m_generateRequest)
            return;
        setPhase(QStringLiteral("prefill"));
        m_progressDone = done;
        m_progressTotal = total;
        emit progressChanged();
    });
    connect(engine, &EngineBridge::contextDropped, this, [this](quint64 id, int, int count) {
        if (id != m_generateRequest)
            return;
        m_contextNotice = tr("The conversation no longer fits the context: the model does not see the %n oldest "
                             "message(s) any more.", "", count);
        emit contextChanged();
    });
    if (!m_modelPath.isEmpty() && QFileInfo::exists(m_modelPath))
        ensureModelLoaded();
}

double ChatController::thinkingSeconds() const
{
    return (m_thinking ? m_thinkingClock.elapsed() : m_thinkingMs) / 1000.0;
}

void ChatController::setPhase(const QString& phase)
{
    if (phase == m_phase)
        return;
    m_phase = phase;
    emit phaseChanged();
}

void ChatController::setGenerating(bool on)
{
    if (on == m_generating)
        return;
    m_generating = on;
    emit generatingChanged();
}

void ChatController::setError(Problem problem, const QString& detail)
{
    m_errorActionText.clear();
    m_errorSettingsPage = -1;
    switch (problem) {
    case Problem::NotConnected:
        m_errorMessage = tr("Chatting is not available: the conversation store or the inference engine could "
                            "not be started.");
        if (!detail.isEmpty())
            m_errorMessage += QLatin1Char(' ') + detail;
        break;
    case Problem::NoModel:
        m_errorMessage = tr("No model is loaded. Download or import a DeepSeek-R1 model first.");
        m_errorActionText = tr("Open models");
        m_errorSettingsPage = 0;
        break;
    case Problem::TooLarge:
        m_errorMessage = tr("The model is too large for this GPU's memory (%1). Pick a smaller model or quant, or "
                            "a shorter context length.").arg(detail);
        m_errorActionText = tr("Open models");
        m_errorSettingsPage = 0;
        break;
    case Problem::NoDevice:
        m_errorMessage = tr("No usable Vulkan device was found (%1). Install or update the graphics driver, or "
                            "choose another device.").arg(detail);
        m_errorActionText = tr("Open hardware");
        m_errorSettingsPage = 2;
        break;
    case Problem::BadFile:
        m_errorMessage = tr("This model file can't be used: %1 Choose another model.").arg(detail);
        m_errorActionText = tr("Open models");
        m_errorSettingsPage = 0;
        break;
    case Problem::Other:
        m_errorMessage = detail;
        break;
    }
    emit errorChanged();
}

void ChatController::clearError()
{
    if (m_errorMessage.isEmpty())
        return;
    m_errorMessage.clear();
    m_errorActionText.clear();
    m_errorSettingsPage = -1;
    emit errorChanged();
}

// ---- conversations

void ChatController::newConversation()
{
    m_conversationId = 0;
    m_title.clear();
    m_overrides->load({});
    if (m_pathModel)
        m_pathModel->setConversationId(0);
    m_contextNotice.clear();
    m_contextUsed = 0;
    emit contextChanged();
    emit conversationChanged();
}

bool ChatController::openConversation(qint64 id)
{
    if (!m_store) {
        setError(Problem::NotConnected);
        return false;
    }
    auto conv = m_store->conversation(id);
    if (!conv) {
        // A remembered conversation that was deleted meanwhile: start fresh.
        m_settings->setLastConversation(-1);
        newConversation();
        return false;
    }
    m_conversationId = id;
    m_title = conv->title;
    m_overrides->load(QJsonDocument::fromJson(conv->settingsJson.toUtf8()).object());
    m_pathModel->setConversationId(id);
    m_settings->setLastConversation(id);
    m_contextNotice.clear();
    m_contextUsed = 0;
    emit contextChanged();
    emit conversationChanged();
    return true;
}

void ChatController::saveOverrides()
{
    if (!m_store || m_conversationId <= 0)
        return;
    const QString json = QString::fromUtf8(QJsonDocument(m_overrides->toJson()).toJson(QJsonDocument::Compact));
    if (auto r = m_store->setConversationSettings(m_conversationId, m_modelName, m_overrides->effective().systemPrompt,
                                                   json);
        !r)
        setError(Problem::Other, QString::fromStdString(r.error().message));
}

// ---- sending and generating

// True when a store, an engine and a model are there to answer; otherwise shows why.
bool ChatController::readyToGenerate()
{
    if (!m_store || !m_engine) {
        setError(Problem::NotConnected);
        return false;
    }
    if (m_modelPath.isEmpty()) {
        setError(Problem::NoModel);
        return false;
    }
    clearError();
    return true;
}

bool ChatController::send(const QString& text)
{
    if (text.trimmed().isEmpty() || m_generating || !readyToGenerate())
        return false;
    if (m_conversationId <= 0) {
        store::Conversation values;
        values.model = m_modelName;
        auto created = m_store->createConversation(values);
        if (!created) {
            setError(Problem::Other, QString::fromStdString(created.error().message));
            return false;
        }
        m_conversationId = *created;
        m_pathModel->setConversationId(m_conversationId);
        m_settings->setLastConversation(m_conversationId);
    }
    // The user's message is committed before anything is generated.
    qint64 parent = 0;
    if (auto path = m_store->activePath(m_conversationId); path && !path->empty())
        parent = path->back().message.id;
    store::NewMessage message;
    message.role = store::Role::User;
    message.content = text;
    auto user = m_store->appendMessage(m_conversationId, parent, message);
    if (!user) {
        setError(Problem::Other, QString::fromStdString(user.error().message));
        return false;
    }
    if (auto conv = m_store->conversation(m_conversationId))
        m_title = conv->title;
    emit conversationChanged();
    auto reply = m_store->beginReply(m_conversationId, *user, m_modelName);
    if (!reply) {
        m_pathModel->reload();
        setError(Problem::Other, QString::fromStdString(reply.error().message));
        return true;  // the message is sent (stored); only the answer failed to start
    }
    startReply(*reply);
    emit storeChanged();
    return true;
}

bool ChatController::regenerate(qint64 assistantMessageId)
{
    if (m_generating || !readyToGenerate())
        return false;
    auto reply = m_store->regenerate(assistantMessageId, m_modelName);
    if (!reply) {
        setError(Problem::Other, QString::fromStdString(reply.error().message));
        return false;
    }
    return startReply(*reply);
}

bool ChatController::editMessage(qint64 userMessageId, const QString& text)
{
    if (m_generating || text.trimmed().isEmpty() || !readyToGenerate())
        return false;
    auto user = m_store->editUserMessage(userMessageId, text);
    if (!user) {
        setError(Problem::Other, QString::fromStdString(user.error().message));
        return false;
    }
    auto reply = m_store->beginReply(m_conversationId, *user, m_modelName);
    if (!reply) {
        m_pathModel->reload();
        setError(Problem::Other, QString::fromStdString(reply.error().message));
        return false;
    }
    return startReply(*reply);
}

bool ChatController::startReply(qint64 replyId)
{
    // The prompt: the active path up to (not including) the new empty reply.
    auto path = m_store->activePath(m_conversationId);
    if (!path) {
        setError(Problem::Other, QString::fromStdString(path.error().message));
        return false;
    }
    const GenerationParams p = m_overrides->effective();
    chat::Conversation conversation;
    if (!p.systemPrompt.trimmed().isEmpty())
        conversation.push_back({chat::Role::System, utf8(p.systemPrompt)});
    for (const store::PathMessage& pm : *path) {
        const store::Message& m = pm.message;
        if (m.id == replyId)
            break;
        if (m.role == store::Role::User)
            conversation.push_back({chat::Role::User, utf8(m.content)});
        else if (m.role == store::Role::Assistant)
            conversation.push_back({chat::Role::Assistant, utf8(m.content)});
    }
    chat::GenerationParams params;
    params.sampling.temperature = float(p.temperature);
    params.sampling.topP = float(p.topP);
    params.sampling.topK = p.topK;
    params.sampling.minP = float(p.minP);
    params.sampling.repeatPenalty = float(p.repeatPenalty);
    params.sampling.seed = quint64(QDateTime::currentMSecsSinceEpoch());
    params.maxTokens = p.maxTokens;

    ensureModelLoaded();
    m_reply = std::make_unique<store::StreamingReply>(*m_store, replyId);
    m_streamingMessageId = replyId;
    m_answer.clear();
    m_reasoning.clear();
    m_thinking = false;
    m_thinkingMs = 0;
    m_contextNotice.clear();
    m_generateRequest = m_engine->generate(std::move(conversation), std::move(params));
    setGenerating(true);
    if (m_phase != QLatin1String("loading"))
        setPhase(QStringLiteral("prefill"));
    m_progressDone = m_progressTotal = 0;
    emit progressChanged();
    emit streamingChanged();
    m_pathModel->reload();  // shows the user message and the empty reply row
    return true;
}

void ChatController::ensureModelLoaded()
{
    if (m_modelLoaded || m_loadRequest != 0 || !m_engine || m_modelPath.isEmpty())
        return;
    const GenerationParams p = m_overrides->effective();
    m_loadRequest = m_engine->loadModel(m_modelPath, p.contextLength, m_settings->deviceIndex());
    m_progressDone = m_progressTotal = 0;
    emit progressChanged();
    setPhase(QStringLiteral("loading"));
}

void ChatController::loadModel(const QString& path)
{
    m_settings->setDefaultModel(path);
    m_settings->setFirstRunDone(true);
    m_modelPath = path;
    m_modelName = QFileInfo(path).completeBaseName();
    m_modelSizeText = sizeText(path);
    m_modelLoaded = false;
    m_loadRequest = 0;
    emit modelChanged();
    clearError();
    if (m_generating && m_engine)
        m_engine->cancel();  // a load supersedes the running generation anyway
    ensureModelLoaded();
}

void ChatController::onLoaded(quint64 id, const LoadedModel& model)
{
    if (id != m_loadRequest)
        return;
    m_loadRequest = 0;
    m_modelLoaded = true;
    if (!model.name.isEmpty())
        m_modelName = model.name;
    m_contextSize = model.contextSize;
    emit modelChanged();
    emit contextChanged();
    if (!model.templateNotice.isEmpty())
        setError(Problem::Other, model.templateNotice);
    setPhase(m_generating ? QStringLiteral("prefill") : QStringLiteral("idle"));
}

void ChatController::onLoadFailed(quint64 id, int errorKind, const QString& message)
{
    if (id != m_loadRequest)
        return;
    m_loadRequest = 0;
    m_modelLoaded = false;
    emit modelChanged();
    setPhase(m_generating ? QStringLiteral("prefill") : QStringLiteral("idle"));
    switch (ErrorKind(errorKind)) {
    case ErrorKind::Cancelled:
        return;
    case ErrorKind::OutOfMemory:
        setError(Problem::TooLarge, message);
        return;
    case ErrorKind::Device:
        setError(Problem::NoDevice, message);
        return;
    case ErrorKind::NotFound:
    case ErrorKind::InvalidInput:
    case ErrorKind::Unsupported:
    case ErrorKind::Io:
        setError(Problem::BadFile, message);
        return;
    default:
        setError(Problem::Other, message);
    }
}

void ChatController::onTokensAvailable(quint64 id)
{
    if (id == m_generateRequest && !m_flushTimer.isActive())
        m_flushTimer.start();
}

// Takes what the worker streamed since the last flush and hands it to the view and the
// store in one step (one streamingChanged per ~40 ms, whatever the token rate).
void ChatController::flushStreaming()
{
    if (!m_engine || !m_reply)
        return;
    PendingText pending = m_engine->takePending(m_generateRequest);
    if (pending.tokens == 0)
        return;
    if (pending.answerReset)
        m_answer.clear();
    if (!pending.reasoning.isEmpty()) {
        if (!m_thinking && m_answer.isEmpty() && m_reasoning.isEmpty()) {
            m_thinking = true;
            m_thinkingClock.start();
        }
        m_reasoning += pending.reasoning;
        m_reply->appendReasoning(pending.reasoning);
    }
    if (!pending.answer.isEmpty()) {
        if (m_thinking) {
            m_thinking = false;
            m_thinkingMs = m_thinkingClock.elapsed();
        }
        m_answer += pending.answer;
        m_reply->appendContent(pending.answer);
    }
    setPhase(m_answer.isEmpty() ? QStringLiteral("thinking") : QStringLiteral("answering"));
    emit streamingChanged();
}

void ChatController::onFinished(quint64 id, const FinishedGeneration& result)
{
    if (id != m_generateRequest)
        return;
    m_flushTimer.stop();
    flushStreaming();
    store::MessageStatus status = store::MessageStatus::Complete;
    if (result.stopReason == chat::StopReason::Cancelled)
        status = store::MessageStatus::Stopped;
    else if (result.stopReason == chat::StopReason::Error || result.stopReason == chat::StopReason::ContextFull)
        status = store::MessageStatus::Failed;
    if (m_thinking) {
        m_thinking = false;
        m_thinkingMs = m_thinkingClock.elapsed();
    }
    if (m_reply) {
        store::ReplyUpdate stats;
        stats.thinkingMs = result.thinkingMs > 0 ? result.thinkingMs : m_thinkingMs;
        stats.promptTokens = result.promptTokens;
        stats.generatedTokens = result.generatedTokens;
        stats.tokensPerSecond = result.tokensPerSecond;
        m_reply->setStats(stats);
        const qint64 replyId = m_reply->messageId();
        auto finished = m_reply->finish(status);
        // The parser's final split wins over what streamed (a late </think> can move text).
        if (finished && (result.answer != m_reply->state().content || result.reasoning != m_reply->state().reasoning)) {
            store::ReplyUpdate exact = stats;
            exact.content = result.answer;
            exact.reasoning = result.reasoning;
            exact.status = status;
            (void)m_store->updateReply(replyId, exact);
        }
        if (!finished)
            setError(Problem::Other, QString::fromStdString(finished.error().message));
        m_reply.reset();
    }
    if (status == store::MessageStatus::Failed && !result.error.isEmpty()) {
        if (result.errorKind == ErrorKind::NotFound || result.error.contains(QLatin1String("no model"), Qt::CaseInsensitive))
            setError(Problem::NoModel);
        else
            setError(Problem::Other, result.error);
    }
    m_contextUsed = result.promptTokens + result.generatedTokens;
    if (result.droppedMessages > 0 && m_contextNotice.isEmpty())
        m_contextNotice = tr("The conversation no longer fits the context: the model does not see the %n oldest "
                             "message(s) any more.", "", result.droppedMessages);
    else if (m_contextSize > 0 && m_contextUsed > m_contextSize * 0.85 && m_contextNotice.isEmpty())
        m_contextNotice = tr("The context is nearly full: older turns will soon be left out. Start a new chat for "
                             "a new topic.");
    emit contextChanged();
    m_streamingMessageId = 0;
    m_generateRequest = 0;
    setGenerating(false);
    setPhase(m_loadRequest ? QStringLiteral("loading") : QStringLiteral("idle"));
    emit streamingChanged();
    m_pathModel->reload();
    emit storeChanged();
}

void ChatController::stop()
{
    if (m_generating && m_engine)
        m_engine->cancel();
}

bool ChatController::switchBranch(int row, int delta)
{
    if (m_generating || !m_pathModel)
        return false;
    const bool ok = m_pathModel->showSibling(row, delta);
    if (!ok && !m_pathModel->lastError().isEmpty())
        setError(Problem::Other, m_pathModel->lastError());
    return ok;
}

QString ChatController::lastAnswer() const
{
    if (!m_pathModel)
        return {};
    for (int row = m_pathModel->rowCount() - 1; row >= 0; --row) {
        const QModelIndex i = m_pathModel->index(row);
        if (i.data(store::MessageListModel::RoleRole).toString() == QLatin1String("assistant")) {
            const QString content = i.data(store::MessageListModel::ContentRole).toString();
            if (!content.isEmpty())
                return content;
        }
    }
    return {};
}

}  // namespace tiefsee::bridge
