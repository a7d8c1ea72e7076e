// mkmodel: generated files load back with the requested shapes, types, recipe,
// tokenizer and weight statistics; the CLI (mkmodel, info --json, dump-tensor)
// works end to end.
#include "gguf/gguf_file.h"
#include "mkmodel/mkmodel.h"
#include "mkmodel/quant_recipe.h"
#include "model/model_info.h"
#include "quant/dequant.h"

#include <QtTest>

#include <cmath>
#include <set>

using namespace tiefsee;

namespace {

mkmodel::ModelSpec smallSpec(const std::string& arch)
{
    mkmodel::ModelSpec s = mkmodel::defaultSpec(arch).value();
    s.nLayer = 2;
    s.nEmbd = 256;
    s.nHead = 4;
    s.nHeadKv = 2;
    s.headDim = arch == "qwen3" ? 128 : 64;  // qwen3: q dim 512 != n_embd, like the real one
    s.nFf = 512;
    s.nVocab = 1024;
    s.contextLength = 2048;
    return s;
}

// Mean and standard deviation of a dequantized tensor.
std::pair<double, double> stats(const gguf::TensorInfo& t)
{
    std::vector<float> v(t.nElements);
    if (!quant::dequantize(t.type, t.data, v.data(), v.size()).ok())
        return {NAN, NAN};
    double s = 0, s2 = 0;
    for (float x : v) {
        s += x;
        s2 += double(x) * x;
    }
    const double mean = s / v.size();
    return {mean, std::sqrt(std::max(0.0, s2 / v.size() - mean * mean))};
}

QString cli() { return QString(TIEFSEE_BINARY_DIR) + "/bin/tiefsee-cli"; }

}  // namespace

