// The `<file>.part.json` sidecar next to a partial download: what the part belongs to,
// so a later run (or an app restart) can resume it with an HTTP Range request.
// QCryptographicHash cannot save its state, so a resume re-hashes the part first;
// `bytesHashed` records how far the hash had got when the sidecar was last written.
#pragma once

#include <QString>

#include <optional>

namespace tiefsee::models {

struct PartSidecar {
    QString url;             // the URL the download started from (before redirects)
    qint64 expectedSize = -1;  // bytes of the whole file; -1 unknown
    QString sha256;          // lowercase hex expected; empty = not verified
    qint64 bytesHashed = 0;  // bytes of the part already fed to the hash when written
};

QString partPath(const QString& destination);     // "<destination>.part"
QString sidecarPath(const QString& destination);  // "<destination>.part.json"

// nullopt when missing or unreadable (the part is then restarted from zero).
std::optional<PartSidecar> readSidecar(const QString& destination);
bool writeSidecar(const QString& destination, const PartSidecar& sidecar);
// Removes the part and its sidecar (missing files are fine).
void removePart(const QString& destination);

}  // namespace tiefsee::models
