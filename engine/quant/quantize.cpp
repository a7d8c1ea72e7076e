// Reference quantizers. The algorithms follow ggml-quants.c's quantize_row_*_ref
// (re-implemented, not copied): legacy formats use the absmax / min-max rule, the
// K-quants search sub-block scales (weighted least squares over a few candidate
// scales, ggml's make_qkx2 / make_q3 / make_qx searches), then quantize the
// sub-block scales to 6 (or 4, or 8) bits and requantize the values with them.
#include "quant/quantize.h"

#include "quant/blocks.h"
#include "quant/half.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

namespace tiefsee::quant {
namespace {

constexpr float kGroupMaxEps = 1e-15f;

// Round to nearest, ties to even (ggml's nearest_int), safe for any float.
inline int nearestInt(float v)
{
    if (!(v > -4194304.f))
        return -4194304;
    if (v > 4194304.f)
        return 4194304;
    return static_cast<int>(std::nearbyint(v));
}

// Copies n floats replacing NaN/inf by 0, so no path below sees a non-finite value.
inline void sanitize(const float* x, float* out, int n)
{
    for (int i = 0; i < n; ++i)
        out[i] = std::isfinite(x[i]) ? x[i] : 0.f;
}

template <typename B>
void storeBlock(uint8_t* dst, size_t i, const B& b)
{
    std::memcpy(dst + i * sizeof(B), &b, sizeof(B));
}

// ---------------------------------------------------------------- scale searches

// Asymmetric (scale, min) search for a sub-block: L[i] in [0, nmax] with
// x ~ scale * L - min. Returns the scale; *theMin receives the (non-negative) min.
float makeQkx2(int n, int nmax, const float* x, const float* w, uint8_t* L, float* theMin, uint8_t* Laux,
               float rmin, float rdelta, int nstep, bool useMad)
{
    float mn = x[0], mx = x[0];
    float sumW = w[0], sumX = w[0] * x[0];
    for (int i = 1; i < n; ++i) {
        mn = std::min(mn, x[i]);
        mx = std::max(mx, x[i]);
        sumW += w[i];
        sumX += w[i] * x[i];
    }
    if (mn > 0)
        mn = 0;
    if (mx == mn) {
        std::memset(L, 0, static_cast<size_t>(n));
        *theMin = -mn;
        return 0.f;
    }
    float iscale = static_cast<float>(nmax) / (mx - mn);
    float scale = 1 / iscale;
    float bestError = 0;
    for (int i = 0; i < n; ++i) {
        const int l = std::clamp(nearestInt(iscale * (x[i] - mn)), 0, nmax);
        L[i] = static_cast<uint8_t>(l);
        float diff = scale * static_cast<float>(l) + mn - x[i];
        diff = useMad ? std::fabs(diff) : diff * diff;
        bestError += w[i] * diff;
    }
    for (int is = 0; is <= nstep; ++is) {
        iscale = (rmin + rdelta * static_cast<float>(is) + static_cast<float>(nmax)) / (mx - mn);
        float sumL = 0, sumL2 = 0, sumXL = 0;
        for (int i = 0; i < n; ++i) {
            const int l = std::clamp(nearestInt(iscale * (x[i] - mn)), 0, nmax);
            Laux[i] = static_cast<uint8_t>(l);
            const float fl = static_cast<float>(l);
            sumL += w[i] * fl;
            sumL2 += w[i] * fl * fl;
            sumXL += w[i] * fl * x[i];
        }
        const float D = sumW * sumL2 - sumL * sumL;
        if (D > 0) {
            float thisScale = (sumW * sumXL - sumX * sumL) / D;
            float thisMin = (sumL2 * sumX - sumL * sumXL) / D;
            if (thisMin > 0) {
                thisMin = 0;
                thisScale = sumXL / sumL2;
            }
            float err = 0;
            for (int i = 0; i < n; ++i) {
                float diff = thisScale * static_cast<float>(Laux[i]) + thisMin - x[i];
                diff = useMad ? std::fabs(diff) : diff * diff;
                err += w[i] * diff;
            }
            if (err < bestError) {
                std::memcpy(L, Laux, static_cast<size_t>(n));
                bestError = err;
                scale = thisScale;
                mn = thisMin;
            }
        }
    }
    *theMin = -mn;
    return scale;
}

// Symmetric signed search used by Q3_K: L[i] in [0, 2*nmax) (biased by nmax),
// x ~ scale * (L - nmax). Iteratively moves single values to maximise the fit.
float makeQ3(int n, int nmax, const float* x, int8_t* L)
{
    float mx = 0, amax = 0;
    for (int i = 0; i < n; ++i) {
        const float ax = std::fabs(x[i]);
        if (ax > amax) {
            amax = ax;
            mx = x[i];
        }
    }
    if (amax < kGroupMaxEps) {
        std::memset(L, 0, static_cast<size_t>(n));
        return 0.f;
    }
    const float iscale = -static_cast<float>(nmax) / mx;
    float sumLX = 0, sumL2 = 0;
    for (int i = 0; i < n; ++i) {
        const int l = std::clamp(nearestInt(iscale * x[i]), -nmax, nmax - 1);
        L[i] = static_cast<int8_t>(l);
        const float w = x[i] * x[i];
        sumLX += w * x[i] * static_cast<float>(l);
        sumL2 += w * static_cast<float>(l * l);
    }
    for (int itry = 0; itry < 5; ++itry) {
        int changed = 0;
        for (int i = 0; i < n; ++i) {
            const float w = x[i] * x[i];
            float slx = sumLX - w * x[i] * static_cast<float>(L[i]);
            if (slx > 0) {
                float sl2 = sumL2 - w * static_cast<float>(L[i] * L[i]);
                const int nl = std::clamp(nearestInt(x[i] * sl2 / slx), -nmax, nmax - 1);
                if (nl != L[i]) {
                    slx += w * x[i] * static_cast<float>(nl);
                    sl2 += w * static_cast<float>(nl * nl);
                    if (sl2 > 0 && slx * slx * sumL2 > sumLX * sumLX * sl2) {
                        L[i] = static_cast<int8_t>(nl);
                        sumLX = slx;
                        sumL2 = sl2;
                        ++changed;
                    }
                }
            }
        }
        if (!changed)
            break;
    }
    for (int i = 0; i < n; ++i)
        L[i] = static_cast<int8_t>(L[i] + nmax);
    return sumL2 > 0 ? sumLX / sumL2 : 0.f;
}

// Symmetric search used by Q6_K: tries 19 scales around nmax/max weighted by x^2.
// L[i] in [0, 2*nmax), x ~ scale * (L - nmax).
float makeQx(int n, int nmax, const float* x, int8_t* L)
{
    float mx = 0, amax = 0;
    for (int i = 0; i < n; ++i) {
        const float ax = std::fabs(x[i]);
        if (ax > amax) {
            amax = ax;
            mx = x[i];
        }
    }
    if (amax < kGroupMaxEps) {
        std::memset(L, 0, static_cast<size_t>(n));
        return 0.f;
    }
    auto fit = [&](float iscale, float& sumLX, float& sumL2, bool store) {
        sumLX = 0;
        sumL2 = 0;
        for (int i = 0; i < n; ++i) {
            const int l = std::clamp(nearestInt(iscale * x[i]), -nmax, nmax - 1);
            if (store)
                L[i] = static_cast<int8_t>(l + nmax);
            const float w = x[i] * x[i];
            sumLX += w * x[i] * static_cast<float>(l);
            sumL2 += w * static_cast<float>(l * l);
        }
    };
    float sumLX, sumL2;
    fit(-static_cast<float>(nmax) / mx, sumLX, sumL2, true);
    float scale = sumL2 > 0 ? sumLX / sumL2 : 0.f;
    float best = scale * sumLX;
    for (int is = -9; is <= 9; ++is) {
        if (is == 0)
            continue;
        const float iscale = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(is)) / mx;
        fit(iscale, sumLX, sumL2, false);
        if (sumL2 > 0 && sumLX * sumLX > best * sumL2) {
            fit(iscale, sumLX, sumL2, true);
            scale = sumLX / sumL2;
            best = scale * sumLX;
        }
    }
    return scale;
}

// ---------------------------------------------------------------- legacy formats

void quantQ4_0(const float* x, uint8_t* dst, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, x += kQK) {
        float v[kQK];
        sanitize(x, v, kQK);
        float amax = 0, mx = 0;
        for (float f : v)
            if (std::fabs(f) > amax) {
                amax = std::fabs(f);
                mx = f;
            }
        const float d = mx / -8;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        BlockQ4_0 b{};
        b.d = floatToHalf(d);
        for (int j = 0; j < kQK / 2; ++j) {
            const int q0 = std::clamp(static_cast<int>(v[j] * id + 8.5f), 0, 15);
            const int q1 = std::clamp(static_cast<int>(v[j + 16] * id + 8.5f), 0, 15);
            b.qs[j] = static_cast<uint8_t>(q0 | (q1 << 4));
        }
        storeBlock(dst, i, b);
    }
}

