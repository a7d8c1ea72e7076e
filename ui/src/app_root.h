// App: the QML singleton that owns the application's C++ side for one QML engine —
// settings, translator, and (as they land) the chat controller, the conversation
// store's models, the model manager and the Vulkan device list. QML reaches them as
// App.settings, App.chat, ...; nothing else is exposed through context properties.
#pragma once

#include "bridge/app_settings.h"
#include "bridge/engine_bridge.h"
#include "models/models_service.h"
#include "store/conversation_store.h"
#include "bridge/chat_controller.h"
#include "bridge/generation_overrides.h"
#include "conversation_list.h"
#include "device_list.h"
#include "model_library.h"

#include <QObject>
#include <QPointer>
#include <QTranslator>
#include <QUrl>
#include <QtQml/qqml.h>

#include <memory>

class QQmlEngine;
class QJSEngine;

namespace tiefsee::ui {

// Lets QML see AppSettings (defined in app/, which has no QML) as a type.
struct AppSettingsForeign {
    Q_GADGET
    QML_FOREIGN(tiefsee::bridge::AppSettings)
    QML_NAMED_ELEMENT(AppSettings)
    QML_UNCREATABLE("App.settings is the one instance")
};

struct ChatControllerForeign {
    Q_GADGET
    QML_FOREIGN(tiefsee::bridge::ChatController)
    QML_NAMED_ELEMENT(ChatController)
    QML_UNCREATABLE("App.chat is the one instance")
};

struct GenerationOverridesForeign {
    Q_GADGET
    QML_FOREIGN(tiefsee::bridge::GenerationOverrides)
    QML_NAMED_ELEMENT(GenerationOverrides)
    QML_UNCREATABLE("App.chat.overrides belongs to the chat")
};

class App : public QObject {
    Q_OBJECT
    QML_NAMED_ELEMENT(App)
    QML_SINGLETON
    Q_PROPERTY(tiefsee::bridge::AppSettings* settings READ settings CONSTANT)
    Q_PROPERTY(tiefsee::bridge::ChatController* chat READ chat CONSTANT)
    Q_PROPERTY(tiefsee::ui::ConversationList* conversations READ conversations CONSTANT)
    Q_PROPERTY(tiefsee::ui::ModelLibrary* models READ models CONSTANT)
    Q_PROPERTY(tiefsee::ui::DeviceList* devices READ devices CONSTANT)
    Q_PROPERTY(bool systemDark READ systemDark NOTIFY systemDarkChanged)
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(QString uiLanguage READ uiLanguage NOTIFY uiLanguageChanged)  // "en" | "de", what is shown now
    // A problem found at start (damaged database moved aside, ...), in plain words; "" if none.
    Q_PROPERTY(QString startupNotice READ startupNotice CONSTANT)

public:
    // `engine` (not owned) is the QML engine App lives in: retranslate() is called on it
    // when the language changes. There is deliberately no default constructor: Qt 6.4
    // prefers one over create() for a QML_SINGLETON, and then never passes the engine.
    explicit App(QQmlEngine* engine, QObject* parent = nullptr);
    ~App() override;
    // Called by the QML engine the first time App is used in it.
    static App* create(QQmlEngine* qml, QJSEngine* js);

    bridge::AppSettings* settings() const { return m_settings.get(); }
    bridge::ChatController* chat() const { return m_chat; }
    ConversationList* conversations() const { return m_conversations; }
    ModelLibrary* models() const { return m_models; }
    DeviceList* devices() const { return m_devices; }
    bool systemDark() const { return m_systemDark; }
    QString version() const;
    QString uiLanguage() const { return m_uiLanguage; }
    QString startupNotice() const { return m_startupNotice; }

    // Puts `text` on the system clipboard.
    Q_INVOKABLE void copyText(const QString& text) const;
    // Text currently on the clipboard (tests and "paste" helpers).
    Q_INVOKABLE QString clipboardText() const;
    // Folder of a file or folder path as a file:// URL for Qt.openUrlExternally.
    Q_INVOKABLE QUrl folderUrl(const QString& path) const;
    // Local path of a file:// URL from a file dialog.
    Q_INVOKABLE QString localPath(const QUrl& url) const;

signals:
    void systemDarkChanged();
    void uiLanguageChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // Installs the translator for settings.language (empty = system locale) and, if
    // `retranslate`, asks the QML engine to re-evaluate every qsTr binding.
    void applyLanguage(bool retranslate);
    void updateSystemDark();
    // Opens the store, the models service, the device list and the engine, and hands
    // them to the controllers.
    void connectBackEnds();
    QString m_startupNotice;

    std::unique_ptr<bridge::AppSettings> m_settings;
    // The back ends the controllers use. Declared before them so they outlive them
    // (the chat saves a reply in flight on destruction).
    std::unique_ptr<store::ConversationStore> m_store;
    std::unique_ptr<models::ModelsService> m_modelsService;
    std::unique_ptr<bridge::EngineBridge> m_engineBridge;
    // Children of this object, created in the constructor.
    bridge::ChatController* m_chat = nullptr;
    ConversationList* m_conversations = nullptr;
    ModelLibrary* m_models = nullptr;
    DeviceList* m_devices = nullptr;
    qint64 m_closedByDelete = 0;  // the open conversation that a pending (undoable) delete closed
    QTranslator m_translator;
    bool m_translatorInstalled = false;
    QString m_uiLanguage = QStringLiteral("en");
    bool m_systemDark = false;
    QPointer<QQmlEngine> m_engine;  // the engine that created us; for retranslate()
};

}  // namespace tiefsee::ui
