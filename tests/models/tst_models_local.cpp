// Local models: reading GGUF headers (supported or not, with the reason), the models
// folder with imports by copy and by reference, discovery of LM Studio / GPT4All /
// Ollama folders built in a temp dir (fake HOME), and `tiefsee-cli models` end to end
// (pull from a local mirror with --endpoint, resume, hash mismatch, list, import, fit).
#include "models/catalog.h"
#include "models/discovery.h"
#include "models/local_model.h"
#include "models/model_library.h"
#include "models/models_service.h"
#include "models/part_sidecar.h"

#include "test_http_server.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tiefsee::models;

namespace {

const QString kModels = QStringLiteral(TIEFSEE_TESTDATA "/models/");

// A minimal GGUF v3: no tensors, one string key general.architecture = `arch`.
QByteArray tinyGguf(const QByteArray& arch)
{
    QByteArray b("GGUF");
    auto u32 = [&b](quint32 v) { b.append(reinterpret_cast<const char*>(&v), 4); };
    auto u64 = [&b](quint64 v) { b.append(reinterpret_cast<const char*>(&v), 8); };
    auto str = [&](const QByteArray& s) { u64(quint64(s.size())); b.append(s); };
    u32(3);  // version
    u64(0);  // tensors
    u64(1);  // metadata pairs
    str("general.architecture");
    u32(8);  // string
    str(arch);
    return b;
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

bool copyTestModel(const QString& name, const QString& dest)
{
    QDir().mkpath(QFileInfo(dest).absolutePath());
    return QFile::copy(kModels + name, dest);
}

const LocalModel* byName(const QVector<LocalModel>& list, const QString& name)
{
    for (const LocalModel& m : list)
        if (m.name == name)
            return &m;
    return nullptr;
}

QString sha256Hex(const QByteArray& b)
{
    return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex());
}

}  // namespace

class TestModelsLocal : public QObject {
    Q_OBJECT
private slots:
    void inspectSupportedFile();
    void inspectUnsupportedFiles();
    void libraryImportCopyAndReference();
    void discoveryInFakeHome();
    void cliPullFromLocalMirror();
    void serviceDownloadsCatalogRow();
    void serviceOfflineIsANoticeNotAnError();
    void cliListImportFit();

private:
    struct CliResult { int code; QString out; QString err; };
    CliResult cli(const QStringList& args, const QString& home, int ms = 30000);
};

// A one-model catalog whose file mini.gguf lives in the Hub repo me/mini-GGUF.
static auto miniCatalog()
{
    return parseCatalog(R"({"format":1,"models":[{"id":"mini","name":"Mini","description":"test",
        "arch":"qwen2","params":700000,"context_length":4096,"repo":"me/mini-GGUF",
        "shape":{"layers":2,"embd":256,"heads":2,"kv_heads":1,"head_dim":128,"ffn":512,"vocab":2054},
        "files":[{"quant":"Q4_K_M","file":"mini.gguf"}]}]})");
}

// Service settings that keep every folder under `home` and ask `mirror` for the Hub.
static ModelsService::Config mirrorConfig(const QTemporaryDir& home, TestHttpServer& mirror)
{
    ModelsService::Config config;
    config.modelsDir = home.filePath("models");
    config.cacheDir = home.filePath("cache");
    config.hub.endpoint = mirror.url("");
    config.hub.token.clear();
    config.discovery = DiscoveryRoots{home.filePath("nohome"), home.filePath("noollama"), {}};
    return config;
}

void TestModelsLocal::inspectSupportedFile()
{
    const LocalModel m = inspectModelFile(kModels + "mini-qwen2-q4_k_m.gguf", ModelOrigin::ModelsFolder);
    QVERIFY2(m.supported, qPrintable(m.problem));
    QCOMPARE(m.name, QStringLiteral("mini-qwen2-q4_k_m"));
    QCOMPARE(m.arch, QStringLiteral("qwen2"));
    QCOMPARE(m.quant, QStringLiteral("Q4_K_M"));
    QCOMPARE(m.contextLength, 4096u);
    QCOMPARE(m.shape.nLayer, 2u);
    QCOMPARE(m.shape.nEmbd, 256u);
    QCOMPARE(m.shape.nHead, 2u);
    QCOMPARE(m.shape.nHeadKv, 1u);
    QCOMPARE(m.shape.headDim, 128u);
    QCOMPARE(m.shape.nVocab, 2054u);
    QCOMPARE(m.fileSize, qint64(1504384));
    QVERIFY(m.nParams > 100000);
    const LocalModel q3 = inspectModelFile(kModels + "mini-qwen3-q4_k_m.gguf", ModelOrigin::ModelsFolder);
    QVERIFY(q3.supported);
    QCOMPARE(q3.shape.nHead, 4u);
    QCOMPARE(q3.shape.headDim, 128u);  // key_length, not n_embd / n_head
}