void quantQ4_1(const float* x, uint8_t* dst, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, x += kQK) {
        float v[kQK];
        sanitize(x, v, kQK);
        const float mn = *std::min_element(v, v + kQK), mx = *std::max_element(v, v + kQK);
        const float d = (mx - mn) / 15;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        BlockQ4_1 b{};
        b.d = floatToHalf(d);
        b.m = floatToHalf(mn);
        for (int j = 0; j < kQK / 2; ++j) {
            const int q0 = std::clamp(static_cast<int>((v[j] - mn) * id + 0.5f), 0, 15);
            const int q1 = std::clamp(static_cast<int>((v[j + 16] - mn) * id + 0.5f), 0, 15);
            b.qs[j] = static_cast<uint8_t>(q0 | (q1 << 4));
        }
        storeBlock(dst, i, b);
    }
}

void quantQ5_0(const float* x, uint8_t* dst, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, x += kQK) {
        float v[kQK];
        sanitize(x, v, kQK);
        float amax = 0, mx = 0;
        for (float f : v)
            if (std::fabs(f) > amax) {
                amax = std::fabs(f);
                mx = f;
            }
        const float d = mx / -16;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        BlockQ5_0 b{};
        b.d = floatToHalf(d);
        uint32_t qh = 0;
        for (int j = 0; j < kQK / 2; ++j) {
            const int q0 = std::clamp(static_cast<int>(v[j] * id + 16.5f), 0, 31);
            const int q1 = std::clamp(static_cast<int>(v[j + 16] * id + 16.5f), 0, 31);
            b.qs[j] = static_cast<uint8_t>((q0 & 0xF) | ((q1 & 0xF) << 4));
            qh |= static_cast<uint32_t>((q0 & 0x10) >> 4) << j;
            qh |= static_cast<uint32_t>((q1 & 0x10) >> 4) << (j + 16);
        }
        std::memcpy(b.qh, &qh, 4);
        storeBlock(dst, i, b);
    }
}

