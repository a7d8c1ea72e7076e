// Qt Quick Test runner for the QML suites in tests/ui/qml. Each tst_*.qml file gets a
// fresh QML engine (and so a fresh App singleton), which is how tst_2_restart checks
// what a restarted app restores (testMemo carries what the first one showed). The data
// and settings folders are wiped once per run.
#include <QDir>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQmlPropertyMap>
#include <QStandardPaths>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(Tiefsee_UiPlugin)

class Setup : public QObject {
    Q_OBJECT
public slots:
    void applicationAvailable()
    {
        // XDG_DATA_HOME / XDG_CONFIG_HOME point into the build tree (see CMakeLists.txt).
        for (const char* var : {"XDG_DATA_HOME", "XDG_CONFIG_HOME"}) {
            const QString dir = qEnvironmentVariable(var);
            Q_ASSERT_X(dir.contains("tests/ui"), "tst_ui_quick", "refusing to wipe a real data folder");
            QDir(dir).removeRecursively();
            QDir().mkpath(dir);
        }
        QCoreApplication::setOrganizationName("Tiefsee");
        QCoreApplication::setApplicationName("Tiefsee");
    }
    void qmlEngineAvailable(QQmlEngine* engine)
    {
        engine->addImportPath("qrc:/");
        engine->rootContext()->setContextProperty(
            "testModelPath", QStringLiteral(TIEFSEE_TESTDATA "/models/mini-qwen2-q8_0.gguf"));
        engine->rootContext()->setContextProperty("testDataHome", qEnvironmentVariable("XDG_DATA_HOME"));
        // Outlives each suite's engine: tst_1 notes what it showed, tst_2 (a "restarted"
        // app in a fresh engine) checks that exactly that comes back.
        engine->rootContext()->setContextProperty("testMemo", &m_memo);
    }

private:
    QQmlPropertyMap m_memo;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_ui_quick, Setup)
#include "tst_ui_quick.moc"