void TestModelsLocal::inspectUnsupportedFiles()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("gemma.gguf"), tinyGguf("gemma3")));
    QVERIFY(writeFile(dir.filePath("vocab.gguf"), tinyGguf("qwen2")));
    QVERIFY(writeFile(dir.filePath("junk.gguf"), QByteArray("GGUF\x03\x00\x00\x00garbage", 15)));
    QVERIFY(writeFile(dir.filePath("text.gguf"), "hello world, not a model"));
    struct Case { const char* file; const char* reason; };
    const Case cases[] = {{"gemma.gguf", "architecture 'gemma3' is not supported"},
                          {"vocab.gguf", "no weights"},
                          {"junk.gguf", "not a readable GGUF file"},
                          {"text.gguf", "not a readable GGUF file"},
                          {"missing.gguf", "does not exist"}};
    for (const Case& c : cases) {
        const LocalModel m = inspectModelFile(dir.filePath(c.file), ModelOrigin::Reference);
        QVERIFY2(!m.supported, c.file);
        QVERIFY2(m.problem.contains(QLatin1String(c.reason)), qPrintable(QString(c.file) + ": " + m.problem));
    }
}

void TestModelsLocal::libraryImportCopyAndReference()
{
    QTemporaryDir dir;
    ModelLibrary lib(dir.filePath("models"));
    QVERIFY(lib.installed().isEmpty());

    auto copied = lib.importFile(kModels + "mini-qwen2-q4_k_m.gguf", ImportMode::Copy);
    QVERIFY2(copied.ok(), copied.ok() ? "" : copied.error().message.c_str());
    QCOMPARE(copied->origin, ModelOrigin::ModelsFolder);
    QVERIFY(QFileInfo::exists(dir.filePath("models/mini-qwen2-q4_k_m.gguf")));
    QVERIFY(!QFileInfo::exists(dir.filePath("models/mini-qwen2-q4_k_m.gguf.part")));
    auto again = lib.importFile(kModels + "mini-qwen2-q4_k_m.gguf", ImportMode::Copy);
    QVERIFY(!again.ok() && QString::fromStdString(again.error().message).contains("already exists"));

    auto ref = lib.importFile(kModels + "mini-llama-q4_0.gguf", ImportMode::Reference);
    QVERIFY(ref.ok());
    QCOMPARE(lib.references(), QStringList{QFileInfo(kModels + "mini-llama-q4_0.gguf").absoluteFilePath()});

    // A partial download in the folder is not a model.
    QVERIFY(writeFile(dir.filePath("models/other.gguf.part"), "partial"));
    auto installed = lib.installed();
    QCOMPARE(installed.size(), 2);
    QCOMPARE(installed[0].name, QStringLiteral("mini-llama-q4_0"));
    QCOMPARE(installed[0].origin, ModelOrigin::Reference);
    QCOMPARE(installed[0].quant, QStringLiteral("Q4_0"));
    QCOMPARE(installed[1].origin, ModelOrigin::ModelsFolder);
    QVERIFY(installed[1].supported);

    QVERIFY(lib.removeReference(kModels + "mini-llama-q4_0.gguf").ok());
    QCOMPARE(lib.installed().size(), 1);
    QVERIFY(QFileInfo::exists(kModels + "mini-llama-q4_0.gguf"));  // the file itself is untouched
    QVERIFY(!lib.removeReference(kModels + "mini-llama-q4_0.gguf").ok());

    QVERIFY(writeFile(dir.filePath("notes.txt"), "not a model"));
    auto bad = lib.importFile(dir.filePath("notes.txt"), ImportMode::Copy);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().kind, tiefsee::ErrorKind::InvalidInput);
    auto missing = lib.importFile(dir.filePath("nope.gguf"), ImportMode::Reference);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind, tiefsee::ErrorKind::NotFound);
}

