// The weight shaders (get_rows, matvec, matmul) for every weight type against the CPU
// reference (engine/reference/matmul_ref: ggml-exact dequantization, double sums), on
// random weights quantized with Tiefsee's quantizer, over shapes whose row counts and
// token counts are not multiples of the workgroup/tile sizes.
//
// Tolerances (max over outputs of |gpu - ref|, as a multiple of the scale
// sqrt(K) * max|x| * max|W|, W the dequantized weights):
//   matvec / matmul (f32 accumulation vs double): 5e-6   (observed on lavapipe: <= 6e-7)
//   get_rows (dequantization only; FMA contraction may differ by an ulp): 1e-6 * max|W| (observed: 0)
#include "quant/dequant.h"
#include "quant/quantize.h"
#include "quant/texel_layout.h"
#include "reference/matmul_ref.h"
#include "vulkan/runtime.h"
#include "vulkan/weight_ops.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace tiefsee;

namespace {

constexpr double kMatTol = 5e-6;
constexpr double kRowsTol = 1e-6;

const GgmlType kTypes[] = {GgmlType::F32,  GgmlType::F16,  GgmlType::BF16, GgmlType::Q8_0, GgmlType::Q4_0,
                           GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q2_K, GgmlType::Q3_K,
                           GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K};

struct Shape {
    uint32_t rows, cols;
};

// Shapes per block size: rows never a multiple of 64 (workgroup / tile), cols a
// multiple of the block but (for plain types) of nothing else.
std::vector<Shape> shapesFor(GgmlType type)
{
    switch (ggmlTypeTraits(type)->blockSize) {
    case 1: return {{13, 37}, {70, 100}};
    case 32: return {{7, 32}, {129, 160}};
    default: return {{5, 256}, {67, 768}};
    }
}

struct HostMatrix {
    std::vector<uint8_t> bytes;  // GGUF layout
    double maxAbs = 0;           // of the dequantized values
};

HostMatrix randomMatrix(GgmlType type, Shape s, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    std::vector<float> f(size_t(s.rows) * s.cols);
    for (auto& v : f)
        v = dist(rng);
    HostMatrix m;
    m.bytes = quant::quantize(type, f.data(), f.size());
    std::vector<float> back(f.size());
    auto r = quant::dequantize(type, m.bytes.data(), back.data(), back.size());
    assert(r.ok());
    (void)r;
    for (float v : back)
        m.maxAbs = std::max(m.maxAbs, double(std::fabs(v)));
    return m;
}

std::vector<float> randomVector(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(rng);
    return v;
}

double maxAbsOf(const std::vector<float>& v)
{
    double m = 0;
    for (float x : v)
        m = std::max(m, double(std::fabs(x)));
    return m;
}

void addTypeRows()
{
    QTest::addColumn<int>("type");
    for (GgmlType t : kTypes)
        QTest::newRow(ggmlTypeName(t).c_str()) << int(t);
}

enum class Op { MatVec, MatMul, MatMulTiled };

}  // namespace

class TestVkWeightOps : public QObject {
    Q_OBJECT

    std::unique_ptr<vk::Context> m_ctx;
    std::unique_ptr<vk::WeightOps> m_ops;
    static constexpr float kUntouched = 12345.f;  // output values no row may write

