// The model catalog (built-in JSON, validation of malformed catalogs), the Hub tree
// API parser and its cache, the fit estimate for every catalog file against 8, 12, 16
// and 24 GiB devices, the recommendation, and the Qt list model for QML.
#include "models/catalog.h"
#include "models/fit_estimate.h"
#include "models/hub_endpoint.h"
#include "models/hub_tree.h"
#include "models/model_list_model.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace tiefsee::models;

namespace {

std::string builtinText()
{
    QFile f(QStringLiteral(TIEFSEE_SOURCE_DIR "/resources/catalog.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

constexpr uint64_t GiB = 1ull << 30;

}  // namespace

class TestModelsCatalog : public QObject {
    Q_OBJECT
private slots:
    void builtinCatalogHasEveryDistill();
    void builtinResourceMatchesSourceFile();
    void malformedCatalog_data();
    void malformedCatalog();
    void findEntryForms();
    void hubTreeParsing();
    void hubTreeMalformed();
    void hubTreeAppliedToCatalog();
    void hubTreeCacheRoundTrip();
    void endpointUrls();
    void kvCacheArithmetic();
    void fitPerCatalogFile_data();
    void fitPerCatalogFile();
    void smallerContextIsLargestThatFits();
    void recommendation_data();
    void recommendation();
    void listModelRolesAndTester();
};

void TestModelsCatalog::builtinCatalogHasEveryDistill()
{
    auto cat = loadBuiltinCatalog();
    QVERIFY2(cat.ok(), cat.ok() ? "" : cat.error().message.c_str());
    const std::vector<std::string> ids = {"r1-distill-qwen-1.5b", "r1-distill-qwen-7b", "r1-distill-qwen-14b",
                                          "r1-distill-qwen-32b", "r1-distill-llama-8b", "r1-distill-llama-70b",
                                          "r1-0528-qwen3-8b"};
    QCOMPARE(cat->models.size(), ids.size());
    for (const std::string& id : ids) {
        auto e = findEntry(*cat, id);
        QVERIFY2(e.has_value(), id.c_str());
        QCOMPARE(QString::fromStdString(e->file->quant), QStringLiteral("Q4_K_M"));
        QVERIFY(e->model->shape.valid());
        QVERIFY(e->model->params > 1000000000ull);
        QVERIFY(e->model->contextLength >= 32768);
        QVERIFY(!e->model->description.empty());
        QVERIFY(e->file->file.find(e->model->name) == 0);  // "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"
    }
    // Shapes from the design brief.
    auto q14 = findEntry(*cat, "r1-distill-qwen-14b");
    QCOMPARE(q14->model->shape.nLayer, 48u);
    QCOMPARE(q14->model->shape.nHeadKv, 8u);
    QCOMPARE(q14->model->shape.headDim, 128u);
    auto qwen3 = findEntry(*cat, "r1-0528-qwen3-8b");
    QCOMPARE(qwen3->model->arch, std::string("qwen3"));
    QCOMPARE(qwen3->model->shape.nLayer, 36u);
    // Sorted by size, each model's files by quality.
    for (size_t i = 1; i < cat->models.size(); ++i)
        QVERIFY(cat->models[i - 1].params <= cat->models[i].params);
    QCOMPARE(cat->models.front().files.front().quant, std::string("Q4_K_M"));
    QCOMPARE(cat->models.front().files.back().quant, std::string("Q8_0"));
}

void TestModelsCatalog::builtinResourceMatchesSourceFile()
{
    auto fromResource = loadBuiltinCatalog();
    auto fromSource = parseCatalog(builtinText());
    QVERIFY(fromResource.ok() && fromSource.ok());
    QCOMPARE(fromResource->models.size(), fromSource->models.size());
}

void TestModelsCatalog::malformedCatalog_data()
{
    QTest::addColumn<QString>("patch");  // a JSON pointer edit applied to the built-in catalog
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << "!text" << "not valid JSON";
    QTest::newRow("array") << "!array" << "must be an object";
    QTest::newRow("format") << "/format=2" << "'format' must be 1";
    QTest::newRow("no models") << "/models=[]" << "'models' must be a non-empty array";
    QTest::newRow("id type") << "/models/0/id=7" << "'id' must be a non-empty string";
    QTest::newRow("duplicate id") << "/models/1/id=\"r1-distill-qwen-1.5b\"" << "duplicate id";
    QTest::newRow("negative params") << "/models/0/params=-5" << "'params' must be a positive integer";
    QTest::newRow("shape missing") << "-/models/0/shape" << "'shape' must be an object";
    QTest::newRow("kv heads zero") << "/models/0/shape/kv_heads=0" << "'kv_heads' must be a positive integer";
    QTest::newRow("gqa ratio") << "/models/0/shape/kv_heads=5" << "multiple of kv_heads";
    QTest::newRow("repo form") << "/models/0/repo=\"justaname\"" << "owner/name";
    QTest::newRow("unknown quant") << "/models/0/files/0/quant=\"Q9_Z\"" << "unknown quant";
    QTest::newRow("path escape") << "/models/0/files/0/file=\"../../etc/passwd.gguf\"" << "relative path";
    QTest::newRow("not gguf") << "/models/0/files/0/file=\"model.bin\"" << "ending in .gguf";
    QTest::newRow("files empty") << "/models/0/files=[]" << "'files' must be a non-empty array";
}

void TestModelsCatalog::malformedCatalog()
{
    QFETCH(QString, patch);
    QFETCH(QString, expected);
    std::string text = builtinText();
    QVERIFY(!text.empty());
    if (patch == "!text") {
        text = text.substr(0, text.size() / 2);
    } else if (patch == "!array") {
        text = "[1, 2]";
    } else {
        nlohmann::json doc = nlohmann::json::parse(text);
        const std::string p = patch.toStdString();
        if (p[0] == '-') {
            const nlohmann::json::json_pointer ptr(p.substr(1));
            doc[ptr.parent_pointer()].erase(ptr.back());
        } else {
            const size_t eq = p.find('=');
            doc[nlohmann::json::json_pointer(p.substr(0, eq))] = nlohmann::json::parse(p.substr(eq + 1));
        }
        text = doc.dump();
    }
    auto cat = parseCatalog(text);
    QVERIFY(!cat.ok());
    QVERIFY2(QString::fromStdString(cat.error().message).contains(expected), cat.error().message.c_str());
    QVERIFY(QString::fromStdString(cat.error().message).startsWith("catalog"));
}

void TestModelsCatalog::findEntryForms()
{
    auto cat = loadBuiltinCatalog();
    QVERIFY(cat.ok());
    auto a = findEntry(*cat, "r1-distill-qwen-7b:Q6_K");
    QVERIFY(a && a->file->quant == "Q6_K");
    auto b = findEntry(*cat, "bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF/DeepSeek-R1-Distill-Qwen-7B-Q8_0.gguf");
    QVERIFY(b && b->file->quant == "Q8_0" && b->model->id == "r1-distill-qwen-7b");
    QCOMPARE(a->id(), std::string("r1-distill-qwen-7b:Q6_K"));
    QVERIFY(!findEntry(*cat, "r1-distill-qwen-7b:Q3_K_M"));
    QVERIFY(!findEntry(*cat, "nonsense"));
}

void TestModelsCatalog::hubTreeParsing()
{
    const std::string sha(64, 'a');
    const std::string json = R"([
      {"type":"file","oid":"0123456789abcdef0123456789abcdef01234567","size":1519,"path":".gitattributes"},
      {"type":"directory","oid":"fedcba","size":0,"path":"DeepSeek-R1-Distill-Llama-70B-Q8_0"},
      {"type":"file","oid":"89abcdef0123456789abcdef0123456789abcdef","size":4683073248,
       "path":"DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf",
       "lfs":{"oid":")" + sha + R"(","size":4683073248,"pointerSize":135}, "xetHash":"x"}
    ])";
    auto files = parseHubTree(json);
    QVERIFY2(files.ok(), files.ok() ? "" : files.error().message.c_str());
    QCOMPARE(files->size(), size_t(2));  // the directory is skipped
    QCOMPARE(files->at(0).path, std::string(".gitattributes"));
    QVERIFY(files->at(0).sha256.empty());  // not LFS: no content hash
    QCOMPARE(files->at(1).size, uint64_t(4683073248ull));
    QCOMPARE(files->at(1).sha256, sha);
}

void TestModelsCatalog::hubTreeMalformed()
{
    QVERIFY(!parseHubTree("{").ok());
    QVERIFY(!parseHubTree(R"({"error":"Repository not found"})").ok());
    QVERIFY(!parseHubTree(R"([{"type":"file","path":"a.gguf"}])").ok());                         // no size
    QVERIFY(!parseHubTree(R"([{"type":"file","path":"a.gguf","size":-1}])").ok());              // negative
    QVERIFY(!parseHubTree(R"([{"type":"file","path":"a","size":1,"lfs":{"oid":"xyz"}}])").ok());  // bad sha
    QVERIFY(!parseHubTree(R"([5])").ok());
    auto empty = parseHubTree("[]");
    QVERIFY(empty.ok() && empty->empty());
}

void TestModelsCatalog::hubTreeAppliedToCatalog()
{
    auto cat = loadBuiltinCatalog();
    QVERIFY(cat.ok());
    const std::string sha(64, 'b');
    std::vector<HubFile> tree = {{"DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", 4683073248ull, sha},
                                 {"README.md", 100, ""}};
    QCOMPARE(applyHubTree(*cat, "bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF", tree), 1);
    auto e = findEntry(*cat, "r1-distill-qwen-7b:Q4_K_M");
    QCOMPARE(e->file->size, uint64_t(4683073248ull));
    QCOMPARE(e->file->sha256, sha);
    QCOMPARE(weightBytes(*e->model, *e->file), uint64_t(4683073248ull));
    // Another repo's listing does not touch it.
    QCOMPARE(applyHubTree(*cat, "someone/else", tree), 0);
    // Without a Hub size the estimate is params × bits / 8, within 5 % of the real 4.68 GB.
    auto q5 = findEntry(*cat, "r1-distill-qwen-7b:Q4_K_M");
    CatalogFile unknown = *q5->file;
    unknown.size = 0;
    const double est = double(weightBytes(*q5->model, unknown));
    QVERIFY(std::abs(est - 4683073248.0) / 4683073248.0 < 0.05);
}

void TestModelsCatalog::hubTreeCacheRoundTrip()
{
    QTemporaryDir dir;
    HubTreeCache cache(dir.filePath("hub-tree"));
    const QString repo = QStringLiteral("bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF");
    QVERIFY(!cache.load(repo));
    const std::string sha(64, 'c');
    const std::string raw = R"([{"type":"file","path":"m.gguf","size":42,"lfs":{"oid":")" + sha + R"(","size":42}}])";
    const QDateTime when = QDateTime::currentDateTimeUtc().addSecs(-100);
    QVERIFY(cache.store(repo, raw, when));
    QVERIFY(!cache.store(repo, "not json", when));  // garbage is never cached
    auto entry = cache.load(repo);
    QVERIFY(entry.has_value());
    QCOMPARE(entry->files.size(), size_t(1));
    QCOMPARE(entry->files[0].sha256, sha);
    QCOMPARE(entry->fetched.toSecsSinceEpoch(), when.toSecsSinceEpoch());
    QVERIFY(isFresh(entry->fetched, QDateTime::currentDateTimeUtc(), 3600));
    QVERIFY(!isFresh(entry->fetched, QDateTime::currentDateTimeUtc(), 50));
    QVERIFY(cache.pathFor(repo).endsWith("bartowski__DeepSeek-R1-Distill-Qwen-7B-GGUF.json"));
}

void TestModelsCatalog::endpointUrls()
{
    const QUrl hf(QStringLiteral("https://huggingface.co"));
    QCOMPARE(resolveUrl(hf, "unsloth/DeepSeek-R1-0528-Qwen3-8B-GGUF", "DeepSeek-R1-0528-Qwen3-8B-Q4_K_M.gguf").toString(),
             QStringLiteral("https://huggingface.co/unsloth/DeepSeek-R1-0528-Qwen3-8B-GGUF/resolve/main/"
                            "DeepSeek-R1-0528-Qwen3-8B-Q4_K_M.gguf"));
    QCOMPARE(treeUrl(QUrl("https://hf-mirror.com/"), "a/b").toString(),
             QStringLiteral("https://hf-mirror.com/api/models/a/b/tree/main"));
    QCOMPARE(treeUrl(QUrl("http://127.0.0.1:8080/mirror"), "a/b").toString(),
             QStringLiteral("http://127.0.0.1:8080/mirror/api/models/a/b/tree/main"));
    QString repo, file;
    QVERIFY(splitRepoFile("owner/repo/sub/x.gguf", &repo, &file));
    QCOMPARE(repo, QStringLiteral("owner/repo"));
    QCOMPARE(file, QStringLiteral("sub/x.gguf"));
    QVERIFY(!splitRepoFile("owner/x.gguf", &repo, &file));
    QVERIFY(!splitRepoFile("owner/repo/../x.gguf", &repo, &file));
}

void TestModelsCatalog::kvCacheArithmetic()
{
    // R1-Distill-Qwen-32B: 64 layers, 8 kv heads × 128: 2 × 64 × 8 × 128 × 2 = 256 KiB per token.
    ModelShape s{64, 5120, 40, 8, 128, 27648, 152064};
    QCOMPARE(kvBytesPerToken(s), uint64_t(262144));
    const FitEstimate f = estimateFit(s, 20ull * 1000 * 1000 * 1000, 8192, 24 * GiB);
    QCOMPARE(f.kvBytes, uint64_t(8192) * 262144);  // 2 GiB
    QCOMPARE(f.totalBytes, f.weightBytes + f.kvBytes + f.bufferBytes);
    QVERIFY(f.bufferBytes > kFixedOverheadBytes && f.bufferBytes < 1 * GiB);
    QCOMPARE(f.verdict, FitVerdict::Fits);
    // Capped at the model's trained context.
    const FitEstimate capped = estimateFit(s, 1000, 1 << 20, 1000 * GiB, 32768);
    QCOMPARE(capped.context, 32768u);
}

void TestModelsCatalog::fitPerCatalogFile_data()
{
    // Verdict at an 8k context on 8 / 12 / 16 / 24 GiB (sizes estimated: no Hub listing).
    // "F" fits, "T" too large, a number = fits with that smaller context.
    QTest::addColumn<QString>("id");
    QTest::addColumn<QStringList>("expected");
    auto row = [](const char* id, QStringList e) { QTest::newRow(id) << QString::fromLatin1(id) << e; };
    row("r1-distill-qwen-1.5b:Q4_K_M", {"F", "F", "F", "F"});
    row("r1-distill-qwen-1.5b:Q8_0", {"F", "F", "F", "F"});
    row("r1-distill-qwen-7b:Q4_K_M", {"F", "F", "F", "F"});
    row("r1-distill-qwen-7b:Q6_K", {"F", "F", "F", "F"});
    row("r1-distill-qwen-7b:Q8_0", {"2048", "F", "F", "F"});
    row("r1-distill-llama-8b:Q4_K_M", {"F", "F", "F", "F"});
    row("r1-distill-llama-8b:Q8_0", {"T", "F", "F", "F"});
    row("r1-0528-qwen3-8b:Q4_K_M", {"F", "F", "F", "F"});
    row("r1-0528-qwen3-8b:Q6_K", {"F", "F", "F", "F"});
    row("r1-0528-qwen3-8b:Q8_0", {"T", "F", "F", "F"});
    row("r1-distill-qwen-14b:Q4_K_M", {"T", "F", "F", "F"});
    row("r1-distill-qwen-14b:Q5_K_M", {"T", "F", "F", "F"});
    row("r1-distill-qwen-14b:Q6_K", {"T", "T", "F", "F"});
    row("r1-distill-qwen-14b:Q8_0", {"T", "T", "5120", "F"});
    row("r1-distill-qwen-32b:Q4_K_M", {"T", "T", "T", "F"});
    row("r1-distill-qwen-32b:Q5_K_M", {"T", "T", "T", "7168"});
    row("r1-distill-qwen-32b:Q6_K", {"T", "T", "T", "T"});
    row("r1-distill-qwen-32b:Q8_0", {"T", "T", "T", "T"});
    row("r1-distill-llama-70b:Q4_K_M", {"T", "T", "T", "T"});
}

void TestModelsCatalog::fitPerCatalogFile()
{
    QFETCH(QString, id);
    QFETCH(QStringList, expected);
    auto cat = loadBuiltinCatalog();
    QVERIFY(cat.ok());
    auto e = findEntry(*cat, id.toStdString());
    QVERIFY(e.has_value());
    const uint64_t budgets[] = {8 * GiB, 12 * GiB, 16 * GiB, 24 * GiB};
    for (int i = 0; i < 4; ++i) {
        const FitEstimate f =
            estimateFit(e->model->shape, weightBytes(*e->model, *e->file), 8192, budgets[i], e->model->contextLength);
        QString got = f.verdict == FitVerdict::Fits ? "F" : f.verdict == FitVerdict::TooLarge ? "T" : QString::number(f.context);
        QCOMPARE(got, expected[i]);
        if (f.verdict != FitVerdict::TooLarge)
            QVERIFY(f.totalBytes <= budgets[i]);
    }
}

void TestModelsCatalog::smallerContextIsLargestThatFits()
{
    ModelShape s{28, 3584, 28, 4, 128, 18944, 152064};
    const uint64_t weights = 8ull * 1000 * 1000 * 1000;
    const FitEstimate f = estimateFit(s, weights, 32768, 9 * GiB);
    QCOMPARE(f.verdict, FitVerdict::SmallerContext);
    QCOMPARE(f.context % 1024, 0u);
    QVERIFY(f.totalBytes <= 9 * GiB);
    const FitEstimate more = estimateFit(s, weights, f.context + 1024, 9 * GiB);
    QVERIFY(more.verdict == FitVerdict::SmallerContext && more.context == f.context);  // +1024 would not fit
    QCOMPARE(QString::fromStdString(fitText(f)), QStringLiteral("fits with smaller context (%1)").arg(f.context));
    QCOMPARE(fitText(estimateFit(s, 100 * GiB, 8192, 10 * GiB)), std::string("too large"));
}

void TestModelsCatalog::recommendation_data()
{
    QTest::addColumn<int>("gib");
    QTest::addColumn<QString>("expected");
    QTest::newRow("4 GiB") << 4 << "r1-distill-qwen-1.5b:Q8_0";
    QTest::newRow("8 GiB") << 8 << "r1-0528-qwen3-8b:Q6_K";
    QTest::newRow("12 GiB") << 12 << "r1-distill-qwen-14b:Q5_K_M";
    QTest::newRow("16 GiB") << 16 << "r1-distill-qwen-14b:Q6_K";
    QTest::newRow("24 GiB") << 24 << "r1-distill-qwen-32b:Q4_K_M";
    QTest::newRow("48 GiB") << 48 << "r1-distill-llama-70b:Q4_K_M";
    QTest::newRow("1 GiB") << 1 << "";
}

void TestModelsCatalog::recommendation()
{
    QFETCH(int, gib);
    QFETCH(QString, expected);
    auto cat = loadBuiltinCatalog();
    QVERIFY(cat.ok());
    auto rec = recommend(*cat, uint64_t(gib) * GiB);
    QCOMPARE(rec ? QString::fromStdString(rec->entry.id()) : QString(), expected);
    if (rec) {
        QCOMPARE(rec->fit.verdict, FitVerdict::Fits);
        QVERIFY(quantRank(rec->entry.file->quant) >= quantRank("Q4_K_M"));
    }
}

void TestModelsCatalog::listModelRolesAndTester()
{
    auto cat = loadBuiltinCatalog();
    QVERIFY(cat.ok());
    ModelListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTemporaryDir dir;
    model.setModelsDir(dir.path());
    model.setCatalog(*cat);
    int files = 0;
    for (const auto& m : cat->models)
        files += int(m.files.size());
    QCOMPARE(model.rowCount(), files);

    LocalModel installed;
    installed.path = dir.filePath("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf");
    installed.name = "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M";
    installed.supported = true;
    installed.arch = "qwen2";
    installed.quant = "Q4_K_M";
    installed.fileSize = 4683073248;
    installed.contextLength = 131072;
    installed.shape = cat->models[1].shape;
    LocalModel odd;
    odd.path = "/elsewhere/gemma.gguf";
    odd.name = "gemma";
    odd.origin = ModelOrigin::LmStudio;
    odd.arch = "gemma3";
    odd.problem = "architecture 'gemma3' is not supported";
    model.setInstalled({installed});
    model.setDiscovered({odd});
    // The installed catalog file no longer shows as a catalog row.
    QCOMPARE(model.rowCount(), files + 1);
    const QHash<int, QByteArray> roles = model.roleNames();
    QVERIFY(roles.values().contains("fitText") && roles.values().contains("downloadState") &&
            roles.values().contains("etaSeconds"));

    QModelIndex first = model.index(0);
    QCOMPARE(first.data(ModelListModel::KindRole).toString(), QStringLiteral("installed"));
    QCOMPARE(first.data(ModelListModel::FitRole).toString(), QStringLiteral("fits"));
    QModelIndex second = model.index(1);
    QCOMPARE(second.data(ModelListModel::KindRole).toString(), QStringLiteral("discovered"));
    QCOMPARE(second.data(ModelListModel::OriginRole).toString(), QStringLiteral("LM Studio"));
    QCOMPARE(second.data(ModelListModel::SupportedRole).toBool(), false);
    QCOMPARE(second.data(ModelListModel::FitRole).toString(), QString());

    model.setMemoryBudget(qint64(24 * GiB));
    const int rec = model.rowOfId("r1-distill-qwen-32b:Q4_K_M");
    QVERIFY(rec >= 0);
    QVERIFY(model.index(rec).data(ModelListModel::RecommendedRole).toBool());
    QCOMPARE(model.index(rec).data(ModelListModel::SizeKnownRole).toBool(), false);
    const int big = model.rowOfId("r1-distill-llama-70b:Q4_K_M");
    QCOMPARE(model.index(big).data(ModelListModel::FitRole).toString(), QStringLiteral("too-large"));
    const DownloadSpec spec = model.downloadSpecForRow(rec, QUrl("https://huggingface.co"));
    QCOMPARE(spec.destination, dir.filePath("DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf"));
    QVERIFY(spec.url.toString().endsWith("/bartowski/DeepSeek-R1-Distill-Qwen-32B-GGUF/resolve/main/"
                                         "DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf"));
    model.setContextLength(131072);
    QCOMPARE(model.index(rec).data(ModelListModel::FitRole).toString(), QStringLiteral("smaller-context"));
}

QTEST_GUILESS_MAIN(TestModelsCatalog)
#include "tst_models_catalog.moc"