void quantQ5_1(const float* x, uint8_t* dst, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, x += kQK) {
        float v[kQK];
        sanitize(x, v, kQK);
        const float mn = *std::min_element(v, v + kQK), mx = *std::max_element(v, v + kQK);
        const float d = (mx - mn) / 31;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        BlockQ5_1 b{};
        b.d = floatToHalf(d);
        b.m = floatToHalf(mn);
        uint32_t qh = 0;
        for (int j = 0; j < kQK / 2; ++j) {
            const int q0 = std::clamp(static_cast<int>((v[j] - mn) * id + 0.5f), 0, 31);
            const int q1 = std::clamp(static_cast<int>((v[j + 16] - mn) * id + 0.5f), 0, 31);
            b.qs[j] = static_cast<uint8_t>((q0 & 0xF) | ((q1 & 0xF) << 4));
            qh |= static_cast<uint32_t>((q0 & 0x10) >> 4) << j;
            qh |= static_cast<uint32_t>((q1 & 0x10) >> 4) << (j + 16);
        }
        std::memcpy(b.qh, &qh, 4);
        storeBlock(dst, i, b);
    }
}

void quantQ8_0(const float* x, uint8_t* dst, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, x += kQK) {
        float v[kQK];
        sanitize(x, v, kQK);
        float amax = 0;
        for (float f : v)
            amax = std::max(amax, std::fabs(f));
        const float d = amax / 127;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        BlockQ8_0 b{};
        b.d = floatToHalf(d);
        for (int j = 0; j < kQK; ++j)
            b.qs[j] = static_cast<int8_t>(std::clamp(nearestInt(v[j] * id), -127, 127));
        storeBlock(dst, i, b);
    }
}

// ---------------------------------------------------------------- K-quants