    // Runs `op` on the GPU and the reference for one type/shape/token count; returns
    // false (with a QTest failure) when the error exceeds the tolerance. With `out`, the
    // rows must land where it places them and every other output value stay as it was.
    // With `runs` > 1 the recording is submitted that many times, the output reset
    // before each, and every run checked. The output starts `yShift` floats into its
    // allocation (and must leave those floats alone).
    bool checkProduct(vk::Context& ctx, vk::WeightOps& ops, Op op, GgmlType type, Shape s, uint32_t ntokens, uint32_t seed,
                      vk::WeightLayout layout = vk::WeightLayout::Blocks, vk::OutRows out = {}, int runs = 1,
                      uint32_t yShift = 0)
    {
        const HostMatrix m = randomMatrix(type, s, seed);
        const auto x = randomVector(size_t(ntokens) * s.cols, seed + 1);
        std::vector<float> ref(size_t(ntokens) * s.rows);
        if (!ref::matmulQuant(type, m.bytes.data(), s.rows, s.cols, x.data(), ntokens, ref.data()).ok())
            return false;

        const uint32_t stride = out.stride ? out.stride : s.rows;
        std::vector<float> y(yShift + (ntokens - 1) * size_t(stride) + out.first + s.rows, kUntouched);
        auto w = vk::uploadWeights(ctx, type, s.rows, s.cols, m.bytes.data(), layout);
        auto xd = ctx.allocate(x.size() * 4);
        auto yd = ctx.allocate(y.size() * 4);
        auto rec = vk::Recorder::create(ctx);
        if (!w.ok() || !xd.ok() || !yd.ok() || !rec.ok())
            return false;
        if (!ctx.upload(*xd, x.data(), x.size() * 4).ok())
            return false;
        const vk::TensorView yv = yd->view().sub(uint64_t(yShift) * 4, (y.size() - yShift) * 4);
        rec->begin();
        Result<void> r = op == Op::MatVec ? ops.matvec(*rec, *w, *xd, yv, ntokens, out)
                         : op == Op::MatMul ? ops.matmul(*rec, *w, *xd, yv, ntokens, out)
                                            : ops.matmulTiled(*rec, *w, *xd, yv, ntokens, out);
        if (!r.ok()) {
            qWarning("%s", r.error().message.c_str());
            return false;
        }
        rec->end();
        for (int run = 0; run < runs; ++run) {
            std::fill(y.begin(), y.end(), kUntouched);
            if (!ctx.upload(*yd, y.data(), y.size() * 4).ok() || !rec->run().ok() ||
                !ctx.download(*yd, y.data(), y.size() * 4).ok())
                return false;
            for (uint32_t i = 0; i < yShift; ++i)
                if (y[i] != kUntouched) {
                    qWarning("output value %u before the output view was written", i);
                    return false;
                }
            const std::vector<float> placed(y.begin() + yShift, y.end());
            if (!checkOutput(placed, ref, s, ntokens, stride, out, std::sqrt(double(s.cols)) * maxAbsOf(x) * m.maxAbs, type))
                return false;
        }
        return true;
    }

    // y against the reference: the placed rows within kMatTol x scale, every other value
    // untouched.
    static bool checkOutput(const std::vector<float>& y, const std::vector<float>& ref, Shape s, uint32_t ntokens,
                            uint32_t stride, vk::OutRows out, double scale, GgmlType type)
    {
        double worst = 0;
        for (size_t i = 0; i < y.size(); ++i) {
            const size_t n = i / stride, r = i % stride - out.first;
            if (i % stride < out.first || r >= s.rows) {
                if (y[i] != kUntouched) {
                    qWarning("output value %zu outside the placed rows was written", i);
                    return false;
                }
                continue;
            }
            worst = std::max(worst, std::fabs(double(y[i]) - double(ref[n * s.rows + r])) / scale);
        }
        if (!(worst <= kMatTol)) {  // also catches NaN
            qWarning("%s %ux%u tokens %u: error %.3g x scale (tolerance %.3g)", ggmlTypeName(type).c_str(), s.rows, s.cols, ntokens,
                     worst, kMatTol);
            return false;
        }
        return true;
    }

    bool checkGetRows(vk::Context& ctx, vk::WeightOps& ops, GgmlType type, Shape s, uint32_t seed)
    {
        const HostMatrix m = randomMatrix(type, s, seed);
        std::vector<uint32_t> ids = {s.rows - 1, 0, s.rows / 2, s.rows - 1, 1 % s.rows};
        std::vector<float> ref(ids.size() * s.cols);
        if (!ref::getRowsQuant(type, m.bytes.data(), s.rows, s.cols, ids.data(), uint32_t(ids.size()), ref.data()).ok())
            return false;
        auto w = vk::uploadWeights(ctx, type, s.rows, s.cols, m.bytes.data());
        auto idd = ctx.allocate(ids.size() * 4);
        auto out = ctx.allocate(ref.size() * 4);
        auto rec = vk::Recorder::create(ctx);
        if (!w.ok() || !idd.ok() || !out.ok() || !rec.ok() || !ctx.upload(*idd, ids.data(), ids.size() * 4).ok())
            return false;
        rec->begin();
        if (!ops.getRows(*rec, *w, *idd, uint32_t(ids.size()), *out).ok())
            return false;
        rec->end();
        if (!rec->run().ok())
            return false;
        std::vector<float> y(ref.size());
        if (!ctx.download(*out, y.data(), y.size() * 4).ok())
            return false;
        double worst = 0;
        for (size_t i = 0; i < y.size(); ++i)
            worst = std::max(worst, std::fabs(double(y[i]) - double(ref[i])) / m.maxAbs);
        if (!(worst <= kRowsTol)) {
            qWarning("%s %ux%u get_rows: error %.3g x max|W|", ggmlTypeName(type).c_str(), s.rows, s.cols, worst);
            return false;
        }
        return true;
    }

private slots:
    void initTestCase()
    {
        auto ctx = vk::Context::create();
        QVERIFY2(ctx.ok(), ctx.ok() ? "" : ctx.error().message.c_str());
        m_ctx = std::move(*ctx);
        auto ops = vk::WeightOps::create(*m_ctx);
        QVERIFY(ops.ok());
        m_ops = std::move(*ops);
    }

