// describeModel() on every shared model against reference/<model>.json "meta" and
// models/mini-models.json, plus the errors for unsupported / inconsistent files.
#include "gguf/gguf_file.h"
#include "model/model_info.h"

#include <QtTest>

#include <cmath>

using namespace tiefsee;

namespace {

QJsonObject loadJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

const char* kModels[] = {
    "mini-llama-bf16", "mini-llama-q4_0", "mini-llama-q4_1", "mini-llama-q4_k_m", "mini-llama-q5_0",
    "mini-llama-q5_1", "mini-llama-q8_0", "mini-qwen2-f16", "mini-qwen2-q2_k", "mini-qwen2-q3_k_m",
    "mini-qwen2-q4_k_m", "mini-qwen2-q5_k_m", "mini-qwen2-q6_k", "mini-qwen2-q8_0", "mini-qwen3-f16",
    "mini-qwen3-q4_k_m", "stories260K",
};

// Minimal GGUF image with the given string/uint32 metadata and no tensors.
std::vector<uint8_t> metadataOnly(const std::vector<std::pair<std::string, std::variant<std::string, uint32_t>>>& kvs)
{
    std::vector<uint8_t> b;
    auto put = [&b](auto v) { const auto* p = reinterpret_cast<const uint8_t*>(&v); b.insert(b.end(), p, p + sizeof v); };
    auto str = [&](const std::string& s) { put(uint64_t(s.size())); b.insert(b.end(), s.begin(), s.end()); };
    put(uint32_t(0x46554747));
    put(uint32_t(3));
    put(uint64_t(0));
    put(uint64_t(kvs.size()));
    for (const auto& [k, v] : kvs) {
        str(k);
        if (auto* s = std::get_if<std::string>(&v)) {
            put(uint32_t(8));
            str(*s);
        } else {
            put(uint32_t(4));
            put(std::get<uint32_t>(v));
        }
    }
    return b;
}

}  // namespace

class TestModelInfo : public QObject {
    Q_OBJECT
private slots:
    void matchesReferenceMeta_data()
    {
        QTest::addColumn<QString>("model");
        for (const char* m : kModels)
            QTest::newRow(m) << QString(m);
    }

    void matchesReferenceMeta()
    {
        QFETCH(QString, model);
        const QString dir = QString(TIEFSEE_TESTDATA);
        const QJsonObject meta = loadJson(dir + "/reference/" + model + ".json")["meta"].toObject();
        QVERIFY(!meta.isEmpty());
        auto file = gguf::GgufFile::open((dir + "/models/" + model + ".gguf").toStdString());
        QVERIFY2(file.ok(), file.ok() ? "" : file.error().message.c_str());
        auto info = model::describeModel(**file);
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(QString::fromStdString(info->arch), meta["arch"].toString());
        QCOMPARE(qint64(info->nVocab), meta["n_vocab"].toInteger());
        QCOMPARE(qint64(info->nEmbd), meta["n_embd"].toInteger());
        QCOMPARE(qint64(info->nLayer), meta["n_layer"].toInteger());
        QCOMPARE(qint64(info->nHead), meta["n_head"].toInteger());
        QCOMPARE(qint64(info->nHeadKv), meta["n_head_kv"].toInteger());
        QCOMPARE(qint64(info->headDim), meta["head_dim"].toInteger());
        QCOMPARE(qint64(info->nFf), meta["n_ff"].toInteger());
        QCOMPARE(double(info->ropeTheta), meta["rope_freq_base"].toDouble());
        QCOMPARE(double(info->rmsEps), meta["rms_eps"].toDouble());  // the file's float32, widened
        QCOMPARE(info->tiedOutput, meta["tied_output"].toBool());
        QCOMPARE(info->hasRopeFreqs, meta["has_rope_freqs"].toBool());
        if (meta["file_type"].isNull())
            QCOMPARE(info->fileType, -1);
        else
            QCOMPARE(qint64(info->fileType), meta["file_type"].toInteger());
        QCOMPARE(info->ropeType, info->arch == "llama" ? model::RopeType::Normal : model::RopeType::Neox);
        QCOMPARE(info->qkvBias, info->arch == "qwen2");
        QCOMPARE(info->qkNorm, info->arch == "qwen3");
        QCOMPARE(info->ropeLlama3, info->hasRopeFreqs);
        QCOMPARE(info->sizeBytes, (*file)->fileSize());
        uint64_t params = 0;
        for (const auto& t : (*file)->tensors())
            params += t.nElements;
        QCOMPARE(info->nParams, params);

        // Tokenizer facts and per-type tensor counts straight from the metadata / tensor list.
        const gguf::GgufFile& f = **file;
        QCOMPARE(qint64(f.getUInt("tokenizer.ggml.bos_token_id").value_or(0)), meta["bos"].toInteger());
        QCOMPARE(qint64(f.getUInt("tokenizer.ggml.eos_token_id").value_or(0)), meta["eos"].toInteger());
        if (meta["add_bos"].isNull())
            QVERIFY(!f.getBool("tokenizer.ggml.add_bos_token"));
        else
            QCOMPARE(f.getBool("tokenizer.ggml.add_bos_token").value_or(false), meta["add_bos"].toBool());
        QCOMPARE(QString::fromStdString(std::string(f.getString("tokenizer.ggml.model").value_or(""))),
                 meta["tokenizer_model"].toString());
        QCOMPARE(QString::fromStdString(std::string(f.getString("tokenizer.ggml.pre").value_or(""))),
                 meta["tokenizer_pre"].toString());
        QMap<QString, int> counts;
        for (const auto& t : f.tensors())
            ++counts[QString::fromStdString(ggmlTypeName(t.type))];
        const QJsonObject wantCounts = meta["tensor_type_counts"].toObject();
        QCOMPARE(counts.size(), wantCounts.size());
        for (auto it = wantCounts.begin(); it != wantCounts.end(); ++it)
            QCOMPARE(counts.value(it.key()), it.value().toInt());

        // The mini families also agree with mini-models.json.
        const QString family = model.section('-', 0, 1);
        const QJsonObject mini = loadJson(dir + "/models/mini-models.json")[family].toObject();
        if (!mini.isEmpty()) {
            QCOMPARE(qint64(info->contextLength), mini["ctx"].toInteger());
            QCOMPARE(qint64(info->nVocab), mini["n_vocab"].toInteger());
            QCOMPARE(info->tiedOutput, mini["tied"].toBool());
            QCOMPARE(qint64(f.getArray("tokenizer.ggml.merges")->count), mini["n_merges"].toInteger());
            QCOMPARE(qint64(f.getUInt("tokenizer.ggml.padding_token_id").value_or(0)), mini["pad"].toInteger());
            const gguf::Value* tokens = f.getArray("tokenizer.ggml.tokens");
            const QJsonObject specials = mini["specials"].toObject();
            for (auto it = specials.begin(); it != specials.end(); ++it) {
                const qint64 id = it.value().toArray()[1].toInteger();
                QCOMPARE(QString::fromStdString(std::string(tokens->strings.at(size_t(id)))), it.key());
            }
        }
    }