void quantQ2_K(const float* x, uint8_t* dst, size_t nb)
{
    constexpr float q4scale = 15.f;
    for (size_t i = 0; i < nb; ++i, x += kQK_K) {
        float v[kQK_K], w[16], mins[16], scales[16];
        uint8_t L[kQK_K], Laux[16];
        sanitize(x, v, kQK_K);
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 16; ++j) {
            for (int l = 0; l < 16; ++l)
                w[l] = std::fabs(v[16 * j + l]);
            scales[j] = makeQkx2(16, 3, v + 16 * j, w, L + 16 * j, &mins[j], Laux, -0.5f, 0.1f, 15, true);
            maxScale = std::max(maxScale, scales[j]);
            maxMin = std::max(maxMin, mins[j]);
        }
        BlockQ2_K b{};
        if (maxScale > 0) {
            const float iscale = q4scale / maxScale;
            for (int j = 0; j < 16; ++j)
                b.scales[j] = static_cast<uint8_t>(std::clamp(nearestInt(iscale * scales[j]), 0, 15));
            b.d = floatToHalf(maxScale / q4scale);
        }
        if (maxMin > 0) {
            const float iscale = q4scale / maxMin;
            for (int j = 0; j < 16; ++j)
                b.scales[j] |= static_cast<uint8_t>(std::clamp(nearestInt(iscale * mins[j]), 0, 15) << 4);
            b.dmin = floatToHalf(maxMin / q4scale);
        }
        for (int j = 0; j < 16; ++j) {
            const float d = halfToFloat(b.d) * static_cast<float>(b.scales[j] & 0xF);
            if (d == 0)
                continue;
            const float dm = halfToFloat(b.dmin) * static_cast<float>(b.scales[j] >> 4);
            for (int l = 0; l < 16; ++l)
                L[16 * j + l] = static_cast<uint8_t>(std::clamp(nearestInt((v[16 * j + l] + dm) / d), 0, 3));
        }
        for (int j = 0; j < kQK_K; j += 128)
            for (int l = 0; l < 32; ++l)
                b.qs[j / 4 + l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) |
                                                       (L[j + l + 96] << 6));
        storeBlock(dst, i, b);
    }
}

