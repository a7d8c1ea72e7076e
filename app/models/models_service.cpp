#include "models/models_service.h"

#include "models/hub_tree_fetcher.h"
#include "models/model_library.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QStandardPaths>

namespace tiefsee::models {

ModelsService::ModelsService(Config config, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_nam(new QNetworkAccessManager(this))
{
    if (m_config.modelsDir.isEmpty())
        m_config.modelsDir = defaultModelsDir();
    if (m_config.cacheDir.isEmpty())
        m_config.cacheDir = QDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation))
                                .filePath(QStringLiteral("hub-tree"));
    m_config.download.token = m_config.hub.token;
    m_config.download.tokenHost = m_config.hub.endpoint.host();
    m_queue = new DownloadQueue(m_config.download, m_nam, this);
    m_fetcher = new HubTreeFetcher(m_nam, m_config.hub, m_config.cacheDir, this);
    m_fetcher->setExtraCaCertificates(m_config.download.extraCaCertificates);

    auto builtin = loadBuiltinCatalog();
    if (builtin)
        m_catalog = std::move(builtin.value());
    m_list.setModelsDir(m_config.modelsDir);
    m_list.setCatalog(m_catalog);
    m_list.attachQueue(m_queue);

    connect(m_fetcher, &HubTreeFetcher::treeReady, this,
            [this](const QString& repo, const std::vector<HubFile>& files, const QDateTime&, bool) {
                const int n = applyHubTree(m_catalog, repo.toStdString(), files);
                m_list.setCatalog(m_catalog);
                emit catalogSizesUpdated(n);
            });
    connect(m_fetcher, &HubTreeFetcher::treeFailed, this, &ModelsService::hubUnavailable);
    connect(m_queue, &DownloadQueue::finished, this, [this](int, bool ok, const QString& message) {
        if (ok)
            refresh();
        else if (!message.isEmpty())
            emit error(message);
    });
}

ModelsService::~ModelsService()
{
    // Tasks first: they abort their replies while the network manager still exists.
    delete m_queue;
}

void ModelsService::setModelsDir(const QString& dir)
{
    if (dir == m_config.modelsDir)
        return;
    m_config.modelsDir = dir;
    m_list.setModelsDir(dir);
    refresh();
    emit modelsDirChanged();
}

void ModelsService::setCatalog(const Catalog& catalog)
{
    m_catalog = catalog;
    m_list.setCatalog(m_catalog);
}

void ModelsService::refresh()
{
    m_list.setInstalled(ModelLibrary(m_config.modelsDir).installed());
    m_list.setDiscovered(discoverModels(m_config.discovery));
}

void ModelsService::fetchCatalogSizes()
{
    for (const CatalogModel& m : m_catalog.models)
        m_fetcher->fetch(QString::fromStdString(m.repo));
}

int ModelsService::download(int row)
{
    const DownloadSpec spec = m_list.downloadSpecForRow(row, m_config.hub.endpoint);
    if (spec.destination.isEmpty())
        return 0;
    if (spec.sha256.isEmpty()) {
        emit error(QStringLiteral("the size and sha256 of %1 are not known yet (the Hub has not answered)").arg(spec.label));
        return 0;
    }
    return m_queue->enqueue(spec);
}

bool ModelsService::importFile(const QString& path, bool reference)
{
    auto r = ModelLibrary(m_config.modelsDir).importFile(path, reference ? ImportMode::Reference : ImportMode::Copy);
    if (!r) {
        emit error(QString::fromStdString(r.error().message));
        return false;
    }
    refresh();
    return true;
}

}  // namespace tiefsee::models
