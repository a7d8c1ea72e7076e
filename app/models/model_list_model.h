// ModelListModel: the settings panel's one list of models, for QML.
//
// Rows, in this order:
//   1. installed  — GGUFs in the models folder and imported references (ModelLibrary)
//   2. discovered — GGUFs of LM Studio / GPT4All / Ollama, usable without copying
//   3. catalog    — one row per catalog file (model × quant) that is not installed
// Each row carries a fit estimate against memoryBudget at contextLength (set them from
// the chosen device and the context setting), and catalog rows follow the download
// queue (attachQueue) by destination path.
//
// Roles (QML names):
//   id            string  "r1-distill-qwen-7b:Q4_K_M" for catalog rows, the file path otherwise
//   name          string  display name
//   kind          string  "installed" | "discovered" | "catalog"
//   origin        string  "models folder", "imported (reference)", "LM Studio", "GPT4All", "Ollama", "Hugging Face"
//   description   string  one line (catalog), or the path (local)
//   arch          string  "qwen2" | "llama" | "qwen3" | other (unsupported)
//   quant         string  "Q4_K_M", ...
//   sizeBytes     qint64  file size (catalog: Hub size, else an estimate; see sizeKnown)
//   sizeKnown     bool    false while the catalog size is still an estimate
//   contextLength int     trained context of the model
//   path          string  local file (installed/discovered), planned destination (catalog)
//   repo, file    string  Hugging Face repo and file (catalog rows)
//   sha256        string  expected sha256 (catalog rows, once the Hub answered)
//   supported     bool    the engine can run it
//   problem       string  why not (unsupported files), plain words
//   fit           string  "fits" | "smaller-context" | "too-large" | "" (unknown shape)
//   fitContext    int     context the fit refers to (requested, or the largest that fits)
//   fitText       string  "fits", "fits with smaller context (12288)", "too large"
//   memoryNeeded  qint64  bytes the estimate needs at fitContext (weights + KV + buffers)
//   recommended   bool    the catalog's recommended download for this budget
//   downloadState string  "" | "queued" | "preparing" | "downloading" | "retrying" | "paused" |
//                         "completed" | "failed" | "cancelled"
//   downloadId    int     id in the attached DownloadQueue (0 = none)
//   progress      double  0..1 (0 when the total is unknown)
//   bytesPerSecond double smoothed download speed
//   etaSeconds    double  remaining time, -1 unknown
//   downloadError string  the failure in plain words
// Thread: GUI thread (like every QAbstractItemModel used by QML).
#pragma once

#include "models/catalog.h"
#include "models/download_task.h"
#include "models/local_model.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QVector>

namespace tiefsee::models {

class DownloadQueue;

class ModelListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(qint64 memoryBudget READ memoryBudget WRITE setMemoryBudget NOTIFY memoryBudgetChanged)
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY contextLengthChanged)
public:
    enum Role {
        IdRole = Qt::UserRole + 1, NameRole, KindRole, OriginRole, DescriptionRole, ArchRole, QuantRole, SizeRole,
        SizeKnownRole, ContextLengthRole, PathRole, RepoRole, FileRole, Sha256Role, SupportedRole, ProblemRole,
        FitRole, FitContextRole, FitTextRole, MemoryNeededRole, RecommendedRole, DownloadStateRole, DownloadIdRole,
        ProgressRole, BytesPerSecondRole, EtaRole, DownloadErrorRole,
    };
    Q_ENUM(Role)

    explicit ModelListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Inputs (each resets the affected rows).
    void setModelsDir(const QString& dir);             // where catalog downloads go
    void setCatalog(const Catalog& catalog);
    void setInstalled(const QVector<LocalModel>& models);
    void setDiscovered(const QVector<LocalModel>& models);
    void attachQueue(DownloadQueue* queue);

    qint64 memoryBudget() const { return m_budget; }
    void setMemoryBudget(qint64 bytes);
    int contextLength() const { return m_context; }
    void setContextLength(int tokens);

    // Row of an id (see the id role), -1 if absent.
    Q_INVOKABLE int rowOfId(const QString& id) const;
    // The download spec for a catalog row (destination in the models folder).
    DownloadSpec downloadSpecForRow(int row, const QUrl& endpoint) const;

signals:
    void memoryBudgetChanged();
    void contextLengthChanged();

private:
    struct Row {
        QString kind;            // "installed" | "discovered" | "catalog"
        LocalModel local;        // installed/discovered
        const CatalogModel* model = nullptr;  // catalog
        const CatalogFile* file = nullptr;
        QString destination;     // catalog: where the download goes
        // download state (catalog rows)
        int downloadId = 0;
        DownloadTask::State state = DownloadTask::State::Queued;
        bool hasState = false;
        qint64 received = 0, total = -1;
        double bps = 0, eta = -1;
        QString error;
    };
    void rebuild();
    FitEstimate fitFor(const Row& r, bool* known) const;
    int rowOfDestination(const QString& dest) const;
    void onQueueEvent(int id);

    QString m_modelsDir;
    Catalog m_catalog;
    QVector<LocalModel> m_installed, m_discovered;
    QVector<Row> m_rows;
    QPointer<DownloadQueue> m_queue;
    qint64 m_budget = 8ll << 30;
    int m_context = 8192;
    QString m_recommendedId;
};

}  // namespace tiefsee::models
