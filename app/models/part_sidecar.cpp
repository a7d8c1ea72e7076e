#include "models/part_sidecar.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace tiefsee::models {

QString partPath(const QString& destination) { return destination + QStringLiteral(".part"); }
QString sidecarPath(const QString& destination) { return destination + QStringLiteral(".part.json"); }

std::optional<PartSidecar> readSidecar(const QString& destination)
{
    QFile f(sidecarPath(destination));
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (!o.value(QStringLiteral("url")).isString())
        return std::nullopt;
    PartSidecar s;
    s.url = o.value(QStringLiteral("url")).toString();
    s.expectedSize = qint64(o.value(QStringLiteral("size")).toDouble(-1));
    s.sha256 = o.value(QStringLiteral("sha256")).toString();
    s.bytesHashed = qint64(o.value(QStringLiteral("bytes_hashed")).toDouble(0));
    return s;
}

bool writeSidecar(const QString& destination, const PartSidecar& s)
{
    QJsonObject o;
    o.insert(QStringLiteral("url"), s.url);
    o.insert(QStringLiteral("size"), double(s.expectedSize));  // exact up to 2^53 bytes
    o.insert(QStringLiteral("sha256"), s.sha256);
    o.insert(QStringLiteral("bytes_hashed"), double(s.bytesHashed));
    QSaveFile f(sidecarPath(destination));
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QJsonDocument(o).toJson(QJsonDocument::Compact));
    return f.commit();
}

void removePart(const QString& destination)
{
    QFile::remove(partPath(destination));
    QFile::remove(sidecarPath(destination));
}

}  // namespace tiefsee::models
