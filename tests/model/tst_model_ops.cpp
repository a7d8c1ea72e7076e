// The model's own op shaders (rms_norm and swiglu with their texel variants, rope with
// bias / q-k norm / KV write, attention, argmax) on the Vulkan device against the CPU
// references in engine/reference/ops_ref.h, on random inputs and odd shapes.
//
// Tolerances (max abs difference), all f32 arithmetic on both sides:
//   rms_norm, swiglu       1e-5 relative to the largest |value| (f32 rounding, exp)
//   rope (q, f32 out)      2e-5 (sin/cos of f32 angles: pos * theta < 100 here)
//   rope (k/v, f16 cache)  the reference rounds to half too; 1 half ulp (2^-10 relative)
//                          where the f32 results sit on a rounding boundary
//   attention              2e-5 (inputs are exact halves; only f32 summation order differs)
//   argmax                 exact id and value (ties to the lowest id)
//   top-k                  exact set of (id, value) pairs (ties at the k-th value to the lowest ids)
#include "reference/ops_ref.h"
#include "vulkan/runtime.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string_view>

using namespace tiefsee;

namespace {

struct NormPush {
    uint32_t n;
    float eps;
};
struct RopePush {
    uint32_t nTok, nHead, nKv, headDim, nRot, posOffset;
    float eps, freqBase, freqScale, extFactor, attnFactor, corrLow, corrHigh;
};
struct AttentionPush {
    uint32_t nTok, nHead, nKv, headDim, posOffset;
    float scale;
    uint32_t qStride;
};
struct RowPush {
    uint32_t n;
};

std::vector<float> randomVec(std::mt19937& rng, size_t n, float scale = 1.f)
{
    std::normal_distribution<float> d(0.f, scale);
    std::vector<float> v(n);
    for (auto& x : v)
        x = d(rng);
    return v;
}

double maxDiff(std::span<const float> a, std::span<const float> b)
{
    double m = 0;
    for (size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::fabs(double(a[i]) - double(b[i])));
    return m;
}

uint16_t toHalfBits(float f)
{
    // Exact for values that are already halves (roundToHalf output).
    const uint32_t x = std::bit_cast<uint32_t>(f);
    const uint32_t sign = (x >> 16) & 0x8000;
    const float a = std::fabs(f);
    if (a == 0.f)
        return uint16_t(sign);
    int e = 0;
    std::frexp(a, &e);
    if (e - 1 < -14)  // subnormal
        return uint16_t(sign | uint32_t(std::lround(a / std::ldexp(1.f, -24))));
    const uint32_t mant = uint32_t(std::lround((a / std::ldexp(1.f, e - 1) - 1.f) * 1024.f));
    return uint16_t(sign | (uint32_t(e - 1 + 15) << 10) | mant);
}

float fromHalfBits(uint16_t h)
{
    const uint32_t e = (h >> 10) & 0x1f, m = h & 0x3ff;
    float v = e == 0 ? std::ldexp(float(m), -24) : std::ldexp(1.f + float(m) / 1024.f, int(e) - 15);
    return (h & 0x8000) ? -v : v;
}

}  // namespace

class TestModelOps : public QObject {
    Q_OBJECT

    std::unique_ptr<vk::Context> m_ctx;
    uint32_t m_sg = 8;

