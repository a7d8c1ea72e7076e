// ModelLibrary (see model_library.h).
#include "model_library.h"

#include "models/model_library.h"

#include <QFile>
#include <QFileInfo>
#include <QLocale>

namespace tiefsee::ui {

using models::ModelListModel;

namespace {
// Rows of one kind ("installed" / "discovered") that the engine can run.
class KindFilter : public QSortFilterProxyModel {
public:
    KindFilter(QString kind, QObject* parent) : QSortFilterProxyModel(parent), m_kind(std::move(kind)) {}

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        const QModelIndex i = sourceModel()->index(row, 0, parent);
        return i.data(ModelListModel::KindRole).toString() == m_kind && i.data(ModelListModel::SupportedRole).toBool();
    }

private:
    QString m_kind;
};

QString bytesText(qint64 bytes) { return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat); }
}  // namespace

ModelLibrary::ModelLibrary(QObject* parent)
    : QObject(parent), m_deviceText(tr("your GPU")), m_verifier(new bridge::ModelVerifier(this))
{
}

void ModelLibrary::setService(models::ModelsService* service)
{
    m_service = service;
    m_model = service->models();
    m_installed = new KindFilter(QStringLiteral("installed"), this);
    m_installed->setSourceModel(m_model);
    m_discovered = new KindFilter(QStringLiteral("discovered"), this);
    m_discovered->setSourceModel(m_model);
    for (auto* m : {static_cast<QAbstractItemModel*>(m_installed)}) {
        connect(m, &QAbstractItemModel::rowsInserted, this, &ModelLibrary::installedChanged);
        connect(m, &QAbstractItemModel::rowsRemoved, this, &ModelLibrary::installedChanged);
        connect(m, &QAbstractItemModel::modelReset, this, &ModelLibrary::installedChanged);
    }
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ModelLibrary::updateRecommended);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ModelLibrary::updateRecommended);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ModelLibrary::updateRecommended);
    connect(service, &models::ModelsService::error, this, &ModelLibrary::setError);
    connect(service, &models::ModelsService::hubUnavailable, this, [this](const QString&, const QString& problem) {
        setNotice(tr("Hugging Face can't be reached right now (%1). Sizes shown are estimates; downloads work once "
                     "you are online.").arg(problem));
    });
    connect(service, &models::ModelsService::catalogSizesUpdated, this, [this] { setNotice({}); });
    // A finished download becomes an installed row: offer it to the chat.
    connect(service->queue(), &models::DownloadQueue::finished, this, [this](int id, bool ok, const QString& message) {
        if (!ok) {
            setError(tr("The download failed: %1 Check the network connection and the free disk space, then "
                        "try again.").arg(message));
            return;
        }
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const QModelIndex i = m_model->index(row, 0);
            if (i.data(ModelListModel::DownloadIdRole).toInt() == id)
                emit modelReady(i.data(ModelListModel::PathRole).toString());
        }
    });
    // The service lists nothing until asked: read the models folder (and other apps'
    // folders) now, or models installed in an earlier session would not show.
    service->refresh();
    updateRecommended();
    emit modelChanged();
    emit installedChanged();
}

bool ModelLibrary::verify(const QString& path)
{
    static const models::Catalog kNoCatalog;
    return m_verifier->verify(path, bridge::expectedSha256For(path, m_service ? m_service->catalog() : kNoCatalog));
}

void ModelLibrary::setDevice(const QString& name, qint64 budgetBytes)
{
    m_deviceText = tr("%1 (%2 usable)").arg(name, bytesText(budgetBytes));
    if (m_service && budgetBytes > 0)
        m_service->models()->setMemoryBudget(budgetBytes);
    emit deviceChanged();
    updateRecommended();
}

QString ModelLibrary::modelsFolder() const
{
    return m_service ? m_service->modelsDir() : models::defaultModelsDir();
}

void ModelLibrary::setNotice(const QString& n)
{
    if (n == m_notice)
        return;
    m_notice = n;
    emit noticeChanged();
}

