// ModelVerifier: the Models page's "Verify" re-hashes a file off the GUI thread and
// compares it with the sha256 on record (catalog file of that name, Ollama blob name).
#include "bridge/model_verifier.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using tiefsee::bridge::ModelVerifier;
using tiefsee::bridge::expectedSha256For;

namespace {

// Writes `bytes` pseudo-random bytes to `path`; returns their sha256 (lowercase hex).
QString writeFile(const QString& path, qint64 bytes)
{
    QByteArray data(bytes, Qt::Uninitialized);
    quint32 x = 12345;
    for (qint64 i = 0; i < bytes; ++i) {
        x = x * 1664525u + 1013904223u;
        data[i] = char(x >> 24);
    }
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != bytes)
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

// Runs one verification to its end; returns the result map.
QVariantMap run(ModelVerifier& v, const QString& path, const QString& expected)
{
    QSignalSpy done(&v, &ModelVerifier::finished);
    if (!v.verify(path, expected))
        return {};
    if (!done.wait(20000))
        return {};
    return done.takeFirst().at(1).toMap();
}

}  // namespace

class TestModelVerifier : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void matchingFileIsIntact()
    {
        // 9 MiB + a bit: three 4 MiB chunks, so progress is reported more than once.
        const QString path = m_dir.filePath("model-Q4_K_M.gguf");
        const QString sha = writeFile(path, 9 * 1024 * 1024 + 17);
        QVERIFY(!sha.isEmpty());
        ModelVerifier v;
        QSignalSpy progress(&v, &ModelVerifier::progressChanged);
        QSignalSpy busy(&v, &ModelVerifier::busyChanged);
        const QThread* gui = QThread::currentThread();
        bool finishedOnGui = false;
        connect(&v, &ModelVerifier::finished, this, [&] { finishedOnGui = QThread::currentThread() == gui; });

        const QVariantMap r = run(v, path, sha.toUpper());  // the expected hex may be upper case
        QCOMPARE(r.value("state").toString(), QStringLiteral("ok"));
        QCOMPARE(r.value("sha256").toString(), sha);
        QVERIFY(finishedOnGui);
        QVERIFY2(progress.count() >= 3, qPrintable(QString::number(progress.count())));
        QCOMPARE(v.progress(), 1.0);
        QVERIFY(!v.busy());
        QCOMPARE(busy.count(), 2);  // started, finished
        QCOMPARE(v.results().value(path).toMap().value("state").toString(), QStringLiteral("ok"));
    }

    void damagedFileIsReported()
    {
        const QString path = m_dir.filePath("damaged.gguf");
        const QString sha = writeFile(path, 1000);
        {
            QFile f(path);  // flip one byte: a damaged download
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek(500);
            const char c = f.read(1).at(0);
            f.seek(500);
            f.write(QByteArray(1, char(c ^ 1)));
        }
        ModelVerifier v;
        const QVariantMap r = run(v, path, sha);
        QCOMPARE(r.value("state").toString(), QStringLiteral("mismatch"));
        QVERIFY(r.value("sha256").toString() != sha);
        QVERIFY(r.value("message").toString().contains("download it again"));
    }

    void withoutChecksumShowsTheHash()
    {
        const QString path = m_dir.filePath("own.gguf");
        const QString sha = writeFile(path, 4096);
        ModelVerifier v;
        const QVariantMap r = run(v, path, QString());
        QCOMPARE(r.value("state").toString(), QStringLiteral("unknown"));
        QCOMPARE(r.value("sha256").toString(), sha);
        QVERIFY(r.value("message").toString().contains(sha));
    }

    void missingFileFails()
    {
        ModelVerifier v;
        const QVariantMap r = run(v, m_dir.filePath("gone.gguf"), QString(64, QLatin1Char('0')));
        QCOMPARE(r.value("state").toString(), QStringLiteral("failed"));
        QVERIFY(r.value("message").toString().contains("gone.gguf"));
    }

    void oneAtATimeAndCancel()
    {
        const QString path = m_dir.filePath("big.gguf");
        QVERIFY(!writeFile(path, 32 * 1024 * 1024).isEmpty());
        ModelVerifier v;
        QSignalSpy done(&v, &ModelVerifier::finished);
        QVERIFY(v.verify(path, QString()));
        QVERIFY(v.busy());
        QCOMPARE(v.currentPath(), path);
        QCOMPARE(v.results().value(path).toMap().value("state").toString(), QStringLiteral("hashing"));
        QVERIFY(!v.verify(path, QString()));  // busy
        v.cancel();
        QVERIFY(done.wait(20000));
        // Cancelled before the end, or (on a very fast disk) finished first: never hangs.
        const QString state = done.first().at(1).toMap().value("state").toString();
        QVERIFY2(state == "failed" || state == "unknown", qPrintable(state));
        QVERIFY(!v.busy());
        QVERIFY(v.verify(path, QString()));  // free again
        // Destroying it while it hashes cancels and waits (no crash, no leak: ASan builds).
    }

    void expectedChecksumOnRecord()
    {
        tiefsee::models::Catalog catalog;
        tiefsee::models::CatalogModel model;
        model.files.push_back({"Q4_K_M", "sub/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", 10, std::string(64, 'A')});
        model.files.push_back({"Q8_0", "DeepSeek-R1-Distill-Qwen-7B-Q8_0.gguf", 10, ""});  // Hub not asked yet
        catalog.models.push_back(model);
        QCOMPARE(expectedSha256For("/m/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", catalog), QString(64, 'a'));
        QCOMPARE(expectedSha256For("/m/DeepSeek-R1-Distill-Qwen-7B-Q8_0.gguf", catalog), QString());
        QCOMPARE(expectedSha256For("/m/other.gguf", catalog), QString());
        const QString blobHash = QStringLiteral("0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef");
        QCOMPARE(expectedSha256For("/home/u/.ollama/models/blobs/sha256-" + blobHash, catalog), blobHash.toLower());
        QCOMPARE(expectedSha256For("/x/sha256-123", catalog), QString());
    }
};

QTEST_GUILESS_MAIN(TestModelVerifier)
#include "tst_model_verifier.moc"
