// The Hugging Face Hub tree API: `GET <endpoint>/api/models/<owner>/<repo>/tree/main`
// answers a JSON array with one object per entry:
//   {"type":"file","path":"x.gguf","size":4683073248,"oid":"<git sha1>",
//    "lfs":{"oid":"<sha256 hex>","size":4683073248,"pointerSize":135}}
// For LFS files (all GGUFs) `lfs.oid` is the sha256 of the content. Parsing lives here
// (no Qt); the on-disk cache with a timestamp is HubTreeCache below.
#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::models {

struct HubFile {
    std::string path;     // path inside the repo
    uint64_t size = 0;    // bytes of the content (the LFS size for LFS files)
    std::string sha256;   // lowercase hex; empty for non-LFS files (no content hash offered)
};

// Parses a tree API response; directories are skipped. Malformed JSON or entries → Error.
Result<std::vector<HubFile>> parseHubTree(std::string_view json);

// Caches tree responses as `<dir>/<owner>__<repo>.json` = {"fetched": ISO time,
// "tree": <the raw array>}. Thread: any, one instance per thread.
class HubTreeCache {
public:
    explicit HubTreeCache(QString dir) : m_dir(std::move(dir)) {}

    struct Entry {
        std::vector<HubFile> files;
        QDateTime fetched;  // UTC
    };
    // Stores a raw response (validated first); false on a write error.
    bool store(const QString& repo, std::string_view rawJson, const QDateTime& fetchedUtc) const;
    // The cached listing if present and parseable, whatever its age.
    std::optional<Entry> load(const QString& repo) const;
    QString pathFor(const QString& repo) const;

private:
    QString m_dir;
};

// True when `fetched` is younger than `maxAgeSeconds` relative to `nowUtc`.
bool isFresh(const QDateTime& fetched, const QDateTime& nowUtc, qint64 maxAgeSeconds);

}  // namespace tiefsee::models
