#include "models/download_task.h"

#include "models/part_sidecar.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslError>
#include <QStorageInfo>

#include <algorithm>
#include <filesystem>

namespace tiefsee::models {

namespace {

constexpr qint64 kRehashChunk = 4 << 20;  // bytes re-hashed per event-loop turn on resume

QString sizeText(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("unknown size");
    if (bytes >= 1000000000)
        return QString::number(double(bytes) / 1e9, 'f', 2) + QStringLiteral(" GB");
    if (bytes >= 1000000)
        return QString::number(double(bytes) / 1e6, 'f', 1) + QStringLiteral(" MB");
    return QString::number(bytes) + QStringLiteral(" bytes");
}

qint64 defaultFreeSpace(const QString& dir)
{
    QStorageInfo info(dir);
    return info.isValid() ? info.bytesAvailable() : -1;
}

}  // namespace

const char* DownloadTask::stateName(State s)
{
    switch (s) {
    case State::Queued: return "queued";
    case State::Preparing: return "preparing";
    case State::Downloading: return "downloading";
    case State::Retrying: return "retrying";
    case State::Paused: return "paused";
    case State::Completed: return "completed";
    case State::Failed: return "failed";
    case State::Cancelled: return "cancelled";
    }
    return "unknown";
}

DownloadTask::DownloadTask(QNetworkAccessManager* nam, DownloadSpec spec, DownloadOptions options, QObject* parent)
    : QObject(parent), m_nam(nam), m_spec(std::move(spec)), m_options(std::move(options))
{
    Q_ASSERT(m_nam);
    m_spec.sha256 = m_spec.sha256.toLower();
    if (m_spec.label.isEmpty())
        m_spec.label = QFileInfo(m_spec.destination).fileName();
    if (m_options.tokenHost.isEmpty())
        m_options.tokenHost = m_spec.url.host();
    if (!m_options.freeSpace)
        m_options.freeSpace = defaultFreeSpace;
    m_stallTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, &DownloadTask::onStall);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        m_part.setFileName(partPath(m_spec.destination));
        if (!m_part.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
            fail(ErrorKind::Io, QStringLiteral("cannot open %1: %2").arg(m_part.fileName(), m_part.errorString()), true);
            return;
        }
        m_redirects = 0;
        sendRequest(m_spec.url);
    });
    m_progressClock.start();
}

DownloadTask::~DownloadTask()
{
    stopReply();
    if (m_part.isOpen()) {
        m_part.close();
        saveSidecar();
    }
}

double DownloadTask::etaSeconds() const
{
    if (m_spec.expectedSize < 0 || m_speed <= 0)
        return -1;
    return double(m_spec.expectedSize - m_offset) / m_speed;
}

void DownloadTask::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    emit stateChanged(s);
}

// ---- start / pause / cancel -------------------------------------------------------

void DownloadTask::start()
{
    if (isActive())
        return;
    m_attempt = 0;
    m_error = Error{};
    m_redirects = 0;
    setState(State::Preparing);
    preparePart();
}

void DownloadTask::pause()
{
    if (isFinished() || m_state == State::Paused)
        return;
    m_retryTimer.stop();
    stopReply();
    m_rehashFile.close();
    if (m_part.isOpen())
        m_part.close();
    saveSidecar();
    setState(State::Paused);
}

void DownloadTask::cancel()
{
    if (isFinished())
        return;
    m_retryTimer.stop();
    stopReply();
    m_rehashFile.close();
    m_part.close();
    removePart(m_spec.destination);
    m_offset = m_hashed = 0;
    m_hash.reset();
    m_error = makeError(ErrorKind::Cancelled, "download of " + m_spec.label.toStdString() + " cancelled");
    setState(State::Cancelled);
    emit finished(false);
}

void DownloadTask::stopReply()
{
    m_stallTimer.stop();
    if (!m_reply)
        return;
    QNetworkReply* r = m_reply;
    m_reply = nullptr;
    disconnect(r, nullptr, this, nullptr);
    r->abort();
    r->deleteLater();
}

