// ModelsService: the settings panel's back end in one object. It owns the network
// manager, the download queue, the Hub tree fetcher and the ModelListModel, and keeps
// them in step: catalog sizes/sha256 from the Hub fill the list, a finished download
// shows up as installed, imports and discovery refresh the rows.
//
// QML use (the UI registers or exposes one instance):
//   service.models                       → ModelListModel (see its header for roles)
//   service.refresh()                    rescans the models folder and other apps' folders
//   service.fetchCatalogSizes()          asks the Hub (cached 24 h) for sizes + sha256
//   service.download(row)                queues the catalog row's file
//   service.pause(id) / resume(id) / cancel(id)   by the row's downloadId
//   service.importFile(path, reference)  copy (false) or reference (true) a GGUF
//   signal error(message)                anything that failed, in plain words
// Thread: GUI thread; nothing here blocks except importFile() by copy (a file copy).
#pragma once

#include "models/catalog.h"
#include "models/discovery.h"
#include "models/download_queue.h"
#include "models/hub_endpoint.h"
#include "models/model_list_model.h"

#include <QObject>

class QNetworkAccessManager;

namespace tiefsee::models {

class HubTreeFetcher;

class ModelsService : public QObject {
    Q_OBJECT
    Q_PROPERTY(tiefsee::models::ModelListModel* models READ models CONSTANT)
    Q_PROPERTY(QString modelsDir READ modelsDir WRITE setModelsDir NOTIFY modelsDirChanged)
public:
    struct Config {
        QString modelsDir;           // default: defaultModelsDir()
        QString cacheDir;            // Hub listings; default: <CacheLocation>/hub-tree
        HubSettings hub = hubSettingsFromEnvironment();
        DownloadOptions download;    // token/tokenHost are filled from `hub`
        DiscoveryRoots discovery = defaultDiscoveryRoots();
    };
    explicit ModelsService(Config config, QObject* parent = nullptr);
    ~ModelsService() override;

    ModelListModel* models() { return &m_list; }
    DownloadQueue* queue() { return m_queue; }
    QString modelsDir() const { return m_config.modelsDir; }
    void setModelsDir(const QString& dir);
    // Replaces the built-in catalog (tests, or a catalog update).
    void setCatalog(const Catalog& catalog);
    const Catalog& catalog() const { return m_catalog; }

    Q_INVOKABLE void refresh();
    Q_INVOKABLE void fetchCatalogSizes();
    Q_INVOKABLE int download(int row);  // download id, 0 if the row is not a catalog file
    Q_INVOKABLE void pause(int id) { m_queue->pause(id); }
    Q_INVOKABLE void resume(int id) { m_queue->resume(id); }
    Q_INVOKABLE void cancel(int id) { m_queue->cancel(id); }
    Q_INVOKABLE bool importFile(const QString& path, bool reference);

signals:
    void modelsDirChanged();
    void catalogSizesUpdated(int filesWithSize);
    // The Hub could not list a catalog repo's files (offline, blocked, gated), and no
    // cached listing exists; `problem` is the network's own words. Not an error: the
    // catalog still works with its estimates, downloads wait until the Hub answers.
    void hubUnavailable(const QString& repo, const QString& problem);
    void error(const QString& message);

private:
    Config m_config;
    Catalog m_catalog;
    QNetworkAccessManager* m_nam;
    DownloadQueue* m_queue;
    HubTreeFetcher* m_fetcher;
    ModelListModel m_list;
};

}  // namespace tiefsee::models
