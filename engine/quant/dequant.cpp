// Dequantizers, one per format, following ggml-quants.c's dequantize_row_* exactly
// (the float expression order matters for bit-exactness: keep it).
#include "quant/dequant.h"

#include "quant/blocks.h"
#include "quant/half.h"

#include <cstring>

namespace tiefsee::quant {
namespace {

// Copies block i out of the packed (possibly unaligned) byte stream.
template <typename B>
B loadBlock(const uint8_t* src, size_t i)
{
    B b;
    std::memcpy(&b, src + i * sizeof(B), sizeof(B));
    return b;
}

void dequantF32(const uint8_t* s, float* y, size_t n) { std::memcpy(y, s, n * sizeof(float)); }

void dequantF16(const uint8_t* s, float* y, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, s + 2 * i, 2);
        y[i] = halfToFloat(h);
    }
}

void dequantBF16(const uint8_t* s, float* y, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, s + 2 * i, 2);
        y[i] = bf16ToFloat(h);
    }
}

void dequantQ4_0(const uint8_t* s, float* y, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, y += kQK) {
        const auto b = loadBlock<BlockQ4_0>(s, i);
        const float d = halfToFloat(b.d);
        for (int j = 0; j < kQK / 2; ++j) {
            y[j] = static_cast<float>((b.qs[j] & 0x0F) - 8) * d;
            y[j + kQK / 2] = static_cast<float>((b.qs[j] >> 4) - 8) * d;
        }
    }
}

void dequantQ4_1(const uint8_t* s, float* y, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, y += kQK) {
        const auto b = loadBlock<BlockQ4_1>(s, i);
        const float d = halfToFloat(b.d), m = halfToFloat(b.m);
        for (int j = 0; j < kQK / 2; ++j) {
            y[j] = static_cast<float>(b.qs[j] & 0x0F) * d + m;
            y[j + kQK / 2] = static_cast<float>(b.qs[j] >> 4) * d + m;
        }
    }
}

void dequantQ5_0(const uint8_t* s, float* y, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, y += kQK) {
        const auto b = loadBlock<BlockQ5_0>(s, i);
        const float d = halfToFloat(b.d);
        uint32_t qh;
        std::memcpy(&qh, b.qh, 4);
        for (int j = 0; j < kQK / 2; ++j) {
            const uint8_t h0 = static_cast<uint8_t>(((qh >> j) << 4) & 0x10);
            const uint8_t h1 = static_cast<uint8_t>((qh >> (j + 12)) & 0x10);
            y[j] = static_cast<float>(((b.qs[j] & 0x0F) | h0) - 16) * d;
            y[j + kQK / 2] = static_cast<float>(((b.qs[j] >> 4) | h1) - 16) * d;
        }
    }
}

void dequantQ5_1(const uint8_t* s, float* y, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, y += kQK) {
        const auto b = loadBlock<BlockQ5_1>(s, i);
        const float d = halfToFloat(b.d), m = halfToFloat(b.m);
        uint32_t qh;
        std::memcpy(&qh, b.qh, 4);
        for (int j = 0; j < kQK / 2; ++j) {
            const uint8_t h0 = static_cast<uint8_t>(((qh >> j) << 4) & 0x10);
            const uint8_t h1 = static_cast<uint8_t>((qh >> (j + 12)) & 0x10);
            y[j] = static_cast<float>((b.qs[j] & 0x0F) | h0) * d + m;
            y[j + kQK / 2] = static_cast<float>((b.qs[j] >> 4) | h1) * d + m;
        }
    }
}

void dequantQ8_0(const uint8_t* s, float* y, size_t nb)
{
    for (size_t i = 0; i < nb; ++i, y += kQK) {
        const auto b = loadBlock<BlockQ8_0>(s, i);
        const float d = halfToFloat(b.d);
        for (int j = 0; j < kQK; ++j)
            y[j] = static_cast<float>(b.qs[j]) * d;
    }
}

void dequantQ2_K(const uint8_t* s, float* y, size_t nb)
{
    for (size_t i = 0; i < nb; ++i) {
        const auto b = loadBlock<BlockQ2_K>(s, i);
        const float d = halfToFloat(b.d), dmin = halfToFloat(b.dmin);
        const uint8_t* q = b.qs;
        int is = 0;
        for (int n = 0; n < kQK_K; n += 128) {
            int shift = 0;
            for (int j = 0; j < 4; ++j) {
                for (int half = 0; half < 2; ++half) {   // two sub-blocks of 16 per shift
                    const uint8_t sc = b.scales[is++];
                    const float dl = d * static_cast<float>(sc & 0xF);
                    const float ml = dmin * static_cast<float>(sc >> 4);
                    for (int l = 0; l < 16; ++l)
                        *y++ = dl * static_cast<float>((q[l + 16 * half] >> shift) & 3) - ml;
                }
                shift += 2;
            }
            q += 32;
        }
    }
}

void dequantQ3_K(const uint8_t* s, float* y, size_t nb)
{
    for (size_t i = 0; i < nb; ++i) {
        const auto b = loadBlock<BlockQ3_K>(s, i);
        const float dAll = halfToFloat(b.d);
        uint8_t scales[16];
        unpackScalesQ3K(b.scales, scales);

        const uint8_t* q = b.qs;
        uint8_t m = 1;
        int is = 0;
        for (int n = 0; n < kQK_K; n += 128) {
            int shift = 0;
            for (int j = 0; j < 4; ++j) {
                for (int half = 0; half < 2; ++half) {
                    const float dl = dAll * static_cast<float>(scales[is++] - 32);
                    for (int l = 0; l < 16; ++l) {
                        const int k = l + 16 * half;
                        const int v = ((q[k] >> shift) & 3) - ((b.hmask[k] & m) ? 0 : 4);
                        *y++ = dl * static_cast<float>(v);
                    }
                }
                shift += 2;
                m = static_cast<uint8_t>(m << 1);
            }
            q += 32;
        }
    }
}

