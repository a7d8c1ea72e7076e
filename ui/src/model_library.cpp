// ModelLibrary (see model_library.h).
#include "model_library.h"

#include <QDir>
#include <QStandardPaths>

namespace tiefsee::ui {

ModelLibrary::ModelLibrary(QObject* parent) : QObject(parent)
{
    m_deviceText = tr("your GPU");
    setError(tr("The model manager is not connected in this build yet."));
}

QString ModelLibrary::modelsFolder() const
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("models"));
}

void ModelLibrary::setError(const QString& e)
{
    if (e == m_error)
        return;
    m_error = e;
    emit errorChanged();
}

bool ModelLibrary::importFile(const QString&) { return false; }
bool ModelLibrary::useDiscovered(const QString&) { return false; }
bool ModelLibrary::download(const QString&) { return false; }
void ModelLibrary::pause(const QString&) {}
void ModelLibrary::resume(const QString&) {}
void ModelLibrary::cancel(const QString&) {}
void ModelLibrary::verify(const QString&) {}
bool ModelLibrary::remove(const QString&) { return false; }

}  // namespace tiefsee::ui
