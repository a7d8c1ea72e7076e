// Malformed-file corpus: hand-made broken GGUF images (truncated at every byte,
// wrong magic/version/endianness, absurd counts and lengths, bad tensor layouts,
// unknown types, overflowing dims, deep nesting, bad alignment, random corruption).
// Each must be rejected with a message naming the byte offset, never crash, hang or
// allocate absurdly. This file is also built with ASan/UBSan (tst_gguf_malformed_asan)
// against the reader + quant sources alone, so it uses nothing else from the engine.
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "quant/dequant.h"

#include <QtTest>

#include <cstring>
#include <random>

using namespace tiefsee;
using namespace tiefsee::gguf;

namespace {

// Little-endian image builder.
struct Image {
    std::vector<uint8_t> b;
    template <typename T> Image& put(T v)
    {
        const auto* p = reinterpret_cast<const uint8_t*>(&v);
        b.insert(b.end(), p, p + sizeof v);
        return *this;
    }
    Image& str(std::string_view s)
    {
        put<uint64_t>(s.size());
        b.insert(b.end(), s.begin(), s.end());
        return *this;
    }
    Image& header(uint64_t nTensors, uint64_t nKv, uint32_t version = 3)
    {
        return put<uint32_t>(0x46554747).put<uint32_t>(version).put<uint64_t>(nTensors).put<uint64_t>(nKv);
    }
    Image& tensorInfo(std::string_view name, std::vector<uint64_t> dims, uint32_t type, uint64_t offset)
    {
        str(name).put<uint32_t>(static_cast<uint32_t>(dims.size()));
        for (uint64_t d : dims)
            put<uint64_t>(d);
        return put<uint32_t>(type).put<uint64_t>(offset);
    }
    Image& padTo(size_t alignment)
    {
        while (b.size() % alignment)
            b.push_back(0);
        return *this;
    }
    Image& zeros(size_t n)
    {
        b.insert(b.end(), n, 0);
        return *this;
    }
};

// A small valid file: every metadata type, a nested array, three tensors.
std::vector<uint8_t> validFile(uint64_t* dataEnd = nullptr)
{
    GgufWriter w;
    w.setString("general.architecture", "llama");
    w.setUInt32("u32", 7);
    w.setInt8("i8", -1);
    w.setFloat64("f64", 0.5);
    w.setBool("flag", true);
    w.setStringArray("strings", {"a", "bc"});
    w.setInt32Array("ints", {1, 2, 3});
    w.addTensor("a", GgmlType::F32, {8});
    w.addTensor("b", GgmlType::Q4_0, {32, 2});
    w.addTensor("c", GgmlType::Q8_0, {32});
    if (!w.beginInMemory().ok())
        return {};
    std::vector<uint8_t> data(w.tensorBytes(0) + w.tensorBytes(1) + w.tensorBytes(2), 0x11);
    (void)w.writeTensor(0, data.data(), w.tensorBytes(0));
    (void)w.writeTensor(1, data.data(), w.tensorBytes(1));
    (void)w.writeTensor(2, data.data(), w.tensorBytes(2));
    (void)w.finish();
    if (dataEnd) {
        auto f = GgufFile::fromBytes(w.bytes());
        const TensorInfo* c = f.ok() ? (*f)->tensor("c") : nullptr;
        *dataEnd = c ? (*f)->dataOffset() + c->offset + c->nBytes : 0;
    }
    return w.bytes();
}

// Parses and expects a rejection whose message names byte `at` (or any byte if at < 0)
// and contains `what`.
void expectError(const std::vector<uint8_t>& img, long long at, const char* what)
{
    auto f = GgufFile::fromBytes(img);
    QVERIFY2(!f.ok(), what);
    const std::string& m = f.error().message;
    QCOMPARE(f.error().kind, ErrorKind::InvalidInput);
    const std::string want = at >= 0 ? "at byte " + std::to_string(at) + ":" : "at byte ";
    QVERIFY2(m.find(want) != std::string::npos, (m + "  (expected '" + want + "')").c_str());
    QVERIFY2(m.find(what) != std::string::npos, (m + "  (expected '" + what + "')").c_str());
}

}  // namespace

class TestGgufMalformed : public QObject {
    Q_OBJECT
private slots:
    void validFileParses()
    {
        auto f = GgufFile::fromBytes(validFile());
        QVERIFY2(f.ok(), f.ok() ? "" : f.error().message.c_str());
        QCOMPARE((*f)->tensors().size(), size_t(3));
    }

    // Every prefix of a valid file shorter than the end of its tensor data is rejected
    // with an offset inside the prefix; longer prefixes (cut in the final padding) load.
    void truncatedAtEveryByte()
    {
        uint64_t dataEnd = 0;
        const std::vector<uint8_t> full = validFile(&dataEnd);
        QVERIFY(dataEnd > 0 && dataEnd <= full.size());
        for (size_t len = 0; len < full.size(); ++len) {
            const std::vector<uint8_t> cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
            auto f = GgufFile::fromBytes(cut);
            if (len >= dataEnd) {
                QVERIFY2(f.ok(), qPrintable(QString("prefix %1").arg(len)));
                continue;
            }
            QVERIFY2(!f.ok(), qPrintable(QString("prefix %1 accepted").arg(len)));
            const std::string& m = f.error().message;
            const size_t p = m.find("at byte ");
            QVERIFY2(p != std::string::npos, m.c_str());
            const unsigned long long off = std::stoull(m.substr(p + 8));
            QVERIFY2(off <= dataEnd, m.c_str());
        }
    }