    vk::Tensor upload(std::span<const float> v)
    {
        auto t = m_ctx->allocate(std::max<size_t>(v.size_bytes(), 16));
        if (!t.ok() || (!v.empty() && !m_ctx->upload(t->view(), v.data(), v.size_bytes()).ok()))
            qFatal("upload failed");
        return std::move(*t);
    }
    vk::Tensor uploadU32(std::span<const uint32_t> v)
    {
        auto t = m_ctx->allocate(std::max<size_t>(v.size_bytes(), 16));
        if (!t.ok() || !m_ctx->upload(t->view(), v.data(), v.size_bytes()).ok())
            qFatal("upload failed");
        return std::move(*t);
    }
    template <typename T>
    std::vector<T> download(const vk::Tensor& t, size_t n)
    {
        std::vector<T> v(n);
        if (!m_ctx->download(t.view(), v.data(), n * sizeof(T)).ok())
            qFatal("download failed");
        return v;
    }
    vk::Pipeline pipeline(const char* name, std::initializer_list<uint32_t> spec)
    {
        auto p = vk::createPipeline(*m_ctx, name, spec);
        if (!p.ok())
            qFatal("pipeline %s: %s", name, p.error().message.c_str());
        return std::move(*p);
    }
    template <typename F>
    void run(F&& record)
    {
        auto rec = vk::Recorder::create(*m_ctx);
        QVERIFY(rec.ok());
        rec->begin();
        record(*rec);
        rec->end();
        QVERIFY(rec->run().ok());
    }

private slots:
    void initTestCase()
    {
        auto c = vk::Context::create();
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
        m_ctx = std::move(*c);
        m_sg = std::max(1u, m_ctx->info().subgroupSize);
    }

    void rmsNorm_data()
    {
        QTest::addColumn<QString>("shader");
        QTest::newRow("storage buffers") << "rms_norm";
        QTest::newRow("texels") << "rms_norm_tb";
    }
    void rmsNorm()
    {
        QFETCH(QString, shader);
        const bool texels = shader == "rms_norm_tb";  // one subgroup per row, rows of whole texels
        std::mt19937 rng(1);
        for (uint32_t wg : {m_sg, 64u}) {
            if (texels && wg != m_sg)
                continue;
            for (bool add : {false, true}) {
                auto p = pipeline(shader.toUtf8().constData(), {wg, add ? 1u : 0u});
                for (uint32_t n : {1u, 4u, 7u, 64u, 1000u, 1536u}) {
                    if (texels && n % 4 != 0)
                        continue;
                    const uint32_t rows = 3;
                    auto x = randomVec(rng, rows * n), w = randomVec(rng, n), r = randomVec(rng, rows * n);
                    auto tx = upload(x), tw = upload(w), tr = upload(r), ty = upload(std::vector<float>(rows * n));
                    run([&](vk::Recorder& rec) {
                        rec.dispatch(p, {tx, tw, ty, tr}, vk::Groups{rows}, NormPush{n, 1e-5f});
                    });
                    if (add)
                        ref::add(x, r);
                    std::vector<float> want(rows * n);
                    ref::rmsNorm(x, w, want, n, 1e-5f);
                    QVERIFY(maxDiff(download<float>(ty, rows * n), want) < 1e-4);
                    QVERIFY(maxDiff(download<float>(tx, rows * n), x) < 1e-6);  // residual stream updated
                }
            }
        }
    }

    void swiglu_data()
    {
        QTest::addColumn<QString>("shader");
        QTest::addColumn<uint32_t>("perThread");
        QTest::newRow("storage buffers") << "swiglu" << 4u;
        QTest::newRow("texels, 16 per invocation") << "swiglu_tb" << 16u;
        QTest::newRow("texels, 4 per invocation") << "swiglu_tb" << 4u;
    }
    void swiglu()
    {
        QFETCH(QString, shader);
        QFETCH(uint32_t, perThread);
        const bool texels = shader == "swiglu_tb";  // rows of whole texels only
        std::mt19937 rng(2);
        auto p = pipeline(shader.toUtf8().constData(), {m_sg, perThread});
        for (uint32_t n : {1u, 4u, 5u, 332u, 333u, 8960u}) {
            if (texels && n % 4 != 0)
                continue;
            const uint32_t rows = 2;
            auto g = randomVec(rng, rows * n, 3.f), u = randomVec(rng, rows * n);
            std::vector<float> gu;  // per row: its gate values, then its up values
            for (uint32_t r = 0; r < rows; ++r) {
                gu.insert(gu.end(), g.begin() + r * n, g.begin() + (r + 1) * n);
                gu.insert(gu.end(), u.begin() + r * n, u.begin() + (r + 1) * n);
            }
            auto tgu = upload(gu), to = upload(std::vector<float>(rows * n));
            run([&](vk::Recorder& rec) {
                rec.dispatch(p, {tgu, to}, vk::groupsFor(p, (n + perThread - 1) / perThread, rows), RowPush{n});
            });
            std::vector<float> want(rows * n);
            ref::swiglu(g, u, want);
            QVERIFY(maxDiff(download<float>(to, rows * n), want) < 1e-4);
        }
    }

