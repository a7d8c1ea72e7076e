// GgufWriter round trips through GgufFile: every metadata type, nested arrays,
// alignment, streamed tensor data.
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"

#include <QtTest>

using namespace tiefsee;
using namespace tiefsee::gguf;

class TestGgufWriter : public QObject {
    Q_OBJECT
private slots:
    void roundTripsEveryValueType()
    {
        GgufWriter w;
        w.setUInt8("u8", 200);
        w.setInt8("i8", -100);
        w.setUInt16("u16", 60000);
        w.setInt16("i16", -30000);
        w.setUInt32("u32", 4000000000u);
        w.setInt32("i32", -2000000000);
        w.setUInt64("u64", 1ull << 60);
        w.setInt64("i64", -(1ll << 60));
        w.setFloat32("f32", 1.5f);
        w.setFloat64("f64", -2.25);
        w.setBool("b", true);
        w.setString("s", "Grüße <think>");
        w.setStringArray("sa", {"a", "", "ccc"});
        w.setInt32Array("ia", {1, -2, 3});
        w.setFloat32Array("fa", {0.5f, -1.f});
        const uint8_t bools[] = {1, 0, 1};
        w.setRawArray("ba", ValueType::Bool, 3, bools);
        w.setAlignment(64);
        w.addTensor("t0", GgmlType::F32, {4, 2});
        w.addTensor("t1", GgmlType::Q8_0, {64});
        QVERIFY(w.beginInMemory().ok());
        std::vector<float> t0 = {1, 2, 3, 4, 5, 6, 7, 8};
        QVERIFY(w.writeTensorPart(0, t0.data(), 16).ok());   // streamed in two parts
        QVERIFY(w.writeTensorPart(0, t0.data() + 4, 16).ok());
        std::vector<uint8_t> q(68, 7);
        QVERIFY(!w.writeTensor(1, q.data(), 67).ok());  // wrong size is reported
        QVERIFY(w.writeTensor(1, q.data(), 68).ok());
        auto size = w.finish();
        QVERIFY(size.ok());
        QCOMPARE(*size, uint64_t(w.bytes().size()));
        QCOMPARE(w.bytes().size() % 64, size_t(0));

        auto f = GgufFile::fromBytes(w.bytes());
        QVERIFY2(f.ok(), f.ok() ? "" : f.error().message.c_str());
        const GgufFile& g = **f;
        QCOMPARE(g.version(), 3u);
        QCOMPARE(g.alignment(), 64u);
        QCOMPARE(g.getUInt("u8").value(), 200u);
        QCOMPARE(g.getInt("i8").value(), -100);
        QCOMPARE(g.getUInt("u16").value(), 60000u);
        QCOMPARE(g.getInt("i16").value(), -30000);
        QCOMPARE(g.getUInt("u32").value(), 4000000000u);
        QCOMPARE(g.getInt("i32").value(), -2000000000);
        QCOMPARE(g.getUInt("u64").value(), 1ull << 60);
        QCOMPARE(g.getInt("i64").value(), -(1ll << 60));
        QCOMPARE(g.getFloat("f32").value(), 1.5);
        QCOMPARE(g.getFloat("f64").value(), -2.25);
        QCOMPARE(g.getBool("b").value(), true);
        QCOMPARE(g.getString("s").value(), std::string_view("Grüße <think>"));
        const Value* sa = g.getArray("sa");
        QVERIFY(sa && sa->strings.size() == 3 && sa->strings[2] == "ccc" && sa->strings[1].empty());
        const Value* ia = g.getArray("ia");
        QVERIFY(ia && ia->count == 3 && ia->intAt(1) == -2);
        const Value* fa = g.getArray("fa");
        QVERIFY(fa && fa->floatAt(0) == 0.5);
        QVERIFY(g.getArray("ba") && g.getArray("ba")->intAt(2) == 1);
        QCOMPARE(g.tensors().size(), size_t(2));
        const TensorInfo* a = g.tensor("t0");
        QVERIFY(a && a->nDims == 2 && a->ne[0] == 4 && a->ne[1] == 2);
        QCOMPARE(std::memcmp(a->data, t0.data(), 32), 0);
        const TensorInfo* b = g.tensor("t1");
        QVERIFY(b && b->type == GgmlType::Q8_0 && b->nBytes == 68 && b->offset % 64 == 0);
        QCOMPARE(b->data[67], uint8_t(7));

        // setValue copies what the reader returns, including arrays: a byte-identical KV section.
        GgufWriter w2;
        for (const auto& [k, v] : g.metadata())
            if (k != "general.alignment")
                w2.setValue(k, v);
        w2.setAlignment(64);
        QVERIFY(w2.beginInMemory().ok() && w2.finish().ok());
        auto g2 = GgufFile::fromBytes(w2.bytes());
        QVERIFY(g2.ok());
        QCOMPARE((*g2)->metadata().size(), g.metadata().size());
        QCOMPARE((*g2)->getString("s").value(), std::string_view("Grüße <think>"));
        QCOMPARE((*g2)->getArray("sa")->strings[2], std::string_view("ccc"));
    }

    void copiesNestedArraysAndARealVocab()
    {
        // A nested array [[1,2],[3]] built by hand, then copied by setValue.
        std::vector<uint8_t> img;
        auto put = [&img](auto v) { const auto* p = reinterpret_cast<const uint8_t*>(&v); img.insert(img.end(), p, p + sizeof v); };
        put(uint32_t(0x46554747)); put(uint32_t(3)); put(uint64_t(0)); put(uint64_t(1));
        put(uint64_t(1)); img.push_back('n'); put(uint32_t(9));
        put(uint32_t(9)); put(uint64_t(2));
        put(uint32_t(4)); put(uint64_t(2)); put(uint32_t(1)); put(uint32_t(2));
        put(uint32_t(4)); put(uint64_t(1)); put(uint32_t(3));
        auto f = GgufFile::fromBytes(img);
        QVERIFY2(f.ok(), f.ok() ? "" : f.error().message.c_str());
        GgufWriter w;
        w.setValue("n", *(*f)->find("n"));
        QVERIFY(w.beginInMemory().ok() && w.finish().ok());
        auto g = GgufFile::fromBytes(w.bytes());
        QVERIFY(g.ok());
        const Value* n = (*g)->getArray("n");
        QVERIFY(n && n->arrays.size() == 2 && n->arrays[0].intAt(1) == 2 && n->arrays[1].intAt(0) == 3);

        auto vocab = GgufFile::open(std::string(TIEFSEE_TESTDATA) + "/vocab/qwen3.gguf");
        QVERIFY(vocab.ok());
        GgufWriter wv;
        for (const auto& [k, v] : (*vocab)->metadata())
            wv.setValue(k, v);
        QVERIFY(wv.beginInMemory().ok() && wv.finish().ok());
        auto back = GgufFile::fromBytes(wv.bytes());
        QVERIFY(back.ok());
        QCOMPARE((*back)->getArray("tokenizer.ggml.tokens")->strings, (*vocab)->getArray("tokenizer.ggml.tokens")->strings);
        QCOMPARE((*back)->getArray("tokenizer.ggml.merges")->count, (*vocab)->getArray("tokenizer.ggml.merges")->count);
    }

    void reportsUnwritableFile()
    {
        GgufWriter w;
        auto r = w.begin("/nonexistent-dir/x.gguf");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Io);
    }
};

QTEST_GUILESS_MAIN(TestGgufWriter)
#include "tst_gguf_writer.moc"
