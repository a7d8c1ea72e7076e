// The downloader against a local HTTP/1.1 server (test_http_server.h) that can
// misbehave: full download with sha256 check, a dropped connection resumed with
// Range, an app "restart" (new objects) resuming the part file, a wrong hash rejected
// with nothing installed, 404 / 500 / stall reported clearly, the disk-space refusal,
// redirects (the token stays on its host), pause / cancel, a server that ignores
// Range, and the queue's concurrency limit.
#include "models/download_queue.h"
#include "models/download_task.h"
#include "models/part_sidecar.h"

#include "test_http_server.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tiefsee::models;
using State = DownloadTask::State;

namespace {

QByteArray makeBody(qsizetype n, quint32 seed)
{
    QByteArray b(n, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    gen.fillRange(reinterpret_cast<quint32*>(b.data()), n / 4);
    return b;
}

QString sha256Hex(const QByteArray& b)
{
    return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex());
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Fast settings: retries after 20 ms, a dead connection noticed after 300 ms.
DownloadOptions fastOptions()
{
    DownloadOptions o;
    o.maxRetries = 3;
    o.backoffInitialMs = 20;
    o.backoffMaxMs = 100;
    // Long enough that a host busy with other suites (ctest -j) does not look like a
    // stalled server: a spurious stall retries, and the tests count requests.
    // stallTimesOut sets its own.
    o.stallTimeoutMs = 5000;
    o.progressIntervalMs = 0;
    return o;
}

// Runs the task to completion (or until `ms` pass); returns its final state.
State run(DownloadTask& task, int ms = 10000)
{
    QSignalSpy done(&task, &DownloadTask::finished);
    task.start();
    if (!task.isFinished())
        done.wait(ms);
    return task.state();
}

}  // namespace

class TestModelsDownload : public QObject {
    Q_OBJECT
private slots:
    void init();
    void fullDownloadVerified();
    void droppedConnectionResumes();
    void restartResumesPartFile();
    void wrongHashRejected();
    void notFoundFailsAtOnce();
    void serverErrorRetriedThenReported();
    void serverErrorRecovers();
    void stallTimesOut();
    void diskSpaceRefused();
    void diskFullWhileWriting();
    void sizeMismatchRejected();
    void redirectFollowedTokenStaysOnHost();
    void pauseKeepsPartAndResumes();
    void cancelRemovesPart();
    void serverIgnoringRangeRestarts();
    void queueRunsOneAtATime();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestHttpServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QByteArray m_body;

    DownloadSpec spec(const QByteArray& path, const QString& name = "model.gguf") const
    {
        DownloadSpec s;
        s.url = m_server->url(path);
        s.destination = m_dir->filePath(name);
        s.expectedSize = m_body.size();
        s.sha256 = sha256Hex(m_body);
        return s;
    }
    void expectInstalled(const QString& dest)
    {
        QCOMPARE(readAll(dest), m_body);
        QVERIFY(!QFileInfo::exists(partPath(dest)));
        QVERIFY(!QFileInfo::exists(sidecarPath(dest)));
    }
};

void TestModelsDownload::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<TestHttpServer>();
    QVERIFY(m_server->start());
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_body = makeBody(3 << 20, 7);  // 3 MiB
    m_server->setRoute("/f", TestHttpServer::Route::file(m_body));
}

void TestModelsDownload::fullDownloadVerified()
{
    DownloadTask task(m_nam.get(), spec("/f"), fastOptions());
    QSignalSpy progress(&task, &DownloadTask::progress);
    QCOMPARE(run(task), State::Completed);
    expectInstalled(task.spec().destination);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toLongLong(), qint64(m_body.size()));
    QCOMPARE(progress.last().at(1).toLongLong(), qint64(m_body.size()));
    QCOMPARE(m_server->requests.size(), 1);
    QVERIFY(!m_server->requests[0].headers.contains("range"));
    QVERIFY(!m_server->requests[0].headers.contains("authorization"));  // no token configured
}

void TestModelsDownload::droppedConnectionResumes()
{
    TestHttpServer::Route r = TestHttpServer::Route::file(m_body);
    r.behavior = TestHttpServer::Behavior::DropAfter;
    r.dropAfter = 1 << 20;
    r.misbehaveCount = 1;
    m_server->setRoute("/f", r);
    DownloadTask task(m_nam.get(), spec("/f"), fastOptions());
    QSignalSpy states(&task, &DownloadTask::stateChanged);
    QCOMPARE(run(task), State::Completed);
    expectInstalled(task.spec().destination);
    // The resume is the last request. Qt itself may send the first GET again when the
    // server closes before it has read the response (seen on a busy host: a second
    // request without a range, before the task's own resume).
    QVERIFY(m_server->requests.size() >= 2);
    const QByteArray range = m_server->requests.last().headers.value("range");
    QVERIFY2(range.startsWith("bytes="), range.constData());
    const qint64 from = range.mid(6, range.indexOf('-') - 6).toLongLong();
    QVERIFY(from > 0 && from <= (1 << 20));  // resumed where the drop left it, not from 0
    bool retried = false;
    for (const auto& s : states)
        retried |= s.at(0).value<State>() == State::Retrying;
    QVERIFY(retried);
}