void TestModelsLocal::discoveryInFakeHome()
{
    QTemporaryDir home;
    const QDir h(home.path());
    QVERIFY(copyTestModel("mini-qwen2-q4_k_m.gguf", h.filePath(".lmstudio/models/bartowski/Mini-GGUF/mini-qwen2-q4_k_m.gguf")));
    QVERIFY(copyTestModel("mini-llama-q4_0.gguf", h.filePath(".cache/lm-studio/models/pub/repo/mini-llama-q4_0.gguf")));
    QVERIFY(copyTestModel("mini-qwen3-q4_k_m.gguf", h.filePath(".local/share/nomic.ai/GPT4All/mini-qwen3-q4_k_m.gguf")));
    QVERIFY(writeFile(h.filePath(".lmstudio/models/google/gemma/gemma.gguf"), tinyGguf("gemma3")));
    QVERIFY(writeFile(h.filePath(".lmstudio/models/google/gemma/README.md"), "# not a model"));

    // Ollama: a manifest whose model layer is a GGUF blob, one whose blob is not GGUF,
    // one whose blob is missing.
    const QString ollama = h.filePath(".ollama/models");
    const QString digestA = QString(64, 'a'), digestB = QString(64, 'b'), digestC = QString(64, 'c');
    QVERIFY(copyTestModel("mini-qwen2-q8_0.gguf", ollama + "/blobs/sha256-" + digestA));
    QVERIFY(writeFile(ollama + "/blobs/sha256-" + digestB, "safetensors? no"));
    auto manifest = [](const QString& digest) {
        return QStringLiteral(R"({"schemaVersion":2,"layers":[)"
                              R"({"mediaType":"application/vnd.ollama.image.template","digest":"sha256:%1","size":5},)"
                              R"({"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%1","size":9}]})")
            .arg(digest)
            .toUtf8();
    };
    QVERIFY(writeFile(ollama + "/manifests/registry.ollama.ai/library/deepseek-r1/7b", manifest(digestA)));
    QVERIFY(writeFile(ollama + "/manifests/registry.ollama.ai/someone/weird/latest", manifest(digestB)));
    QVERIFY(writeFile(ollama + "/manifests/registry.ollama.ai/library/gone/latest", manifest(digestC)));
    QVERIFY(writeFile(ollama + "/manifests/registry.ollama.ai/library/broken/latest", "{not json"));

    DiscoveryRoots roots;
    roots.home = home.path();
    roots.ollamaModels = ollama;
    const QVector<LocalModel> found = discoverModels(roots);
    QCOMPARE(found.size(), 5);

    const LocalModel* lm = byName(found, "mini-qwen2-q4_k_m");
    QVERIFY(lm && lm->origin == ModelOrigin::LmStudio && lm->supported);
    const LocalModel* lmCache = byName(found, "mini-llama-q4_0");
    QVERIFY(lmCache && lmCache->origin == ModelOrigin::LmStudio && lmCache->arch == "llama");
    const LocalModel* g4a = byName(found, "mini-qwen3-q4_k_m");
    QVERIFY(g4a && g4a->origin == ModelOrigin::Gpt4All && g4a->arch == "qwen3");
    const LocalModel* gemma = byName(found, "gemma");
    QVERIFY(gemma && !gemma->supported && gemma->problem.contains("gemma3"));
    const LocalModel* ol = byName(found, "deepseek-r1:7b");
    QVERIFY(ol && ol->origin == ModelOrigin::Ollama && ol->supported);
    QCOMPARE(ol->quant, QStringLiteral("Q8_0"));
    QCOMPARE(ol->path, QFileInfo(ollama + "/blobs/sha256-" + digestA).absoluteFilePath());

    // Nothing was copied anywhere: every path is inside the fake home.
    for (const LocalModel& m : found)
        QVERIFY2(m.path.startsWith(QFileInfo(home.path()).canonicalFilePath()) || m.path.startsWith(home.path()),
                 qPrintable(m.path));
    // An empty home finds nothing and does not fail.
    QTemporaryDir empty;
    QVERIFY(discoverModels(DiscoveryRoots{empty.path(), empty.filePath("none"), {}}).isEmpty());
}

TestModelsLocal::CliResult TestModelsLocal::cli(const QStringList& args, const QString& home, int ms)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOME", home);
    env.insert("XDG_CACHE_HOME", home + "/.cache");
    env.insert("XDG_DATA_HOME", home + "/.local/share");
    env.remove("HF_ENDPOINT");
    env.remove("HF_TOKEN");
    p.setProcessEnvironment(env);
    QSignalSpy finished(&p, &QProcess::finished);  // the test's server runs while we wait
    p.start(QStringLiteral(TIEFSEE_BINARY_DIR "/bin/tiefsee-cli"), QStringList{"models"} + args);
    if (!p.waitForStarted(5000))
        return {-1, {}, QStringLiteral("could not start tiefsee-cli")};
    if (finished.isEmpty() && !finished.wait(ms))
        p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

