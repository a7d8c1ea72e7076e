// ScreenshotRunner: `tiefsee --screenshot DIR` renders the documentation pictures
// (main-light, main-dark, settings, first-run .png) from the real window and quits.
// Used by scripts/screenshots.sh; runs under the offscreen platform or Xvfb.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QQuickWindow;

namespace tiefsee::ui {

class ScreenshotRunner : public QObject {
    Q_OBJECT
public:
    // `window` is Main.qml's ApplicationWindow; files go to `dir`.
    ScreenshotRunner(QQuickWindow* window, QString dir, QObject* parent = nullptr);
    // Starts the sequence; the application quits when it is done (exit code 1 on failure).
    void start();

private:
    void step();
    bool grab(const QString& name);

    QPointer<QQuickWindow> m_window;
    QString m_dir;
    int m_step = 0;
    bool m_failed = false;
};

}  // namespace tiefsee::ui
