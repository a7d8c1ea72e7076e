// tiefsee-cli models: the model catalog, downloads, local models and fit estimates
// from a terminal — the same code the settings panel uses (app/models/).
//
//   models [--models-dir DIR] list                      installed models (models folder + references)
//   models catalog [--offline] [--vram-gb N]            the curated R1 distills, sizes from the Hub
//   models pull REPO/FILE|ID [--endpoint URL]           download with resume + sha256 check
//   models import PATH [--reference]                    copy (or reference) a GGUF
//   models discover                                     GGUFs of LM Studio, GPT4All, Ollama
//   models fit ID|PATH [--ctx N] [--vram-gb N]          memory estimate against a device
#include "arg_parser.h"
#include "cli_command.h"

#include "models/catalog.h"
#include "models/discovery.h"
#include "models/download_task.h"
#include "models/hub_tree_fetcher.h"
#include "models/model_library.h"
#include "models/part_sidecar.h"
#include "vulkan/device_info.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QStandardPaths>

#include <cstdio>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace tiefsee::cli {
namespace {

using namespace tiefsee::models;

constexpr const char* kCmd = "models";

// Qt's network stack needs a QCoreApplication; tiefsee-cli's main() has none.
std::unique_ptr<QCoreApplication> ensureApp()
{
    if (QCoreApplication::instance())
        return nullptr;
    static int argc = 1;
    static char name[] = "tiefsee-cli";
    static char* argv[] = {name, nullptr};
    QCoreApplication::setApplicationName(QStringLiteral("tiefsee"));
    QCoreApplication::setOrganizationName(QStringLiteral("tiefsee"));
    return std::make_unique<QCoreApplication>(argc, argv);
}

QString cacheDir()
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.cache/tiefsee");
    return QDir(base).filePath(QStringLiteral("hub-tree"));
}

std::string gib(uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f GiB", double(bytes) / double(1ull << 30));
    return buf;
}

// The memory budget: --vram-gb (GiB) or the default Vulkan device's budget
// (discrete > integrated > anything usable).
Result<uint64_t> memoryBudget(std::optional<double> vramGb, std::string* deviceName)
{
    if (vramGb) {
        if (*vramGb <= 0 || *vramGb > 4096)
            return makeError(ErrorKind::InvalidInput, "--vram-gb must be between 0 and 4096");
        *deviceName = "--vram-gb";
        return uint64_t(*vramGb * double(1ull << 30));
    }
    auto devices = vk::listDevices();
    if (!devices)
        return makeError(ErrorKind::Device, devices.error().message + " (pass --vram-gb N)");
    const vk::DeviceInfo* best = nullptr;
    auto rank = [](vk::DeviceType t) { return t == vk::DeviceType::Discrete ? 3 : t == vk::DeviceType::Integrated ? 2 : 1; };
    for (const vk::DeviceInfo& d : *devices)
        if (d.usable && (!best || rank(d.type) > rank(best->type)))
            best = &d;
    if (!best)
        return makeError(ErrorKind::Device, "no usable Vulkan device found (pass --vram-gb N)");
    *deviceName = best->name;
    return best->vramBudget;
}

// Fetches (or reads from the cache) the Hub listing of every catalog repo; false if
// any repo failed (estimates are shown for those).
bool fillCatalogSizes(Catalog& catalog, const HubSettings& hub, std::string* problems)
{
    QNetworkAccessManager nam;
    HubTreeFetcher fetcher(&nam, hub, cacheDir());
    fetcher.setTimeoutMs(15000);
    QEventLoop loop;
    int pending = 0;
    bool allOk = true;
    QObject::connect(&fetcher, &HubTreeFetcher::treeReady, [&](const QString& repo, const std::vector<HubFile>& files,
                                                                const QDateTime&, bool stale) {
        applyHubTree(catalog, repo.toStdString(), files);
        if (stale)
            *problems += "  (" + repo.toStdString() + ": offline, using the cached list)\n";
        if (--pending == 0)
            loop.quit();
    });
    QObject::connect(&fetcher, &HubTreeFetcher::treeFailed, [&](const QString& repo, const QString& problem) {
        allOk = false;
        *problems += "  (could not list the files of " + repo.toStdString() + ": " + problem.toStdString() + ")\n";
        if (--pending == 0)
            loop.quit();
    });
    for (const CatalogModel& m : catalog.models) {
        ++pending;
        fetcher.fetch(QString::fromStdString(m.repo));
    }
    if (pending > 0)
        loop.exec();
    return allOk;
}