    void rope_data()
    {
        QTest::addColumn<bool>("neox");
        QTest::addColumn<bool>("bias");
        QTest::addColumn<bool>("norm");
        QTest::addColumn<bool>("freqs");
        QTest::addColumn<bool>("yarn");
        QTest::addColumn<uint32_t>("headDim");
        QTest::addColumn<uint32_t>("nRot");
        QTest::newRow("neox qwen2 bias") << true << true << false << false << false << 64u << 64u;
        QTest::newRow("neox qwen3 norm") << true << false << true << false << false << 128u << 128u;
        QTest::newRow("normal llama3 freqs") << false << false << false << true << false << 64u << 64u;
        QTest::newRow("normal partial rot") << false << false << false << false << false << 16u << 8u;
        QTest::newRow("neox yarn partial") << true << true << true << false << true << 32u << 24u;
    }

    void rope()
    {
        checkRope(1);
        checkRope(m_sg);  // a subgroup per head (GPUs)
    }

    void attention_data()
    {
        QTest::addColumn<uint32_t>("nTok");
        QTest::addColumn<uint32_t>("pos0");
        QTest::addColumn<uint32_t>("nHead");
        QTest::addColumn<uint32_t>("nKv");
        QTest::addColumn<uint32_t>("headDim");
        QTest::newRow("decode gqa 6/2") << 1u << 40u << 6u << 2u << 64u;
        QTest::newRow("decode first token") << 1u << 0u << 4u << 4u << 8u;
        QTest::newRow("prefill 21 tokens") << 21u << 0u << 4u << 1u << 128u;
        QTest::newRow("prefill after cache") << 7u << 13u << 8u << 4u << 32u;
        QTest::newRow("prefill gqa 10/2") << 9u << 3u << 10u << 2u << 32u;  // 5 heads per kv head
        // Long context: lavapipe ends a shader invocation's loops after 65535 iterations
        // in total, so per-key inner loops must not count against it.
        QTest::newRow("decode at 3000 keys") << 1u << 2999u << 2u << 1u << 128u;
    }

    // The same cases with each head's keys split over a subgroup's lanes (attention.comp
    // SPLIT), including lanes left without keys; and so with the lanes across the dims in the
    // value pass (DIMS, the CPU path), including lanes past a cache row's texels.
    void attentionSplit_data() { attention_data(); }
    void attentionSplit()
    {
        QFETCH(uint32_t, nHead);
        QFETCH(uint32_t, nKv);
        for (Lanes lanes : {Lanes::Keys, Lanes::Dims}) {
            checkAttention(m_sg, 1, lanes);
            checkAttention(m_sg, nHead / nKv, lanes);  // all heads of a kv head in one job
        }
    }

    // One lane per (token, head), and per token and all heads of a kv head (the CPU
    // prefill path, attention.comp QS). Not on GPUs, which split every batch's keys (on an
    // H200 the "prefill 21 tokens" case, 2 x 4 heads x 128 floats per lane, ran past 60 s).
    void attention()
    {
        QFETCH(uint32_t, nHead);
        QFETCH(uint32_t, nKv);
        if (m_ctx->info().type != vk::DeviceType::Cpu)
            QSKIP("the CPU prefill path");
        checkAttention(1, 1);
        checkAttention(1, nHead / nKv);
    }

    // One subgroup per block of consecutive tokens and heads, the lanes sharing each K/V
    // row's fetches (the CPU prefill path for whole subgroups of tokens, attention.comp
    // ROWS), including blocks past the batch's end and keys past a lane's position.
    void attentionRows_data() { attention_data(); }
    void attentionRows()
    {
        QFETCH(uint32_t, nHead);
        QFETCH(uint32_t, nKv);
        QFETCH(uint32_t, headDim);
        if (m_ctx->info().type != vk::DeviceType::Cpu)
            QSKIP("the CPU prefill path");
        if (headDim / 8 > m_sg)
            QSKIP("a cache row has more texels than the subgroup has lanes");
        checkAttention(1, 1, Lanes::Rows);
        checkAttention(1, nHead / nKv, Lanes::Rows);
    }