void TestModelsLocal::cliPullFromLocalMirror()
{
    QTemporaryDir home;
    TestHttpServer mirror;
    QVERIFY(mirror.start());
    QFile src(kModels + "mini-qwen2-q4_k_m.gguf");
    QVERIFY(src.open(QIODevice::ReadOnly));
    const QByteArray body = src.readAll();
    const QString sha = sha256Hex(body);
    auto tree = [&](const QString& hash) {
        return QStringLiteral(R"([{"type":"file","path":"mini.gguf","size":%1,"oid":"x","lfs":{"oid":"%2","size":%1}}])")
            .arg(body.size())
            .arg(hash)
            .toUtf8();
    };
    mirror.setRoute("/api/models/me/mini-GGUF/tree/main", TestHttpServer::Route::file(tree(sha)));
    mirror.setRoute("/me/mini-GGUF/resolve/main/mini.gguf", TestHttpServer::Route::file(body));
    const QString models = home.filePath("models");
    const QString endpoint = mirror.url("").toString();

    // A part left by an "earlier run": the first 100000 bytes.
    QVERIFY(writeFile(models + "/mini.gguf.part", body.left(100000)));
    QVERIFY(writeSidecar(models + "/mini.gguf", PartSidecar{"x", body.size(), sha, 0}));
    CliResult r = cli({"--models-dir", models, "pull", "me/mini-GGUF/mini.gguf", "--endpoint", endpoint}, home.path());
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains("Resuming the partial download"));
    QVERIFY(r.out.contains("sha256 verified"));
    QCOMPARE(mirror.requests.last().headers.value("range"), QByteArray("bytes=100000-"));
    QFile got(models + "/mini.gguf");
    QVERIFY(got.open(QIODevice::ReadOnly));
    QCOMPARE(got.readAll(), body);

    // The Hub lists another hash: the download is rejected, nothing installed, exit 1.
    mirror.setRoute("/api/models/me/mini-GGUF/tree/main", TestHttpServer::Route::file(tree(QString(64, 'e'))));
    r = cli({"--models-dir", home.filePath("other"), "pull", "me/mini-GGUF/mini.gguf", "--endpoint", endpoint}, home.path());
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("sha256 mismatch"), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(home.filePath("other/mini.gguf")));
    QVERIFY(!QFileInfo::exists(home.filePath("other/mini.gguf.part")));

    // A file the repo does not have, and a repo the server does not know.
    r = cli({"--models-dir", models, "pull", "me/mini-GGUF/nope.gguf", "--endpoint", endpoint}, home.path());
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("has no file nope.gguf"), qPrintable(r.err));
    r = cli({"--models-dir", models, "pull", "me/unknown/x.gguf", "--endpoint", endpoint}, home.path());
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("HTTP 404"), qPrintable(r.err));
    r = cli({"pull", "not-a-repo"}, home.path());
    QCOMPARE(r.code, 2);
}

void TestModelsLocal::cliListImportFit()
{
    QTemporaryDir home;
    const QString models = home.filePath("models");
    CliResult r = cli({"--models-dir", models, "list"}, home.path());
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("No models installed"));
    r = cli({"--models-dir", models, "import", kModels + "mini-qwen3-q4_k_m.gguf"}, home.path());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = cli({"--models-dir", models, "list"}, home.path());
    QVERIFY2(r.out.contains("mini-qwen3-q4_k_m") && r.out.contains("qwen3, Q4_K_M"), qPrintable(r.out));

    r = cli({"fit", "r1-distill-qwen-32b:Q4_K_M", "--vram-gb", "24"}, home.path());
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("r1-distill-qwen-32b:Q4_K_M: fits"), qPrintable(r.out));
    r = cli({"fit", "r1-distill-qwen-32b:Q4_K_M", "--vram-gb", "16"}, home.path());
    QVERIFY2(r.out.contains("too large"), qPrintable(r.out));
    r = cli({"fit", "r1-distill-qwen-7b:Q8_0", "--vram-gb", "8", "--ctx", "32768"}, home.path());
    QVERIFY2(r.out.contains("fits with smaller context (2048)"), qPrintable(r.out));
    r = cli({"--models-dir", models, "fit", "mini-qwen3-q4_k_m.gguf", "--vram-gb", "1"}, home.path());
    QVERIFY2(r.code == 0 && r.out.contains("mini-qwen3-q4_k_m: fits"), qPrintable(r.out + r.err));
    r = cli({"fit", "no-such-model", "--vram-gb", "8"}, home.path());
    QCOMPARE(r.code, 1);

    r = cli({"discover"}, home.path());
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("No GGUF models found"));
    r = cli({"catalog", "--offline", "--vram-gb", "24"}, home.path());
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("recommended: r1-distill-qwen-32b:Q4_K_M"), qPrintable(r.out));
}