void printLocal(const LocalModel& m)
{
    std::cout << m.name.toStdString() << "\n    " << m.path.toStdString() << "\n    ";
    if (m.supported) {
        std::cout << m.arch.toStdString() << ", " << (m.quant.isEmpty() ? "?" : m.quant.toStdString()) << ", "
                  << formatBytes(uint64_t(m.fileSize)) << ", " << m.nParams / 1000000 << "M params, ctx "
                  << m.contextLength << ", " << originName(m.origin) << "\n";
    } else {
        std::cout << "unsupported: " << m.problem.toStdString() << " (" << originName(m.origin) << ", "
                  << formatBytes(uint64_t(m.fileSize)) << ")\n";
    }
}

// ---- subcommands ----------------------------------------------------------------------

int runList(const QString& modelsDir)
{
    ModelLibrary lib(modelsDir);
    const auto models = lib.installed();
    std::cout << "Models folder: " << lib.modelsDir().toStdString() << "\n";
    if (models.isEmpty())
        std::cout << "No models installed. Try 'tiefsee-cli models catalog' and 'models pull ID'.\n";
    for (const LocalModel& m : models)
        printLocal(m);
    return kExitOk;
}

int runDiscover()
{
    const auto found = discoverModels(defaultDiscoveryRoots());
    if (found.isEmpty())
        std::cout << "No GGUF models found in LM Studio, GPT4All or Ollama folders.\n";
    for (const LocalModel& m : found)
        printLocal(m);
    return kExitOk;
}

int runCatalog(bool offline, std::optional<double> vramGb)
{
    auto catalog = loadBuiltinCatalog();
    if (!catalog)
        return fail(kCmd, catalog.error().message);
    std::string problems;
    if (!offline)
        fillCatalogSizes(*catalog, hubSettingsFromEnvironment(), &problems);
    std::string device;
    auto budget = memoryBudget(vramGb, &device);
    std::optional<Recommendation> rec;
    if (budget)
        rec = recommend(*catalog, *budget);
    for (const CatalogModel& m : catalog->models) {
        std::cout << m.id << "  " << m.name << "  (" << m.arch << ", " << double(m.params) / 1e9 << "B params, ctx "
                  << m.contextLength << ")\n    " << m.description << "\n    " << m.repo << "\n";
        for (const CatalogFile& f : m.files) {
            const bool isRec = rec && rec->entry.file == &f;
            std::cout << "      " << (isRec ? "* " : "  ") << f.quant << "  " << (f.size ? "" : "~")
                      << formatBytes(weightBytes(m, f));
            if (budget)
                std::cout << "  " << fitText(estimateFit(m.shape, weightBytes(m, f), 8192, *budget, m.contextLength))
                          << " at 8k";
            std::cout << (f.sha256.empty() ? "" : "  sha256 " + f.sha256.substr(0, 12) + "…") << "\n";
        }
    }
    if (budget)
        std::cout << "\nMemory budget " << gib(*budget) << " (" << device << "). "
                  << (rec ? "* = recommended: " + rec->entry.id() : std::string("Nothing fits with an 8k context."))
                  << "\n";
    else
        std::cout << "\n(" << budget.error().message << ")\n";
    if (!problems.empty())
        std::cout << "Sizes marked ~ are estimates:\n" << problems;
    return kExitOk;
}

int runImport(const QString& modelsDir, const std::string& path, bool reference)
{
    ModelLibrary lib(modelsDir);
    auto r = lib.importFile(QString::fromStdString(path), reference ? ImportMode::Reference : ImportMode::Copy);
    if (!r)
        return fail(kCmd, r.error().message);
    std::cout << (reference ? "Referenced " : "Copied into ") << (reference ? path : lib.modelsDir().toStdString())
              << "\n";
    printLocal(*r);
    return kExitOk;
}