void DownloadTask::fail(ErrorKind kind, const QString& message, bool keepPart)
{
    m_retryTimer.stop();
    stopReply();
    m_rehashFile.close();
    m_part.close();
    if (keepPart) {
        saveSidecar();
    } else {
        removePart(m_spec.destination);
        m_offset = m_hashed = 0;
        m_hash.reset();
    }
    m_error = makeError(kind, message.toStdString());
    setState(State::Failed);
    emit finished(false);
}

void DownloadTask::saveSidecar()
{
    if (!QFileInfo::exists(partPath(m_spec.destination)))
        return;
    writeSidecar(m_spec.destination, PartSidecar{m_spec.url.toString(), m_spec.expectedSize, m_spec.sha256, m_hashed});
}

// ---- the part file ------------------------------------------------------------------

void DownloadTask::preparePart()
{
    const QString dest = m_spec.destination;
    const QFileInfo destInfo(dest);
    if (destInfo.exists() && (m_spec.expectedSize < 0 || destInfo.size() == m_spec.expectedSize)) {
        // Already installed (an earlier run finished); nothing to fetch.
        m_offset = destInfo.size();
        setState(State::Completed);
        emit finished(true);
        return;
    }
    if (!QDir().mkpath(destInfo.absolutePath())) {
        fail(ErrorKind::Io, QStringLiteral("cannot create the folder %1").arg(destInfo.absolutePath()), true);
        return;
    }

    // Resume only a part that belongs to this download (same hash/size, or same URL).
    const QFileInfo partInfo(partPath(dest));
    qint64 partSize = partInfo.exists() ? partInfo.size() : 0;
    const std::optional<PartSidecar> side = readSidecar(dest);
    bool resumable = side && partInfo.exists() && side->sha256.toLower() == m_spec.sha256 &&
                     (m_spec.expectedSize < 0 || side->expectedSize == m_spec.expectedSize) &&
                     (!m_spec.sha256.isEmpty() || side->url == m_spec.url.toString()) &&
                     (side->expectedSize < 0 || partSize <= side->expectedSize);
    if (!resumable) {
        removePart(dest);
        partSize = 0;
        m_offset = m_hashed = 0;
        m_hash.reset();
    } else if (m_spec.expectedSize < 0) {
        m_spec.expectedSize = side->expectedSize;
    }

    if (m_spec.expectedSize >= 0) {
        const qint64 need = m_spec.expectedSize - partSize;
        const qint64 free = m_options.freeSpace(destInfo.absolutePath());
        if (free >= 0 && free < need) {
            fail(ErrorKind::Io,
                 QStringLiteral("not enough disk space for %1: it needs %2 more but only %3 are free in %4")
                     .arg(m_spec.label, sizeText(need), sizeText(free), destInfo.absolutePath()),
                 true);
            return;
        }
    }

    // Feed the existing part to the hash (unless this object already hashed exactly it,
    // e.g. pause → start in the same run).
    if (partSize > 0 && partSize == m_hashed && m_offset == m_hashed) {
        m_retryTimer.start(0);  // opens the part and sends the request
        return;
    }
    m_hash.reset();
    m_offset = m_hashed = 0;
    if (partSize == 0) {
        QFile(partPath(dest)).open(QIODevice::WriteOnly);  // create it so the sidecar has a part
        saveSidecar();
        m_retryTimer.start(0);
        return;
    }
    m_rehashFile.setFileName(partPath(dest));
    if (!m_rehashFile.open(QIODevice::ReadOnly)) {
        fail(ErrorKind::Io, QStringLiteral("cannot read %1: %2").arg(m_rehashFile.fileName(), m_rehashFile.errorString()), true);
        return;
    }
    QTimer::singleShot(0, this, &DownloadTask::rehashStep);
}