void dequantQ4_K(const uint8_t* s, float* y, size_t nb)
{
    for (size_t i = 0; i < nb; ++i) {
        const auto b = loadBlock<BlockQ4_K>(s, i);
        const float d = halfToFloat(b.d), dmin = halfToFloat(b.dmin);
        const uint8_t* q = b.qs;
        int is = 0;
        for (int j = 0; j < kQK_K; j += 64) {
            uint8_t sc, m;
            scaleMinK4(is + 0, b.scales, sc, m);
            const float d1 = d * sc, m1 = dmin * m;
            scaleMinK4(is + 1, b.scales, sc, m);
            const float d2 = d * sc, m2 = dmin * m;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * static_cast<float>(q[l] & 0xF) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * static_cast<float>(q[l] >> 4) - m2;
            q += 32;
            is += 2;
        }
    }
}

void dequantQ5_K(const uint8_t* s, float* y, size_t nb)
{
    for (size_t i = 0; i < nb; ++i) {
        const auto b = loadBlock<BlockQ5_K>(s, i);
        const float d = halfToFloat(b.d), dmin = halfToFloat(b.dmin);
        const uint8_t* ql = b.qs;
        int is = 0;
        uint8_t u1 = 1, u2 = 2;
        for (int j = 0; j < kQK_K; j += 64) {
            uint8_t sc, m;
            scaleMinK4(is + 0, b.scales, sc, m);
            const float d1 = d * sc, m1 = dmin * m;
            scaleMinK4(is + 1, b.scales, sc, m);
            const float d2 = d * sc, m2 = dmin * m;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * static_cast<float>((ql[l] & 0xF) + ((b.qh[l] & u1) ? 16 : 0)) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * static_cast<float>((ql[l] >> 4) + ((b.qh[l] & u2) ? 16 : 0)) - m2;
            ql += 32;
            is += 2;
            u1 = static_cast<uint8_t>(u1 << 2);
            u2 = static_cast<uint8_t>(u2 << 2);
        }
    }
}

void dequantQ6_K(const uint8_t* s, float* y, size_t nb)
{
    for (size_t i = 0; i < nb; ++i) {
        const auto b = loadBlock<BlockQ6_K>(s, i);
        const float d = halfToFloat(b.d);
        const uint8_t* ql = b.ql;
        const uint8_t* qh = b.qh;
        const int8_t* sc = b.scales;
        for (int n = 0; n < kQK_K; n += 128) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l + 0] = d * static_cast<float>(sc[is + 0]) * static_cast<float>(q1);
                y[l + 32] = d * static_cast<float>(sc[is + 2]) * static_cast<float>(q2);
                y[l + 64] = d * static_cast<float>(sc[is + 4]) * static_cast<float>(q3);
                y[l + 96] = d * static_cast<float>(sc[is + 6]) * static_cast<float>(q4);
            }
            y += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}

}  // namespace

bool canDequantize(GgmlType type)
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

Result<void> dequantize(GgmlType type, const void* src, float* dst, size_t n)
{
    const auto traits = ggmlTypeTraits(type);
    if (!traits || !canDequantize(type))
        return makeError(ErrorKind::Unsupported,
                         "tensor type " + ggmlTypeName(type) + " (id " + std::to_string(static_cast<uint32_t>(type)) +
                             ") cannot be dequantized: Tiefsee supports F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, "
                             "Q2_K, Q3_K, Q4_K, Q5_K and Q6_K");
    if (n % traits->blockSize != 0)
        return makeError(ErrorKind::InvalidInput, std::to_string(n) + " elements is not a multiple of the " +
                                                      std::string(traits->name) + " block size " +
                                                      std::to_string(traits->blockSize));
    const auto* s = static_cast<const uint8_t*>(src);
    const size_t nb = n / traits->blockSize;
    switch (type) {
    case GgmlType::F32: dequantF32(s, dst, n); break;
    case GgmlType::F16: dequantF16(s, dst, n); break;
    case GgmlType::BF16: dequantBF16(s, dst, n); break;
    case GgmlType::Q4_0: dequantQ4_0(s, dst, nb); break;
    case GgmlType::Q4_1: dequantQ4_1(s, dst, nb); break;
    case GgmlType::Q5_0: dequantQ5_0(s, dst, nb); break;
    case GgmlType::Q5_1: dequantQ5_1(s, dst, nb); break;
    case GgmlType::Q8_0: dequantQ8_0(s, dst, nb); break;
    case GgmlType::Q2_K: dequantQ2_K(s, dst, nb); break;
    case GgmlType::Q3_K: dequantQ3_K(s, dst, nb); break;
    case GgmlType::Q4_K: dequantQ4_K(s, dst, nb); break;
    case GgmlType::Q5_K: dequantQ5_K(s, dst, nb); break;
    case GgmlType::Q6_K: dequantQ6_K(s, dst, nb); break;
    default: break;
    }
    return {};
}

}  // namespace tiefsee::quant
