// TLS: the downloader verifies certificates. A local HTTPS server with a self-signed
// certificate (made by `openssl req -x509` in a temp dir) is rejected; it is accepted
// once the test adds that certificate as a CA; an HTTPS → HTTP redirect is refused.
#include "models/download_task.h"
#include "models/part_sidecar.h"

#include "test_http_server.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace tiefsee::models;
using State = tiefsee::models::DownloadTask::State;

class TestModelsTls : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    // A fresh manager per test: QNAM keeps TLS sessions/connections per host.
    void init() { m_nam = std::make_unique<QNetworkAccessManager>(); }
    void selfSignedRejected();
    void acceptedWithAddedCa();
    void insecureRedirectRefused();

private:
    State run(DownloadTask& task)
    {
        QSignalSpy done(&task, &DownloadTask::finished);
        task.start();
        if (!task.isFinished())
            done.wait(10000);
        return task.state();
    }
    DownloadSpec spec(const QString& name)
    {
        DownloadSpec s;
        s.url = m_server->url("/f");
        s.destination = m_dir.filePath(name);
        s.expectedSize = m_body.size();
        s.sha256 = QString::fromLatin1(QCryptographicHash::hash(m_body, QCryptographicHash::Sha256).toHex());
        return s;
    }
    DownloadOptions options() const
    {
        DownloadOptions o;
        o.maxRetries = 1;
        o.backoffInitialMs = 20;
        o.stallTimeoutMs = 2000;
        return o;
    }

    QTemporaryDir m_dir;
    QSslCertificate m_cert;
    std::unique_ptr<TlsTestServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QByteArray m_body = QByteArray(200000, 'x') + "end";
};

void TestModelsTls::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here");
    QProcess openssl;
    openssl.start("openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-keyout", m_dir.filePath("key.pem"), "-out", m_dir.filePath("cert.pem"), "-days", "2",
                              "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
    QVERIFY2(openssl.waitForFinished(30000), "openssl did not finish");
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
    QFile certFile(m_dir.filePath("cert.pem")), keyFile(m_dir.filePath("key.pem"));
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    m_cert = QSslCertificate(certFile.readAll(), QSsl::Pem);
    const QSslKey key(keyFile.readAll(), QSsl::Ec, QSsl::Pem);
    QVERIFY(!m_cert.isNull() && !key.isNull());
    m_server = std::make_unique<TlsTestServer>(m_cert, key);
    QVERIFY(m_server->start());
    m_server->setRoute("/f", TestHttpServer::Route::file(m_body));
}

void TestModelsTls::selfSignedRejected()
{
    DownloadTask task(m_nam.get(), spec("rejected.gguf"), options());
    QCOMPARE(run(task), State::Failed);
    const QString msg = QString::fromStdString(task.error().message);
    QVERIFY2(msg.contains("TLS certificate of 127.0.0.1 could not be verified"), qPrintable(msg));
    QVERIFY(!QFileInfo::exists(task.spec().destination));
    QVERIFY(m_server->requests.isEmpty());  // no HTTP request ever reached the server
}

void TestModelsTls::acceptedWithAddedCa()
{
    DownloadOptions o = options();
    o.extraCaCertificates = {m_cert};
    DownloadTask task(m_nam.get(), spec("accepted.gguf"), o);
    QCOMPARE(run(task), State::Completed);
    QFile f(task.spec().destination);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), m_body);
    QCOMPARE(m_server->requests.size(), 1);
}

void TestModelsTls::insecureRedirectRefused()
{
    TestHttpServer plain;
    QVERIFY(plain.start());
    plain.setRoute("/f", TestHttpServer::Route::file(m_body));
    TestHttpServer::Route r;
    r.behavior = TestHttpServer::Behavior::Redirect;
    r.redirectTo = plain.url("/f").toEncoded();
    m_server->setRoute("/down", r);
    DownloadOptions o = options();
    o.extraCaCertificates = {m_cert};
    DownloadSpec s = spec("downgrade.gguf");
    s.url = m_server->url("/down");
    DownloadTask task(m_nam.get(), s, o);
    QCOMPARE(run(task), State::Failed);
    const QString msg = QString::fromStdString(task.error().message);
    QVERIFY2(msg.contains("refused an insecure redirect"), qPrintable(msg));
    QVERIFY(plain.requests.isEmpty());
}

QTEST_GUILESS_MAIN(TestModelsTls)
#include "tst_models_tls.moc"