void TestModelsDownload::restartResumesPartFile()
{
    TestHttpServer::Route r = TestHttpServer::Route::file(m_body);
    r.behavior = TestHttpServer::Behavior::DropAfter;
    r.dropAfter = 1 << 20;
    m_server->setRoute("/f", r);
    DownloadOptions noRetry = fastOptions();
    noRetry.maxRetries = 0;
    qint64 partSize = 0;
    {
        DownloadTask first(m_nam.get(), spec("/f"), noRetry);
        QCOMPARE(run(first), State::Failed);
        QCOMPARE(first.error().kind, tiefsee::ErrorKind::Network);
        QVERIFY(!QFileInfo::exists(first.spec().destination));
        partSize = QFileInfo(partPath(first.spec().destination)).size();
        QVERIFY(partSize > 0 && partSize <= (1 << 20));
        auto side = readSidecar(first.spec().destination);
        QVERIFY(side.has_value());
        QCOMPARE(side->sha256, sha256Hex(m_body));
        QCOMPARE(side->expectedSize, qint64(m_body.size()));
    }
    // "Restart": a new network manager and a new task find the part and its sidecar.
    m_server->route("/f").behavior = TestHttpServer::Behavior::Normal;
    m_nam = std::make_unique<QNetworkAccessManager>();
    DownloadTask second(m_nam.get(), spec("/f"), fastOptions());
    QCOMPARE(run(second), State::Completed);
    expectInstalled(second.spec().destination);
    QCOMPARE(m_server->requests.last().headers.value("range"), "bytes=" + QByteArray::number(partSize) + "-");
}

void TestModelsDownload::wrongHashRejected()
{
    DownloadSpec s = spec("/f");
    s.sha256 = sha256Hex("something else");
    DownloadTask task(m_nam.get(), s, fastOptions());
    QCOMPARE(run(task), State::Failed);
    const QString msg = QString::fromStdString(task.error().message);
    QVERIFY2(msg.contains("sha256 mismatch") && msg.contains("deleted"), qPrintable(msg));
    QVERIFY(!QFileInfo::exists(s.destination));
    QVERIFY(!QFileInfo::exists(partPath(s.destination)));
    QVERIFY(!QFileInfo::exists(sidecarPath(s.destination)));
}

void TestModelsDownload::notFoundFailsAtOnce()
{
    DownloadTask task(m_nam.get(), spec("/missing"), fastOptions());
    QCOMPARE(run(task), State::Failed);
    const QString msg = QString::fromStdString(task.error().message);
    QVERIFY2(msg.contains("HTTP 404") && msg.contains("not on the server"), qPrintable(msg));
    QCOMPARE(m_server->requests.size(), 1);  // 404 is not retried
    QVERIFY(!QFileInfo::exists(task.spec().destination));
}

void TestModelsDownload::serverErrorRetriedThenReported()
{
    TestHttpServer::Route r = TestHttpServer::Route::file(m_body);
    r.behavior = TestHttpServer::Behavior::ServerError;
    m_server->setRoute("/f", r);
    DownloadOptions o = fastOptions();
    o.maxRetries = 2;
    DownloadTask task(m_nam.get(), spec("/f"), o);
    QCOMPARE(run(task), State::Failed);
    const QString msg = QString::fromStdString(task.error().message);
    QVERIFY2(msg.contains("HTTP 500") && msg.contains("gave up after 2 retries"), qPrintable(msg));
    QCOMPARE(m_server->requests.size(), 3);
    QVERIFY(!QFileInfo::exists(task.spec().destination));
}

void TestModelsDownload::serverErrorRecovers()
{
    TestHttpServer::Route r = TestHttpServer::Route::file(m_body);
    r.behavior = TestHttpServer::Behavior::ServerError;
    r.misbehaveCount = 2;
    m_server->setRoute("/f", r);
    DownloadTask task(m_nam.get(), spec("/f"), fastOptions());
    QCOMPARE(run(task), State::Completed);
    expectInstalled(task.spec().destination);
    QCOMPARE(m_server->requests.size(), 3);
}