    void fileTypeNames()
    {
        auto name = [](const char* m) {
            auto f = gguf::GgufFile::open(std::string(TIEFSEE_TESTDATA) + "/models/" + m + ".gguf");
            return f.ok() ? model::describeModel(**f).value().fileTypeName : std::string("?");
        };
        QCOMPARE(name("mini-qwen2-q4_k_m"), std::string("Q4_K_M"));
        QCOMPARE(name("mini-qwen2-q3_k_m"), std::string("Q3_K_M"));
        QCOMPARE(name("mini-llama-bf16"), std::string("BF16"));
        QCOMPARE(name("mini-qwen2-f16"), std::string("F16"));
        QCOMPARE(name("stories260K"), std::string("F32"));  // no general.file_type: from the tensors
        QCOMPARE(model::fileTypeName(18), std::string("Q6_K"));
        QCOMPARE(model::fileTypeName(7), std::string("Q8_0"));
    }

    void unsupportedArchitecture()
    {
        auto f = gguf::GgufFile::fromBytes(metadataOnly({{"general.architecture", std::string("gemma")}}));
        QVERIFY(f.ok());
        auto info = model::describeModel(**f);
        QVERIFY(!info.ok());
        QCOMPARE(info.error().kind, ErrorKind::Unsupported);
        QCOMPARE(info.error().message, std::string("architecture 'gemma' is not supported (Tiefsee runs qwen2, llama, qwen3)"));
    }

    void inconsistentHeads()
    {
        auto f = gguf::GgufFile::fromBytes(metadataOnly({{"general.architecture", std::string("llama")},
                                                         {"llama.block_count", 2u}, {"llama.embedding_length", 64u},
                                                         {"llama.attention.head_count", 6u},
                                                         {"llama.attention.head_count_kv", 4u},
                                                         {"llama.feed_forward_length", 128u},
                                                         {"llama.context_length", 128u}}));
        QVERIFY(f.ok());
        auto info = model::describeModel(**f);
        QVERIFY(!info.ok());
        QVERIFY2(info.error().message.find("head_count_kv") != std::string::npos, info.error().message.c_str());
    }

    void missingKeyIsNamed()
    {
        auto f = gguf::GgufFile::fromBytes(metadataOnly({{"general.architecture", std::string("qwen2")},
                                                         {"qwen2.block_count", 2u}}));
        QVERIFY(f.ok());
        auto info = model::describeModel(**f);
        QVERIFY(!info.ok());
        QVERIFY2(info.error().message.find("qwen2.embedding_length") != std::string::npos, info.error().message.c_str());
    }

    void vocabOnlyFileHasNoWeightsButDescribes()
    {
        // The vocab GGUFs carry no hyper-parameters: describeModel reports the first missing key.
        auto f = gguf::GgufFile::open(std::string(TIEFSEE_TESTDATA) + "/vocab/deepseek-r1-qwen.gguf");
        QVERIFY(f.ok());
        auto info = model::describeModel(**f);
        if (!info.ok())
            QVERIFY(info.error().message.find("missing metadata key") != std::string::npos);
        else
            QCOMPARE(info->nVocab, 151936u);
    }
};

QTEST_GUILESS_MAIN(TestModelInfo)
#include "tst_model_info.moc"