    void matvecDecode_data() { addTypeRows(); }
    void matvecDecode()
    {
        QFETCH(int, type);
        for (Shape s : shapesFor(GgmlType(type)))
            QVERIFY(checkProduct(*m_ctx, *m_ops, Op::MatVec, GgmlType(type), s, 1, 100 + s.rows));
    }

    // Prefill through the default path (multi-token mat-vec on CPU devices): 11 tokens =
    // one full 8-token pass plus a partial one; 3 tokens = a partial pass of the 4-token
    // shape that small batches take.
    void matmulPrefill_data() { addTypeRows(); }
    void matmulPrefill()
    {
        QFETCH(int, type);
        const Shape s = shapesFor(GgmlType(type)).back();
        QVERIFY(checkProduct(*m_ctx, *m_ops, Op::MatMul, GgmlType(type), s, 11, 200));
        QVERIFY(checkProduct(*m_ctx, *m_ops, Op::MatMul, GgmlType(type), s, 3, 201));
    }

    // The shared-memory tiled kernel (the GPU prefill path), forced: 70 tokens and the
    // row counts above cross the 64 x 64 tile edges.
    void matmulTiled_data() { addTypeRows(); }
    void matmulTiled()
    {
        QFETCH(int, type);
        const Shape s = shapesFor(GgmlType(type)).back();
        QVERIFY(checkProduct(*m_ctx, *m_ops, Op::MatMulTiled, GgmlType(type), s, 70, 300));
    }

    void getRows_data() { addTypeRows(); }
    void getRows()
    {
        QFETCH(int, type);
        for (Shape s : shapesFor(GgmlType(type)))
            QVERIFY(checkGetRows(*m_ctx, *m_ops, GgmlType(type), s, 400 + s.rows));
    }

    // The GPU-style split (several lanes per row) on this device: rows of 8, 16 and 32
    // lanes, reduced by subgroupAdd where they are a subgroup and through shared memory
    // where not; K-quants decode pieces there (quant.glsl), fewer or more pieces per block
    // than a row has lanes.
    void matvecLanesPerRow_data()
    {
        QTest::addColumn<int>("type");
        for (GgmlType t : {GgmlType::F16, GgmlType::Q4_0, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K})
            QTest::newRow(ggmlTypeName(t).c_str()) << int(t);
    }
    void matvecLanesPerRow()
    {
        QFETCH(int, type);
        auto ops = vk::WeightOps::create(*m_ctx);
        QVERIFY(ops.ok());
        for (uint32_t lanes : {8u, 16u, 32u}) {
            (*ops)->setMatVecShape({4 * lanes, lanes, 1});
            for (Shape s : shapesFor(GgmlType(type)))
                QVERIFY(checkProduct(*m_ctx, **ops, Op::MatVec, GgmlType(type), s, 1, 500 + lanes));
        }
        (*ops)->setMatVecShape({64, 16, 4});
        QVERIFY(checkProduct(*m_ctx, **ops, Op::MatVec, GgmlType(type), shapesFor(GgmlType(type)).back(), 6, 501));
    }

