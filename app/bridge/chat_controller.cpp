// ChatController (see chat_controller.h).
#include "bridge/chat_controller.h"

#include <QFileInfo>

namespace tiefsee::bridge {

ChatController::ChatController(AppSettings* settings, QObject* parent)
    : QObject(parent), m_settings(settings), m_overrides(new GenerationOverrides(settings, this))
{
    if (!m_settings->defaultModel().isEmpty()) {
        m_modelPath = m_settings->defaultModel();
        m_modelName = QFileInfo(m_modelPath).completeBaseName();
    }
    m_contextSize = m_settings->contextLength();
}

ChatController::~ChatController() = default;

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

void ChatController::setError(Problem problem, const QString& detail)
{
    switch (problem) {
    case Problem::NotConnected:
        m_errorMessage = tr("Chatting is not available in this build yet: the conversation store and the "
                            "inference engine are not connected to the window.");
        m_errorActionText.clear();
        m_errorSettingsPage = -1;
        break;
    case Problem::NoModel:
        m_errorMessage = tr("No model is loaded. Download or import a DeepSeek-R1 model first.");
        m_errorActionText = tr("Open models");
        m_errorSettingsPage = 0;
        break;
    case Problem::Other:
        m_errorMessage = detail;
        m_errorActionText.clear();
        m_errorSettingsPage = -1;
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

void ChatController::newConversation()
{
    if (m_conversationId == 0 && m_title.isEmpty())
        return;
    m_conversationId = 0;
    m_title.clear();
    m_overrides->load({});
    emit conversationChanged();
}

bool ChatController::openConversation(qint64)
{
    setError(Problem::NotConnected);
    return false;
}

bool ChatController::send(const QString& text)
{
    if (text.trimmed().isEmpty() || m_generating)
        return false;
    if (m_modelPath.isEmpty()) {
        setError(Problem::NoModel);
        return false;
    }
    setError(Problem::NotConnected);
    return false;
}

void ChatController::stop() {}

bool ChatController::regenerate(qint64)
{
    setError(Problem::NotConnected);
    return false;
}

bool ChatController::editMessage(qint64, const QString&)
{
    setError(Problem::NotConnected);
    return false;
}

bool ChatController::switchBranch(qint64, int)
{
    setError(Problem::NotConnected);
    return false;
}

void ChatController::loadModel(const QString& path)
{
    m_settings->setDefaultModel(path);
    m_modelPath = path;
    m_modelName = QFileInfo(path).completeBaseName();
    m_modelLoaded = false;
    emit modelChanged();
}

QString ChatController::lastAnswer() const { return {}; }

}  // namespace tiefsee::bridge
