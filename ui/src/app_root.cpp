// App singleton (see app_root.h).
#include "app_root.h"

#include "core/app_info.h"

#include "chat/model_backend.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>
#include <QQmlEngine>
#include <QUrl>

namespace tiefsee::ui {

App::App(QQmlEngine* engine, QObject* parent)
    : QObject(parent), m_settings(std::make_unique<bridge::AppSettings>()), m_engine(engine)
{
    m_chat = new bridge::ChatController(m_settings.get(), this);
    m_conversations = new ConversationList(this);
    m_models = new ModelLibrary(this);
    m_devices = new DeviceList(this);
    connectBackEnds();
    updateSystemDark();
    if (qApp)
        qApp->installEventFilter(this);
    connect(m_settings.get(), &bridge::AppSettings::languageChanged, this, [this] { applyLanguage(true); });
    // Not retranslating here: the engine is in the middle of creating this singleton, and
    // retranslate() would re-evaluate the bindings that are asking for it (endless
    // recursion). Strings evaluated before App existed are retranslated once the event
    // loop runs.
    applyLanguage(false);
    QMetaObject::invokeMethod(this, [this] { if (m_engine) m_engine->retranslate(); }, Qt::QueuedConnection);
}

void App::connectBackEnds()
{
    // Conversations: one SQLite file in the data folder; a damaged one is moved aside.
    auto opened = store::ConversationStore::open(store::ConversationStore::defaultPath());
    if (opened) {
        m_store = std::move(opened->store);
        (void)m_store->markInterruptedReplies();
        m_conversations->setStore(m_store.get());
        m_chat->setStore(m_store.get());
        if (!opened->movedAsideTo.isEmpty())
            m_startupNotice = tr("The conversation database was damaged. It was moved to %1 and a new one was "
                                 "started.").arg(opened->movedAsideTo);
    } else {
        m_startupNotice = QString::fromStdString(opened.error().message);
    }
    connect(m_chat, &bridge::ChatController::storeChanged, m_conversations, &ConversationList::refresh);
    // A deleted conversation closes at once; if the delete is undone before anything
    // else was opened, it comes back into view.
    connect(m_conversations, &ConversationList::conversationRemoved, m_chat, [this](qint64 id) {
        m_closedByDelete = 0;
        if (m_chat->conversationId() == id) {
            m_chat->newConversation();
            m_closedByDelete = id;
        }
    });
    connect(m_conversations, &ConversationList::conversationRestored, m_chat, [this](qint64 id) {
        if (id == m_closedByDelete && m_chat->conversationId() == 0 && !m_chat->generating())
            m_chat->openConversation(id);
        m_closedByDelete = 0;
    });

    // Models: the folder, imports, discovery, catalog and downloads.
    m_modelsService = std::make_unique<models::ModelsService>(models::ModelsService::Config{});
    m_models->setService(m_modelsService.get());
    connect(m_models, &ModelLibrary::modelReady, m_chat, &bridge::ChatController::loadModel);

    // Devices, for the Hardware page and the fit estimate.
    connect(m_devices, &DeviceList::ready, this, [this] {
        const int index = m_settings->deviceIndex();
        if (const qint64 budget = m_devices->deviceBudget(index); budget > 0)
            m_models->setDevice(m_devices->deviceName(index), budget);
    });
    m_devices->start();

    // The engine's worker thread; loads the default model if there is one.
    m_engineBridge = std::make_unique<bridge::EngineBridge>(&chat::loadModelBackend);
    m_chat->setEngine(m_engineBridge.get());
}

App::~App()
{
    // The controllers write to the store when they go (a pending delete, a reply in
    // flight saved as stopped): delete them while the store and engine still exist.
    delete m_conversations;
    delete m_chat;
    m_engineBridge.reset();
    if (m_translatorInstalled)
        QCoreApplication::removeTranslator(&m_translator);
    m_settings->sync();
}

App* App::create(QQmlEngine* qml, QJSEngine*)
{
    return new App(qml);  // the QML engine owns it (JavaScriptOwnership for singletons)
}

QString App::version() const { return QString::fromLatin1(tiefsee::app::version()); }

void App::applyLanguage(bool retranslate)
{
    QString lang = m_settings->language();
    if (lang.isEmpty())
        lang = QLocale::system().name().section(QLatin1Char('_'), 0, 0);
    if (m_translatorInstalled) {
        QCoreApplication::removeTranslator(&m_translator);
        m_translatorInstalled = false;
    }
    QString shown = QStringLiteral("en");
    // The .qm files are compiled from resources/translations/*.ts into the binary.
    if (lang != QLatin1String("en") && m_translator.load(QStringLiteral(":/i18n/tiefsee_%1.qm").arg(lang))) {
        m_translatorInstalled = QCoreApplication::installTranslator(&m_translator);
        if (m_translatorInstalled)
            shown = lang;
    }
    if (shown != m_uiLanguage) {
        m_uiLanguage = shown;
        emit uiLanguageChanged();
    }
    if (retranslate && m_engine)
        m_engine->retranslate();
}

void App::updateSystemDark()
{
    // Qt 6.4 has no colour-scheme hint; a dark window background means a dark desktop.
    const bool dark = QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
    if (dark != m_systemDark) {
        m_systemDark = dark;
        emit systemDarkChanged();
    }
}

bool App::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange)
        updateSystemDark();
    return QObject::eventFilter(watched, event);
}

void App::copyText(const QString& text) const
{
    if (auto* cb = QGuiApplication::clipboard())
        cb->setText(text);
}

QString App::clipboardText() const
{
    auto* cb = QGuiApplication::clipboard();
    return cb ? cb->text() : QString();
}

QUrl App::folderUrl(const QString& path) const
{
    const QFileInfo info(path);
    return QUrl::fromLocalFile(info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

QString App::localPath(const QUrl& url) const { return url.isLocalFile() ? url.toLocalFile() : url.toString(); }

}  // namespace tiefsee::ui