    // Matrices split into row chunks (bindings limited to 4 KiB here) give the same results.
    void splitMatrices_data()
    {
        QTest::addColumn<int>("type");
        for (GgmlType t : {GgmlType::F32, GgmlType::Q8_0, GgmlType::Q4_K})
            QTest::newRow(ggmlTypeName(t).c_str()) << int(t);
    }
    void splitMatrices()
    {
        QFETCH(int, type);
        vk::DeviceChoice choice;
        choice.maxBindingBytes = 4096;
        auto ctx = vk::Context::create(choice);
        QVERIFY(ctx.ok());
        auto ops = vk::WeightOps::create(**ctx);
        QVERIFY(ops.ok());
        const Shape s = shapesFor(GgmlType(type)).back();
        auto probe = vk::uploadWeights(**ctx, GgmlType(type), s.rows, s.cols, randomMatrix(GgmlType(type), s, 1).bytes.data());
        QVERIFY(probe.ok());
        QVERIFY(probe->data.chunks.size() >= 3);
        QVERIFY(checkProduct(**ctx, **ops, Op::MatVec, GgmlType(type), s, 1, 600));
        QVERIFY(checkProduct(**ctx, **ops, Op::MatVec, GgmlType(type), s, 11, 601));
        QVERIFY(checkProduct(**ctx, **ops, Op::MatMulTiled, GgmlType(type), s, 70, 602));
        QVERIFY(checkGetRows(**ctx, **ops, GgmlType(type), s, 603));
    }

    // The texel-layout mat-vec (matvec_tb.comp, the CPU-device path the model loader
    // uses): every type that has the layout, row counts that are not multiples of the
    // rows per job (a row group of 8 or 16 in decode, two for Q6_K; prefill jobs take 4
    // groups, so 67 rows leave a job with a partial group and groups wholly past the end),
    // 1 to 3 superblocks per row (Q6_K's groups of 8 superblocks then straddle rows),
    // decode and 11-token prefill (passes of 4 tokens, the last partial).
    void texelMatVec_data()
    {
        QTest::addColumn<int>("type");
        for (GgmlType t : kTypes)
            if (texelLayoutSupported(t))
                QTest::newRow(ggmlTypeName(t).c_str()) << int(t);
    }
    void texelMatVec()
    {
        QFETCH(int, type);
        const GgmlType t = GgmlType(type);
        if (!vk::usesTexelLayout(m_ctx->info(), t, 256))
            QSKIP("this device multiplies with the block layout");
        std::vector<uint8_t> bytes = randomMatrix(t, {9, 256}, 1).bytes;
        auto probe = vk::uploadWeights(*m_ctx, t, 9, 256, bytes.data(), vk::WeightLayout::Best);
        QVERIFY(probe.ok());
        QVERIFY(probe->texel);
        // 100 rows: whole blocks of 4 (matvec_tb stores 2 or 4 rows at a time there).
        for (Shape s : {Shape{13, 256}, Shape{67, 768}, Shape{8, 512}, Shape{100, 512}}) {
            QVERIFY(checkProduct(*m_ctx, *m_ops, Op::MatVec, t, s, 1, 700 + s.rows, vk::WeightLayout::Best));
            QVERIFY(checkProduct(*m_ctx, *m_ops, Op::MatMul, t, s, 11, 800 + s.rows, vk::WeightLayout::Best));
        }
    }

    // Texel-layout matrices split into row chunks (4 KiB bindings) give the same results,
    // as do outputs longer than a texel view may span (1024 floats there: 20 tokens take
    // two passes).
    void texelSplit()
    {
        vk::DeviceChoice choice;
        choice.maxBindingBytes = 4096;
        auto ctx = vk::Context::create(choice);
        QVERIFY(ctx.ok());
        if (!vk::usesTexelLayout((*ctx)->info(), GgmlType::Q6_K, 256))
            QSKIP("this device multiplies with the block layout");
        auto ops = vk::WeightOps::create(**ctx);
        QVERIFY(ops.ok());
        for (GgmlType t : {GgmlType::Q6_K, GgmlType::Q8_0, GgmlType::Q4_K}) {
            const Shape s{67, 768};
            auto probe = vk::uploadWeights(**ctx, t, s.rows, s.cols, randomMatrix(t, s, 1).bytes.data(), vk::WeightLayout::Best);
            QVERIFY(probe.ok());
            QVERIFY(probe->data.chunks.size() >= 3);
            QVERIFY(checkProduct(**ctx, **ops, Op::MatVec, t, s, 1, 900, vk::WeightLayout::Best));
            QVERIFY(checkProduct(**ctx, **ops, Op::MatMul, t, s, 5, 901, vk::WeightLayout::Best));
            QVERIFY(checkProduct(**ctx, **ops, Op::MatMul, t, s, 20, 902, vk::WeightLayout::Best, {}, 1, 3));
        }
    }

