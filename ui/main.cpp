// tiefsee: the desktop app. Parses the command line, then loads Tiefsee.Ui/Main.qml.
#include "core/app_info.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>

int main(int argc, char* argv[])
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName("Tiefsee");
    QGuiApplication::setOrganizationName("Tiefsee");
    QGuiApplication::setApplicationVersion(tiefsee::app::version());
    QGuiApplication::setDesktopFileName("io.github.tiefsee.Tiefsee");

    QCommandLineParser parser;
    parser.setApplicationDescription("Private DeepSeek-R1 chat on your own GPU.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    QQuickStyle::setStyle("Basic");
    QQmlApplicationEngine engine;
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
                     Qt::QueuedConnection);
    // Qt 6.4 (Debian 12) has no loadFromModule(); the module's files sit under its URI path.
    engine.load(QUrl(QStringLiteral("qrc:/Tiefsee/Ui/qml/Main.qml")));
    return app.exec();
}