    // A workgroup per (token, head), lanes of a key across the head's dims, subgroups
    // interleaving key blocks (the GPU decode path, attention_decode.comp): one subgroup
    // and four, so that groups without keys (decode first token) merge too; and a head's
    // keys split over 3 and 8 workgroups merged by attention_combine.comp (long contexts),
    // splits without keys included.
    void attentionDecode_data() { attention_data(); }
    void attentionDecode()
    {
        QFETCH(uint32_t, headDim);
        if (headDim / 8 > m_sg)
            QSKIP("a cache row has more texels than the subgroup has lanes");
        checkAttention(1, 1, Lanes::Keys, m_sg);
        checkAttention(1, 1, Lanes::Keys, 4 * m_sg);
        checkAttention(1, 1, Lanes::Keys, 2 * m_sg, 3);
        checkAttention(1, 1, Lanes::Keys, m_sg, 8);
    }

private:
    void checkRope(uint32_t lanes)
    {
        QFETCH(bool, neox);
        QFETCH(bool, bias);
        QFETCH(bool, norm);
        QFETCH(bool, freqs);
        QFETCH(bool, yarn);
        QFETCH(uint32_t, headDim);
        QFETCH(uint32_t, nRot);
        std::mt19937 rng(3);
        const uint32_t nTok = 5, nHead = 6, nKv = 2, pos0 = 11, ctx = 32, hd = headDim;
        auto p = pipeline("rope", {std::max(m_sg, lanes), bias, norm, neox, freqs, lanes});
        auto q = randomVec(rng, nTok * nHead * hd), k = randomVec(rng, nTok * nKv * hd), v = randomVec(rng, nTok * nKv * hd);
        auto b = randomVec(rng, (nHead + 2 * nKv) * hd, 0.3f), nw = randomVec(rng, 2 * hd);
        std::vector<float> ff(nRot / 2);
        for (auto& f : ff)
            f = 1.f + float(rng() % 8);
        ref::RopeParams rp;
        rp.nDims = nRot;
        rp.neox = neox;
        rp.freqBase = 10000.f;
        if (freqs)
            rp.freqFactors = ff;
        if (yarn) {
            rp.freqScale = 0.25f;
            rp.extFactor = 1.f;
            rp.nCtxOrig = 4096;
        }
        const auto corr = yarn ? ref::ropeYarnCorrDims(rp) : std::pair<float, float>{0, 0};
        const uint32_t params[4] = {pos0 - 3, 0, 0, 0};
        std::vector<float> qkv;  // per token: its q, k and v heads
        for (uint32_t t = 0; t < nTok; ++t)
            for (const auto* part : {&q, &k, &v}) {
                const size_t n = part->size() / nTok;
                qkv.insert(qkv.end(), part->begin() + t * n, part->begin() + (t + 1) * n);
            }
        auto tParams = uploadU32(params), tqkv = upload(qkv), tb = upload(b), tn = upload(nw), tf = upload(ff);
        auto tkc = upload(std::vector<float>(ctx * nKv * hd / 2)), tvc = upload(std::vector<float>(ctx * nKv * hd / 2));
        const RopePush push{nTok, nHead, nKv, hd, nRot, 3, 1e-6f, 10000.f, rp.freqScale, rp.extFactor, 1.f, corr.first, corr.second};
        run([&](vk::Recorder& rec) {
            rec.dispatch(p, {tParams, tqkv, tb, tn, tf, tkc, tvc}, vk::groupsFor(p, nTok * (nHead + 2 * nKv) * lanes), push);
        });

        // Reference: bias, per-head norm, rope; k/v rounded to half in the cache.
        std::vector<int32_t> pos(nTok);
        for (uint32_t t = 0; t < nTok; ++t)
            pos[t] = int32_t(pos0 + t);
        auto prep = [&](std::vector<float>& x, uint32_t heads, uint32_t biasOff, int normIdx) {
            if (bias)
                for (size_t i = 0; i < x.size(); ++i)
                    x[i] += b[biasOff * hd + i % (heads * hd)];
            if (norm && normIdx >= 0)
                ref::rmsNorm(x, std::span<const float>(nw).subspan(normIdx * hd, hd), x, hd, 1e-6f);
        };
        prep(q, nHead, 0, 0);
        prep(k, nKv, nHead, 1);
        prep(v, nKv, nHead + nKv, -1);
        ref::rope(q, nHead, hd, pos, rp);
        ref::rope(k, nKv, hd, pos, rp);
        // q is rotated in place; k and v stay as they were.
        const auto got = download<float>(tqkv, qkv.size());
        const uint32_t rowFloats = (nHead + 2 * nKv) * hd;
        std::vector<float> gotQ;
        for (uint32_t t = 0; t < nTok; ++t) {
            gotQ.insert(gotQ.end(), got.begin() + t * rowFloats, got.begin() + t * rowFloats + nHead * hd);
            QVERIFY(std::equal(got.begin() + t * rowFloats + nHead * hd, got.begin() + (t + 1) * rowFloats,
                               qkv.begin() + t * rowFloats + nHead * hd));
        }
        QVERIFY(maxDiff(gotQ, q) < 2e-4);

        auto kc = download<uint16_t>(tkc, ctx * nKv * hd), vc = download<uint16_t>(tvc, ctx * nKv * hd);
        double worstK = 0, worstV = 0;
        for (uint32_t t = 0; t < nTok; ++t)
            for (uint32_t i = 0; i < nKv * hd; ++i) {
                const size_t c = (pos0 + t) * nKv * hd + i, s = t * nKv * hd + i;
                worstK = std::max(worstK, std::fabs(double(fromHalfBits(kc[c])) - ref::roundToHalf(k[s])) / (std::fabs(k[s]) + 1e-3));
                worstV = std::max(worstV, std::fabs(double(fromHalfBits(vc[c])) - ref::roundToHalf(v[s])) / (std::fabs(v[s]) + 1e-3));
            }
        QVERIFY2(worstK <= 1.0 / 1024 && worstV <= 1.0 / 1024, qPrintable(QString("%1 %2").arg(worstK).arg(worstV)));
        // Rows outside the batch stay untouched.
        QCOMPARE(kc[0], uint16_t(0));
    }