void ModelLibrary::setError(const QString& e)
{
    if (e == m_error)
        return;
    m_error = e;
    emit errorChanged();
}

void ModelLibrary::updateRecommended()
{
    QVariantMap rec;
    for (int row = 0; m_model && row < m_model->rowCount(); ++row) {
        const QModelIndex i = m_model->index(row, 0);
        if (!i.data(ModelListModel::RecommendedRole).toBool())
            continue;
        const QString state = i.data(ModelListModel::DownloadStateRole).toString();
        const double progress = i.data(ModelListModel::ProgressRole).toDouble();
        const double bps = i.data(ModelListModel::BytesPerSecondRole).toDouble();
        rec = {{"id", i.data(ModelListModel::IdRole)},
               {"name", i.data(ModelListModel::NameRole)},
               {"quant", i.data(ModelListModel::QuantRole)},
               {"description", i.data(ModelListModel::DescriptionRole)},
               {"sizeText", bytesText(i.data(ModelListModel::SizeRole).toLongLong())},
               {"fitText", i.data(ModelListModel::FitTextRole)},
               {"fit", i.data(ModelListModel::FitRole)},
               {"fitContext", i.data(ModelListModel::FitContextRole)},
               {"downloading", !state.isEmpty() && state != QLatin1String("cancelled") && state != QLatin1String("failed")},
               {"progress", progress},
               {"progressText", QStringLiteral("%1 % · %2/s").arg(int(progress * 100)).arg(bytesText(qint64(bps)))}};
        break;
    }
    if (rec != m_recommended) {
        m_recommended = rec;
        emit recommendedChanged();
    }
}

bool ModelLibrary::importFile(const QString& path)
{
    if (!m_service)
        return false;
    if (!m_service->importFile(path, /*reference=*/true))
        return false;
    const models::LocalModel info = models::inspectModelFile(path, models::ModelOrigin::Reference);
    if (!info.supported) {
        setError(tr("%1 was imported, but Tiefsee can't run it: %2").arg(QFileInfo(path).fileName(), info.problem));
        return false;
    }
    setError({});
    emit modelReady(path);
    return true;
}

bool ModelLibrary::useDiscovered(const QString& path)
{
    emit modelReady(path);
    return true;
}

void ModelLibrary::fetchSizes()
{
    if (m_service && !m_sizesFetched) {
        m_sizesFetched = true;
        m_service->fetchCatalogSizes();
    }
}

bool ModelLibrary::download(const QString& id)
{
    if (!m_service)
        return false;
    const int row = m_service->models()->rowOfId(id);
    return row >= 0 && m_service->download(row) > 0;
}

int ModelLibrary::downloadIdOf(const QString& id) const
{
    const int row = m_service ? m_service->models()->rowOfId(id) : -1;
    return row < 0 ? 0 : m_model->index(row, 0).data(ModelListModel::DownloadIdRole).toInt();
}

void ModelLibrary::pause(const QString& id)
{
    if (const int d = downloadIdOf(id))
        m_service->pause(d);
}

void ModelLibrary::resume(const QString& id)
{
    if (const int d = downloadIdOf(id))
        m_service->resume(d);
}

void ModelLibrary::cancel(const QString& id)
{
    if (const int d = downloadIdOf(id))
        m_service->cancel(d);
}

bool ModelLibrary::remove(const QString& id)
{
    if (!m_service)
        return false;
    const int row = m_service->models()->rowOfId(id);
    if (row < 0)
        return false;
    const QModelIndex i = m_model->index(row, 0);
    const QString path = i.data(ModelListModel::PathRole).toString();
    models::ModelLibrary library(m_service->modelsDir());
    if (library.references().contains(path)) {
        if (auto r = library.removeReference(path); !r) {
            setError(QString::fromStdString(r.error().message));
            return false;
        }
    } else if (!QFile::remove(path)) {
        setError(tr("Could not delete %1.").arg(path));
        return false;
    }
    m_service->refresh();
    return true;
}

}  // namespace tiefsee::ui