void DownloadTask::rehashStep()
{
    if (m_state != State::Preparing || !m_rehashFile.isOpen())
        return;  // paused or cancelled meanwhile
    const QByteArray chunk = m_rehashFile.read(kRehashChunk);
    if (!chunk.isEmpty()) {
        m_hash.addData(chunk);
        m_hashed += chunk.size();
        m_offset = m_hashed;
    }
    if (chunk.size() == kRehashChunk) {
        QTimer::singleShot(0, this, &DownloadTask::rehashStep);
        return;
    }
    m_rehashFile.close();
    saveSidecar();
    m_retryTimer.start(0);
}

// ---- HTTP -----------------------------------------------------------------------------

void DownloadTask::sendRequest(const QUrl& url)
{
    m_currentUrl = url;
    m_headChecked = false;
    m_ignoreBody = false;
    m_sslErrors.clear();

    QNetworkRequest req(url);
    // Redirects are followed in onFinished so the token never leaves tokenHost.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setRawHeader("Accept-Encoding", "identity");  // byte ranges must address the raw file
    req.setRawHeader("User-Agent", "Tiefsee");
    if (m_offset > 0)
        req.setRawHeader("Range", "bytes=" + QByteArray::number(m_offset) + "-");
    if (!m_options.token.isEmpty() && url.host().compare(m_options.tokenHost, Qt::CaseInsensitive) == 0)
        req.setRawHeader("Authorization", "Bearer " + m_options.token.toUtf8());
    if (!m_options.extraCaCertificates.isEmpty()) {
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.addCaCertificates(m_options.extraCaCertificates);
        req.setSslConfiguration(conf);
    }

    m_reply = m_nam->get(req);
    connect(m_reply, &QNetworkReply::readyRead, this, &DownloadTask::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &DownloadTask::onFinished);
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError>& errors) {
        QStringList texts;
        for (const QSslError& e : errors)
            texts << e.errorString();
        m_sslErrors = texts.join(QStringLiteral("; "));
        // Never ignored: the handshake fails and onFinished reports it.
    });
    m_bytesThisConnection = 0;
    m_stallTimer.start(m_options.stallTimeoutMs);
    setState(State::Downloading);
}

bool DownloadTask::checkResponseHead()
{
    m_headChecked = true;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 300) {
        m_ignoreBody = true;  // redirect or error: decided in onFinished
        return true;
    }
    if (status == 200 && m_offset > 0) {
        // The server ignored Range: start over from byte 0.
        m_part.resize(0);
        m_hash.reset();
        m_offset = m_hashed = 0;
    }
    qint64 total = -1;
    if (status == 206) {
        static const QRegularExpression re(QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+|\\*)$"));
        const auto m = re.match(QString::fromLatin1(m_reply->rawHeader("Content-Range")).trimmed());
        if (!m.hasMatch() || m.captured(1).toLongLong() != m_offset) {
            m_part.resize(0);
            m_hash.reset();
            m_offset = m_hashed = 0;
            stopReply();
            m_part.close();
            retryOrFail(QStringLiteral("the server resumed %1 at the wrong position").arg(m_spec.label));
            return false;
        }
        if (m.captured(3) != QLatin1String("*"))
            total = m.captured(3).toLongLong();
    } else {
        const QVariant len = m_reply->header(QNetworkRequest::ContentLengthHeader);
        if (len.isValid())
            total = len.toLongLong();
    }
    if (total >= 0) {
        if (m_spec.expectedSize >= 0 && total != m_spec.expectedSize) {
            fail(ErrorKind::InvalidInput,
                 QStringLiteral("%1: the server sends %2 but %3 were expected; nothing was installed")
                     .arg(m_spec.label, sizeText(total), sizeText(m_spec.expectedSize)),
                 false);
            return false;
        }
        if (m_spec.expectedSize < 0) {
            m_spec.expectedSize = total;
            const QString dir = QFileInfo(m_spec.destination).absolutePath();
            const qint64 free = m_options.freeSpace(dir);
            if (free >= 0 && free < total - m_offset) {
                fail(ErrorKind::Io,
                     QStringLiteral("not enough disk space for %1: it needs %2 more but only %3 are free in %4")
                         .arg(m_spec.label, sizeText(total - m_offset), sizeText(free), dir),
                     true);
                return false;
            }
        }
    }
    saveSidecar();
    return true;
}

