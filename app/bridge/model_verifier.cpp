// ModelVerifier (see model_verifier.h).
#include "bridge/model_verifier.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace tiefsee::bridge {

QString expectedSha256For(const QString& path, const models::Catalog& catalog)
{
    const QString fileName = QFileInfo(path).fileName();
    // Ollama stores each GGUF as blobs/sha256-<hex>: the name is the checksum.
    static const QRegularExpression blob(QStringLiteral("^sha256[-:]([0-9a-fA-F]{64})$"));
    if (const auto m = blob.match(fileName); m.hasMatch())
        return m.captured(1).toLower();
    // A catalog file of the same name (what the Models folder holds after a download).
    for (const models::CatalogModel& model : catalog.models)
        for (const models::CatalogFile& file : model.files)
            if (!file.sha256.empty() && QFileInfo(QString::fromStdString(file.file)).fileName() == fileName)
                return QString::fromStdString(file.sha256).toLower();
    return {};
}

ModelVerifier::ModelVerifier(QObject* parent) : QObject(parent) {}

ModelVerifier::~ModelVerifier()
{
    if (m_thread) {
        m_cancel->store(true);
        m_thread->wait();
        delete m_thread;
    }
}

bool ModelVerifier::verify(const QString& path, const QString& expectedSha256)
{
    if (m_thread)
        return false;
    m_path = path;
    m_expected = expectedSha256.trimmed().toLower();
    m_progress = 0.0;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    setResult(path, QStringLiteral("hashing"), tr("Checking the file…"), {});

    // The worker only touches its own copies and the shared cancel flag; results come
    // back through queued calls on this object (dropped if it is gone: QPointer).
    QPointer<ModelVerifier> self(this);
    auto cancel = m_cancel;
    m_thread = QThread::create([self, cancel, path] {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            const QString error = tr("Could not read %1: %2").arg(path, file.errorString());
            QMetaObject::invokeMethod(self, [self, error] { if (self) self->complete({}, error); }, Qt::QueuedConnection);
            return;
        }
        const qint64 total = file.size();
        QCryptographicHash hash(QCryptographicHash::Sha256);
        QByteArray chunk;
        qint64 done = 0;
        while (!file.atEnd()) {
            if (cancel->load()) {
                const QString error = tr("Verification cancelled.");
                QMetaObject::invokeMethod(self, [self, error] { if (self) self->complete({}, error); }, Qt::QueuedConnection);
                return;
            }
            chunk = file.read(kChunkBytes);
            if (chunk.isEmpty() && file.error() != QFileDevice::NoError) {
                const QString error = tr("Could not read %1: %2").arg(path, file.errorString());
                QMetaObject::invokeMethod(self, [self, error] { if (self) self->complete({}, error); }, Qt::QueuedConnection);
                return;
            }
            hash.addData(chunk);
            done += chunk.size();
            const double fraction = total > 0 ? double(done) / double(total) : 1.0;
            QMetaObject::invokeMethod(self, [self, fraction] {
                if (self && self->m_thread) {
                    self->m_progress = fraction;
                    emit self->progressChanged();
                }
            }, Qt::QueuedConnection);
        }
        const QString sha = QString::fromLatin1(hash.result().toHex());
        QMetaObject::invokeMethod(self, [self, sha] { if (self) self->complete(sha, {}); }, Qt::QueuedConnection);
    });
    m_thread->start(QThread::LowPriority);  // the chat and the UI come first
    emit busyChanged();
    emit progressChanged();
    return true;
}

void ModelVerifier::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void ModelVerifier::complete(const QString& sha256, const QString& error)
{
    if (!m_thread)
        return;
    m_thread->wait();  // it has returned (this call was its last act) or is about to
    delete m_thread;
    m_thread = nullptr;
    const QString path = m_path;
    if (!error.isEmpty())
        setResult(path, QStringLiteral("failed"), error, {});
    else if (m_expected.isEmpty())
        setResult(path, QStringLiteral("unknown"),
                  tr("No checksum is on record for this file. Its sha256 is %1.").arg(sha256), sha256);
    else if (sha256 == m_expected)
        setResult(path, QStringLiteral("ok"), tr("The file is intact: its sha256 matches the published one."), sha256);
    else
        setResult(path, QStringLiteral("mismatch"),
                  tr("The file is damaged or not the published one: its sha256 does not match. Delete it and "
                     "download it again."),
                  sha256);
    m_path.clear();
    emit busyChanged();
    emit finished(path, m_results.value(path).toMap());
}

void ModelVerifier::setResult(const QString& path, const QString& state, const QString& message, const QString& sha256)
{
    m_results.insert(path, QVariantMap{{QStringLiteral("state"), state},
                                       {QStringLiteral("message"), message},
                                       {QStringLiteral("sha256"), sha256}});
    emit resultsChanged();
}

}  // namespace tiefsee::bridge
