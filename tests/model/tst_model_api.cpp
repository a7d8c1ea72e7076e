// Model API behaviour on the tiny trained stories260K: KV-cache reuse (truncate and
// extend gives the same logits as one prefill), decode == prefill (also past the long-
// context switch of the decode step), clear errors for a
// full context, bad token ids and a context that cannot fit; and the sampler.
#include "model/forward.h"
#include "model/model.h"

#include <QtTest>

#include <cmath>

using namespace tiefsee;

namespace {

double maxDiff(const std::vector<float>& a, const std::vector<float>& b, size_t bOffset = 0)
{
    double m = 0;
    for (size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::fabs(double(a[i]) - double(b[bOffset + i])));
    return m;
}

const std::vector<int32_t> kIds = {1, 403, 407, 261, 378, 395, 275, 266, 341, 292};

// Bounds on |logit| differences between the decode and prefill paths (and between one
// prefill and a truncate-and-extend). They sum in different orders (mat-vec vs mat-mat,
// attention variants), and stories260K amplifies f32 rounding: regrouping nothing but
// RMSNorm's sum of squares by fours (as rms_norm_tb does) moved the decode-vs-prefill
// difference at position 5 of kIds from 2e-5 to 3e-4, with logits of magnitude ~17 (an
// H200: 1.6e-4). A wrong position or a stale cache row shows up as 0.1 and more.
constexpr double kPathTolerance = 1e-3;
// Over hundreds of recomputed cache rows the differences also pass through the f16 cache:
// a K/V value whose f32 inputs differ in the last bits can round to the neighbouring half
// (2^-11 relative). lavapipe, recomputing rows 250 .. 555: 3e-4 up to position 300, then
// steps to 4.5e-3 (position ~320) and 1.3e-2 (471), flat in between; an H200 gave 1.1e-2
// over rows 250 .. 299. Each path alone is up to ~1e-2 off the exact reference for this
// model (the fidelity suite's figures), so the two may differ by twice that.
constexpr double kLongPathTolerance = 3e-2;

// The largest decode-vs-prefill difference over a run of positions, and where.
struct PathDiff {
    double diff = 0;
    size_t position = 0;
    void add(double d, size_t pos)
    {
        if (d > diff) {
            diff = d;
            position = pos;
        }
    }
    QString text() const { return QString("max |logit difference| %1 at position %2").arg(diff).arg(position); }
};

}  // namespace

