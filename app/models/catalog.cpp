#include "models/catalog.h"

#include <QFile>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace tiefsee::models {

using nlohmann::json;

namespace {

Error bad(const std::string& where, const std::string& what)
{
    return makeError(ErrorKind::InvalidInput, "catalog: " + where + ": " + what);
}

// Reads a required string field; "" if missing or not a string (err set).
bool getString(const json& obj, const char* key, const std::string& where, std::string& out, std::optional<Error>& err)
{
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        err = bad(where, std::string("field '") + key + "' must be a non-empty string");
        return false;
    }
    out = it->get<std::string>();
    return true;
}

bool getUInt(const json& obj, const char* key, const std::string& where, uint64_t maxValue, uint64_t& out,
             std::optional<Error>& err)
{
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_number_integer() || it->get<int64_t>() <= 0 ||
        uint64_t(it->get<int64_t>()) > maxValue) {
        err = bad(where, std::string("field '") + key + "' must be a positive integer");
        return false;
    }
    out = uint64_t(it->get<int64_t>());
    return true;
}

bool safeRepoPath(const std::string& p)
{
    return p.find("..") == std::string::npos && p.find('\\') == std::string::npos && !p.empty() && p[0] != '/';
}

}  // namespace

int quantRank(std::string_view q)
{
    static constexpr std::string_view order[] = {"Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L", "IQ4_XS", "Q4_0", "IQ4_NL",
                                                 "Q4_K_S", "Q4_K_M", "Q4_1", "Q5_0", "Q5_K_S", "Q5_K_M", "Q5_1",
                                                 "Q6_K", "Q8_0", "BF16", "F16", "F32"};
    for (size_t i = 0; i < std::size(order); ++i)
        if (order[i] == q)
            return int(i) + 1;
    return 0;
}

Result<Catalog> parseCatalog(std::string_view text)
{
    json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded())
        return makeError(ErrorKind::InvalidInput, "catalog: not valid JSON");
    if (!root.is_object())
        return bad("top level", "must be an object");
    auto fmt = root.find("format");
    if (fmt == root.end() || !fmt->is_number_integer() || fmt->get<int64_t>() != 1)
        return bad("top level", "field 'format' must be 1");
    auto models = root.find("models");
    if (models == root.end() || !models->is_array() || models->empty())
        return bad("top level", "field 'models' must be a non-empty array");

    Catalog catalog;
    std::set<std::string> ids;
    std::optional<Error> err;
    size_t index = 0;
    for (const json& m : *models) {
        std::string where = "models[" + std::to_string(index++) + "]";
        if (!m.is_object())
            return bad(where, "must be an object");
        CatalogModel model;
        if (!getString(m, "id", where, model.id, err))
            return *err;
        where += " (" + model.id + ")";
        if (!ids.insert(model.id).second)
            return bad(where, "duplicate id");
        uint64_t ctx = 0;
        if (!getString(m, "name", where, model.name, err) || !getString(m, "description", where, model.description, err) ||
            !getString(m, "arch", where, model.arch, err) || !getString(m, "repo", where, model.repo, err) ||
            !getUInt(m, "params", where, uint64_t(1) << 50, model.params, err) ||
            !getUInt(m, "context_length", where, 1u << 24, ctx, err))
            return *err;
        model.contextLength = uint32_t(ctx);
        if (std::count(model.repo.begin(), model.repo.end(), '/') != 1 || !safeRepoPath(model.repo))
            return bad(where, "field 'repo' must look like 'owner/name'");

        auto shape = m.find("shape");
        if (shape == m.end() || !shape->is_object())
            return bad(where, "field 'shape' must be an object");
        struct Dim { const char* key; uint32_t* dst; };
        const Dim dims[] = {{"layers", &model.shape.nLayer}, {"embd", &model.shape.nEmbd},
                            {"heads", &model.shape.nHead},   {"kv_heads", &model.shape.nHeadKv},
                            {"head_dim", &model.shape.headDim}, {"ffn", &model.shape.nFf},
                            {"vocab", &model.shape.nVocab}};
        for (const Dim& d : dims) {
            uint64_t v = 0;
            if (!getUInt(*shape, d.key, where + ".shape", 1u << 24, v, err))
                return *err;
            *d.dst = uint32_t(v);
        }
        if (model.shape.nHead % model.shape.nHeadKv != 0)
            return bad(where + ".shape", "heads must be a multiple of kv_heads");

        auto files = m.find("files");
        if (files == m.end() || !files->is_array() || files->empty())
            return bad(where, "field 'files' must be a non-empty array");
        size_t fi = 0;
        for (const json& f : *files) {
            const std::string fwhere = where + ".files[" + std::to_string(fi++) + "]";
            if (!f.is_object())
                return bad(fwhere, "must be an object");
            CatalogFile file;
            if (!getString(f, "quant", fwhere, file.quant, err) || !getString(f, "file", fwhere, file.file, err))
                return *err;
            if (approxBitsPerWeight(file.quant) <= 0)
                return bad(fwhere, "unknown quant '" + file.quant + "'");
            if (!safeRepoPath(file.file) || file.file.size() < 6 || file.file.substr(file.file.size() - 5) != ".gguf")
                return bad(fwhere, "field 'file' must be a relative path ending in .gguf");
            model.files.push_back(std::move(file));
        }
        std::stable_sort(model.files.begin(), model.files.end(),
                         [](const CatalogFile& a, const CatalogFile& b) { return quantRank(a.quant) < quantRank(b.quant); });
        catalog.models.push_back(std::move(model));
    }
    std::stable_sort(catalog.models.begin(), catalog.models.end(),
                     [](const CatalogModel& a, const CatalogModel& b) { return a.params < b.params; });
    return catalog;
}

