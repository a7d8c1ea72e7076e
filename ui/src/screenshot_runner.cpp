// ScreenshotRunner (see screenshot_runner.h). Each step changes the window through the
// same functions and settings the user would, then waits for a frame before grabbing.
#include "screenshot_runner.h"

#include "app_root.h"
#include "demo_conversation.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QImage>
#include <QQmlEngine>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>

namespace tiefsee::ui {

namespace {
constexpr int kSettleMs = 700;  // time for layouts, animations and text to settle
}

ScreenshotRunner::ScreenshotRunner(QQuickWindow* window, QString dir, QObject* parent)
    : QObject(parent), m_window(window), m_dir(std::move(dir))
{
}

void ScreenshotRunner::start()
{
    QDir().mkpath(m_dir);
    QTimer::singleShot(kSettleMs, this, &ScreenshotRunner::step);
}

bool ScreenshotRunner::grab(const QString& name)
{
    const QImage image = m_window->grabWindow();
    const QString path = QDir(m_dir).filePath(name + ".png");
    if (image.isNull() || !image.save(path)) {
        std::fprintf(stderr, "tiefsee: could not write %s\n", qPrintable(path));
        m_failed = true;
        return false;
    }
    std::printf("%s\n", qPrintable(path));
    return true;
}

void ScreenshotRunner::step()
{
    if (!m_window) {
        QCoreApplication::exit(1);
        return;
    }
    QQmlEngine* engine = qmlEngine(m_window);
    App* app = engine ? engine->singletonInstance<App*>(qmlTypeId("Tiefsee.Ui", 1, 0, "App")) : nullptr;
    if (!app) {
        std::fprintf(stderr, "tiefsee: no App singleton\n");
        QCoreApplication::exit(1);
        return;
    }
    // Each case arranges the window, the next step (after a frame) grabs it.
    switch (m_step++) {
    case 0:
        // First run: before any conversation exists.
        app->settings()->setTheme(QStringLiteral("light"));
        m_window->setProperty("forceWelcome", true);
        break;
    case 1: {
        grab(QStringLiteral("first-run"));
        m_window->setProperty("forceWelcome", false);
        // A real chat to show: the demo conversations (a fresh data folder has none).
        const qint64 id = app->conversations()->importJson(demoConversationsJson(QDateTime::currentMSecsSinceEpoch()));
        if (id == 0 || !app->chat()->openConversation(id)) {
            std::fprintf(stderr, "tiefsee: could not add the demo conversation: %s\n",
                         qPrintable(app->conversations()->error()));
            QCoreApplication::exit(1);
            return;
        }
        break;
    }
    case 2:
        grab(QStringLiteral("main-light"));
        app->settings()->setTheme(QStringLiteral("dark"));
        break;
    case 3:
        grab(QStringLiteral("main-dark"));
        app->settings()->setTheme(QStringLiteral("light"));
        QMetaObject::invokeMethod(m_window, "openSettings", Q_ARG(QVariant, QVariant(0)));
        break;
    case 4:
        grab(QStringLiteral("settings"));
        QCoreApplication::exit(m_failed ? 1 : 0);
        return;
    }
    QTimer::singleShot(kSettleMs, this, &ScreenshotRunner::step);
}

}  // namespace tiefsee::ui
