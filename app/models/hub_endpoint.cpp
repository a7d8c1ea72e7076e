#include "models/hub_endpoint.h"

#include <QStringList>

namespace tiefsee::models {

HubSettings hubSettingsFromEnvironment()
{
    HubSettings s;
    const QString endpoint = qEnvironmentVariable("HF_ENDPOINT");
    if (!endpoint.isEmpty())
        s.endpoint = QUrl(endpoint);
    s.token = qEnvironmentVariable("HF_TOKEN");
    return s;
}

static QUrl appendPath(const QUrl& base, const QString& tail)
{
    QUrl u = base;
    QString path = u.path();
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    u.setPath(path + QLatin1Char('/') + tail);
    return u;
}

QUrl resolveUrl(const QUrl& endpoint, const QString& repo, const QString& file)
{
    return appendPath(endpoint, repo + QStringLiteral("/resolve/main/") + file);
}

QUrl treeUrl(const QUrl& endpoint, const QString& repo)
{
    return appendPath(endpoint, QStringLiteral("api/models/") + repo + QStringLiteral("/tree/main"));
}

bool splitRepoFile(const QString& spec, QString* repo, QString* file)
{
    const QStringList parts = spec.split(QLatin1Char('/'));
    if (parts.size() < 3)
        return false;
    for (const QString& p : parts)
        if (p.isEmpty() || p == QLatin1String("..") || p == QLatin1String("."))
            return false;
    *repo = parts[0] + QLatin1Char('/') + parts[1];
    *file = parts.mid(2).join(QLatin1Char('/'));
    return true;
}

}  // namespace tiefsee::models