    void wrongMagic()
    {
        Image img;
        img.put<uint32_t>(0x47475546).put<uint32_t>(3).put<uint64_t>(0).put<uint64_t>(0);
        expectError(img.b, 0, "not a GGUF file");
        expectError({'G', 'G'}, 2, "only 2 bytes");
    }

    void unsupportedVersions()
    {
        expectError(Image().header(0, 0, 1).b, 4, "unsupported GGUF version 1");
        expectError(Image().header(0, 0, 4).b, 4, "unsupported GGUF version 4");
        expectError(Image().header(0, 0, 0x03000000).b, 4, "big-endian");
        QVERIFY(GgufFile::fromBytes(Image().header(0, 0, 2).b).ok());  // v2 is fine
    }

    void absurdCounts()
    {
        expectError(Image().header(uint64_t(1) << 62, 0).b, 8, "tensor count");
        expectError(Image().header(0, uint64_t(1) << 40).b, 16, "metadata count");
        // Array counts: strings (8 bytes each at least) and nested arrays.
        Image a;
        a.header(0, 1).str("k").put<uint32_t>(9).put<uint32_t>(8).put<uint64_t>(~uint64_t(0) / 2);
        expectError(a.b, 37, "cannot fit");
        Image n;
        n.header(0, 1).str("k").put<uint32_t>(9).put<uint32_t>(4).put<uint64_t>(uint64_t(1) << 61);
        expectError(n.b, 37, "cannot fit");
    }

    void absurdStringLengths()
    {
        Image k;
        k.header(0, 1).put<uint64_t>(uint64_t(1) << 63).zeros(16);
        expectError(k.b, 24, "string length");
        Image v;
        v.header(0, 1).str("k").put<uint32_t>(8).put<uint64_t>(1000).zeros(10);
        expectError(v.b, 37, "string length 1000");
        Image t;
        t.header(1, 0).put<uint64_t>(uint64_t(1) << 40).zeros(40);
        expectError(t.b, 24, "string length");
    }

    void unknownTypes()
    {
        Image v;
        v.header(0, 1).str("k").put<uint32_t>(13).put<uint32_t>(0);
        expectError(v.b, 33, "unknown value type 13");
        Image e;
        e.header(0, 1).str("k").put<uint32_t>(9).put<uint32_t>(77).put<uint64_t>(0);
        expectError(e.b, 37, "unknown array element type 77");
        Image t;
        t.header(1, 0).tensorInfo("w", {32}, 99, 0).padTo(32).zeros(64);
        expectError(t.b, 24 + 9 + 4 + 8, "unknown type id 99");
        Image b;
        b.header(0, 1).str("k").put<uint32_t>(7).put<uint8_t>(2);
        expectError(b.b, 37, "bool value is 2");
    }

    void badTensorLayouts()
    {
        // F32[32] takes 128 bytes: b at 128 is fine, b at 96 overlaps a.
        Image o;
        o.header(2, 0).tensorInfo("a", {32}, 0, 0).tensorInfo("b", {32}, 0, 128).padTo(32);
        const size_t dataAt = o.b.size();
        o.zeros(256);
        auto ok = GgufFile::fromBytes(o.b);
        QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
        Image ov;
        ov.header(2, 0).tensorInfo("a", {32}, 0, 0).tensorInfo("b", {32}, 0, 96).padTo(32).zeros(256);
        expectError(ov.b, static_cast<long long>(dataAt + 96), "overlaps");
        // Out of bounds: data beyond the end of the file.
        Image oob;
        oob.header(1, 0).tensorInfo("a", {32}, 0, 0).padTo(32).zeros(100);
        expectError(oob.b, 64, "extends past the end");  // header 57 bytes, data at 64
        Image far;
        far.header(1, 0).tensorInfo("a", {32}, 0, uint64_t(1) << 62).padTo(32).zeros(128);
        expectError(far.b, -1, "extends past the end");
        // Misaligned offset.
        Image mis;
        mis.header(1, 0).tensorInfo("a", {8}, 0, 8).padTo(32).zeros(64);
        expectError(mis.b, 24 + 9 + 4 + 8 + 4, "not aligned to 32");
        // Dims whose product overflows 64 bits, zero dims, too many dims.
        Image ovf;
        ovf.header(1, 0).tensorInfo("a", {uint64_t(1) << 32, uint64_t(1) << 32}, 0, 0).padTo(32);
        expectError(ovf.b, 24 + 9 + 4 + 8, "overflows");
        Image ovf3;  // each pair fits, the product of three does not fit int64
        ovf3.header(1, 0).tensorInfo("a", {uint64_t(1) << 30, uint64_t(1) << 30, 16}, 8, 0).padTo(32);
        expectError(ovf3.b, 24 + 9 + 4 + 16, "overflows");
        Image zero;
        zero.header(1, 0).tensorInfo("a", {0}, 0, 0).padTo(32);
        expectError(zero.b, 24 + 9 + 4, "invalid dimension 0");
        Image five;
        five.header(1, 0).tensorInfo("a", {1, 1, 1, 1, 1}, 0, 0).padTo(32);
        expectError(five.b, 24 + 9, "5 dimensions");
        // Row length not a multiple of the block size.
        Image blk;
        blk.header(1, 0).tensorInfo("a", {33}, 2, 0).padTo(32).zeros(64);
        expectError(blk.b, 24 + 9, "block size 32");
        // Duplicate names and keys.
        Image dup;
        dup.header(2, 0).tensorInfo("a", {8}, 0, 0).tensorInfo("a", {8}, 0, 32).padTo(32).zeros(64);
        expectError(dup.b, 24 + 33, "duplicate tensor 'a'");
        Image dupk;
        dupk.header(0, 2).str("k").put<uint32_t>(4).put<uint32_t>(1).str("k").put<uint32_t>(4).put<uint32_t>(1);
        expectError(dupk.b, 24 + 17, "duplicate metadata key 'k'");
    }

