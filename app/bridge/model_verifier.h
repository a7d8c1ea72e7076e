// ModelVerifier: the Models page's "Verify" action. Re-hashes a model file (sha256) on a
// worker thread and compares it with the checksum on record for it:
//   - the catalog's sha256 of a file with the same name (from the Hugging Face tree, the
//     same value downloads are checked against; see models/catalog.h), or
//   - the sha256 in an Ollama blob's name (".../blobs/sha256-<hex>").
// Without either, the computed sha256 is shown so the user can compare it by hand.
//
//   verifier.verify(path, expectedSha256For(path, catalog));
//   → progressChanged (0..1, a few times per GiB) → finished(path, result)
//   result / results[path]: {"state", "message", "sha256"}, state ∈
//     "hashing" | "ok" | "mismatch" | "unknown" (no checksum on record) | "failed" (unreadable).
//
// Threads: the object lives on the GUI thread; the hashing runs on its own QThread
// (a 7 GB model takes tens of seconds) and reports back through queued calls. One file at
// a time: verify() while one runs cancels nothing and returns false. The destructor
// cancels a running hash and waits for it.
#pragma once

#include "models/catalog.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <QVariantMap>

#include <atomic>
#include <memory>

namespace tiefsee::bridge {

// The sha256 on record for the model file at `path` (lowercase hex), or "" if none.
QString expectedSha256For(const QString& path, const models::Catalog& catalog);

class ModelVerifier : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString currentPath READ currentPath NOTIFY busyChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)  // of the current file, 0..1
    // Per file path: the latest result {"state", "message", "sha256"} (see above).
    Q_PROPERTY(QVariantMap results READ results NOTIFY resultsChanged)

public:
    // Bytes read per step; progress is reported after each.
    static constexpr qint64 kChunkBytes = 4 << 20;

    explicit ModelVerifier(QObject* parent = nullptr);
    ~ModelVerifier() override;

    bool busy() const { return m_thread != nullptr; }
    QString currentPath() const { return m_path; }
    double progress() const { return m_progress; }
    QVariantMap results() const { return m_results; }

    // Starts hashing `path`; `expectedSha256` (hex, any case) or "" for none. False if
    // another file is being verified.
    Q_INVOKABLE bool verify(const QString& path, const QString& expectedSha256);
    // Stops the running hash; its result becomes "failed" with "Verification cancelled."
    Q_INVOKABLE void cancel();

signals:
    void busyChanged();
    void progressChanged();
    void resultsChanged();
    void finished(const QString& path, const QVariantMap& result);

private:
    // Called on the GUI thread when the worker is done: sha256 hex, or an error text.
    void complete(const QString& sha256, const QString& error);
    void setResult(const QString& path, const QString& state, const QString& message, const QString& sha256);

    QThread* m_thread = nullptr;  // owned while it runs; deleted on completion
    std::shared_ptr<std::atomic<bool>> m_cancel;  // shared with the worker
    QString m_path;
    QString m_expected;  // lowercase hex or ""
    double m_progress = 0.0;
    QVariantMap m_results;
};

}  // namespace tiefsee::bridge