void DownloadTask::onReadyRead()
{
    if (!m_reply)
        return;
    if (!m_headChecked && !checkResponseHead())
        return;
    if (m_ignoreBody) {
        m_reply->readAll();
        return;
    }
    const QByteArray data = m_reply->readAll();
    if (data.isEmpty())
        return;
    m_stallTimer.start(m_options.stallTimeoutMs);
    if (m_spec.expectedSize >= 0 && m_offset + data.size() > m_spec.expectedSize) {
        fail(ErrorKind::InvalidInput,
             QStringLiteral("%1: the server sent more than the expected %2; nothing was installed")
                 .arg(m_spec.label, sizeText(m_spec.expectedSize)),
             false);
        return;
    }
    const qint64 written = m_part.write(data);
    if (written != data.size()) {
        fail(ErrorKind::Io,
             QStringLiteral("could not write %1: %2 (is the disk full?); the partial download was kept")
                 .arg(m_part.fileName(), m_part.errorString()),
             true);
        return;
    }
    m_hash.addData(data);
    m_offset += data.size();
    m_hashed = m_offset;
    m_bytesThisConnection += data.size();
    m_speedBytes += data.size();
    emitProgress(false);
}

void DownloadTask::onStall()
{
    if (!m_reply)
        return;
    stopReply();
    m_part.close();
    retryOrFail(QStringLiteral("timed out: no data from %1 for %2 s")
                    .arg(m_currentUrl.host())
                    .arg(m_options.stallTimeoutMs / 1000.0));
}

void DownloadTask::onFinished()
{
    if (!m_reply)
        return;
    if (!m_ignoreBody && m_reply->bytesAvailable() > 0)
        onReadyRead();
    if (!m_reply)
        return;  // onReadyRead failed the task
    if (!m_headChecked && m_reply->error() == QNetworkReply::NoError && !checkResponseHead())
        return;
    QNetworkReply* r = m_reply;
    m_reply = nullptr;
    m_stallTimer.stop();
    r->deleteLater();
    disconnect(r, nullptr, this, nullptr);

    const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString host = m_currentUrl.host();

    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        const QByteArray location = r->rawHeader("Location");
        const QUrl next = m_currentUrl.resolved(QUrl::fromEncoded(location));
        if (location.isEmpty() || !next.isValid()) {
            fail(ErrorKind::Network, QStringLiteral("%1 redirected without a valid location").arg(host), true);
            return;
        }
        if (m_currentUrl.scheme() == QLatin1String("https") && next.scheme() != QLatin1String("https")) {
            fail(ErrorKind::Network, QStringLiteral("refused an insecure redirect from %1 to %2").arg(host, next.toString()), true);
            return;
        }
        if (++m_redirects > m_options.maxRedirects) {
            fail(ErrorKind::Network, QStringLiteral("too many redirects starting at %1").arg(m_spec.url.toString()), true);
            return;
        }
        sendRequest(next);
        return;
    }
    if (status == 416) {
        if (m_spec.expectedSize >= 0 && m_offset == m_spec.expectedSize) {
            finalize();
            return;
        }
        m_part.resize(0);
        m_hash.reset();
        m_offset = m_hashed = 0;
        m_part.close();
        retryOrFail(QStringLiteral("%1 refused to resume %2").arg(host, m_spec.label));
        return;
    }
    if (status >= 400) {
        const QString reason = r->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        QString msg = QStringLiteral("HTTP %1 %2 from %3 for %4").arg(status).arg(reason, host, m_spec.label);
        m_part.close();
        if (status >= 500 || status == 429 || status == 408) {
            retryOrFail(msg);
            return;
        }
        if (status == 404)
            msg += QStringLiteral(" (the file is not on the server; check the repo and file name)");
        else if (status == 401 || status == 403)
            msg += QStringLiteral(" (the repo may be gated or private: set a Hugging Face token)");
        fail(ErrorKind::Network, msg, true);
        return;
    }
    if (r->error() != QNetworkReply::NoError) {
        m_part.close();
        if (!m_sslErrors.isEmpty() || r->error() == QNetworkReply::SslHandshakeFailedError) {
            fail(ErrorKind::Network,
                 QStringLiteral("the TLS certificate of %1 could not be verified: %2")
                     .arg(host, m_sslErrors.isEmpty() ? r->errorString() : m_sslErrors),
                 true);
            return;
        }
        retryOrFail(QStringLiteral("connection to %1 failed after %2: %3")
                        .arg(host, sizeText(m_offset), r->errorString()));
        return;
    }
    if (m_spec.expectedSize >= 0 && m_offset < m_spec.expectedSize) {
        m_part.close();
        retryOrFail(QStringLiteral("%1 closed the connection at %2 of %3")
                        .arg(host, sizeText(m_offset), sizeText(m_spec.expectedSize)));
        return;
    }
    finalize();
}

