// Where models come from: the Hugging Face endpoint (or a mirror, HF_ENDPOINT-style)
// and the optional access token. URLs follow the Hub's layout:
//   <endpoint>/<owner>/<repo>/resolve/main/<file>      (the file; redirects to a CDN)
//   <endpoint>/api/models/<owner>/<repo>/tree/main     (sizes + sha256, hub_tree.h)
#pragma once

#include <QString>
#include <QUrl>

namespace tiefsee::models {

struct HubSettings {
    QUrl endpoint{QStringLiteral("https://huggingface.co")};
    QString token;  // "hf_..."; sent as Authorization: Bearer to the endpoint's host only
};

// HF_ENDPOINT (default https://huggingface.co) and HF_TOKEN from the environment.
HubSettings hubSettingsFromEnvironment();

QUrl resolveUrl(const QUrl& endpoint, const QString& repo, const QString& file);
QUrl treeUrl(const QUrl& endpoint, const QString& repo);

// Splits "owner/repo/path/to/file.gguf" into repo ("owner/repo") and file; false if malformed.
bool splitRepoFile(const QString& spec, QString* repo, QString* file);

}  // namespace tiefsee::models
