// Quantize -> dequantize round trips: error bounds per type on Gaussian data, exact
// zeros, robustness to non-finite input, and block geometry.
#include "quant/dequant.h"
#include "quant/quantize.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace tiefsee;

namespace {

std::vector<float> gaussian(size_t n, uint32_t seed, float sigma = 1.f)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.f, sigma);
    std::vector<float> v(n);
    for (float& x : v)
        x = dist(rng);
    return v;
}

// RMS of (dequant(quant(x)) - x) divided by RMS of x.
double relativeRmsError(GgmlType type, const std::vector<float>& x)
{
    const auto q = quant::quantize(type, x.data(), x.size());
    std::vector<float> y(x.size());
    auto r = quant::dequantize(type, q.data(), y.data(), y.size());
    if (!r.ok())
        return 1e9;
    double err = 0, ref = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        err += double(y[i] - x[i]) * (y[i] - x[i]);
        ref += double(x[i]) * x[i];
    }
    return std::sqrt(err / ref);
}

}  // namespace

class TestQuantize : public QObject {
    Q_OBJECT
private slots:
    void roundTripError_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<double>("bound");  // relative RMS error on N(0,1) data
        // Bounds are ~1.2x what these (ggml-reference) quantizers reach on Gaussian data;
        // e.g. Q6_K: step = max(16 values)/32 ~ 0.055 sigma, uniform error 0.016 sigma.
        QTest::newRow("F32") << "F32" << 0.0;
        QTest::newRow("F16") << "F16" << 4e-4;
        QTest::newRow("BF16") << "BF16" << 3e-3;
        QTest::newRow("Q8_0") << "Q8_0" << 0.006;
        QTest::newRow("Q6_K") << "Q6_K" << 0.022;
        QTest::newRow("Q5_K") << "Q5_K" << 0.045;
        QTest::newRow("Q5_1") << "Q5_1" << 0.045;
        QTest::newRow("Q5_0") << "Q5_0" << 0.05;
        QTest::newRow("Q4_K") << "Q4_K" << 0.09;
        QTest::newRow("Q4_1") << "Q4_1" << 0.09;
        QTest::newRow("Q4_0") << "Q4_0" << 0.10;
        QTest::newRow("Q3_K") << "Q3_K" << 0.17;
        QTest::newRow("Q2_K") << "Q2_K" << 0.35;
    }

    void roundTripError()
    {
        QFETCH(QString, type);
        QFETCH(double, bound);
        const auto t = ggmlTypeFromName(type.toStdString());
        QVERIFY(t && quant::canQuantize(*t));
        const auto x = gaussian(256 * 64, 42, 0.05f);
        const double e = relativeRmsError(*t, x);
        qInfo("%s relative RMS error %.5f (bound %.5f)", qPrintable(type), e, bound);
        QVERIFY2(e <= bound, qPrintable(QString("%1 error %2 > %3").arg(type).arg(e).arg(bound)));
        QCOMPARE(quant::quantizedSize(*t, x.size()), x.size() / ggmlTypeTraits(*t)->blockSize * ggmlTypeTraits(*t)->blockBytes);
    }

    void zerosStayZeroAndNonFiniteIsSafe()
    {
        for (GgmlType t : {GgmlType::F16, GgmlType::BF16, GgmlType::Q8_0, GgmlType::Q4_0, GgmlType::Q4_1,
                           GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q2_K, GgmlType::Q3_K, GgmlType::Q4_K,
                           GgmlType::Q5_K, GgmlType::Q6_K}) {
            std::vector<float> zeros(512, 0.f), out(512, 1.f);
            auto q = quant::quantize(t, zeros.data(), zeros.size());
            QVERIFY(quant::dequantize(t, q.data(), out.data(), out.size()).ok());
            for (float v : out)
                QCOMPARE(v, 0.f);
            // NaN / inf inputs are treated as 0: output must be finite.
            std::vector<float> bad = gaussian(512, 3);
            bad[5] = NAN;
            bad[300] = INFINITY;
            bad[301] = -INFINITY;
            q = quant::quantize(t, bad.data(), bad.size());
            QVERIFY(quant::dequantize(t, q.data(), out.data(), out.size()).ok());
            for (float v : out)
                QVERIFY2(std::isfinite(v), qPrintable(QString::fromStdString(ggmlTypeName(t))));
        }
    }

    // Values with a large offset (all positive) exercise the min paths of Q4_1/Q5_1/K-quants.
    void offsetDataKeepsItsMean()
    {
        auto x = gaussian(256 * 8, 9, 0.1f);
        for (float& v : x)
            v += 2.f;
        for (GgmlType t : {GgmlType::Q4_1, GgmlType::Q5_1, GgmlType::Q2_K, GgmlType::Q4_K, GgmlType::Q5_K,
                           GgmlType::Q3_K, GgmlType::Q6_K, GgmlType::Q4_0, GgmlType::Q8_0}) {
            auto q = quant::quantize(t, x.data(), x.size());
            std::vector<float> y(x.size());
            QVERIFY(quant::dequantize(t, q.data(), y.data(), y.size()).ok());
            double mean = 0;
            for (float v : y)
                mean += v;
            mean /= y.size();
            QVERIFY2(std::fabs(mean - 2.0) < 0.05, qPrintable(QString("%1 mean %2").arg(QString::fromStdString(ggmlTypeName(t))).arg(mean)));
        }
    }
};

QTEST_GUILESS_MAIN(TestQuantize)
#include "tst_quantize.moc"
