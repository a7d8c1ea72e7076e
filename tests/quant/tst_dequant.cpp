// CPU dequantizers against gguf-py/ggml reference values (testdata/reference/dequant.json)
// for every tensor of every shared model, plus the fp16/bf16 conversions.
#include "gguf/gguf_file.h"
#include "quant/dequant.h"
#include "quant/half.h"

#include <QtTest>

#include <bit>
#include <cmath>
#include <random>
#include <set>

using namespace tiefsee;

namespace {

QJsonObject loadJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// float32 rounding of a float64 reference: the dequantizer's output must be this exactly
// (or within one ulp, for formats whose float expression gguf-py evaluates in float64).
bool closeF32(float got, double want)
{
    const float w = static_cast<float>(want);
    if (got == w)
        return true;
    const float ulp = std::nextafter(std::fabs(w), INFINITY) - std::fabs(w);
    return std::fabs(double(got) - want) <= 1.0 * ulp;
}

}  // namespace

class TestDequant : public QObject {
    Q_OBJECT
private slots:
    void halfRoundTripsEveryValue()
    {
        for (uint32_t h = 0; h < 0x10000; ++h) {
            const float f = quant::halfToFloat(static_cast<uint16_t>(h));
            if (std::isnan(f)) {
                QVERIFY(std::isnan(quant::halfToFloat(quant::floatToHalf(f))));
                continue;
            }
            QCOMPARE(quant::floatToHalf(f), static_cast<uint16_t>(h));
        }
        QCOMPARE(quant::halfToFloat(0x3c00), 1.0f);
        QCOMPARE(quant::halfToFloat(0xc000), -2.0f);
        QCOMPARE(quant::halfToFloat(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
        QCOMPARE(quant::halfToFloat(0x7bff), 65504.0f);
        QVERIFY(std::isinf(quant::halfToFloat(0x7c00)));
    }

    void halfRoundsToNearestEven()
    {
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1).
        QCOMPARE(quant::floatToHalf(1.0f + std::ldexp(1.0f, -11)), uint16_t(0x3c00));
        // 1 + 3*2^-11 is halfway between 1+2^-10 (odd) and 1+2^-9: rounds up to even.
        QCOMPARE(quant::floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), uint16_t(0x3c02));
        QCOMPARE(quant::floatToHalf(65519.0f), uint16_t(0x7bff));
        QCOMPARE(quant::floatToHalf(65520.0f), uint16_t(0x7c00));  // rounds to inf
        QCOMPARE(quant::floatToHalf(std::ldexp(1.0f, -25)), uint16_t(0));   // tie -> even (0)
        QCOMPARE(quant::floatToHalf(std::ldexp(1.5f, -25)), uint16_t(1));
        QCOMPARE(quant::floatToHalf(-0.0f), uint16_t(0x8000));
#if defined(__FLT16_MAX__)
        // Compare with the compiler's own (round-to-nearest-even) conversion on random bit patterns.
        std::mt19937 rng(7);
        for (int i = 0; i < 200000; ++i) {
            const float f = std::bit_cast<float>(static_cast<uint32_t>(rng()));
            if (std::isnan(f))
                continue;
            const _Float16 h = static_cast<_Float16>(f);
            QCOMPARE(quant::floatToHalf(f), std::bit_cast<uint16_t>(h));
        }
#endif
    }

    void bf16Conversions()
    {
        QCOMPARE(quant::bf16ToFloat(0x3f80), 1.0f);
        QCOMPARE(quant::floatToBf16(1.0f), uint16_t(0x3f80));
        // 1 + 2^-8 is halfway between bf16 1 and 1 + 2^-7: ties to even.
        QCOMPARE(quant::floatToBf16(1.0f + std::ldexp(1.0f, -8)), uint16_t(0x3f80));
        QCOMPARE(quant::floatToBf16(1.0f + 3 * std::ldexp(1.0f, -8)), uint16_t(0x3f82));
        QVERIFY(std::isnan(quant::bf16ToFloat(quant::floatToBf16(NAN))));
        for (uint32_t b = 0; b < 0x10000; ++b) {
            const float f = quant::bf16ToFloat(static_cast<uint16_t>(b));
            if (!std::isnan(f))
                QCOMPARE(quant::floatToBf16(f), static_cast<uint16_t>(b));
        }
    }

