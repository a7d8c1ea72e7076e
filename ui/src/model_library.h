// ModelLibrary: the Models settings page's and the welcome view's C++ side
// (App.models), over models::ModelsService: every model (installed, discovered in
// other apps' folders, catalog) in one list with fit badges and download state;
// import, download, pause, resume, cancel, delete; the recommendation for the GPU.
#pragma once

#include "bridge/model_verifier.h"
#include "models/models_service.h"

#include <QAbstractItemModel>
#include <QObject>
#include <QSortFilterProxyModel>
#include <QVariantMap>
#include <QtQml/qqml.h>
#include <QtQml/qqmlregistration.h>

namespace tiefsee::ui {

// Lets QML see bridge::ModelVerifier (app/ has no QML) as a type.
struct ModelVerifierForeign {
    Q_GADGET
    QML_FOREIGN(tiefsee::bridge::ModelVerifier)
    QML_NAMED_ELEMENT(ModelVerifier)
    QML_UNCREATABLE("App.models.verifier is the one instance")
};

class ModelLibrary : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("App.models is the one instance")
    // models::ModelListModel (roles: see app/models/model_list_model.h).
    Q_PROPERTY(QAbstractItemModel* model READ model NOTIFY modelChanged)
    // Installed, supported models only (roles name, path), for the composer's switcher.
    Q_PROPERTY(QAbstractItemModel* installed READ installed NOTIFY modelChanged)
    // GGUF files found in other apps' folders (roles name, path, origin), for the welcome view.
    Q_PROPERTY(QAbstractItemModel* discovered READ discovered NOTIFY modelChanged)
    Q_PROPERTY(bool hasInstalled READ hasInstalled NOTIFY installedChanged)
    Q_PROPERTY(QString modelsFolder READ modelsFolder NOTIFY modelChanged)
    Q_PROPERTY(QString deviceText READ deviceText NOTIFY deviceChanged)
    // {id, name, quant, sizeText, fitText, fit, fitContext, description, downloading, progress,
    // progressText}
    // of the catalog download recommended for the GPU; empty when none.
    Q_PROPERTY(QVariantMap recommended READ recommended NOTIFY recommendedChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    // A calm note, not an error: Hugging Face could not be reached, so catalog sizes are
    // estimates and downloads wait; empty once the Hub answers.
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
    // The "Verify" sha256 check of installed / discovered files (one at a time).
    Q_PROPERTY(tiefsee::bridge::ModelVerifier* verifier READ verifier CONSTANT)

public:
    explicit ModelLibrary(QObject* parent = nullptr);

    // Connects the service (not owned).
    void setService(models::ModelsService* service);
    // The GPU the fit is estimated for: its name and memory budget in bytes.
    void setDevice(const QString& name, qint64 budgetBytes);

    QAbstractItemModel* model() const { return m_model; }
    QAbstractItemModel* installed() const { return m_installed; }
    QAbstractItemModel* discovered() const { return m_discovered; }
    bool hasInstalled() const { return m_installed && m_installed->rowCount() > 0; }
    QString modelsFolder() const;
    QString deviceText() const { return m_deviceText; }
    QVariantMap recommended() const { return m_recommended; }
    QString error() const { return m_error; }
    QString notice() const { return m_notice; }
    bridge::ModelVerifier* verifier() const { return m_verifier; }

    // Imports a GGUF by reference (no copy: models are many GB) and makes it usable.
    Q_INVOKABLE bool importFile(const QString& path);
    // Uses a discovered file where it is (no copy).
    Q_INVOKABLE bool useDiscovered(const QString& path);
    // Catalog sizes and sha256 from the Hub (only when the user looks at the catalog).
    Q_INVOKABLE void fetchSizes();
    Q_INVOKABLE bool download(const QString& id);
    Q_INVOKABLE void pause(const QString& id);
    Q_INVOKABLE void resume(const QString& id);
    Q_INVOKABLE void cancel(const QString& id);
    // Re-hashes the file at `path` off the GUI thread against the sha256 on record
    // (catalog file of that name, Ollama blob name); the result lands in verifier.results.
    Q_INVOKABLE bool verify(const QString& path);
    // Deletes a downloaded file, or forgets an imported reference (its file stays).
    Q_INVOKABLE bool remove(const QString& id);

signals:
    void modelChanged();
    void installedChanged();
    void deviceChanged();
    void recommendedChanged();
    void errorChanged();
    void noticeChanged();
    // A model became usable (imported or downloaded): its GGUF path.
    void modelReady(const QString& path);

private:
    void setError(const QString& e);
    void setNotice(const QString& n);
    void updateRecommended();
    int downloadIdOf(const QString& id) const;

    models::ModelsService* m_service = nullptr;
    QAbstractItemModel* m_model = nullptr;
    QSortFilterProxyModel* m_installed = nullptr;
    QSortFilterProxyModel* m_discovered = nullptr;
    QString m_deviceText;
    QVariantMap m_recommended;
    QString m_error;
    QString m_notice;
    bool m_sizesFetched = false;
    bridge::ModelVerifier* m_verifier = nullptr;  // child
};

}  // namespace tiefsee::ui