int runFit(const QString& modelsDir, const std::string& id, std::optional<long long> ctxArg,
           std::optional<double> vramGb)
{
    const uint32_t ctx = uint32_t(ctxArg.value_or(8192));
    if (ctxArg && (*ctxArg < 256 || *ctxArg > (1 << 24)))
        return fail(kCmd, "--ctx must be between 256 and 16777216", kExitUsage);
    std::string device;
    auto budget = memoryBudget(vramGb, &device);
    if (!budget)
        return fail(kCmd, budget.error().message);

    struct Candidate { std::string label; ModelShape shape; uint64_t weights; uint32_t maxCtx; bool estimated; };
    std::vector<Candidate> candidates;
    auto catalog = loadBuiltinCatalog();
    if (!catalog)
        return fail(kCmd, catalog.error().message);
    // A catalog model id without quant: every file of it.
    for (const CatalogModel& m : catalog->models) {
        if (m.id != id)
            continue;
        for (const CatalogFile& f : m.files)
            candidates.push_back({m.id + ":" + f.quant, m.shape, weightBytes(m, f), m.contextLength, f.size == 0});
    }
    if (candidates.empty()) {
        if (auto e = findEntry(*catalog, id)) {
            candidates.push_back({e->id(), e->model->shape, weightBytes(*e->model, *e->file), e->model->contextLength,
                                  e->file->size == 0});
        } else {
            QString path = QString::fromStdString(id);
            if (!QFileInfo(path).isFile())
                path = QDir(modelsDir).filePath(path);
            if (!QFileInfo(path).isFile())
                return fail(kCmd, "'" + id + "' is neither a catalog id (see 'models catalog') nor a GGUF file");
            LocalModel m = inspectModelFile(path, ModelOrigin::Reference);
            if (!m.supported)
                return fail(kCmd, m.name.toStdString() + ": " + m.problem.toStdString());
            candidates.push_back({m.name.toStdString(), m.shape, uint64_t(m.fileSize), m.contextLength, false});
        }
    }
    std::cout << "Memory budget: " << gib(*budget) << " (" << device << "), context " << ctx << "\n";
    for (const Candidate& c : candidates) {
        const FitEstimate f = estimateFit(c.shape, c.weights, ctx, *budget, c.maxCtx);
        const FitEstimate atCtx = estimateFit(c.shape, c.weights, ctx, ~0ull, c.maxCtx);
        std::cout << c.label << ": " << fitText(f) << "\n    weights " << gib(c.weights) << (c.estimated ? " (estimate)" : "")
                  << " + KV cache " << gib(atCtx.kvBytes) << " (f16, " << atCtx.context << " tokens) + buffers "
                  << gib(atCtx.bufferBytes) << " = " << gib(atCtx.totalBytes) << "\n";
    }
    return kExitOk;
}

