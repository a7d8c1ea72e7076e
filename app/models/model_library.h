// Tiefsee's own models: the models folder (configurable; default
// <AppDataLocation>/models) plus files imported by reference, which are remembered in
// `<models folder>/references.json` and stay where they are.
// Thread: any (plain file I/O); importing by copy blocks for as long as the copy takes,
// so the UI runs it on a worker.
#pragma once

#include "core/result.h"
#include "models/local_model.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace tiefsee::models {

// <AppDataLocation>/models, or $TIEFSEE_MODELS_DIR when set.
QString defaultModelsDir();

enum class ImportMode { Copy, Reference };

class ModelLibrary {
public:
    explicit ModelLibrary(QString modelsDir);

    const QString& modelsDir() const { return m_dir; }
    // Every *.gguf below the models folder (partial downloads excluded) and every
    // referenced file, with its header read. Sorted by name.
    QVector<LocalModel> installed() const;
    // Paths imported by reference (whether or not they still exist).
    QStringList references() const;

    // Copies `path` into the models folder (via a .part file, renamed when complete) or
    // remembers it by reference. The file must be a GGUF the header reader accepts;
    // an unsupported model is still imported (listed with its problem).
    Result<LocalModel> importFile(const QString& path, ImportMode mode);
    // Forgets a reference (the file itself is not touched).
    Result<void> removeReference(const QString& path);

private:
    Result<void> saveReferences(const QStringList& refs) const;

    QString m_dir;
};

}  // namespace tiefsee::models
