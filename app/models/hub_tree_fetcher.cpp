#include "models/hub_tree_fetcher.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTimer>

namespace tiefsee::models {

HubTreeFetcher::HubTreeFetcher(QNetworkAccessManager* nam, HubSettings hub, QString cacheDir, QObject* parent)
    : QObject(parent), m_nam(nam), m_hub(std::move(hub)), m_cache(std::move(cacheDir))
{
}

void HubTreeFetcher::fetch(const QString& repo, qint64 maxAgeSeconds)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::optional<HubTreeCache::Entry> cached = m_cache.load(repo);
    if (cached && isFresh(cached->fetched, now, maxAgeSeconds)) {
        QTimer::singleShot(0, this, [this, repo, entry = std::move(*cached)] {
            emit treeReady(repo, entry.files, entry.fetched, false);
        });
        return;
    }

    QNetworkRequest req(treeUrl(m_hub.endpoint, repo));
    // The API answers directly; a redirect may not leave the host (the token goes along).
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    req.setTransferTimeout(m_timeoutMs);
    req.setRawHeader("User-Agent", "Tiefsee");
    if (!m_hub.token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_hub.token.toUtf8());
    if (!m_extraCas.isEmpty()) {
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.addCaCertificates(m_extraCas);
        req.setSslConfiguration(conf);
    }
    QNetworkReply* reply = m_nam->get(req);
    connect(reply, &QNetworkReply::finished, this, [this, reply, repo, cached] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QString problem;
        if (reply->error() != QNetworkReply::NoError || status != 200) {
            problem = status >= 400 ? QStringLiteral("HTTP %1 from %2").arg(status).arg(reply->url().host())
                                    : reply->errorString();
            if (status == 404)
                problem += QStringLiteral(" (no such repo)");
            else if (status == 401 || status == 403)
                problem += QStringLiteral(" (gated or private repo: set a Hugging Face token)");
        } else {
            const QByteArray body = reply->readAll();
            auto files = parseHubTree(std::string_view(body.constData(), size_t(body.size())));
            if (files) {
                const QDateTime now = QDateTime::currentDateTimeUtc();
                m_cache.store(repo, std::string_view(body.constData(), size_t(body.size())), now);
                emit treeReady(repo, files.value(), now, false);
                return;
            }
            problem = QString::fromStdString(files.error().message);
        }
        if (cached) {
            emit treeReady(repo, cached->files, cached->fetched, true);
            return;
        }
        emit treeFailed(repo, problem);
    });
}

}  // namespace tiefsee::models