void quantQ3_K(const float* x, uint8_t* dst, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, x += kQK_K) {
        float v[kQK_K], scales[16];
        int8_t L[kQK_K];
        sanitize(x, v, kQK_K);
        float maxScale = 0, amax = 0;
        for (int j = 0; j < 16; ++j) {
            scales[j] = makeQ3(16, 4, v + 16 * j, L + 16 * j);
            if (std::fabs(scales[j]) > amax) {
                amax = std::fabs(scales[j]);
                maxScale = scales[j];
            }
        }
        BlockQ3_K b{};
        if (maxScale != 0) {
            const float iscale = -32.f / maxScale;
            for (int j = 0; j < 16; ++j) {
                int l = std::clamp(nearestInt(iscale * scales[j]), -32, 31) + 32;
                if (j < 8)
                    b.scales[j] = static_cast<uint8_t>(l & 0xF);
                else
                    b.scales[j - 8] |= static_cast<uint8_t>((l & 0xF) << 4);
                l >>= 4;
                b.scales[j % 4 + 8] |= static_cast<uint8_t>(l << (2 * (j / 4)));
            }
            b.d = floatToHalf(1 / iscale);
        }
        for (int j = 0; j < 16; ++j) {
            int sc = j < 8 ? b.scales[j] & 0xF : b.scales[j - 8] >> 4;
            sc = (sc | (((b.scales[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32;
            const float d = halfToFloat(b.d) * static_cast<float>(sc);
            if (d == 0)
                continue;
            for (int l = 0; l < 16; ++l)
                L[16 * j + l] = static_cast<int8_t>(std::clamp(nearestInt(v[16 * j + l] / d), -4, 3) + 4);
        }
        int m = 0;
        uint8_t hm = 1;
        for (int j = 0; j < kQK_K; ++j) {
            if (L[j] > 3) {
                b.hmask[m] |= hm;
                L[j] = static_cast<int8_t>(L[j] - 4);
            }
            if (++m == 32) {
                m = 0;
                hm = static_cast<uint8_t>(hm << 1);
            }
        }
        for (int j = 0; j < kQK_K; j += 128)
            for (int l = 0; l < 32; ++l)
                b.qs[j / 4 + l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) |
                                                       (L[j + l + 96] << 6));
        storeBlock(dst, i, b);
    }
}

// Shared by Q4_K and Q5_K: 8 sub-blocks of 32, 6-bit scales and mins; fills the
// 12 packed scale bytes, d, dmin and L[256] in [0, nmax].
void quantK4Scales(const float* v, int nmax, float rmin, int nstep, uint8_t scalesOut[12], uint16_t& dOut,
                   uint16_t& dminOut, uint8_t* L)
{
    float w[32], mins[8], scales[8];
    uint8_t Laux[32];
    float maxScale = 0, maxMin = 0;
    for (int j = 0; j < 8; ++j) {
        float sumX2 = 0;
        for (int l = 0; l < 32; ++l)
            sumX2 += v[32 * j + l] * v[32 * j + l];
        const float avX = std::sqrt(sumX2 / 32);
        for (int l = 0; l < 32; ++l)
            w[l] = avX + std::fabs(v[32 * j + l]);
        scales[j] = makeQkx2(32, nmax, v + 32 * j, w, L + 32 * j, &mins[j], Laux, rmin, 0.1f, nstep, false);
        maxScale = std::max(maxScale, scales[j]);
        maxMin = std::max(maxMin, mins[j]);
    }
    const float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
    const float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
    std::memset(scalesOut, 0, 12);
    for (int j = 0; j < 8; ++j) {
        const int ls = std::clamp(nearestInt(invScale * scales[j]), 0, 63);
        const int lm = std::clamp(nearestInt(invMin * mins[j]), 0, 63);
        if (j < 4) {
            scalesOut[j] = static_cast<uint8_t>(ls);
            scalesOut[j + 4] = static_cast<uint8_t>(lm);
        } else {
            scalesOut[j + 4] = static_cast<uint8_t>((ls & 0xF) | ((lm & 0xF) << 4));
            scalesOut[j - 4] |= static_cast<uint8_t>((ls >> 4) << 6);
            scalesOut[j] |= static_cast<uint8_t>((lm >> 4) << 6);
        }
    }
    dOut = floatToHalf(maxScale / 63.f);
    dminOut = floatToHalf(maxMin / 63.f);
    for (int j = 0; j < 8; ++j) {
        uint8_t sc, m;
        scaleMinK4(j, scalesOut, sc, m);
        const float d = halfToFloat(dOut) * static_cast<float>(sc);
        if (d == 0)
            continue;
        const float dm = halfToFloat(dminOut) * static_cast<float>(m);
        for (int l = 0; l < 32; ++l)
            L[32 * j + l] = static_cast<uint8_t>(std::clamp(nearestInt((v[32 * j + l] + dm) / d), 0, nmax));
    }
}

void quantQ4_K(const float* x, uint8_t* dst, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, x += kQK_K) {
        float v[kQK_K];
        uint8_t L[kQK_K] = {};
        sanitize(x, v, kQK_K);
        BlockQ4_K b{};
        quantK4Scales(v, 15, -1.f, 20, b.scales, b.d, b.dmin, L);
        uint8_t* q = b.qs;
        for (int j = 0; j < kQK_K; j += 64, q += 32)
            for (int l = 0; l < 32; ++l)
                q[l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 4));
        storeBlock(dst, i, b);
    }
}

void quantQ5_K(const float* x, uint8_t* dst, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, x += kQK_K) {
        float v[kQK_K];
        uint8_t L[kQK_K] = {};
        sanitize(x, v, kQK_K);
        BlockQ5_K b{};
        quantK4Scales(v, 31, -0.5f, 15, b.scales, b.d, b.dmin, L);
        uint8_t* ql = b.qs;
        uint8_t m1 = 1, m2 = 2;
        for (int n = 0; n < kQK_K; n += 64, ql += 32) {
            for (int j = 0; j < 32; ++j) {
                int l1 = L[n + j], l2 = L[n + j + 32];
                if (l1 > 15) {
                    l1 -= 16;
                    b.qh[j] |= m1;
                }
                if (l2 > 15) {
                    l2 -= 16;
                    b.qh[j] |= m2;
                }
                ql[j] = static_cast<uint8_t>(l1 | (l2 << 4));
            }
            m1 = static_cast<uint8_t>(m1 << 2);
            m2 = static_cast<uint8_t>(m2 << 2);
        }
        storeBlock(dst, i, b);
    }
}

