// GGUF reader against the shared test models and hand-made images.
#include "gguf/gguf_file.h"

#include <QtTest>

#include <cstring>

using namespace tiefsee;
using namespace tiefsee::gguf;

namespace {

QString modelPath(const char* name) { return QString(TIEFSEE_TESTDATA) + "/models/" + name; }

// Minimal little-endian GGUF image builder for hand-made files.
struct Image {
    std::vector<uint8_t> b;
    template <typename T> void put(T v) { const auto* p = reinterpret_cast<const uint8_t*>(&v); b.insert(b.end(), p, p + sizeof v); }
    void str(std::string_view s) { put<uint64_t>(s.size()); b.insert(b.end(), s.begin(), s.end()); }
};

}  // namespace

class TestGgufReader : public QObject {
    Q_OBJECT
private slots:
    void readsMiniQwen2()
    {
        auto f = GgufFile::open(modelPath("mini-qwen2-q4_k_m.gguf").toStdString());
        QVERIFY2(f.ok(), f.ok() ? "" : f.error().message.c_str());
        QCOMPARE((*f)->version(), 3u);
        QCOMPARE((*f)->getString("general.architecture").value_or(""), std::string_view("qwen2"));
        QCOMPARE((*f)->getUInt("qwen2.block_count").value_or(0), 2u);
        QCOMPARE((*f)->getUInt("qwen2.embedding_length").value_or(0), 256u);
        const Value* tokens = (*f)->getArray("tokenizer.ggml.tokens");
        QVERIFY(tokens);
        QCOMPARE(tokens->elemType, ValueType::String);
        QCOMPARE(tokens->strings.size(), size_t(2054));
        const TensorInfo* emb = (*f)->tensor("token_embd.weight");
        QVERIFY(emb);
        QCOMPARE(emb->type, GgmlType::Q4_K);
        QCOMPARE(emb->shapeString(), std::string("256x2054"));
        QCOMPARE(emb->nBytes, uint64_t(2054) * 144);
    }

    void rejectsWrongMagic()
    {
        Image img;
        img.put<uint32_t>(0x12345678);
        img.put<uint32_t>(3);
        img.put<uint64_t>(0);
        img.put<uint64_t>(0);
        auto f = GgufFile::fromBytes(img.b);
        QVERIFY(!f.ok());
        QVERIFY(f.error().message.find("not a GGUF file") != std::string::npos);
    }

    void rejectsAbsurdStringLength()
    {
        Image img;
        img.put<uint32_t>(0x46554747);
        img.put<uint32_t>(3);
        img.put<uint64_t>(0);
        img.put<uint64_t>(1);
        img.put<uint64_t>(~uint64_t(0));  // key length
        img.put<uint64_t>(0);             // a few bytes of junk after it
        img.put<uint64_t>(0);
        auto f = GgufFile::fromBytes(img.b);
        QVERIFY(!f.ok());
        QVERIFY(f.error().message.find("at byte 24") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestGgufReader)
#include "tst_gguf_reader.moc"