    void nestedArraysTooDeep()
    {
        Image img;
        img.header(0, 1).str("deep").put<uint32_t>(9);
        for (int d = 0; d < 12; ++d)
            img.put<uint32_t>(9).put<uint64_t>(1);
        img.put<uint32_t>(4).put<uint64_t>(0);
        expectError(img.b, -1, "nested deeper than");
        // Depth 3 is fine.
        Image ok;
        ok.header(0, 1).str("k").put<uint32_t>(9);
        ok.put<uint32_t>(9).put<uint64_t>(1).put<uint32_t>(9).put<uint64_t>(1).put<uint32_t>(4).put<uint64_t>(1).put<uint32_t>(5);
        QVERIFY(GgufFile::fromBytes(ok.b).ok());
    }

    void badAlignment()
    {
        Image zero;
        zero.header(0, 1).str("general.alignment").put<uint32_t>(4).put<uint32_t>(0);
        expectError(zero.b, 24 + 25 + 4, "not a power of two");
        Image three;
        three.header(0, 1).str("general.alignment").put<uint32_t>(4).put<uint32_t>(48);
        expectError(three.b, 24 + 25 + 4, "48 is not a power of two");
        Image type;
        type.header(0, 1).str("general.alignment").put<uint32_t>(8).str("32");
        expectError(type.b, 24 + 25 + 4, "must be uint32");
    }

    // Float arrays read through intAt() saturate instead of overflowing (UB under UBSan).
    void floatArraysReadAsIntegersSaturate()
    {
        Image img;
        img.header(0, 1).str("f").put<uint32_t>(9).put<uint32_t>(6).put<uint64_t>(4);
        img.put<float>(1e30f).put<float>(-1e30f).put<float>(NAN).put<float>(-2.75f);
        auto f = GgufFile::fromBytes(img.b);
        QVERIFY(f.ok());
        const Value* a = (*f)->getArray("f");
        QVERIFY(a);
        QCOMPARE(a->intAt(0), std::numeric_limits<int64_t>::max());
        QCOMPARE(a->intAt(1), std::numeric_limits<int64_t>::min());
        QCOMPARE(a->intAt(2), int64_t(0));
        QCOMPARE(a->intAt(3), int64_t(-2));
    }

    // Deterministic random corruption of a valid file: flips, overwrites with extreme
    // values, and cuts. Anything may happen except a crash or a message without offset;
    // accepted files must dequantize.
    void randomCorruption()
    {
        const std::vector<uint8_t> full = validFile();
        std::mt19937_64 rng(1234);
        int rejected = 0;
        for (int iter = 0; iter < 3000; ++iter) {
            std::vector<uint8_t> img = full;
            const int edits = 1 + static_cast<int>(rng() % 4);
            for (int e = 0; e < edits; ++e) {
                const size_t at = rng() % img.size();
                switch (rng() % 4) {
                case 0: img[at] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
                case 1: img[at] = 0xFF; break;
                case 2:
                    for (size_t k = at; k < std::min(img.size(), at + 8); ++k)
                        img[k] = static_cast<uint8_t>(rng());
                    break;
                case 3: img.resize(std::max<size_t>(1, at)); break;
                }
            }
            auto f = GgufFile::fromBytes(img);
            if (!f.ok()) {
                ++rejected;
                QVERIFY2(f.error().message.find("at byte ") != std::string::npos, f.error().message.c_str());
                continue;
            }
            for (const TensorInfo& t : (*f)->tensors()) {
                if (!quant::canDequantize(t.type) || t.nElements > (1u << 20))
                    continue;
                std::vector<float> out(t.nElements);
                QVERIFY(quant::dequantize(t.type, t.data, out.data(), out.size()).ok());
            }
        }
        QVERIFY(rejected > 1000);
    }
};

QTEST_GUILESS_MAIN(TestGgufMalformed)
#include "tst_gguf_malformed.moc"
