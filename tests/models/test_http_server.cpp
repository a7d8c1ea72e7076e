#include "test_http_server.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTcpSocket>

TestHttpServer::TestHttpServer(QObject* parent) : QTcpServer(parent) {}

TestHttpServer::~TestHttpServer()
{
    for (const QPointer<QTcpSocket>& s : m_sockets)
        if (s)
            s->abort();
}

bool TestHttpServer::start()
{
    return listen(QHostAddress::LocalHost, 0);
}

QUrl TestHttpServer::url(const QByteArray& path) const
{
    return QUrl(QString::fromLatin1(scheme() + "://127.0.0.1:" + QByteArray::number(serverPort()) + path));
}

void TestHttpServer::incomingConnection(qintptr handle)
{
    auto* socket = new QTcpSocket(this);
    socket->setSocketDescriptor(handle);
    serve(socket);
}

void TlsTestServer::incomingConnection(qintptr handle)
{
    auto* socket = new QSslSocket(this);
    socket->setSocketDescriptor(handle);
    socket->setLocalCertificate(m_cert);
    socket->setPrivateKey(m_key);
    socket->setPeerVerifyMode(QSslSocket::VerifyNone);  // the server does not ask for client certs
    serve(socket);
    socket->startServerEncryption();
}

void TestHttpServer::serve(QTcpSocket* socket)
{
    m_sockets.push_back(socket);
    auto buffer = std::make_shared<QByteArray>();
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
        buffer->append(socket->readAll());
        const qsizetype end = buffer->indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer->left(end).split('\n');
        buffer->clear();
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        Request req;
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        req.method = first.value(0);
        req.path = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                req.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        requests.push_back(req);
        respond(socket, req);
    });
}

void TestHttpServer::respond(QTcpSocket* socket, const Request& req)
{
    auto send = [socket](int status, const QByteArray& reason, const QList<QByteArray>& headers, const QByteArray& body,
                         qint64 contentLength) {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " " + reason + "\r\n";
        for (const QByteArray& h : headers)
            out += h + "\r\n";
        out += "Content-Length: " + QByteArray::number(contentLength) + "\r\nConnection: close\r\n\r\n";
        out += body;
        socket->write(out);
    };
    auto it = m_routes.find(req.path);
    if (it == m_routes.end()) {
        send(404, "Not Found", {}, "no such file", 12);
        socket->disconnectFromHost();
        return;
    }
    Route& route = it.value();
    Behavior behavior = route.behavior;
    if (behavior != Behavior::Normal && route.misbehaveCount == 0)
        behavior = Behavior::Normal;
    else if (route.misbehaveCount > 0)
        --route.misbehaveCount;

    const QByteArray& body = route.body;
    const qint64 size = body.size();
    switch (behavior) {
    case Behavior::NotFound:
        send(404, "Not Found", {}, "not found", 9);
        socket->disconnectFromHost();
        return;
    case Behavior::ServerError:
        send(500, "Internal Server Error", {}, "oops", 4);
        socket->disconnectFromHost();
        return;
    case Behavior::Redirect:
        send(302, "Found", {"Location: " + route.redirectTo}, {}, 0);
        socket->disconnectFromHost();
        return;
    case Behavior::Stall:
        if (!route.stallBeforeHeaders) {
            QByteArray head = "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(size) + "\r\n\r\n";
            socket->write(head);
        }
        return;  // never answers further; the socket stays open until the server dies
    default:
        break;
    }

    qint64 start = 0;
    bool partial = false;
    static const QRegularExpression rangeRe(QStringLiteral("^bytes=(\\d+)-(\\d*)$"));
    const auto m = rangeRe.match(QString::fromLatin1(req.headers.value("range")));
    if (m.hasMatch() && behavior != Behavior::IgnoreRange) {
        start = m.captured(1).toLongLong();
        if (start >= size) {
            send(416, "Range Not Satisfiable", {"Content-Range: bytes */" + QByteArray::number(size)}, {}, 0);
            socket->disconnectFromHost();
            return;
        }
        partial = true;
    }
    const QByteArray slice = body.mid(start);
    QList<QByteArray> headers{"Content-Type: application/octet-stream", "Accept-Ranges: bytes"};
    if (partial)
        headers << "Content-Range: bytes " + QByteArray::number(start) + "-" + QByteArray::number(size - 1) + "/" +
                       QByteArray::number(size);
    if (behavior == Behavior::StallAfter) {
        send(partial ? 206 : 200, partial ? "Partial Content" : "OK", headers, slice.left(route.dropAfter), slice.size());
        return;  // stays open and silent
    }
    if (behavior == Behavior::DropAfter) {
        send(partial ? 206 : 200, partial ? "Partial Content" : "OK", headers, slice.left(route.dropAfter), slice.size());
        socket->disconnectFromHost();  // after the pending bytes are written
        return;
    }
    send(partial ? 206 : 200, partial ? "Partial Content" : "OK", headers, slice, slice.size());
    socket->disconnectFromHost();
}