Result<Catalog> loadBuiltinCatalog()
{
    QFile f(QStringLiteral(":/tiefsee/catalog.json"));
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Internal, "the built-in model catalog is missing from the application");
    const QByteArray bytes = f.readAll();
    return parseCatalog(std::string_view(bytes.constData(), size_t(bytes.size())));
}

std::optional<CatalogEntry> findEntry(const Catalog& catalog, std::string_view id)
{
    for (const CatalogModel& m : catalog.models) {
        for (const CatalogFile& f : m.files) {
            if (id == m.id + ":" + f.quant || id == m.repo + "/" + f.file)
                return CatalogEntry{&m, &f};
        }
        if (id == m.id) {
            for (const CatalogFile& f : m.files)
                if (f.quant == "Q4_K_M")
                    return CatalogEntry{&m, &f};
            return CatalogEntry{&m, &m.files.front()};
        }
    }
    return std::nullopt;
}

uint64_t weightBytes(const CatalogModel& model, const CatalogFile& file)
{
    if (file.size)
        return file.size;
    return uint64_t(double(model.params) * approxBitsPerWeight(file.quant) / 8.0);
}

int applyHubTree(Catalog& catalog, std::string_view repo, const std::vector<HubFile>& tree)
{
    int matched = 0;
    for (CatalogModel& m : catalog.models) {
        if (m.repo != repo)
            continue;
        for (CatalogFile& f : m.files) {
            for (const HubFile& h : tree) {
                if (h.path == f.file) {
                    f.size = h.size;
                    f.sha256 = h.sha256;
                    ++matched;
                }
            }
        }
    }
    return matched;
}

std::optional<Recommendation> recommend(const Catalog& catalog, uint64_t budgetBytes, uint32_t minContext)
{
    std::optional<Recommendation> best;
    const int q4 = quantRank("Q4_K_M");
    for (const CatalogModel& m : catalog.models) {
        std::optional<Recommendation> forModel;
        for (const CatalogFile& f : m.files) {
            if (quantRank(f.quant) < q4)
                continue;
            FitEstimate fit = estimateFit(m.shape, weightBytes(m, f), minContext, budgetBytes, m.contextLength);
            if (fit.verdict != FitVerdict::Fits)
                continue;
            if (!forModel || quantRank(f.quant) > quantRank(forModel->entry.file->quant))
                forModel = Recommendation{CatalogEntry{&m, &f}, fit};
        }
        if (forModel && (!best || m.params > best->entry.model->params))
            best = forModel;
    }
    return best;
}

}  // namespace tiefsee::models