class TestModelApi : public QObject {
    Q_OBJECT
    std::unique_ptr<model::Model> m_model;

private slots:
    void initTestCase()
    {
        model::LoadOptions opt;
        opt.contextLength = 16;
        opt.batchSize = 4;
        uint64_t lastDone = 0, total = 0;
        opt.progress = [&](uint64_t done, uint64_t all) {
            QVERIFY(done >= lastDone);
            lastDone = done;
            total = all;
        };
        auto m = model::Model::load(TIEFSEE_TESTDATA "/models/stories260K.gguf", opt);
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().message.c_str());
        m_model = std::move(*m);
        QVERIFY(total > 0);
        QCOMPARE(lastDone, total);
        QCOMPARE(m_model->contextLength(), 16u);
    }

    void truncateAndExtendMatchesOnePrefill()
    {
        model::Model& m = *m_model;
        m.truncateKv(0);
        QVERIFY(m.prefill(kIds, model::LogitsMode::All).ok());
        QCOMPARE(m.kvPosition(), kIds.size());
        const auto all = *m.allLogits();
        const auto last = *m.logits();
        const size_t nv = m.info().nVocab;
        QCOMPARE(all.size(), kIds.size() * nv);
        QVERIFY(maxDiff(last, all, (kIds.size() - 1) * nv) == 0);

        // Keep the first 6 positions, feed the rest again: same last logits.
        m.truncateKv(6);
        QVERIFY(m.prefill(std::span(kIds).subspan(6)).ok());
        const double extendDiff = maxDiff(*m.logits(), last);
        QVERIFY2(extendDiff < kPathTolerance, qPrintable(QString("max |logit difference| %1").arg(extendDiff)));

        // Token by token through the decode path: same logits at every position.
        m.truncateKv(0);
        QVERIFY(m.prefill(std::span(kIds).first(1)).ok());
        PathDiff worst;
        for (size_t i = 1; i < kIds.size(); ++i) {
            QVERIFY(m.decode(kIds[i]).ok());
            worst.add(maxDiff(*m.logits(), all, i * nv), i);
        }
        qInfo().noquote() << "decode vs prefill:" << worst.text();
        QVERIFY2(worst.diff < kPathTolerance, qPrintable(worst.text()));
        // Greedy sampling is the GPU argmax of those logits.
        Sampler greedy(SamplerConfig::greedy());
        const auto l = *m.logits();
        QCOMPARE(*m.sample(greedy), int32_t(std::max_element(l.begin(), l.end()) - l.begin()));
    }

    // Decode steps from Forward::longDecodeKeys() keys on run a second recording (CPU
    // devices: attention with each head's keys split over lanes; GPUs: over workgroups):
    // across either device's switch, every step's logits still equal one prefill's. On a
    // CPU device also with the GPU kernels.
    void longContextDecodeMatchesPrefill_data()
    {
        QTest::addColumn<bool>("gpuKernels");
        QTest::newRow("device kernels") << false;
        if (m_model->device().cpuKernels)
            QTest::newRow("gpu kernels") << true;
    }
    void longContextDecodeMatchesPrefill()
    {
        QFETCH(bool, gpuKernels);
        using model::Forward;
        const uint32_t first = std::min(Forward::kCpuSplitAttentionKeys, Forward::kGpuSplitDecodeKeys);
        const uint32_t last = std::max(Forward::kCpuSplitAttentionKeys, Forward::kGpuSplitDecodeKeys);
        model::LoadOptions opt;
        opt.contextLength = last + 64;
        opt.batchSize = 64;
        opt.device.gpuKernels = gpuKernels;
        auto loaded = model::Model::load(TIEFSEE_TESTDATA "/models/stories260K.gguf", opt);
        QVERIFY(loaded.ok());
        model::Model& m = **loaded;
        std::vector<int32_t> ids = {1};
        for (uint32_t i = 1; i < last + 44; ++i)
            ids.push_back(int32_t(3 + (i * 37) % 500));
        QVERIFY(m.prefill(ids, model::LogitsMode::All).ok());
        const auto all = *m.allLogits();
        const size_t nv = m.info().nVocab;
        const size_t from = first - 6;
        m.truncateKv(from);
        PathDiff worst;
        for (size_t i = from; i < ids.size(); ++i) {
            QVERIFY(m.decode(ids[i]).ok());
            worst.add(maxDiff(*m.logits(), all, i * nv), i);
        }
        qInfo().noquote() << "decode vs prefill:" << worst.text();
        QVERIFY2(worst.diff < kLongPathTolerance, qPrintable(worst.text()));
    }

    // A prefill that leaves only the last token's logits runs its last layer's attention
    // and feed-forward block for that token alone, and batches that more batches follow
    // stop after the last layer's K/V (Forward::record): the logits still equal a pass
    // that keeps every row, and decode steps after it (which read that layer's K/V of
    // every position) too. Batches of 4 split kIds into 4 + 4 + 2 and its first 8 into
    // 4 + 4 (the last batch the size of the others, recorded apart from them); one batch of
    // 520 gives the last query the long-context attention on both kinds of device
    // (kCpuSplitAttentionKeys, kGpuSplitDecodeKeys). On a CPU device also with the GPU kernels.
    void lastRowPrefillMatchesAllRows_data() { longContextDecodeMatchesPrefill_data(); }
    void lastRowPrefillMatchesAllRows()
    {
        QFETCH(bool, gpuKernels);
        for (const uint32_t batch : {4u, 520u}) {
            model::LoadOptions opt;
            opt.contextLength = 600;
            opt.batchSize = batch;
            opt.device.gpuKernels = gpuKernels;
            auto loaded = model::Model::load(TIEFSEE_TESTDATA "/models/stories260K.gguf", opt);
            QVERIFY(loaded.ok());
            model::Model& m = **loaded;
            std::vector<int32_t> ids = kIds;
            if (batch > 4)
                for (uint32_t i = uint32_t(ids.size()); i < batch; ++i)
                    ids.push_back(int32_t(3 + (i * 37) % 500));
            QVERIFY(m.prefill(ids, model::LogitsMode::All).ok());
            const auto all = *m.allLogits();
            const size_t nv = m.info().nVocab;
            for (const size_t n : {ids.size(), ids.size() - 2}) {
                m.truncateKv(0);
                QVERIFY(m.prefill(std::span(ids).first(n)).ok());
                const double d = maxDiff(*m.logits(), all, (n - 1) * nv);
                QVERIFY2(d < kPathTolerance, qPrintable(QString("%1 tokens in batches of %2: max |logit difference| %3")
                                                            .arg(n).arg(batch).arg(d)));
            }
            // After the shorter prefill: decode the last two tokens.
            for (size_t i = ids.size() - 2; i < ids.size(); ++i) {
                QVERIFY(m.decode(ids[i]).ok());
                const double d = maxDiff(*m.logits(), all, i * nv);
                QVERIFY2(d < kPathTolerance, qPrintable(QString("decode at %1: max |logit difference| %2").arg(i).arg(d)));
            }
        }
    }

    // Top-k sampling from the device's candidates draws exactly what sampling from the
    // full logits draws (same seed); from the second token on the candidates come from
    // the GPU (the first pass ran before the model knew the sampler wants them).
    void gpuTopKMatchesFullLogits()
    {
        model::Model& m = *m_model;
        m.truncateKv(0);
        QVERIFY(m.prefill(std::span(kIds).first(3)).ok());
        SamplerConfig c;
        c.topK = 40;
        c.topP = 1.f;
        c.temperature = 1.5f;
        c.seed = 9;
        Sampler gpu(c), cpu(c);
        QCOMPARE(gpu.gpuPlan(), Sampler::GpuPlan::TopK);
        const uint64_t before = m.stats().gpuTopKSamples;
        for (int i = 0; i < 8; ++i) {
            const int32_t want = cpu.sample(*m.logits());
            auto got = m.sample(gpu);
            QVERIFY(got.ok());
            QCOMPARE(*got, want);
            QVERIFY(m.decode(*got).ok());
        }
        QCOMPARE(m.stats().gpuTopKSamples - before, uint64_t(7));
    }

    void errors()
    {
        model::Model& m = *m_model;
        m.truncateKv(0);
        auto bad = m.prefill(std::vector<int32_t>{1, 99999});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind, ErrorKind::InvalidInput);
        QVERIFY(!m.prefill({}).ok());
        QVERIFY(m.prefill(std::vector<int32_t>(16, 5)).ok());
        auto full = m.decode(5);
        QVERIFY(!full.ok());
        QVERIFY(QString::fromStdString(full.error().message).contains("context"));
        m.truncateKv(0);
        Sampler s;
        QVERIFY(!m.sample(s).ok());  // no logits after truncation

        model::LoadOptions huge;
        huge.contextLength = 2000000000;
        auto tooBig = model::Model::load(TIEFSEE_TESTDATA "/models/stories260K.gguf", huge);
        QVERIFY(!tooBig.ok());
        QCOMPARE(tooBig.error().kind, ErrorKind::OutOfMemory);
        QVERIFY2(QString::fromStdString(tooBig.error().message).contains("would fit"), tooBig.error().message.c_str());

        auto missing = model::Model::load(TIEFSEE_TESTDATA "/models/no-such-file.gguf");
        QVERIFY(!missing.ok());
    }

    void sampler()
    {
        std::vector<float> logits = {1.f, 3.f, 3.f, -2.f, 2.5f};
        Sampler greedy(SamplerConfig::greedy());
        QCOMPARE(greedy.gpuPlan(), Sampler::GpuPlan::Argmax);
        QCOMPARE(greedy.sample(logits), 1);  // tie -> lowest id

        SamplerConfig c;
        c.seed = 42;
        c.topP = 0.9f;
        Sampler a(c), b(c);
        QCOMPARE(a.gpuPlan(), Sampler::GpuPlan::FullLogits);  // top-p needs the distribution
        std::vector<int32_t> ra, rb;
        for (int i = 0; i < 50; ++i) {
            ra.push_back(a.sample(logits));
            rb.push_back(b.sample(logits));
        }
        QCOMPARE(ra, rb);  // same seed, same draws
        for (int32_t t : ra)
            QVERIFY(t == 1 || t == 2 || t == 4);  // top-p 0.9 keeps 0.73 + 0.22: drops ids 0 and 3

        SamplerConfig k1;
        k1.topK = 1;
        k1.topP = 1.f;
        QCOMPARE(Sampler(k1).gpuPlan(), Sampler::GpuPlan::TopK);
        QCOMPARE(Sampler(k1).sample(logits), 1);

        SamplerConfig minp;
        minp.topP = 1.f;
        minp.minP = 0.5f;  // keeps p >= 0.5 p_max: ids 1, 2 (p_max) and 4 (e^-0.5 = 0.61)
        Sampler mp(minp);
        for (int i = 0; i < 50; ++i) {
            const int32_t t = mp.sample(logits);
            QVERIFY(t == 1 || t == 2 || t == 4);
        }

        // Repetition penalty steers greedy away from recent tokens.
        SamplerConfig pen = SamplerConfig::greedy();
        pen.repeatPenalty = 2.f;
        Sampler p(pen);
        QCOMPARE(p.gpuPlan(), Sampler::GpuPlan::FullLogits);
        p.accept(1);
        p.accept(2);
        QCOMPARE(p.sample(logits), 4);  // 3/2 = 1.5 < 2.5
        p.reset();
        QCOMPARE(p.sample(logits), 1);
    }
};

QTEST_GUILESS_MAIN(TestModelApi)
#include "tst_model_api.moc"
