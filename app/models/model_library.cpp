#include "models/model_library.h"

#include "models/part_sidecar.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>
#include <filesystem>

namespace tiefsee::models {

namespace {
QString referencesPath(const QString& dir) { return QDir(dir).filePath(QStringLiteral("references.json")); }
}  // namespace

QString defaultModelsDir()
{
    const QString env = qEnvironmentVariable("TIEFSEE_MODELS_DIR");
    if (!env.isEmpty())
        return env;
    QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share/tiefsee");
    return QDir(base).filePath(QStringLiteral("models"));
}

ModelLibrary::ModelLibrary(QString modelsDir) : m_dir(QDir(modelsDir).absolutePath()) {}

QStringList ModelLibrary::references() const
{
    QFile f(referencesPath(m_dir));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList out;
    for (const QJsonValue& v : QJsonDocument::fromJson(f.readAll()).array())
        if (v.isString())
            out << v.toString();
    return out;
}

Result<void> ModelLibrary::saveReferences(const QStringList& refs) const
{
    if (!QDir().mkpath(m_dir))
        return makeError(ErrorKind::Io, "cannot create the models folder " + m_dir.toStdString());
    QSaveFile f(referencesPath(m_dir));
    if (!f.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Io, "cannot write " + f.fileName().toStdString());
    f.write(QJsonDocument(QJsonArray::fromStringList(refs)).toJson());
    if (!f.commit())
        return makeError(ErrorKind::Io, "cannot write " + f.fileName().toStdString());
    return {};
}

QVector<LocalModel> ModelLibrary::installed() const
{
    QVector<LocalModel> out;
    QDirIterator it(m_dir, {QStringLiteral("*.gguf")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.push_back(inspectModelFile(it.next(), ModelOrigin::ModelsFolder));
    for (const QString& ref : references())
        out.push_back(inspectModelFile(ref, ModelOrigin::Reference));
    std::sort(out.begin(), out.end(), [](const LocalModel& a, const LocalModel& b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return out;
}

Result<LocalModel> ModelLibrary::importFile(const QString& path, ImportMode mode)
{
    const QFileInfo src(path);
    if (!src.isFile())
        return makeError(ErrorKind::NotFound, "no such file: " + path.toStdString());
    LocalModel probe = inspectModelFile(src.absoluteFilePath(), ModelOrigin::Reference);
    if (probe.arch.isEmpty() && !probe.supported)
        return makeError(ErrorKind::InvalidInput, src.fileName().toStdString() + ": " + probe.problem.toStdString());

    if (mode == ImportMode::Reference) {
        QStringList refs = references();
        if (!refs.contains(probe.path)) {
            refs << probe.path;
            if (auto r = saveReferences(refs); !r)
                return r.error();
        }
        return probe;
    }

    if (!QDir().mkpath(m_dir))
        return makeError(ErrorKind::Io, "cannot create the models folder " + m_dir.toStdString());
    const QString dest = QDir(m_dir).filePath(src.fileName());
    if (QFileInfo::exists(dest))
        return makeError(ErrorKind::InvalidInput, dest.toStdString() + " already exists");
    const QString part = partPath(dest);
    QFile::remove(part);
    if (!QFile::copy(src.absoluteFilePath(), part)) {
        QFile::remove(part);
        return makeError(ErrorKind::Io, "could not copy " + path.toStdString() + " into " + m_dir.toStdString() +
                                            " (is the disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(part.toStdString(), dest.toStdString(), ec);
    if (ec) {
        QFile::remove(part);
        return makeError(ErrorKind::Io, "cannot move the copy into place: " + ec.message());
    }
    return inspectModelFile(dest, ModelOrigin::ModelsFolder);
}

Result<void> ModelLibrary::removeReference(const QString& path)
{
    QStringList refs = references();
    const QString abs = QFileInfo(path).absoluteFilePath();
    if (!refs.removeOne(abs))
        return makeError(ErrorKind::NotFound, path.toStdString() + " is not an imported reference");
    return saveReferences(refs);
}

}  // namespace tiefsee::models