    // matvec_tb's workgroups take tasks from a counter that each submission must start at
    // zero: a matrix with enough rows that each grab takes several tasks, the same
    // recording submitted three times, the output cleared before each.
    void texelTaskCounter()
    {
        if (!vk::usesTexelLayout(m_ctx->info(), GgmlType::Q8_0, 256))
            QSKIP("this device multiplies with the block layout");
        const Shape s{4 * 1024 + 3, 256};
        QVERIFY(checkProduct(*m_ctx, *m_ops, Op::MatVec, GgmlType::Q8_0, s, 1, 950, vk::WeightLayout::Best, {}, 3));
        QVERIFY(checkProduct(*m_ctx, *m_ops, Op::MatMul, GgmlType::Q8_0, s, 9, 951, vk::WeightLayout::Best, {}, 3));
    }

    // Rows placed into a wider output (OutRows: the forward pass's stacked q | k | v and
    // gate | up) land there, for every kernel and layout, with and without row chunks, also
    // when the output does not start at a multiple of 16 bytes (the logits of a batch's
    // last token).
    void placedRows_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("bindingBytes");
        for (GgmlType t : {GgmlType::F32, GgmlType::Q4_K, GgmlType::Q6_K})
            for (int b : {0, 4096})
                QTest::newRow((ggmlTypeName(t) + (b ? " split" : "")).c_str()) << int(t) << b;
    }
    void placedRows()
    {
        QFETCH(int, type);
        QFETCH(int, bindingBytes);
        const GgmlType t = GgmlType(type);
        vk::DeviceChoice choice;
        choice.maxBindingBytes = uint64_t(bindingBytes);
        auto ctx = vk::Context::create(choice);
        QVERIFY(ctx.ok());
        auto ops = vk::WeightOps::create(**ctx);
        QVERIFY(ops.ok());
        const Shape s{67, 768};
        const vk::OutRows out{s.rows + 40, 29};
        for (vk::WeightLayout layout : {vk::WeightLayout::Blocks, vk::WeightLayout::Best}) {
            QVERIFY(checkProduct(**ctx, **ops, Op::MatVec, t, s, 1, 1000, layout, out));
            QVERIFY(checkProduct(**ctx, **ops, Op::MatMul, t, s, 6, 1001, layout, out));
        }
        QVERIFY(checkProduct(**ctx, **ops, Op::MatMulTiled, t, s, 70, 1002, vk::WeightLayout::Blocks, out));
        // Rows in blocks of 4 placed at a multiple of 4, in an output that starts 0, 1 or 3
        // floats past a multiple of 16 bytes.
        const Shape a{100, 512};
        const vk::OutRows at{a.rows + 36, 28};
        for (uint32_t shift : {0u, 1u, 3u}) {
            QVERIFY(checkProduct(**ctx, **ops, Op::MatVec, t, a, 1, 1010 + shift, vk::WeightLayout::Best, at, 1, shift));
            QVERIFY(checkProduct(**ctx, **ops, Op::MatMul, t, a, 6, 1020 + shift, vk::WeightLayout::Best, at, 1, shift));
        }
    }

    void rejectsBadShapes()
    {
        std::vector<uint8_t> bytes(1024);
        auto w = vk::uploadWeights(*m_ctx, GgmlType::Q4_K, 2, 100, bytes.data());
        QVERIFY(!w.ok());
        QCOMPARE(w.error().kind, ErrorKind::InvalidInput);
        auto u = vk::uploadWeights(*m_ctx, GgmlType::IQ2_XS, 2, 256, bytes.data());
        QVERIFY(!u.ok());
        QCOMPARE(u.error().kind, ErrorKind::Unsupported);
    }

    void cleanupTestCase()
    {
        m_ops.reset();
        m_ctx.reset();
    }
};

QTEST_GUILESS_MAIN(TestVkWeightOps)
#include "tst_vk_weight_ops.moc"
