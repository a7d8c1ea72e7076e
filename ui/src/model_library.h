// ModelLibrary: the Models settings page's and the welcome view's C++ side
// (App.models): every model (installed, discovered in other apps' folders, catalog)
// in one list with fit badges and download state; import, download, pause, resume,
// cancel, verify, delete, set as default; the recommendation for the detected GPU.
#pragma once

#include <QAbstractItemModel>
#include <QObject>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace tiefsee::ui {

class ModelLibrary : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("App.models is the one instance")
    Q_PROPERTY(QAbstractItemModel* model READ model NOTIFY modelChanged)
    // Installed models only (roles name, path), for the composer's quick switcher.
    Q_PROPERTY(QAbstractItemModel* installed READ installed NOTIFY modelChanged)
    // GGUF files found in other apps' folders (roles name, path, source), for the welcome view.
    Q_PROPERTY(QAbstractItemModel* discovered READ discovered NOTIFY modelChanged)
    Q_PROPERTY(bool hasInstalled READ hasInstalled NOTIFY installedChanged)
    Q_PROPERTY(QString modelsFolder READ modelsFolder CONSTANT)
    Q_PROPERTY(QString deviceText READ deviceText NOTIFY deviceChanged)
    // {id, name, quant, sizeText, fitText, description} of the download recommended for
    // the detected GPU; empty when unknown.
    Q_PROPERTY(QVariantMap recommended READ recommended NOTIFY recommendedChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit ModelLibrary(QObject* parent = nullptr);

    QAbstractItemModel* model() const { return m_model; }
    QAbstractItemModel* installed() const { return m_installed; }
    QAbstractItemModel* discovered() const { return m_discovered; }
    bool hasInstalled() const { return m_installed && m_installed->rowCount() > 0; }
    QString modelsFolder() const;
    QString deviceText() const { return m_deviceText; }
    QVariantMap recommended() const { return m_recommended; }
    QString error() const { return m_error; }

    Q_INVOKABLE bool importFile(const QString& path);
    // Uses a discovered file where it is (no copy) and loads it.
    Q_INVOKABLE bool useDiscovered(const QString& path);
    Q_INVOKABLE bool download(const QString& id);
    Q_INVOKABLE void pause(const QString& id);
    Q_INVOKABLE void resume(const QString& id);
    Q_INVOKABLE void cancel(const QString& id);
    Q_INVOKABLE void verify(const QString& id);
    Q_INVOKABLE bool remove(const QString& id);

signals:
    void modelChanged();
    void installedChanged();
    void deviceChanged();
    void recommendedChanged();
    void errorChanged();
    // A model became usable (imported or downloaded): its GGUF path.
    void modelReady(const QString& path);

private:
    void setError(const QString& e);

    QAbstractItemModel* m_model = nullptr;
    QAbstractItemModel* m_installed = nullptr;
    QAbstractItemModel* m_discovered = nullptr;
    QString m_deviceText;
    QVariantMap m_recommended;
    QString m_error;
};

}  // namespace tiefsee::ui