    // What attention.comp's lanes are besides keys (SPLIT) or tokens: ROWS, DIMS.
    enum class Lanes { Keys, Rows, Dims };
    // decodeWg: attention_decode.comp with workgroups of that many invocations instead,
    // over decodeSplits workgroups per (token, head).
    void checkAttention(uint32_t split, uint32_t headsPerJob, Lanes lanes = Lanes::Keys, uint32_t decodeWg = 0,
                        uint32_t decodeSplits = 1)
    {
        const bool rows = lanes == Lanes::Rows;
        QFETCH(uint32_t, nTok);
        QFETCH(uint32_t, pos0);
        QFETCH(uint32_t, nHead);
        QFETCH(uint32_t, nKv);
        QFETCH(uint32_t, headDim);
        std::mt19937 rng(4);
        const uint32_t hd = headDim, ctx = pos0 + nTok + 5;
        auto p = decodeWg ? pipeline("attention_decode", {decodeWg, hd, m_sg, decodeSplits})
                          : pipeline("attention", {split == 1 ? m_sg : split, hd, split, headsPerJob, rows ? 1u : 0u,
                                                  lanes == Lanes::Dims ? 1u : 0u});
        auto q = randomVec(rng, nTok * nHead * hd, 0.5f);
        auto k = randomVec(rng, ctx * nKv * hd), v = randomVec(rng, ctx * nKv * hd);
        std::vector<uint16_t> kh(k.size()), vh(v.size());
        for (size_t i = 0; i < k.size(); ++i) {
            k[i] = ref::roundToHalf(k[i]);
            v[i] = ref::roundToHalf(v[i]);
            kh[i] = toHalfBits(k[i]);
            vh[i] = toHalfBits(v[i]);
            QCOMPARE(fromHalfBits(kh[i]), k[i]);
        }
        const uint32_t params[4] = {pos0, 0, 0, 0};
        // The queries sit in rows of q | k | v, as the forward pass stores them; the k/v
        // parts are noise the shader must skip.
        const uint32_t qStride = (nHead + 2 * nKv) * hd;
        auto qkv = randomVec(rng, nTok * qStride, 50.f);
        for (uint32_t t = 0; t < nTok; ++t)
            std::copy(q.begin() + t * nHead * hd, q.begin() + (t + 1) * nHead * hd, qkv.begin() + t * qStride);
        auto tParams = uploadU32(params), tq = upload(qkv), to = upload(std::vector<float>(q.size()));
        auto tk = uploadU32(std::span<const uint32_t>(reinterpret_cast<const uint32_t*>(kh.data()), kh.size() / 2));
        auto tv = uploadU32(std::span<const uint32_t>(reinterpret_cast<const uint32_t*>(vh.data()), vh.size() / 2));
        const float scale = 1.f / std::sqrt(float(hd));
        auto tPartials = upload(std::vector<float>(nTok * nHead * decodeSplits * (hd + 2)));
        vk::Pipeline combine;
        if (decodeSplits > 1)
            combine = pipeline("attention_combine", {64, hd, decodeSplits});
        run([&](vk::Recorder& rec) {
            const AttentionPush push{nTok, nHead, nKv, hd, 0, scale, qStride};
            if (decodeWg) {
                rec.dispatch(p, {tParams, tq, tk, tv, to, tPartials}, vk::Groups{nTok * nHead * decodeSplits}, push);
                if (decodeSplits > 1)
                    rec.dispatch(combine, {tPartials, to}, vk::Groups{nTok * nHead}, RowPush{nTok * nHead});
                return;
            }
            const vk::Groups g = rows         ? vk::Groups{(nTok + m_sg - 1) / m_sg * (nHead / headsPerJob)}
                                 : split == 1 ? vk::groupsFor(p, nTok * nHead / headsPerJob)
                                              : vk::Groups{nTok * nHead / headsPerJob};
            rec.dispatch(p, {tParams, tq, tk, tv, to}, g, push);
        });
        std::vector<float> want(q.size());
        ref::attention(q, k, v, want, nTok, pos0, nHead, nKv, hd, scale);
        const double d = maxDiff(download<float>(to, q.size()), want);
        QVERIFY2(d < 2e-5, qPrintable(QString::number(d)));
    }

private slots:
    void topk();
    void argmax()
    {
        std::mt19937 rng(5);
        // As Forward uses them: argmax_tb on CPU devices, argmax on GPUs (and its CPU width).
        struct Variant {
            const char* shader;
            uint32_t wg;
        };
        for (Variant var : {Variant{"argmax_tb", m_sg}, Variant{"argmax", m_sg}, Variant{"argmax", 1024u}}) {
            const uint32_t wg = var.wg;
            const bool texels = std::string_view(var.shader) == "argmax_tb";
            for (uint32_t n : {1u, 7u, 2054u, 151936u}) {
                auto x = randomVec(rng, n, 5.f);
                if (n > 10) {
                    x[n / 2] = x[n / 3] = 100.f;  // a tie: the lower index wins
                    x[n - 1] = 99.f;
                }
                if (n > 4 * wg)
                    x[1] = x[1 + 2 * wg] = 100.f;  // a tie inside one invocation's four loads
                if (n > 10)
                    x[4] = x[5] = 100.f;  // a tie inside one texel (first = 0)
                auto am = pipeline(var.shader, {wg});
                // The row starts `first` floats into the binding, after larger values; the
                // texel variant's binding also ends on a whole texel, after larger values.
                for (uint32_t first : {0u, 3u}) {
                    std::vector<float> bound(first, 1000.f);
                    bound.insert(bound.end(), x.begin(), x.end());
                    while (texels && bound.size() % 4 != 0)
                        bound.push_back(1000.f);
                    auto tx = upload(bound), tr = upload(std::vector<float>(2));
                    run([&](vk::Recorder& rec) {
                        struct {
                            uint32_t n, first;
                        } push{n, first};
                        rec.dispatch(am, {tx, tr}, vk::Groups{1}, push);
                    });
                    auto r = download<uint32_t>(tr, 2);
                    QCOMPARE(int32_t(r[0]), ref::argmax(x));
                    QCOMPARE(std::bit_cast<float>(r[1]), x[r[0]]);
                }
            }
        }
    }
};


