// One file download from the Hub (or any HTTPS server) into `<destination>.part`,
// verified by sha256 and renamed into place only when the hash matches.
//
// Threads: a DownloadTask lives on the thread that owns its QNetworkAccessManager and
// never blocks it: network I/O is signal driven and re-hashing a part on resume runs
// in 4 MiB steps through the event loop.
//
// Behaviour:
//  - TLS certificates are always verified (extra CAs can be added, never errors ignored).
//  - Redirects (Hub → CDN) are followed by hand, so the token (Authorization: Bearer)
//    is sent only to DownloadOptions::tokenHost and never after a redirect to another
//    host, and an HTTPS → HTTP redirect is refused (Qt's NoLessSafeRedirectPolicy rule).
//  - Resume: the part and its sidecar (part_sidecar.h) survive errors, pause and app
//    restarts; the next start asks for `Range: bytes=<part size>-`.
//  - Errors: 5xx, 429, dropped connections and stalls (no bytes for stallTimeoutMs) are
//    retried with exponential back-off up to maxRetries; 4xx, TLS errors, a wrong size
//    or a hash mismatch fail at once. A hash mismatch deletes the part.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace tiefsee::models {

struct DownloadOptions {
    QString token;                  // Hugging Face token; empty = anonymous
    QString tokenHost;              // the only host that gets the token; empty = the spec URL's host
    int maxRetries = 5;             // retries after retriable errors (not counting the first try)
    int backoffInitialMs = 1000;    // first retry delay; doubles each retry
    int backoffMaxMs = 30000;
    int stallTimeoutMs = 30000;     // no bytes for this long = the connection is dead
    int maxRedirects = 10;
    int progressIntervalMs = 250;   // at most one progress signal per interval
    QList<QSslCertificate> extraCaCertificates;  // trusted in addition to the system CAs
    // Free bytes on the volume holding `dir`; default QStorageInfo. Tests inject one.
    std::function<qint64(const QString& dir)> freeSpace;
};

struct DownloadSpec {
    QUrl url;                 // where to start (before redirects)
    QString destination;      // final file path; the part is destination + ".part"
    qint64 expectedSize = -1; // bytes; -1 = learn from the server
    QString sha256;           // lowercase hex; empty = not verified (catalog files always have one)
    QString label;            // for messages, e.g. the file name
};

class DownloadTask : public QObject {
    Q_OBJECT
public:
    enum class State { Queued, Preparing, Downloading, Retrying, Paused, Completed, Failed, Cancelled };
    Q_ENUM(State)

    DownloadTask(QNetworkAccessManager* nam, DownloadSpec spec, DownloadOptions options, QObject* parent = nullptr);
    ~DownloadTask() override;

    const DownloadSpec& spec() const { return m_spec; }
    State state() const { return m_state; }
    bool isActive() const { return m_state == State::Preparing || m_state == State::Downloading || m_state == State::Retrying; }
    bool isFinished() const { return m_state == State::Completed || m_state == State::Failed || m_state == State::Cancelled; }
    qint64 receivedBytes() const { return m_offset; }     // bytes in the part (incl. resumed)
    qint64 totalBytes() const { return m_spec.expectedSize; }
    double bytesPerSecond() const { return m_speed; }
    double etaSeconds() const;                            // -1 when unknown
    const Error& error() const { return m_error; }        // valid in state Failed
    int retries() const { return m_attempt; }

    // Starts or resumes (from a paused/failed state, or a part left by an earlier run).
    void start();
    // Stops and keeps the part + sidecar for a later start().
    void pause();
    // Stops and deletes the part + sidecar.
    void cancel();

    static const char* stateName(State s);  // "queued", "downloading", ...

signals:
    void stateChanged(tiefsee::models::DownloadTask::State state);
    // bytes so far / total (-1 unknown), smoothed speed in bytes/s, ETA in seconds (-1 unknown).
    void progress(qint64 received, qint64 total, double bytesPerSecond, double etaSeconds);
    // Once per run: ok, or the error (also in error()).
    void finished(bool ok);

private:
    void setState(State s);
    void fail(ErrorKind kind, const QString& message, bool keepPart);
    void preparePart();
    void rehashStep();
    void sendRequest(const QUrl& url);
    void onReadyRead();
    void onFinished();
    void onStall();
    bool checkResponseHead();
    void retryOrFail(const QString& message);
    void finalize();
    void stopReply();
    void emitProgress(bool force);
    void saveSidecar();

    QNetworkAccessManager* m_nam;
    DownloadSpec m_spec;
    DownloadOptions m_options;
    State m_state = State::Queued;
    Error m_error;

    QPointer<QNetworkReply> m_reply;
    QUrl m_currentUrl;        // after redirects
    int m_redirects = 0;
    bool m_headChecked = false;
    bool m_ignoreBody = false; // redirect / error body
    QString m_sslErrors;

    QFile m_part;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    qint64 m_offset = 0;       // bytes in the part file == bytes hashed once preparePart is done
    qint64 m_hashed = 0;       // bytes fed to m_hash
    QFile m_rehashFile;
    int m_attempt = 0;         // retries since the last connection that made progress
    qint64 m_bytesThisConnection = 0;

    QTimer m_stallTimer;
    QTimer m_retryTimer;
    QElapsedTimer m_progressClock;
    qint64 m_lastProgressMs = -1;
    qint64 m_speedBytes = 0;   // bytes since the last speed sample
    qint64 m_speedMs = 0;      // clock at the last speed sample
    double m_speed = 0;        // bytes/s, exponential moving average
};

}  // namespace tiefsee::models