void TestModelsDownload::stallTimesOut()
{
    TestHttpServer::Route r = TestHttpServer::Route::file(m_body);
    r.behavior = TestHttpServer::Behavior::Stall;  // headers, then nothing
    m_server->setRoute("/f", r);
    DownloadOptions o = fastOptions();
    o.maxRetries = 1;
    o.stallTimeoutMs = 300;
    DownloadTask task(m_nam.get(), spec("/f"), o);
    QCOMPARE(run(task), State::Failed);
    const QString msg = QString::fromStdString(task.error().message);
    QVERIFY2(msg.contains("timed out") && msg.contains("127.0.0.1"), qPrintable(msg));
    QCOMPARE(m_server->requests.size(), 2);
}

void TestModelsDownload::diskSpaceRefused()
{
    DownloadOptions o = fastOptions();
    QString askedDir;
    o.freeSpace = [&askedDir](const QString& dir) {
        askedDir = dir;
        return qint64(1000);
    };
    DownloadTask task(m_nam.get(), spec("/f"), o);
    QCOMPARE(run(task), State::Failed);
    QCOMPARE(task.error().kind, tiefsee::ErrorKind::Io);
    const QString msg = QString::fromStdString(task.error().message);
    QVERIFY2(msg.contains("not enough disk space"), qPrintable(msg));
    QCOMPARE(askedDir, m_dir->path());
    QVERIFY(m_server->requests.isEmpty());  // refused before any byte was fetched
    QVERIFY(!QFileInfo::exists(task.spec().destination));
}

void TestModelsDownload::diskFullWhileWriting()
{
    // The free-space check passes but the disk fills anyway: the part file is a link to
    // /dev/full (every write fails with ENOSPC), adopted through a matching sidecar.
    if (!QFileInfo::exists("/dev/full"))
        QSKIP("needs /dev/full");
    DownloadSpec s = spec("/f");
    QVERIFY(QFile::link("/dev/full", partPath(s.destination)));
    QVERIFY(writeSidecar(s.destination, PartSidecar{s.url.toString(), s.expectedSize, s.sha256, 0}));
    DownloadTask task(m_nam.get(), s, fastOptions());
    QCOMPARE(run(task), State::Failed);
    QCOMPARE(task.error().kind, tiefsee::ErrorKind::Io);
    const QString msg = QString::fromStdString(task.error().message);
    QVERIFY2(msg.contains("could not write") && msg.contains("disk full"), qPrintable(msg));
    QVERIFY(!QFileInfo::exists(s.destination));
    QFile::remove(partPath(s.destination));
}

void TestModelsDownload::sizeMismatchRejected()
{
    DownloadSpec s = spec("/f");
    s.expectedSize = m_body.size() + 10;
    DownloadTask task(m_nam.get(), s, fastOptions());
    QCOMPARE(run(task), State::Failed);
    QVERIFY2(QString::fromStdString(task.error().message).contains("were expected"), task.error().message.c_str());
    QVERIFY(!QFileInfo::exists(s.destination));
    QVERIFY(!QFileInfo::exists(partPath(s.destination)));
}

void TestModelsDownload::redirectFollowedTokenStaysOnHost()
{
    // The "Hub" answers on localhost and redirects to a "CDN" on 127.0.0.1 (another host name).
    TestHttpServer cdn;
    QVERIFY(cdn.start());
    cdn.setRoute("/cdn/blob", TestHttpServer::Route::file(m_body));
    TestHttpServer::Route hop;
    hop.behavior = TestHttpServer::Behavior::Redirect;
    hop.redirectTo = "/repo/resolve/main/hop2";  // a relative redirect first
    m_server->setRoute("/repo/resolve/main/model.gguf", hop);
    TestHttpServer::Route toCdn;
    toCdn.behavior = TestHttpServer::Behavior::Redirect;
    toCdn.redirectTo = cdn.url("/cdn/blob").toEncoded();
    m_server->setRoute("/repo/resolve/main/hop2", toCdn);

    DownloadSpec s = spec("/repo/resolve/main/model.gguf");
    s.url.setHost("localhost");
    DownloadOptions o = fastOptions();
    o.token = "hf_secret";
    DownloadTask task(m_nam.get(), s, o);
    QCOMPARE(run(task), State::Completed);
    expectInstalled(s.destination);
    QCOMPARE(m_server->requests.size(), 2);
    QCOMPARE(m_server->requests[0].headers.value("authorization"), QByteArray("Bearer hf_secret"));
    QCOMPARE(m_server->requests[1].headers.value("authorization"), QByteArray("Bearer hf_secret"));
    QCOMPARE(cdn.requests.size(), 1);
    QVERIFY(!cdn.requests[0].headers.contains("authorization"));  // never to another host
}

