// Fetches a repo's file list (sizes + sha256) from the Hub tree API, with an on-disk
// cache (HubTreeCache). A fresh cache entry answers without network; when the network
// fails a stale entry is used and says so. Lives on the thread of its
// QNetworkAccessManager; never blocks it.
#pragma once

#include "models/hub_endpoint.h"
#include "models/hub_tree.h"

#include <QList>
#include <QObject>
#include <QSslCertificate>

#include <vector>

class QNetworkAccessManager;

namespace tiefsee::models {

class HubTreeFetcher : public QObject {
    Q_OBJECT
public:
    HubTreeFetcher(QNetworkAccessManager* nam, HubSettings hub, QString cacheDir, QObject* parent = nullptr);

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setExtraCaCertificates(const QList<QSslCertificate>& certs) { m_extraCas = certs; }

    // Answers with treeReady or treeFailed (never synchronously from inside fetch()).
    void fetch(const QString& repo, qint64 maxAgeSeconds = 24 * 3600);

signals:
    // `stale`: the network failed and this is an older cached listing.
    void treeReady(const QString& repo, const std::vector<tiefsee::models::HubFile>& files, const QDateTime& fetched,
                   bool stale);
    void treeFailed(const QString& repo, const QString& problem);  // problem: e.g. "HTTP 404 from huggingface.co (no such repo)"

private:
    QNetworkAccessManager* m_nam;
    HubSettings m_hub;
    HubTreeCache m_cache;
    int m_timeoutMs = 30000;
    QList<QSslCertificate> m_extraCas;
};

}  // namespace tiefsee::models