void DownloadTask::retryOrFail(const QString& message)
{
    if (m_part.isOpen())
        m_part.close();
    saveSidecar();
    if (m_bytesThisConnection > 0)
        m_attempt = 0;  // the connection made progress: a fresh budget of retries
    if (m_attempt >= m_options.maxRetries) {
        fail(ErrorKind::Network,
             m_options.maxRetries > 0 ? message + QStringLiteral(" (gave up after %1 retries)").arg(m_options.maxRetries)
                                      : message,
             true);
        return;
    }
    ++m_attempt;
    const qint64 delay =
        std::min<qint64>(qint64(m_options.backoffInitialMs) << std::min(m_attempt - 1, 20), m_options.backoffMaxMs);
    setState(State::Retrying);
    m_retryTimer.start(int(delay));
}

void DownloadTask::finalize()
{
    m_part.close();
    const QString part = partPath(m_spec.destination);
    const qint64 onDisk = QFileInfo(part).size();
    if (onDisk != m_offset || (m_spec.expectedSize >= 0 && m_offset != m_spec.expectedSize)) {
        fail(ErrorKind::InvalidInput,
             QStringLiteral("%1: got %2 but %3 were expected; the partial download was deleted")
                 .arg(m_spec.label, sizeText(onDisk), sizeText(m_spec.expectedSize)),
             false);
        return;
    }
    if (!m_spec.sha256.isEmpty()) {
        const QString got = QString::fromLatin1(m_hash.result().toHex());
        if (got != m_spec.sha256) {
            fail(ErrorKind::InvalidInput,
                 QStringLiteral("sha256 mismatch for %1: expected %2, got %3; the downloaded data was deleted")
                     .arg(m_spec.label, m_spec.sha256, got),
                 false);
            return;
        }
    }
    std::error_code ec;
    std::filesystem::rename(std::filesystem::path(part.toStdString()),
                            std::filesystem::path(m_spec.destination.toStdString()), ec);
    if (ec) {
        fail(ErrorKind::Io, QStringLiteral("cannot move %1 into place: %2").arg(part, QString::fromStdString(ec.message())), true);
        return;
    }
    QFile::remove(sidecarPath(m_spec.destination));
    emitProgress(true);
    setState(State::Completed);
    emit finished(true);
}

void DownloadTask::emitProgress(bool force)
{
    const qint64 now = m_progressClock.elapsed();
    if (!force && m_lastProgressMs >= 0 && now - m_lastProgressMs < m_options.progressIntervalMs)
        return;
    const qint64 dt = now - m_speedMs;
    if (dt > 0 && m_speedBytes > 0) {
        const double inst = double(m_speedBytes) * 1000.0 / double(dt);
        m_speed = m_speed <= 0 ? inst : 0.7 * m_speed + 0.3 * inst;
        m_speedBytes = 0;
        m_speedMs = now;
    }
    m_lastProgressMs = now;
    emit progress(m_offset, m_spec.expectedSize, m_speed, etaSeconds());
}

}  // namespace tiefsee::models