void TestModelsDownload::pauseKeepsPartAndResumes()
{
    TestHttpServer::Route r = TestHttpServer::Route::file(m_body);
    r.behavior = TestHttpServer::Behavior::StallAfter;
    r.dropAfter = 1 << 20;
    r.misbehaveCount = 1;
    m_server->setRoute("/f", r);
    DownloadTask task(m_nam.get(), spec("/f"), fastOptions());
    QSignalSpy progress(&task, &DownloadTask::progress);
    task.start();
    QTRY_VERIFY_WITH_TIMEOUT(task.receivedBytes() == (1 << 20), 5000);
    task.pause();
    QCOMPARE(task.state(), State::Paused);
    const QString dest = task.spec().destination;
    QCOMPARE(QFileInfo(partPath(dest)).size(), qint64(1 << 20));
    QVERIFY(QFileInfo::exists(sidecarPath(dest)));
    QCOMPARE(readSidecar(dest)->bytesHashed, qint64(1 << 20));
    QVERIFY(!QFileInfo::exists(dest));

    QCOMPARE(run(task), State::Completed);
    expectInstalled(dest);
    QCOMPARE(m_server->requests.last().headers.value("range"), QByteArray("bytes=1048576-"));
}

void TestModelsDownload::cancelRemovesPart()
{
    TestHttpServer::Route r = TestHttpServer::Route::file(m_body);
    r.behavior = TestHttpServer::Behavior::StallAfter;
    r.dropAfter = 1 << 20;
    m_server->setRoute("/f", r);
    DownloadTask task(m_nam.get(), spec("/f"), fastOptions());
    QSignalSpy finished(&task, &DownloadTask::finished);
    task.start();
    QTRY_VERIFY_WITH_TIMEOUT(task.receivedBytes() == (1 << 20), 5000);
    task.cancel();
    QCOMPARE(task.state(), State::Cancelled);
    QCOMPARE(task.error().kind, tiefsee::ErrorKind::Cancelled);
    QCOMPARE(finished.size(), 1);
    const QString dest = task.spec().destination;
    QVERIFY(!QFileInfo::exists(partPath(dest)));
    QVERIFY(!QFileInfo::exists(sidecarPath(dest)));
    QVERIFY(!QFileInfo::exists(dest));
}

void TestModelsDownload::serverIgnoringRangeRestarts()
{
    // A part from an earlier run, then a server that always answers 200 with everything.
    DownloadSpec s = spec("/f");
    {
        QFile part(partPath(s.destination));
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write(m_body.left(5000));
    }
    QVERIFY(writeSidecar(s.destination, PartSidecar{s.url.toString(), s.expectedSize, s.sha256, 5000}));
    TestHttpServer::Route r = TestHttpServer::Route::file(m_body);
    r.behavior = TestHttpServer::Behavior::IgnoreRange;
    m_server->setRoute("/f", r);
    DownloadTask task(m_nam.get(), s, fastOptions());
    QCOMPARE(run(task), State::Completed);
    expectInstalled(s.destination);
    QCOMPARE(m_server->requests[0].headers.value("range"), QByteArray("bytes=5000-"));
}

void TestModelsDownload::queueRunsOneAtATime()
{
    DownloadQueue queue(fastOptions(), m_nam.get());
    QCOMPARE(queue.maxConcurrent(), 1);
    int active = 0, maxActive = 0;
    QSignalSpy finished(&queue, &DownloadQueue::finished);
    connect(&queue, &DownloadQueue::stateChanged, this, [&](int, State s) {
        active = 0;
        for (int id : queue.ids())
            active += queue.task(id)->isActive() ? 1 : 0;
        maxActive = std::max(maxActive, active);
        Q_UNUSED(s);
    });
    const int a = queue.enqueue(spec("/f", "a.gguf"));
    const int b = queue.enqueue(spec("/f", "b.gguf"));
    const int c = queue.enqueue(spec("/f", "c.gguf"));
    QCOMPARE(queue.enqueue(spec("/f", "a.gguf")), a);  // same destination: same download
    QCOMPARE(queue.task(b)->state(), State::Queued);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 20000);
    QCOMPARE(maxActive, 1);
    for (int id : {a, b, c}) {
        QCOMPARE(queue.task(id)->state(), State::Completed);
        expectInstalled(queue.task(id)->spec().destination);
    }
    for (const auto& f : finished)
        QVERIFY(f.at(1).toBool());
    queue.clearFinished();
    QVERIFY(queue.ids().isEmpty());
}

QTEST_GUILESS_MAIN(TestModelsDownload)
#include "tst_models_download.moc"