    void unsupportedTypesAreNamed()
    {
        uint8_t zeros[512] = {};
        float out[256];
        auto r = quant::dequantize(GgmlType::IQ4_XS, zeros, out, 256);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Unsupported);
        QVERIFY2(r.error().message.find("IQ4_XS") != std::string::npos, r.error().message.c_str());
        auto bad = quant::dequantize(GgmlType::Q4_K, zeros, out, 100);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("block size 256") != std::string::npos);
    }

    // Every tensor of every model file against dequant.json: first16 and the sampled
    // positions to float32 rounding, sum and sum of squares to 1e-6 relative.
    void matchesReferenceForEveryTensor()
    {
        const QJsonObject ref = loadJson(QString(TIEFSEE_TESTDATA) + "/reference/dequant.json");
        QVERIFY(!ref.isEmpty());
        std::set<std::string> typesSeen;
        int tensorsChecked = 0;
        for (auto fileIt = ref.begin(); fileIt != ref.end(); ++fileIt) {
            const std::string path = std::string(TIEFSEE_TESTDATA) + "/models/" + fileIt.key().toStdString();
            auto file = gguf::GgufFile::open(path);
            QVERIFY2(file.ok(), file.ok() ? "" : file.error().message.c_str());
            const QJsonObject tensors = fileIt.value().toObject();
            QCOMPARE(static_cast<size_t>(tensors.size()), (*file)->tensors().size());
            for (auto tIt = tensors.begin(); tIt != tensors.end(); ++tIt) {
                const std::string name = tIt.key().toStdString();
                const QJsonObject want = tIt.value().toObject();
                const gguf::TensorInfo* t = (*file)->tensor(name);
                const std::string where = fileIt.key().toStdString() + " " + name;
                QVERIFY2(t, where.c_str());
                QCOMPARE(QString::fromStdString(ggmlTypeName(t->type)), want["type"].toString());
                QCOMPARE(static_cast<qint64>(t->nElements), want["n"].toInteger());
                std::vector<float> out(t->nElements);
                auto r = quant::dequantize(t->type, t->data, out.data(), out.size());
                QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
                typesSeen.insert(ggmlTypeName(t->type));

                const QJsonArray first = want["first16"].toArray();
                for (int i = 0; i < first.size(); ++i)
                    QVERIFY2(closeF32(out[i], first[i].toDouble()),
                             qPrintable(QString("%1 [%2]: %3 vs %4").arg(where.c_str()).arg(i).arg(out[i]).arg(first[i].toDouble())));
                const QJsonObject at = want["at"].toObject();
                for (auto a = at.begin(); a != at.end(); ++a) {
                    const size_t idx = a.key().toULongLong();
                    QVERIFY(idx < out.size());
                    QVERIFY2(closeF32(out[idx], a.value().toDouble()),
                             qPrintable(QString("%1 [%2]: %3 vs %4").arg(where.c_str()).arg(idx).arg(out[idx]).arg(a.value().toDouble())));
                }
                double sum = 0, sumSq = 0;
                for (float v : out) {
                    sum += v;
                    sumSq += double(v) * v;
                }
                const double wantSum = want["sum"].toDouble(), wantSq = want["sum_sq"].toDouble();
                QVERIFY2(std::fabs(sum - wantSum) <= 1e-6 * std::max(std::fabs(wantSum), std::sqrt(wantSq)),
                         qPrintable(QString("%1 sum %2 vs %3").arg(where.c_str()).arg(sum, 0, 'g', 12).arg(wantSum, 0, 'g', 12)));
                QVERIFY2(std::fabs(sumSq - wantSq) <= 1e-6 * wantSq,
                         qPrintable(QString("%1 sum_sq %2 vs %3").arg(where.c_str()).arg(sumSq, 0, 'g', 12).arg(wantSq, 0, 'g', 12)));
                ++tensorsChecked;
            }
        }
        // The shared files cover F32 plus all 12 quant types.
        for (const char* type : {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K",
                                 "Q5_K", "Q6_K"})
            QVERIFY2(typesSeen.count(type), type);
        QVERIFY(tensorsChecked > 300);
    }
};

QTEST_GUILESS_MAIN(TestDequant)
#include "tst_dequant.moc"
