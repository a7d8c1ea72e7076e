#include "models/model_list_model.h"

#include "models/download_queue.h"
#include "models/hub_endpoint.h"

#include <QDir>
#include <QFileInfo>

namespace tiefsee::models {

ModelListModel::ModelListModel(QObject* parent) : QAbstractListModel(parent) {}

int ModelListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> ModelListModel::roleNames() const
{
    return {{IdRole, "id"}, {NameRole, "name"}, {KindRole, "kind"}, {OriginRole, "origin"},
            {DescriptionRole, "description"}, {ArchRole, "arch"}, {QuantRole, "quant"}, {SizeRole, "sizeBytes"},
            {SizeKnownRole, "sizeKnown"}, {ContextLengthRole, "contextLength"}, {PathRole, "path"},
            {RepoRole, "repo"}, {FileRole, "file"}, {Sha256Role, "sha256"}, {SupportedRole, "supported"},
            {ProblemRole, "problem"}, {FitRole, "fit"}, {FitContextRole, "fitContext"}, {FitTextRole, "fitText"},
            {MemoryNeededRole, "memoryNeeded"}, {RecommendedRole, "recommended"},
            {DownloadStateRole, "downloadState"}, {DownloadIdRole, "downloadId"}, {ProgressRole, "progress"},
            {BytesPerSecondRole, "bytesPerSecond"}, {EtaRole, "etaSeconds"}, {DownloadErrorRole, "downloadError"}};
}

FitEstimate ModelListModel::fitFor(const Row& r, bool* known) const
{
    if (r.model) {
        *known = true;
        return estimateFit(r.model->shape, weightBytes(*r.model, *r.file), uint32_t(m_context), uint64_t(m_budget),
                           r.model->contextLength);
    }
    *known = r.local.supported && r.local.shape.valid();
    if (!*known)
        return {};
    return estimateFit(r.local.shape, uint64_t(r.local.fileSize), uint32_t(m_context), uint64_t(m_budget),
                       r.local.contextLength);
}

QVariant ModelListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows[index.row()];
    const bool cat = r.model != nullptr;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return cat ? QString::fromStdString(r.model->name) + QLatin1Char(' ') + QString::fromStdString(r.file->quant)
                   : r.local.name;
    case IdRole:
        return cat ? QString::fromStdString(r.model->id + ":" + r.file->quant) : r.local.path;
    case KindRole: return r.kind;
    case OriginRole: return cat ? QStringLiteral("Hugging Face") : QString::fromLatin1(originName(r.local.origin));
    case DescriptionRole: return cat ? QString::fromStdString(r.model->description) : r.local.path;
    case ArchRole: return cat ? QString::fromStdString(r.model->arch) : r.local.arch;
    case QuantRole: return cat ? QString::fromStdString(r.file->quant) : r.local.quant;
    case SizeRole: return cat ? qint64(weightBytes(*r.model, *r.file)) : r.local.fileSize;
    case SizeKnownRole: return cat ? r.file->size > 0 : true;
    case ContextLengthRole: return int(cat ? r.model->contextLength : r.local.contextLength);
    case PathRole: return cat ? r.destination : r.local.path;
    case RepoRole: return cat ? QString::fromStdString(r.model->repo) : QString();
    case FileRole: return cat ? QString::fromStdString(r.file->file) : QString();
    case Sha256Role: return cat ? QString::fromStdString(r.file->sha256) : QString();
    case SupportedRole: return cat ? true : r.local.supported;
    case ProblemRole: return cat ? QString() : r.local.problem;
    case FitRole:
    case FitContextRole:
    case FitTextRole:
    case MemoryNeededRole: {
        bool known = false;
        const FitEstimate f = fitFor(r, &known);
        if (!known)
            return role == FitRole || role == FitTextRole ? QVariant(QString()) : QVariant(0);
        if (role == FitRole) return QString::fromLatin1(fitKey(f.verdict));
        if (role == FitContextRole) return int(f.context);
        if (role == FitTextRole) return QString::fromStdString(fitText(f));
        return qint64(f.totalBytes);
    }
    case RecommendedRole:
        return cat && QString::fromStdString(r.model->id + ":" + r.file->quant) == m_recommendedId;
    case DownloadStateRole: return r.hasState ? QString::fromLatin1(DownloadTask::stateName(r.state)) : QString();
    case DownloadIdRole: return r.downloadId;
    case ProgressRole: return r.total > 0 ? double(r.received) / double(r.total) : 0.0;
    case BytesPerSecondRole: return r.bps;
    case EtaRole: return r.eta;
    case DownloadErrorRole: return r.error;
    }
    return {};
}

void ModelListModel::setModelsDir(const QString& dir)
{
    m_modelsDir = dir;
    rebuild();
}

void ModelListModel::setCatalog(const Catalog& catalog)
{
    m_catalog = catalog;
    rebuild();
}

