#include "models/discovery.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace tiefsee::models {

namespace {

constexpr int kMaxManifestBytes = 1 << 20;

void scanGgufTree(const QString& dir, ModelOrigin origin, QVector<LocalModel>& out, QSet<QString>& seen)
{
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        return;
    QDirIterator it(dir, {QStringLiteral("*.gguf")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = QFileInfo(it.next()).canonicalFilePath();
        if (path.isEmpty() || seen.contains(path))
            continue;
        seen.insert(path);
        out.push_back(inspectModelFile(path, origin));
    }
}

bool startsWithGgufMagic(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) && f.read(4) == "GGUF";
}

void scanOllama(const QString& root, QVector<LocalModel>& out, QSet<QString>& seen)
{
    const QString manifests = QDir(root).filePath(QStringLiteral("manifests"));
    if (!QFileInfo(manifests).isDir())
        return;
    QDirIterator it(manifests, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString manifestPath = it.next();
        QFile mf(manifestPath);
        if (!mf.open(QIODevice::ReadOnly) || mf.size() > kMaxManifestBytes)
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(mf.readAll());
        if (!doc.isObject())
            continue;
        // <manifests>/<registry>/<namespace>/<model>/<tag> → "model:tag" ("ns/model:tag" off the library).
        const QStringList rel = QDir(manifests).relativeFilePath(manifestPath).split(QLatin1Char('/'));
        QString name = QFileInfo(manifestPath).fileName();
        if (rel.size() >= 4) {
            const QString ns = rel[rel.size() - 3];
            name = rel[rel.size() - 2] + QLatin1Char(':') + rel.last();
            if (ns != QLatin1String("library"))
                name = ns + QLatin1Char('/') + name;
        }
        for (const QJsonValue& layer : doc.object().value(QStringLiteral("layers")).toArray()) {
            const QJsonObject o = layer.toObject();
            if (o.value(QStringLiteral("mediaType")).toString() != QLatin1String("application/vnd.ollama.image.model"))
                continue;
            QString digest = o.value(QStringLiteral("digest")).toString();  // "sha256:<hex>"
            if (!digest.startsWith(QLatin1String("sha256:")) || digest.contains(QLatin1Char('/')) ||
                digest.contains(QLatin1String("..")))
                continue;
            digest.replace(QLatin1Char(':'), QLatin1Char('-'));
            const QString blob = QDir(root).filePath(QStringLiteral("blobs/") + digest);
            if (!QFileInfo(blob).isFile() || seen.contains(blob) || !startsWithGgufMagic(blob))
                continue;
            seen.insert(blob);
            out.push_back(inspectModelFile(blob, ModelOrigin::Ollama, name));
        }
    }
}

}  // namespace

DiscoveryRoots defaultDiscoveryRoots()
{
    DiscoveryRoots r;
    r.home = QDir::homePath();
    r.ollamaModels = qEnvironmentVariable("OLLAMA_MODELS");
    if (r.ollamaModels.isEmpty())
        r.ollamaModels = QDir(r.home).filePath(QStringLiteral(".ollama/models"));
    r.localAppData = qEnvironmentVariable("LOCALAPPDATA");
    return r;
}

QVector<LocalModel> discoverModels(const DiscoveryRoots& roots)
{
    QVector<LocalModel> out;
    QSet<QString> seen;
    if (!roots.home.isEmpty()) {
        const QDir home(roots.home);
        scanGgufTree(home.filePath(QStringLiteral(".lmstudio/models")), ModelOrigin::LmStudio, out, seen);
        scanGgufTree(home.filePath(QStringLiteral(".cache/lm-studio/models")), ModelOrigin::LmStudio, out, seen);
        scanGgufTree(home.filePath(QStringLiteral(".local/share/nomic.ai/GPT4All")), ModelOrigin::Gpt4All, out, seen);
        scanGgufTree(home.filePath(QStringLiteral("Library/Application Support/nomic.ai/GPT4All")), ModelOrigin::Gpt4All,
                     out, seen);
    }
    if (!roots.localAppData.isEmpty())
        scanGgufTree(QDir(roots.localAppData).filePath(QStringLiteral("nomic.ai/GPT4All")), ModelOrigin::Gpt4All, out, seen);
    scanOllama(roots.ollamaModels, out, seen);
    return out;
}

}  // namespace tiefsee::models
