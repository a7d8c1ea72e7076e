// A small HTTP/1.1 server on 127.0.0.1 for the download tests, built on QTcpServer
// (QtNetwork has no HTTP server in Qt 6.4). It serves in-memory files with Range
// support and can misbehave per route: drop the connection mid-body, answer 404 or
// 500, stall after the headers, redirect, or ignore Range. Every request is recorded
// (method, path, headers) so tests can check Range and Authorization. One request
// per connection ("Connection: close"). Lives on the test's thread.
//
// TlsTestServer wraps each connection in a QSslSocket with a given certificate, since
// Qt 6.4 has no QSslServer.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

class TestHttpServer : public QTcpServer {
    Q_OBJECT
public:
    enum class Behavior {
        Normal,        // 200 / 206 / 416 as Range asks
        DropAfter,     // full headers, then `dropAfter` body bytes, then close
        NotFound,      // 404
        ServerError,   // 500
        Stall,         // headers (or nothing, with stallBeforeHeaders), then silence
        StallAfter,    // full headers, then `dropAfter` body bytes, then silence
        Redirect,      // 302 to `redirectTo` (absolute URL or path)
        IgnoreRange,   // always 200 with the whole body
    };
    struct Route {
        QByteArray body;
        Behavior behavior = Behavior::Normal;
        int misbehaveCount = -1;    // requests that misbehave before it turns Normal; -1 = always
        qint64 dropAfter = 0;       // DropAfter / StallAfter: body bytes sent before closing / stalling
        QByteArray redirectTo;      // Redirect target
        bool stallBeforeHeaders = false;

        static Route file(const QByteArray& body, Behavior behavior = Behavior::Normal)
        {
            Route r;
            r.body = body;
            r.behavior = behavior;
            return r;
        }
    };
    struct Request {
        QByteArray method;
        QByteArray path;
        QHash<QByteArray, QByteArray> headers;  // lower-case names
    };

    explicit TestHttpServer(QObject* parent = nullptr);
    ~TestHttpServer() override;

    bool start();  // listens on 127.0.0.1, any port
    QUrl url(const QByteArray& path) const;  // http(s)://127.0.0.1:<port><path>
    void setRoute(const QByteArray& path, const Route& route) { m_routes.insert(path, route); }
    Route& route(const QByteArray& path) { return m_routes[path]; }

    QList<Request> requests;

protected:
    void incomingConnection(qintptr handle) override;
    void serve(QTcpSocket* socket);  // reads one request from `socket` and answers it
    virtual QByteArray scheme() const { return "http"; }

private:
    void respond(QTcpSocket* socket, const Request& req);

    QHash<QByteArray, Route> m_routes;
    QList<QPointer<QTcpSocket>> m_sockets;  // kept open (stalls) until destruction
};

class TlsTestServer : public TestHttpServer {
    Q_OBJECT
public:
    TlsTestServer(QSslCertificate cert, QSslKey key, QObject* parent = nullptr)
        : TestHttpServer(parent), m_cert(std::move(cert)), m_key(std::move(key)) {}

protected:
    void incomingConnection(qintptr handle) override;
    QByteArray scheme() const override { return "https"; }

private:
    QSslCertificate m_cert;
    QSslKey m_key;
};