void quantQ6_K(const float* x, uint8_t* dst, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, x += kQK_K) {
        float v[kQK_K], scales[16];
        int8_t L[kQK_K];
        sanitize(x, v, kQK_K);
        float maxScale = 0, amax = 0;
        for (int j = 0; j < 16; ++j) {
            scales[j] = makeQx(16, 32, v + 16 * j, L + 16 * j);
            if (std::fabs(scales[j]) > amax) {
                amax = std::fabs(scales[j]);
                maxScale = scales[j];
            }
        }
        BlockQ6_K b{};
        if (amax >= kGroupMaxEps) {
            const float iscale = -128.f / maxScale;
            b.d = floatToHalf(1 / iscale);
            for (int j = 0; j < 16; ++j)
                b.scales[j] = static_cast<int8_t>(std::clamp(nearestInt(iscale * scales[j]), -128, 127));
            for (int j = 0; j < 16; ++j) {
                const float d = halfToFloat(b.d) * static_cast<float>(b.scales[j]);
                if (d == 0)
                    continue;
                for (int l = 0; l < 16; ++l)
                    L[16 * j + l] = static_cast<int8_t>(std::clamp(nearestInt(v[16 * j + l] / d), -32, 31) + 32);
            }
        } else {
            std::memset(L, 32, sizeof L);   // all zero (bias 32), d = 0
        }
        uint8_t* ql = b.ql;
        uint8_t* qh = b.qh;
        for (int j = 0; j < kQK_K; j += 128, ql += 64, qh += 32) {
            for (int l = 0; l < 32; ++l) {
                const int q1 = L[j + l] & 0xF, q2 = L[j + l + 32] & 0xF;
                const int q3 = L[j + l + 64] & 0xF, q4 = L[j + l + 96] & 0xF;
                ql[l] = static_cast<uint8_t>(q1 | (q3 << 4));
                ql[l + 32] = static_cast<uint8_t>(q2 | (q4 << 4));
                qh[l] = static_cast<uint8_t>((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) |
                                             ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6));
            }
        }
        storeBlock(dst, i, b);
    }
}

}  // namespace

bool canQuantize(GgmlType type)
{
    switch (type) {
    case GgmlType::F32: case GgmlType::F16: case GgmlType::BF16: case GgmlType::Q8_0:
    case GgmlType::Q4_0: case GgmlType::Q4_1: case GgmlType::Q5_0: case GgmlType::Q5_1:
    case GgmlType::Q2_K: case GgmlType::Q3_K: case GgmlType::Q4_K: case GgmlType::Q5_K: case GgmlType::Q6_K:
        return true;
    default:
        return false;
    }
}

size_t quantizedSize(GgmlType type, size_t n)
{
    const auto t = ggmlTypeTraits(type);
    assert(t && n % t->blockSize == 0);
    return n / t->blockSize * t->blockBytes;
}

void quantizeInto(GgmlType type, const float* src, size_t n, uint8_t* dst)
{
    const auto t = ggmlTypeTraits(type);
    assert(t && canQuantize(type) && n % t->blockSize == 0);
    const size_t nb = n / t->blockSize;
    switch (type) {
    case GgmlType::F32:
        for (size_t i = 0; i < n; ++i) {
            const float f = std::isfinite(src[i]) ? src[i] : 0.f;
            std::memcpy(dst + 4 * i, &f, 4);
        }
        break;
    case GgmlType::F16:
        for (size_t i = 0; i < n; ++i) {
            const uint16_t h = floatToHalf(std::isfinite(src[i]) ? src[i] : 0.f);
            std::memcpy(dst + 2 * i, &h, 2);
        }
        break;
    case GgmlType::BF16:
        for (size_t i = 0; i < n; ++i) {
            const uint16_t h = floatToBf16(std::isfinite(src[i]) ? src[i] : 0.f);
            std::memcpy(dst + 2 * i, &h, 2);
        }
        break;
    case GgmlType::Q4_0: quantQ4_0(src, dst, nb); break;
    case GgmlType::Q4_1: quantQ4_1(src, dst, nb); break;
    case GgmlType::Q5_0: quantQ5_0(src, dst, nb); break;
    case GgmlType::Q5_1: quantQ5_1(src, dst, nb); break;
    case GgmlType::Q8_0: quantQ8_0(src, dst, nb); break;
    case GgmlType::Q2_K: quantQ2_K(src, dst, nb); break;
    case GgmlType::Q3_K: quantQ3_K(src, dst, nb); break;
    case GgmlType::Q4_K: quantQ4_K(src, dst, nb); break;
    case GgmlType::Q5_K: quantQ5_K(src, dst, nb); break;
    case GgmlType::Q6_K: quantQ6_K(src, dst, nb); break;
    default: break;
    }
}

std::vector<uint8_t> quantize(GgmlType type, const float* src, size_t n)
{
    std::vector<uint8_t> out(quantizedSize(type, n));
    quantizeInto(type, src, n, out.data());
    return out;
}

}  // namespace tiefsee::quant