void ModelListModel::setInstalled(const QVector<LocalModel>& models)
{
    m_installed = models;
    rebuild();
}

void ModelListModel::setDiscovered(const QVector<LocalModel>& models)
{
    m_discovered = models;
    rebuild();
}

void ModelListModel::setMemoryBudget(qint64 bytes)
{
    if (bytes == m_budget)
        return;
    m_budget = bytes;
    rebuild();
    emit memoryBudgetChanged();
}

void ModelListModel::setContextLength(int tokens)
{
    if (tokens == m_context || tokens <= 0)
        return;
    m_context = tokens;
    rebuild();
    emit contextLengthChanged();
}

void ModelListModel::rebuild()
{
    // Keep download state across rebuilds (keyed by destination).
    QHash<QString, Row> oldState;
    for (const Row& r : m_rows)
        if (r.model && r.hasState)
            oldState.insert(r.destination, r);

    beginResetModel();
    m_rows.clear();
    QSet<QString> installedNames;
    for (const LocalModel& m : m_installed) {
        Row r;
        r.kind = QStringLiteral("installed");
        r.local = m;
        m_rows.push_back(r);
        if (m.origin == ModelOrigin::ModelsFolder)
            installedNames.insert(QFileInfo(m.path).fileName());
    }
    for (const LocalModel& m : m_discovered) {
        Row r;
        r.kind = QStringLiteral("discovered");
        r.local = m;
        m_rows.push_back(r);
    }
    auto rec = recommend(m_catalog, uint64_t(m_budget));
    m_recommendedId = rec ? QString::fromStdString(rec->entry.id()) : QString();
    for (const CatalogModel& m : m_catalog.models) {
        for (const CatalogFile& f : m.files) {
            const QString fileName = QFileInfo(QString::fromStdString(f.file)).fileName();
            const QString dest = QDir(m_modelsDir).filePath(fileName);
            const auto old = oldState.find(dest);
            // An installed file drops its catalog row, unless a download of it is still running.
            const bool running = old != oldState.end() && old->state != DownloadTask::State::Completed &&
                                 old->state != DownloadTask::State::Failed &&
                                 old->state != DownloadTask::State::Cancelled;
            if (installedNames.contains(fileName) && !running)
                continue;
            Row r = old != oldState.end() ? *old : Row{};
            r.kind = QStringLiteral("catalog");
            r.model = &m;
            r.file = &f;
            r.destination = dest;
            m_rows.push_back(r);
        }
    }
    endResetModel();
}

int ModelListModel::rowOfId(const QString& id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (data(index(i), IdRole).toString() == id)
            return i;
    return -1;
}

int ModelListModel::rowOfDestination(const QString& dest) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].model && m_rows[i].destination == dest)
            return i;
    return -1;
}

DownloadSpec ModelListModel::downloadSpecForRow(int row, const QUrl& endpoint) const
{
    DownloadSpec spec;
    if (row < 0 || row >= m_rows.size() || !m_rows[row].model)
        return spec;
    const Row& r = m_rows[row];
    spec.url = resolveUrl(endpoint, QString::fromStdString(r.model->repo), QString::fromStdString(r.file->file));
    spec.destination = r.destination;
    spec.expectedSize = r.file->size ? qint64(r.file->size) : -1;
    spec.sha256 = QString::fromStdString(r.file->sha256);
    spec.label = QFileInfo(r.destination).fileName();
    return spec;
}

void ModelListModel::attachQueue(DownloadQueue* queue)
{
    if (m_queue)
        disconnect(m_queue, nullptr, this, nullptr);
    m_queue = queue;
    if (!queue)
        return;
    connect(queue, &DownloadQueue::added, this, &ModelListModel::onQueueEvent);
    connect(queue, &DownloadQueue::stateChanged, this, [this](int id) { onQueueEvent(id); });
    connect(queue, &DownloadQueue::progress, this, [this](int id) { onQueueEvent(id); });
    connect(queue, &DownloadQueue::finished, this, [this](int id) { onQueueEvent(id); });
    for (int id : queue->ids())
        onQueueEvent(id);
}

void ModelListModel::onQueueEvent(int id)
{
    if (!m_queue)
        return;
    DownloadTask* task = m_queue->task(id);
    if (!task)
        return;
    const int row = rowOfDestination(task->spec().destination);
    if (row < 0)
        return;
    Row& r = m_rows[row];
    r.downloadId = id;
    r.hasState = true;
    r.state = task->state();
    r.received = task->receivedBytes();
    r.total = task->totalBytes();
    r.bps = task->bytesPerSecond();
    r.eta = task->etaSeconds();
    r.error = task->state() == DownloadTask::State::Failed ? QString::fromStdString(task->error().message) : QString();
    const QModelIndex i = index(row);
    emit dataChanged(i, i, {DownloadStateRole, DownloadIdRole, ProgressRole, BytesPerSecondRole, EtaRole,
                            DownloadErrorRole});
}

}  // namespace tiefsee::models