int runPull(const QString& modelsDir, const std::string& what, std::optional<std::string> endpointArg)
{
    HubSettings hub = hubSettingsFromEnvironment();
    if (endpointArg) {
        hub.endpoint = QUrl(QString::fromStdString(*endpointArg));
        if (!hub.endpoint.isValid() || hub.endpoint.host().isEmpty() ||
            (hub.endpoint.scheme() != QLatin1String("https") && hub.endpoint.scheme() != QLatin1String("http")))
            return fail(kCmd, "--endpoint must be an http(s) URL", kExitUsage);
    }
    QString repo, file;
    auto catalog = loadBuiltinCatalog();
    if (catalog) {
        if (auto e = findEntry(*catalog, what); e && what.find('/') == std::string::npos) {
            repo = QString::fromStdString(e->model->repo);
            file = QString::fromStdString(e->file->file);
        }
    }
    if (repo.isEmpty() && !splitRepoFile(QString::fromStdString(what), &repo, &file))
        return fail(kCmd, "expected OWNER/REPO/FILE.gguf or a catalog id, got '" + what + "'", kExitUsage);

    QNetworkAccessManager nam;
    // Size and sha256 from the Hub's file list (fetched fresh: a stale hash would fail the check).
    HubTreeFetcher fetcher(&nam, hub, cacheDir());
    std::optional<HubFile> meta;
    QString treeError;
    QEventLoop loop;
    QObject::connect(&fetcher, &HubTreeFetcher::treeReady, [&](const QString&, const std::vector<HubFile>& files,
                                                                const QDateTime&, bool) {
        for (const HubFile& f : files)
            if (QString::fromStdString(f.path) == file)
                meta = f;
        if (!meta)
            treeError = QStringLiteral("%1 has no file %2").arg(repo, file);
        loop.quit();
    });
    QObject::connect(&fetcher, &HubTreeFetcher::treeFailed, [&](const QString& failedRepo, const QString& problem) {
        treeError = QStringLiteral("could not list the files of %1: %2").arg(failedRepo, problem);
        loop.quit();
    });
    fetcher.fetch(repo, 0);
    loop.exec();
    if (!meta)
        return fail(kCmd, treeError.toStdString());
    if (meta->sha256.empty())
        return fail(kCmd, file.toStdString() + " is not stored with a sha256 on the Hub; refusing an unverifiable download");

    DownloadSpec spec;
    spec.url = resolveUrl(hub.endpoint, repo, file);
    spec.destination = QDir(modelsDir).filePath(QFileInfo(file).fileName());
    spec.expectedSize = qint64(meta->size);
    spec.sha256 = QString::fromStdString(meta->sha256);
    DownloadOptions options;
    options.token = hub.token;
    options.tokenHost = hub.endpoint.host();
    DownloadTask task(&nam, spec, options);
    const bool tty = isatty(STDERR_FILENO);
    QObject::connect(&task, &DownloadTask::progress, [&](qint64 got, qint64 total, double bps, double eta) {
        char line[160];
        std::snprintf(line, sizeof line, "%s%6.2f%%  %s / %s  %.1f MB/s  ETA %s", tty ? "\r" : "",
                      total > 0 ? 100.0 * double(got) / double(total) : 0.0, formatBytes(uint64_t(got)).c_str(),
                      formatBytes(uint64_t(total)).c_str(), bps / 1e6,
                      eta < 0 ? "?" : (std::to_string(int(eta)) + " s").c_str());
        std::cerr << line << (tty ? "" : "\n") << std::flush;
    });
    QObject::connect(&task, &DownloadTask::stateChanged, [&](DownloadTask::State s) {
        if (s == DownloadTask::State::Retrying)
            std::cerr << (tty ? "\n" : "") << "connection problem, retrying (" << task.retries() << ")...\n";
    });
    QObject::connect(&task, &DownloadTask::finished, &loop, &QEventLoop::quit);
    std::cout << "Downloading " << repo.toStdString() << "/" << file.toStdString() << " ("
              << formatBytes(meta->size) << ") to " << spec.destination.toStdString() << "\n";
    if (QFileInfo::exists(partPath(spec.destination)))
        std::cout << "Resuming the partial download left by an earlier run.\n";
    task.start();
    if (!task.isFinished())
        loop.exec();
    if (tty)
        std::cerr << "\n";
    if (task.state() != DownloadTask::State::Completed)
        return fail(kCmd, task.error().message);
    std::cout << "Done: " << spec.destination.toStdString() << " (sha256 verified)\n";
    return kExitOk;
}

int runModels(const Args& args)
{
    ArgParser p(args);
    const auto modelsDirArg = p.value("--models-dir");
    const auto endpoint = p.value("--endpoint");
    const auto ctx = p.intValue("--ctx");
    const auto vramGb = p.doubleValue("--vram-gb");
    const bool offline = p.flag("--offline");
    const bool reference = p.flag("--reference");
    if (auto err = p.finish(1, 2))
        return fail(kCmd, *err + " (see tiefsee-cli models --help)", kExitUsage);
    const std::vector<std::string>& pos = p.positional();
    const std::string& sub = pos[0];
    auto app = ensureApp();
    const QString modelsDir = modelsDirArg ? QString::fromStdString(*modelsDirArg) : defaultModelsDir();
    const bool hasArg = pos.size() == 2;

    if (sub == "list" && !hasArg) return runList(modelsDir);
    if (sub == "discover" && !hasArg) return runDiscover();
    if (sub == "catalog" && !hasArg) return runCatalog(offline, vramGb);
    if (sub == "import" && hasArg) return runImport(modelsDir, pos[1], reference);
    if (sub == "fit" && hasArg) return runFit(modelsDir, pos[1], ctx, vramGb);
    if (sub == "pull" && hasArg) return runPull(modelsDir, pos[1], endpoint);
    return fail(kCmd, "expected list | catalog | pull REPO/FILE | import PATH | discover | fit ID", kExitUsage);
}

}  // namespace

TIEFSEE_CLI_COMMAND("models",
                    "models [--models-dir DIR] list | catalog [--offline] [--vram-gb N] | pull REPO/FILE|ID [--endpoint URL] | "
                    "import PATH [--reference] | discover | fit ID|PATH [--ctx N] [--vram-gb N]",
                    "model catalog, downloads (resumable, sha256-verified), local and discovered models, memory fit",
                    &runModels);

}  // namespace tiefsee::cli