// The top-k shader at vocabulary sizes (Qwen2 151936, Llama 3 128256) and small rows,
// with ties inside, across and at the k-th value, negative values and infinities; rows
// of 2054 and 5000 values also start 2 floats into the binding, after larger values.
void TestModelOps::topk()
{
    std::mt19937 rng(6);
    struct Case {
        uint32_t n, k, first = 0;  // first: floats before the row in the binding
    };
    for (Case c : {Case{2054, 1}, Case{100, 64}, Case{30, 64}, Case{1, 5}, Case{5000, 0}, Case{5000, 64}, Case{40000, 64},
                   Case{151936, 64}, Case{128256, 40}, Case{2054, 1, 2}, Case{5000, 64, 2}}) {
        auto x = randomVec(rng, c.n, 5.f);
        if (c.n > 1000) {
            for (uint32_t i = 0; i < 70; ++i)
                x[(i * 7919u) % c.n] = 12.5f;  // 70 equal values straddling the k-th place
            x[c.n - 1] = std::numeric_limits<float>::infinity();
            x[c.n / 2] = -std::numeric_limits<float>::infinity();
            x[3] = -0.f;
        }
        auto p = pipeline("topk", {256});  // as Forward uses it (see topk.comp on loop limits)
        std::vector<float> bound(c.first, 1e30f);
        bound.insert(bound.end(), x.begin(), x.end());
        auto tx = upload(bound);
        auto tr = upload(std::vector<float>(1 + 2 * 64, 0.f));
        const uint32_t params[4] = {0, 1, 0, 0};  // pos0, enabled
        auto tp = uploadU32(params);
        run([&](vk::Recorder& rec) {
            struct {
                uint32_t n, k, first;
            } push{c.n, c.k, c.first};
            rec.dispatch(p, {tp, tx, tr}, vk::Groups{1}, push);
        });
        auto r = download<uint32_t>(tr, 1 + 2 * 64);
        const auto want = ref::topK(x, c.k);
        QCOMPARE(size_t(r[0]), want.size());
        std::vector<std::pair<float, int32_t>> got;
        for (uint32_t i = 0; i < r[0]; ++i) {
            QVERIFY(r[1 + 2 * i] < c.n);
            QCOMPARE(std::bit_cast<float>(r[2 + 2 * i]), x[r[1 + 2 * i]]);
            got.emplace_back(std::bit_cast<float>(r[2 + 2 * i]), int32_t(r[1 + 2 * i]));
        }
        std::sort(got.begin(), got.end(), [](auto& a, auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
        QVERIFY2(got == want, qPrintable(QString("n %1 k %2").arg(c.n).arg(c.k)));
    }
    // Switched off through params: only the "nothing computed" marker.
    std::vector<float> x = randomVec(rng, 1000, 1.f);
    auto p = pipeline("topk", {256});
    auto tx = upload(x), tr = upload(std::vector<float>(1 + 2 * 64, 1.f));
    const uint32_t params[4] = {0, 0, 0, 0};
    auto tp = uploadU32(params);
    run([&](vk::Recorder& rec) {
        struct {
            uint32_t n, k, first;
        } push{1000, 64, 0};
        rec.dispatch(p, {tp, tx, tr}, vk::Groups{1}, push);
    });
    QCOMPARE(download<uint32_t>(tr, 1)[0], 0u);
}

QTEST_GUILESS_MAIN(TestModelOps)
#include "tst_model_ops.moc"