class TestMkModel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void everyTypeLoadsBack_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("arch");
        const char* archs[] = {"qwen2", "llama", "qwen3"};
        int i = 0;
        for (auto name : mkmodel::fileTypeNames()) {
            const QString t = QString::fromLatin1(name.data(), int(name.size()));
            QTest::newRow(qPrintable(t)) << t << QString(archs[i++ % 3]);
        }
    }

    void everyTypeLoadsBack()
    {
        QFETCH(QString, type);
        QFETCH(QString, arch);
        mkmodel::MkModelOptions o;
        o.spec = smallSpec(arch.toStdString());
        o.fileType = type.toStdString();
        o.seed = 7;
        o.outPath = m_dir.filePath(type + ".gguf").toStdString();
        o.threads = 2;
        auto report = mkmodel::makeModel(o);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());

        auto file = gguf::GgufFile::open(o.outPath);
        QVERIFY2(file.ok(), file.ok() ? "" : file.error().message.c_str());
        const gguf::GgufFile& f = **file;
        QCOMPARE(report->bytes, f.fileSize());
        auto info = model::describeModel(f);
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->arch, arch.toStdString());
        QCOMPARE(info->nLayer, 2u);
        QCOMPARE(info->nEmbd, 256u);
        QCOMPARE(info->nHead, 4u);
        QCOMPARE(info->nHeadKv, 2u);
        QCOMPARE(info->headDim, o.spec.headDim);
        QCOMPARE(info->nFf, 512u);
        QCOMPARE(info->nVocab, 1024u);
        QCOMPARE(info->contextLength, 2048u);
        QCOMPARE(info->fileTypeName, type.toStdString());
        QCOMPARE(info->qkvBias, arch == "qwen2");
        QCOMPARE(info->qkNorm, arch == "qwen3");
        QCOMPARE(info->ropeLlama3, arch == "llama");
        QCOMPARE(info->nParams, report->nParams);

        // Types follow the recipe: base type for most matrices, Q6_K output (except Q8_0
        // and float files), F32 for 1-D tensors.
        const auto ft = mkmodel::parseFileType(type.toStdString()).value();
        for (const auto& t : f.tensors()) {
            if (t.nDims == 1)
                QCOMPARE(t.type, GgmlType::F32);
        }
        const gguf::TensorInfo* out = f.tensor("output.weight");
        QVERIFY(out);
        const bool floatFile = ft.base == GgmlType::F32 || ft.base == GgmlType::F16 || ft.base == GgmlType::BF16;
        QCOMPARE(out->type, floatFile || ft.base == GgmlType::Q8_0 ? ft.base : GgmlType::Q6_K);
        QCOMPARE(f.tensor("blk.0.attn_q.weight")->type, ft.base);
        QCOMPARE(f.tensor("blk.0.ffn_gate.weight")->type, ft.base);

        // Weight statistics: linear N(0, 1/fan_in), norms ~1, embeddings N(0, 1).
        auto [qm, qs] = stats(*f.tensor("blk.0.attn_q.weight"));
        QVERIFY2(std::fabs(qs * std::sqrt(256.0) - 1.0) < 0.12, qPrintable(QString("attn_q std %1").arg(qs)));
        QVERIFY(std::fabs(qm) < 0.01);
        auto [dm, ds] = stats(*f.tensor("blk.1.ffn_down.weight"));
        QVERIFY2(std::fabs(ds * std::sqrt(512.0) - 1.0) < 0.12, qPrintable(QString("ffn_down std %1").arg(ds)));
        auto [nm, ns] = stats(*f.tensor("blk.0.attn_norm.weight"));
        QVERIFY(std::fabs(nm - 1.0) < 0.03 && ns > 0.05 && ns < 0.15);
        auto [em, es] = stats(*f.tensor("token_embd.weight"));
        QVERIFY2(std::fabs(es - 1.0) < 0.12, qPrintable(QString("token_embd std %1").arg(es)));
        (void)dm;
        (void)em;
    }

    void synthesizedTokenizerIsConsistent_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("pre");
        QTest::addColumn<QString>("bos");
        QTest::addColumn<QString>("eos");
        QTest::addColumn<bool>("addBos");
        QTest::newRow("qwen2") << "qwen2" << "deepseek-r1-qwen" << "<｜begin▁of▁sentence｜>" << "<｜end▁of▁sentence｜>" << true;
        QTest::newRow("llama") << "llama" << "llama-bpe" << "<｜begin▁of▁sentence｜>" << "<｜end▁of▁sentence｜>" << true;
        QTest::newRow("qwen3") << "qwen3" << "qwen2" << "<|endoftext|>" << "<|im_end|>" << false;
    }

    void synthesizedTokenizerIsConsistent()
    {
        QFETCH(QString, arch);
        QFETCH(QString, pre);
        QFETCH(QString, bos);
        QFETCH(QString, eos);
        QFETCH(bool, addBos);
        mkmodel::MkModelOptions o;
        o.spec = smallSpec(arch.toStdString());
        o.fileType = "Q8_0";
        o.outPath = m_dir.filePath("tok-" + arch + ".gguf").toStdString();
        QVERIFY(mkmodel::makeModel(o).ok());
        auto file = gguf::GgufFile::open(o.outPath);
        QVERIFY(file.ok());
        const gguf::GgufFile& f = **file;
        QCOMPARE(f.getString("tokenizer.ggml.model").value_or(""), std::string_view("gpt2"));
        QCOMPARE(QString::fromStdString(std::string(f.getString("tokenizer.ggml.pre").value_or(""))), pre);
        const gguf::Value* tokens = f.getArray("tokenizer.ggml.tokens");
        const gguf::Value* types = f.getArray("tokenizer.ggml.token_type");
        const gguf::Value* merges = f.getArray("tokenizer.ggml.merges");
        QVERIFY(tokens && types && merges);
        QCOMPARE(tokens->strings.size(), size_t(1024));
        QCOMPARE(types->count, uint64_t(1024));
        QVERIFY(merges->strings.size() > 500);
        const auto bosId = f.getUInt("tokenizer.ggml.bos_token_id").value();
        const auto eosId = f.getUInt("tokenizer.ggml.eos_token_id").value();
        QCOMPARE(QString::fromStdString(std::string(tokens->strings[bosId])), bos);
        QCOMPARE(QString::fromStdString(std::string(tokens->strings[eosId])), eos);
        QCOMPARE(f.getBool("tokenizer.ggml.add_bos_token").value(), addBos);
        QVERIFY(!f.getString("tokenizer.chat_template").value_or("").empty());
        // Every merge joins two existing tokens into an existing token, and every token
        // is unique; <think> is USER_DEFINED (4), the other specials CONTROL (3).
        std::set<std::string_view> all(tokens->strings.begin(), tokens->strings.end());
        QCOMPARE(all.size(), tokens->strings.size());
        for (auto m : merges->strings) {
            const size_t sp = m.find(' ');
            QVERIFY(sp != std::string_view::npos);
            const std::string left(m.substr(0, sp)), right(m.substr(sp + 1));
            QVERIFY2(all.count(left) && all.count(right) && all.count(left + right), std::string(m).c_str());
        }
        for (uint64_t i = 0; i < tokens->count; ++i) {
            const std::string_view t = tokens->strings[i];
            const int64_t type = types->intAt(i);
            if (t == "<think>" || t == "</think>")
                QCOMPARE(type, int64_t(4));
            else if (i == bosId || i == eosId)
                QCOMPARE(type, int64_t(3));
            else if (i < 256)
                QCOMPARE(type, int64_t(1));
        }
    }

    void sameSeedSameBytes()
    {
        mkmodel::MkModelOptions o;
        o.spec = smallSpec("llama");
        o.fileType = "Q4_K_M";
        o.seed = 42;
        auto make = [&](const QString& name, unsigned threads) {
            o.outPath = m_dir.filePath(name).toStdString();
            o.threads = threads;
            (void)mkmodel::makeModel(o);
            QFile f(m_dir.filePath(name));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        const QByteArray a = make("a.gguf", 1), b = make("b.gguf", 2);
        QVERIFY(!a.isEmpty());
        QCOMPARE(a, b);  // the thread count does not change the output
        o.seed = 43;
        QVERIFY(make("c.gguf", 2) != a);
    }

    void vocabFromCopiesTokenizer()
    {
        mkmodel::MkModelOptions o;
        o.spec = smallSpec("qwen2");
        o.spec.nVocab = 151936;
        o.spec.nLayer = 1;
        o.fileType = "Q4_0";
        o.vocabFrom = std::string(TIEFSEE_TESTDATA) + "/vocab/deepseek-r1-qwen.gguf";
        o.outPath = m_dir.filePath("vocab-from.gguf").toStdString();
        auto r = mkmodel::makeModel(o);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        auto f = gguf::GgufFile::open(o.outPath);
        auto v = gguf::GgufFile::open(o.vocabFrom);
        QVERIFY(f.ok() && v.ok());
        QCOMPARE((*f)->getArray("tokenizer.ggml.tokens")->strings, (*v)->getArray("tokenizer.ggml.tokens")->strings);
        QCOMPARE((*f)->getUInt("tokenizer.ggml.bos_token_id"), std::optional<uint64_t>(151646));
        QCOMPARE((*f)->getString("tokenizer.chat_template"), (*v)->getString("tokenizer.chat_template"));
        QVERIFY(model::describeModel(**f).ok());

        o.spec.nVocab = 1024;  // fewer embedding rows than tokens: refused
        auto bad = mkmodel::makeModel(o);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("151936 tokens") != std::string::npos);
    }

    void presetsHaveTheDesignShapes()
    {
        struct Want { const char* name; const char* arch; uint32_t layers, embd, heads, kv, ff, vocab; float theta; };
        const Want wants[] = {
            {"r1-distill-qwen-1.5b", "qwen2", 28, 1536, 12, 2, 8960, 151936, 1e4f},
            {"r1-distill-qwen-7b", "qwen2", 28, 3584, 28, 4, 18944, 152064, 1e4f},
            {"r1-distill-qwen-14b", "qwen2", 48, 5120, 40, 8, 13824, 152064, 1e6f},
            {"r1-distill-qwen-32b", "qwen2", 64, 5120, 40, 8, 27648, 152064, 1e6f},
            {"r1-distill-llama-8b", "llama", 32, 4096, 32, 8, 14336, 128256, 5e5f},
            {"r1-distill-llama-70b", "llama", 80, 8192, 64, 8, 28672, 128256, 5e5f},
            {"r1-0528-qwen3-8b", "qwen3", 36, 4096, 32, 8, 12288, 151936, 1e6f},
        };
        for (const Want& w : wants) {
            auto s = mkmodel::presetSpec(w.name);
            QVERIFY2(s.ok(), w.name);
            QCOMPARE(s->arch, std::string(w.arch));
            QCOMPARE(s->nLayer, w.layers);
            QCOMPARE(s->nEmbd, w.embd);
            QCOMPARE(s->nHead, w.heads);
            QCOMPARE(s->nHeadKv, w.kv);
            QCOMPARE(s->headDim, 128u);
            QCOMPARE(s->nFf, w.ff);
            QCOMPARE(s->nVocab, w.vocab);
            QCOMPARE(s->ropeTheta, w.theta);
            QVERIFY(mkmodel::validateSpec(*s).ok());
        }
        QVERIFY(!mkmodel::presetSpec("gpt-5").ok());
    }

    // The real Q4_K_M recipe on a 28-layer model: attn_v / ffn_down in Q6_K on layers
    // 0-2, 5, 8, ..., 24-27 (llama.cpp's use_more_bits), like the published R1 1.5B file.
    void q4kmRecipeMatchesLlamaCpp()
    {
        const auto ft = mkmodel::parseFileType("q4_k_m").value();
        int q6 = 0;
        for (int l = 0; l < 28; ++l) {
            mkmodel::TensorRole role{"ffn_down", l, 28, 6, false, false, 2, 8960};
            if (mkmodel::tensorType(ft, role) == GgmlType::Q6_K)
                ++q6;
        }
        QCOMPARE(q6, 14);
        mkmodel::TensorRole out{"output", -1, 28, 6, false, false, 2, 1536};
        QCOMPARE(mkmodel::tensorType(ft, out), GgmlType::Q6_K);
        mkmodel::TensorRole odd{"attn_q", 0, 28, 6, false, false, 2, 96};  // not a multiple of 256
        QCOMPARE(mkmodel::tensorType(ft, odd), GgmlType::Q5_0);
    }

    void cliInfoJsonAndDumpTensor()
    {
        const QString model = m_dir.filePath("cli.gguf");
        QProcess mk;
        mk.start(cli(), {"mkmodel", "--arch", "qwen3", "--layers", "2", "--embd", "256", "--heads", "4", "--kv-heads", "2",
                         "--head-dim", "128", "--ff", "512", "--vocab", "1024", "--type", "Q5_K_M", "--seed", "3",
                         "--out", model, "--quiet"});
        QVERIFY(mk.waitForFinished(60000));
        QVERIFY2(mk.exitCode() == 0, mk.readAllStandardError().constData());

        QProcess info;
        info.start(cli(), {"info", model, "--json"});
        QVERIFY(info.waitForFinished(30000));
        QCOMPARE(info.exitCode(), 0);
        const QJsonObject j = QJsonDocument::fromJson(info.readAllStandardOutput()).object();
        const QStringList keys = {"arch", "n_layer", "n_embd", "n_head", "n_head_kv", "head_dim", "n_ff", "n_vocab",
                                  "context_length", "rope_theta", "file_type", "n_params", "size_bytes", "tensors"};
        QCOMPARE(QStringList(j.keys()).size(), keys.size());
        for (const QString& k : keys)
            QVERIFY2(j.contains(k), qPrintable(k));
        QCOMPARE(j["arch"].toString(), QString("qwen3"));
        QCOMPARE(j["n_layer"].toInt(), 2);
        QCOMPARE(j["n_embd"].toInt(), 256);
        QCOMPARE(j["n_head"].toInt(), 4);
        QCOMPARE(j["n_head_kv"].toInt(), 2);
        QCOMPARE(j["head_dim"].toInt(), 128);
        QCOMPARE(j["n_ff"].toInt(), 512);
        QCOMPARE(j["n_vocab"].toInt(), 1024);
        QCOMPARE(j["rope_theta"].toDouble(), 1e6);
        QCOMPARE(j["file_type"].toString(), QString("Q5_K_M"));
        QCOMPARE(j["size_bytes"].toInteger(), QFileInfo(model).size());
        const QJsonArray tensors = j["tensors"].toArray();
        QCOMPARE(tensors.size(), 1 + 2 * 11 + 2);
        QJsonObject q;
        for (const auto& t : tensors)
            if (t.toObject()["name"].toString() == "blk.1.attn_q.weight")
                q = t.toObject();
        QCOMPARE(q["type"].toString(), QString("Q5_K"));
        QCOMPARE(q["shape"].toArray(), QJsonArray({256, 512}));

        const QString dump = m_dir.filePath("q.f32");
        QProcess d;
        d.start(cli(), {"dump-tensor", model, "blk.1.attn_q.weight", "--out", dump});
        QVERIFY(d.waitForFinished(30000));
        QCOMPARE(d.exitCode(), 0);
        QFile df(dump);
        QVERIFY(df.open(QIODevice::ReadOnly));
        const QByteArray bytes = df.readAll();
        QCOMPARE(bytes.size(), qsizetype(256 * 512 * 4));
        auto f = gguf::GgufFile::open(model.toStdString());
        QVERIFY(f.ok());
        const gguf::TensorInfo* t = (*f)->tensor("blk.1.attn_q.weight");
        std::vector<float> want(t->nElements);
        QVERIFY(quant::dequantize(t->type, t->data, want.data(), want.size()).ok());
        QCOMPARE(std::memcmp(bytes.constData(), want.data(), bytes.size()), 0);

        // Errors: unknown tensor, unknown type, unsupported arch, bad file.
        QProcess e1;
        e1.start(cli(), {"dump-tensor", model, "nope", "--out", dump});
        QVERIFY(e1.waitForFinished(30000));
        QCOMPARE(e1.exitCode(), 1);
        QVERIFY(e1.readAllStandardError().contains("no tensor named 'nope'"));
        QProcess e2;
        e2.start(cli(), {"mkmodel", "--arch", "qwen2", "--type", "IQ4_XS", "--out", m_dir.filePath("x.gguf")});
        QVERIFY(e2.waitForFinished(30000));
        QCOMPARE(e2.exitCode(), 2);
        QVERIFY(!QFile::exists(m_dir.filePath("x.gguf")));
        QProcess e3;
        e3.start(cli(), {"info", QString(TIEFSEE_TESTDATA) + "/README.md"});
        QVERIFY(e3.waitForFinished(30000));
        QCOMPARE(e3.exitCode(), 1);
        QVERIFY(e3.readAllStandardError().contains("not a GGUF file"));
    }
};

QTEST_GUILESS_MAIN(TestMkModel)
#include "tst_mkmodel.moc"
