// The curated catalog of downloadable DeepSeek-R1 distills (resources/catalog.json,
// embedded as :/tiefsee/catalog.json). Parsed with nlohmann/json and validated: a
// malformed catalog is an Error naming the entry and field, never a crash.
//
// File sizes and sha256 are not in the JSON: they come from the Hub tree API at run
// time (hub_tree.h) and are filled into CatalogFile::size / sha256 by applyHubTree().
#pragma once

#include "core/result.h"
#include "models/fit_estimate.h"
#include "models/hub_tree.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::models {

struct CatalogFile {
    std::string quant;        // llama.cpp file type, "Q4_K_M"
    std::string file;         // path inside the repo, "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"
    uint64_t size = 0;        // bytes, from the Hub tree (0 until known)
    std::string sha256;       // lowercase hex, from the Hub tree (empty until known)
};

struct CatalogModel {
    std::string id;           // stable key, "r1-distill-qwen-7b"
    std::string name;         // "DeepSeek-R1-Distill-Qwen-7B"
    std::string description;  // one line
    std::string arch;         // GGUF general.architecture: "qwen2", "llama", "qwen3"
    std::string repo;         // Hugging Face repo, "bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF"
    uint64_t params = 0;      // parameter count
    uint32_t contextLength = 0;  // trained context, tokens
    ModelShape shape;
    std::vector<CatalogFile> files;  // ordered smallest quant first
};

struct Catalog {
    std::vector<CatalogModel> models;  // ordered by size
};

// A model + one of its files; the id form is "<model id>:<quant>" ("r1-distill-qwen-7b:Q4_K_M").
struct CatalogEntry {
    const CatalogModel* model = nullptr;
    const CatalogFile* file = nullptr;
    std::string id() const { return model->id + ":" + file->quant; }
};

// Parses and validates catalog JSON text.
Result<Catalog> parseCatalog(std::string_view json);
// The catalog compiled into the app (Qt resource :/tiefsee/catalog.json).
Result<Catalog> loadBuiltinCatalog();

// Finds "<model id>:<quant>", "<model id>" (its Q4_K_M, else its first file) or
// "<repo>/<file>". nullopt if none matches.
std::optional<CatalogEntry> findEntry(const Catalog& catalog, std::string_view id);

// Weight bytes of a file: the Hub size when known, else params × bits-per-weight / 8.
uint64_t weightBytes(const CatalogModel& model, const CatalogFile& file);

// Fills size/sha256 of the files of `repo` from a Hub tree listing; returns how many matched.
int applyHubTree(Catalog& catalog, std::string_view repo, const std::vector<HubFile>& tree);

// The recommended download for a memory budget: the largest model (by params) whose
// Q4_K_M or better fits with at least `minContext` tokens; of that model, the
// highest-quality file that does. nullopt when nothing fits.
struct Recommendation {
    CatalogEntry entry;
    FitEstimate fit;  // at minContext
};
std::optional<Recommendation> recommend(const Catalog& catalog, uint64_t budgetBytes, uint32_t minContext = 8192);

// Quality rank of a quant name (higher = closer to the original weights); 0 unknown.
int quantRank(std::string_view quant);

}  // namespace tiefsee::models
