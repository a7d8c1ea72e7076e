#include "models/hub_tree.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <nlohmann/json.hpp>

namespace tiefsee::models {

using nlohmann::json;

namespace {

bool isHex64(const std::string& s)
{
    if (s.size() != 64)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

Result<std::vector<HubFile>> parseTreeArray(const json& root)
{
    if (!root.is_array())
        return makeError(ErrorKind::InvalidInput, "Hub file list: expected a JSON array");
    std::vector<HubFile> out;
    size_t i = 0;
    for (const json& e : root) {
        const std::string where = "Hub file list entry " + std::to_string(i++);
        if (!e.is_object())
            return makeError(ErrorKind::InvalidInput, where + ": not an object");
        auto type = e.find("type");
        if (type != e.end() && type->is_string() && *type != "file")
            continue;  // "directory"
        auto path = e.find("path");
        auto size = e.find("size");
        if (path == e.end() || !path->is_string() || size == e.end() || !size->is_number_unsigned())
            return makeError(ErrorKind::InvalidInput, where + ": missing 'path' or 'size'");
        HubFile f;
        f.path = path->get<std::string>();
        f.size = size->get<uint64_t>();
        auto lfs = e.find("lfs");
        if (lfs != e.end() && lfs->is_object()) {
            auto oid = lfs->find("oid");
            auto lsize = lfs->find("size");
            if (oid == lfs->end() || !oid->is_string() || !isHex64(oid->get<std::string>()))
                return makeError(ErrorKind::InvalidInput, where + " (" + f.path + "): 'lfs.oid' is not a sha256");
            f.sha256 = oid->get<std::string>();
            if (lsize != lfs->end() && lsize->is_number_unsigned())
                f.size = lsize->get<uint64_t>();
        }
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace

Result<std::vector<HubFile>> parseHubTree(std::string_view text)
{
    json root = json::parse(text.begin(), text.end(), nullptr, false);
    if (root.is_discarded())
        return makeError(ErrorKind::InvalidInput, "Hub file list: not valid JSON");
    return parseTreeArray(root);
}

QString HubTreeCache::pathFor(const QString& repo) const
{
    QString name = repo;
    name.replace(QLatin1Char('/'), QLatin1String("__"));
    return QDir(m_dir).filePath(name + QStringLiteral(".json"));
}

bool HubTreeCache::store(const QString& repo, std::string_view rawJson, const QDateTime& fetchedUtc) const
{
    json tree = json::parse(rawJson.begin(), rawJson.end(), nullptr, false);
    if (tree.is_discarded() || !parseTreeArray(tree).ok())
        return false;
    json doc = {{"fetched", fetchedUtc.toUTC().toString(Qt::ISODate).toStdString()}, {"tree", std::move(tree)}};
    if (!QDir().mkpath(m_dir))
        return false;
    QSaveFile f(pathFor(repo));
    if (!f.open(QIODevice::WriteOnly))
        return false;
    const std::string text = doc.dump();
    f.write(text.data(), qint64(text.size()));
    return f.commit();
}

std::optional<HubTreeCache::Entry> HubTreeCache::load(const QString& repo) const
{
    QFile f(pathFor(repo));
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray bytes = f.readAll();
    json doc = json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("fetched") || !doc["fetched"].is_string() ||
        !doc.contains("tree"))
        return std::nullopt;
    auto files = parseTreeArray(doc["tree"]);
    if (!files)
        return std::nullopt;
    QDateTime when = QDateTime::fromString(QString::fromStdString(doc["fetched"].get<std::string>()), Qt::ISODate);
    if (!when.isValid())
        return std::nullopt;
    return Entry{std::move(files.value()), when.toUTC()};
}

bool isFresh(const QDateTime& fetched, const QDateTime& nowUtc, qint64 maxAgeSeconds)
{
    return fetched.isValid() && fetched.secsTo(nowUtc) >= 0 && fetched.secsTo(nowUtc) < maxAgeSeconds;
}

}  // namespace tiefsee::models