// The Hub unreachable (a mirror that answers 500 here): the service says so with
// hubUnavailable, naming the repo and the network's words, and raises no error.
void TestModelsLocal::serviceOfflineIsANoticeNotAnError()
{
    QTemporaryDir home;
    TestHttpServer mirror;
    QVERIFY(mirror.start());
    mirror.setRoute("/api/models/me/mini-GGUF/tree/main", TestHttpServer::Route::file("", TestHttpServer::Behavior::ServerError));
    auto catalog = miniCatalog();
    QVERIFY(catalog.ok());
    ModelsService service(mirrorConfig(home, mirror));
    service.setCatalog(*catalog);
    QSignalSpy errors(&service, &ModelsService::error);
    QSignalSpy offline(&service, &ModelsService::hubUnavailable);
    service.fetchCatalogSizes();
    QVERIFY(offline.wait(5000));
    QCOMPARE(offline.at(0).at(0).toString(), QStringLiteral("me/mini-GGUF"));
    QVERIFY2(offline.at(0).at(1).toString().contains("500"), qPrintable(offline.at(0).at(1).toString()));
    QCOMPARE(errors.size(), 0);
}

void TestModelsLocal::serviceDownloadsCatalogRow()
{
    QTemporaryDir home;
    TestHttpServer mirror;
    QVERIFY(mirror.start());
    QFile src(kModels + "mini-qwen2-q4_k_m.gguf");
    QVERIFY(src.open(QIODevice::ReadOnly));
    const QByteArray body = src.readAll();
    mirror.setRoute("/api/models/me/mini-GGUF/tree/main",
                    TestHttpServer::Route::file(QStringLiteral(R"([{"type":"file","path":"mini.gguf","size":%1,)"
                                                               R"("lfs":{"oid":"%2","size":%1}}])")
                                                    .arg(body.size())
                                                    .arg(sha256Hex(body))
                                                    .toUtf8()));
    mirror.setRoute("/me/mini-GGUF/resolve/main/mini.gguf", TestHttpServer::Route::file(body));
    auto catalog = miniCatalog();
    QVERIFY2(catalog.ok(), catalog.ok() ? "" : catalog.error().message.c_str());

    ModelsService service(mirrorConfig(home, mirror));
    service.setCatalog(*catalog);
    service.refresh();
    ModelListModel* list = service.models();
    QCOMPARE(list->rowCount(), 1);
    QCOMPARE(list->index(0).data(ModelListModel::SizeKnownRole).toBool(), false);

    QSignalSpy errors(&service, &ModelsService::error);
    QCOMPARE(service.download(0), 0);  // no sha256 yet: refused, with a message
    QCOMPARE(errors.size(), 1);

    QSignalSpy sizes(&service, &ModelsService::catalogSizesUpdated);
    service.fetchCatalogSizes();
    QVERIFY(sizes.wait(5000));
    QCOMPARE(list->index(0).data(ModelListModel::SizeRole).toLongLong(), qint64(body.size()));
    QCOMPARE(list->index(0).data(ModelListModel::Sha256Role).toString(), sha256Hex(body));

    QSignalSpy finished(service.queue(), &DownloadQueue::finished);
    const int id = service.download(0);
    QVERIFY(id > 0);
    QCOMPARE(list->index(0).data(ModelListModel::DownloadIdRole).toInt(), id);
    QVERIFY(finished.wait(10000));
    QVERIFY(finished.first().at(1).toBool());
    // Installed now: one row, from the models folder, supported; the catalog row is gone.
    QCOMPARE(list->rowCount(), 1);
    QCOMPARE(list->index(0).data(ModelListModel::KindRole).toString(), QStringLiteral("installed"));
    QCOMPARE(list->index(0).data(ModelListModel::NameRole).toString(), QStringLiteral("mini"));
    QCOMPARE(list->index(0).data(ModelListModel::SupportedRole).toBool(), true);
}

QTEST_GUILESS_MAIN(TestModelsLocal)
#include "tst_models_local.moc"
