// tiefsee: the desktop app. Parses the command line, then loads Tiefsee.Ui/Main.qml.
#include "core/app_info.h"
#include "selftest/selftest.h"
#include "screenshot_runner.h"
#include "vulkan/device_info.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>

#include <cstring>

int main(int argc, char* argv[])
{
    // Before any thread or graphics driver starts (Qt's renderer may load Mesa too).
    tiefsee::vk::preferWideCpuVectors();

    // `tiefsee --self-test`: the headless installation check (app/selftest), before any window exists.
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--self-test") == 0)
            return tiefsee::app::selfTestMain();

    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName("Tiefsee");
    QGuiApplication::setOrganizationName("Tiefsee");
    QGuiApplication::setApplicationVersion(tiefsee::app::version());
    QGuiApplication::setDesktopFileName("io.github.tiefsee.Tiefsee");

    QCommandLineParser parser;
    parser.setApplicationDescription("Private DeepSeek-R1 chat on your own GPU.");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot("screenshot", "Save the documentation screenshots into DIR and quit.", "DIR");
    parser.addOption(screenshot);
    parser.process(app);

    QQuickStyle::setStyle("Basic");
    QQmlApplicationEngine engine;
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
                     Qt::QueuedConnection);
    // Qt 6.4 (Debian 12) has no loadFromModule(); the module's files sit under its URI path
    // in the resources, and its qmldir (listing the QML types) is found through qrc:/.
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.load(QUrl(QStringLiteral("qrc:/Tiefsee/Ui/qml/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;

    if (parser.isSet(screenshot)) {
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
        auto* runner = new tiefsee::ui::ScreenshotRunner(window, parser.value(screenshot), &app);
        runner->start();
    }
    return app.exec();
}
