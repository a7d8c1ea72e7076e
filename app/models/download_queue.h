// A queue of downloads: several can be queued, at most maxConcurrent run at once
// (default 1), the rest wait in order. Owns the tasks and (unless given one) the
// QNetworkAccessManager. Lives on one thread; see DownloadTask for the threading rules.
#pragma once

#include "models/download_task.h"

#include <QObject>
#include <QVector>

namespace tiefsee::models {

class DownloadQueue : public QObject {
    Q_OBJECT
public:
    // `nam` may be null: the queue then owns one.
    explicit DownloadQueue(DownloadOptions options = {}, QNetworkAccessManager* nam = nullptr, QObject* parent = nullptr);
    ~DownloadQueue() override;  // stops running downloads (their parts stay for a resume)

    void setMaxConcurrent(int n);
    int maxConcurrent() const { return m_maxConcurrent; }
    const DownloadOptions& options() const { return m_options; }
    void setOptions(const DownloadOptions& options) { m_options = options; }  // for tasks enqueued later

    // Adds a download; it starts when a slot is free. Returns its id (> 0). A second
    // enqueue of the same destination while the first is unfinished returns the first id.
    int enqueue(const DownloadSpec& spec);
    DownloadTask* task(int id) const;
    QVector<int> ids() const;  // in enqueue order

    void pause(int id);
    void resume(int id);   // back into the queue (or started when a slot is free)
    void cancel(int id);
    // Forgets finished tasks (completed, failed, cancelled).
    void clearFinished();

signals:
    void added(int id);
    void stateChanged(int id, tiefsee::models::DownloadTask::State state);
    void progress(int id, qint64 received, qint64 total, double bytesPerSecond, double etaSeconds);
    void finished(int id, bool ok, const QString& message);  // message: the error in plain words, or ""

private:
    void schedule();

    DownloadOptions m_options;
    QNetworkAccessManager* m_nam;
    int m_maxConcurrent = 1;
    int m_nextId = 1;
    struct Item {
        int id;
        DownloadTask* task;
        bool waiting;  // queued, not yet started (or resumed and waiting for a slot)
    };
    QVector<Item> m_items;
};

}  // namespace tiefsee::models
