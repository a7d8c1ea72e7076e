#include "reference/ops_ref.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <numeric>

namespace tiefsee::ref {

float roundToHalf(float x)
{
    // Round-to-nearest-even to 11 significant bits with half's exponent range,
    // done in float arithmetic: exact for normals, subnormals and overflow.
    if (std::isnan(x) || std::isinf(x))
        return x;
    const float ax = std::fabs(x);
    if (ax >= 65520.f)  // rounds past the largest half (65504)
        return std::copysign(INFINITY, x);
    int e = 0;
    std::frexp(ax, &e);               // ax = m * 2^e, m in [0.5, 1)
    const int exp = std::max(e - 1, -14);  // half normal exponent floor
    const float quantum = std::ldexp(1.f, exp - 10);
    const float r = std::nearbyint(ax / quantum) * quantum;  // nearbyint: ties to even
    return std::copysign(r, x);
}

void rmsNorm(std::span<const float> x, std::span<const float> w, std::span<float> y, size_t n, float eps)
{
    assert(w.size() == n && x.size() % n == 0 && y.size() == x.size());
    for (size_t t = 0; t < x.size() / n; ++t) {
        double ss = 0;
        for (size_t i = 0; i < n; ++i)
            ss += double(x[t * n + i]) * x[t * n + i];
        const double s = 1.0 / std::sqrt(ss / double(n) + eps);
        for (size_t i = 0; i < n; ++i)
            y[t * n + i] = float(x[t * n + i] * s * w[i]);
    }
}

void addBias(std::span<float> y, std::span<const float> b)
{
    assert(!b.empty() && y.size() % b.size() == 0);
    for (size_t i = 0; i < y.size(); ++i)
        y[i] += b[i % b.size()];
}

void add(std::span<float> y, std::span<const float> x)
{
    assert(y.size() == x.size());
    for (size_t i = 0; i < y.size(); ++i)
        y[i] += x[i];
}

void swiglu(std::span<const float> gate, std::span<const float> up, std::span<float> out)
{
    assert(gate.size() == up.size() && out.size() == up.size());
    for (size_t i = 0; i < up.size(); ++i) {
        const double g = gate[i];
        out[i] = float(g / (1.0 + std::exp(-g)) * up[i]);
    }
}

void matmul(std::span<const float> w, std::span<const float> x, std::span<float> y, size_t nIn, size_t nOut)
{
    assert(w.size() == nIn * nOut && x.size() % nIn == 0 && y.size() == x.size() / nIn * nOut);
    const size_t nTok = x.size() / nIn;
    for (size_t t = 0; t < nTok; ++t)
        for (size_t r = 0; r < nOut; ++r) {
            double acc = 0;
            const float* wr = w.data() + r * nIn;
            const float* xt = x.data() + t * nIn;
            for (size_t c = 0; c < nIn; ++c)
                acc += double(wr[c]) * xt[c];
            y[t * nOut + r] = float(acc);
        }
}

std::pair<float, float> ropeYarnCorrDims(const RopeParams& p)
{
    auto corrDim = [&](float nRot) {
        return float(p.nDims) * std::log(float(p.nCtxOrig) / (nRot * 2.f * float(M_PI))) / (2.f * std::log(p.freqBase));
    };
    const float start = std::floor(corrDim(p.betaFast));
    const float end = std::ceil(corrDim(p.betaSlow));
    return {std::max(0.f, start), std::min(float(p.nDims - 1), end)};
}

void rope(std::span<float> x, size_t nHead, size_t headDim, std::span<const int32_t> pos, const RopeParams& p)
{
    assert(p.nDims <= headDim && p.nDims % 2 == 0);
    assert(x.size() == pos.size() * nHead * headDim);
    assert(p.freqFactors.empty() || p.freqFactors.size() >= p.nDims / 2);
    const auto corr = p.extFactor != 0.f ? ropeYarnCorrDims(p) : std::pair<float, float>{0.f, 0.f};
    const size_t half = p.nDims / 2;
    for (size_t t = 0; t < pos.size(); ++t)
        for (size_t i = 0; i < half; ++i) {
            // Frequency of pair i: base^(-2i/nDims), divided by its llama3 factor.
            const double ff = p.freqFactors.empty() ? 1.0 : p.freqFactors[i];
            const double thetaExtrap = double(pos[t]) * std::pow(double(p.freqBase), -2.0 * double(i) / p.nDims) / ff;
            const double thetaInterp = p.freqScale * thetaExtrap;
            double theta = thetaInterp;
            double mscale = p.attnFactor;
            if (p.extFactor != 0.f) {
                const double y = (double(i) - corr.first) / std::max(0.001, double(corr.second - corr.first));
                const double rampMix = (1.0 - std::min(1.0, std::max(0.0, y))) * p.extFactor;
                theta = thetaInterp * (1 - rampMix) + thetaExtrap * rampMix;
                mscale *= 1.0 + 0.1 * std::log(1.0 / p.freqScale);
            }
            const double c = std::cos(theta) * mscale, s = std::sin(theta) * mscale;
            for (size_t h = 0; h < nHead; ++h) {
                float* row = x.data() + (t * nHead + h) * headDim;
                const size_t a = p.neox ? i : 2 * i;
                const size_t b = p.neox ? i + half : 2 * i + 1;
                const double x0 = row[a], x1 = row[b];
                row[a] = float(x0 * c - x1 * s);
                row[b] = float(x0 * s + x1 * c);
            }
        }
}

void attention(std::span<const float> q, std::span<const float> k, std::span<const float> v, std::span<float> out,
               size_t nTok, size_t pos0, size_t nHead, size_t nKvHead, size_t headDim, float scale)
{
    assert(nHead % nKvHead == 0);
    assert(q.size() == nTok * nHead * headDim && out.size() == q.size());
    assert(k.size() >= (pos0 + nTok) * nKvHead * headDim && v.size() == k.size());
    const size_t group = nHead / nKvHead;
    std::vector<double> scores(pos0 + nTok);
    for (size_t t = 0; t < nTok; ++t)
        for (size_t h = 0; h < nHead; ++h) {
            const size_t kvh = h / group;
            const float* qr = q.data() + (t * nHead + h) * headDim;
            const size_t nKeys = pos0 + t + 1;
            double maxS = -INFINITY;
            for (size_t j = 0; j < nKeys; ++j) {
                const float* kr = k.data() + (j * nKvHead + kvh) * headDim;
                double s = 0;
                for (size_t d = 0; d < headDim; ++d)
                    s += double(qr[d]) * kr[d];
                scores[j] = s * scale;
                maxS = std::max(maxS, scores[j]);
            }
            double sum = 0;
            for (size_t j = 0; j < nKeys; ++j) {
                scores[j] = std::exp(scores[j] - maxS);
                sum += scores[j];
            }
            float* o = out.data() + (t * nHead + h) * headDim;
            for (size_t d = 0; d < headDim; ++d) {
                double acc = 0;
                for (size_t j = 0; j < nKeys; ++j)
                    acc += scores[j] * v[(j * nKvHead + kvh) * headDim + d];
                o[d] = float(acc / sum);
            }
        }
}

int32_t argmax(std::span<const float> x)
{
    assert(!x.empty());
    size_t best = 0;
    for (size_t i = 1; i < x.size(); ++i)
        if (x[i] > x[best])
            best = i;
    return int32_t(best);
}

std::vector<std::pair<float, int32_t>> topK(std::span<const float> x, size_t k)
{
    std::vector<int32_t> idx(x.size());
    std::iota(idx.begin(), idx.end(), 0);
    k = std::min(k, x.size());
    std::partial_sort(idx.begin(), idx.begin() + ptrdiff_t(k), idx.end(), [&](int32_t a, int32_t b) {
        return x[size_t(a)] > x[size_t(b)] || (x[size_t(a)] == x[size_t(b)] && a < b);
    });
    std::vector<std::pair<float, int32_t>> r;
    for (size_t i = 0; i < k; ++i)
        r.emplace_back(x[size_t(idx[i])], idx[i]);
    return r;
}

}  // namespace tiefsee::ref
