// IEEE half (fp16) and bfloat16 <-> float32 conversions, bit-exact with ggml:
// float -> half/bf16 rounds to nearest, ties to even (what F16C's _cvtss_sh and
// ggml's scalar fallback do); half/bf16 -> float is exact. NaN stays NaN.
#pragma once

#include <bit>
#include <cstdint>

namespace tiefsee::quant {

// fp16 bits -> float (exact; subnormals, infinities and NaNs preserved).
inline float halfToFloat(uint16_t h)
{
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
    const uint32_t exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ff;
    uint32_t bits;
    if (exp == 0x1f) {                 // inf / NaN
        bits = sign | 0x7f800000 | (mant << 13);
    } else if (exp != 0) {             // normal: rebias 15 -> 127
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) {            // +-0
        bits = sign;
    } else {                           // subnormal: normalise the mantissa
        uint32_t e = 113;              // exponent of 2^-14 in float bias, minus the shifts below
        while ((mant & 0x400) == 0) {
            mant <<= 1;
            --e;
        }
        bits = sign | (e << 23) | ((mant & 0x3ff) << 13);
    }
    return std::bit_cast<float>(bits);
}

// float -> fp16 bits, round to nearest even; overflow gives +-inf.
inline uint16_t floatToHalf(float f)
{
    const uint32_t x = std::bit_cast<uint32_t>(f);
    const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
    const uint32_t a = x & 0x7fffffff;
    if (a > 0x7f800000)                       // NaN: keep it quiet and non-zero
        return sign | 0x7e00 | static_cast<uint16_t>((a >> 13) & 0x3ff);
    if (a >= 0x47800000)                      // >= 65536 (and inf): inf
        return sign | 0x7c00;
    if (a < 0x38800000) {                     // below the smallest normal half (2^-14)
        if (a < 0x33000000)                   // <= 2^-25 rounds to zero (2^-25 is a tie, even = 0)
            return sign;
        const uint32_t e = a >> 23;           // 102..112
        const uint32_t mant = (a & 0x7fffff) | 0x800000;
        const uint32_t shift = 126 - e;       // value * 2^24 = mant >> shift
        uint32_t r = mant >> shift;
        const uint32_t rem = mant & ((1u << shift) - 1);
        const uint32_t halfway = 1u << (shift - 1);
        if (rem > halfway || (rem == halfway && (r & 1)))
            ++r;                              // may carry into the smallest normal: still right
        return sign | static_cast<uint16_t>(r);
    }
    uint32_t h = (a - 0x38000000) >> 13;      // rebias 127 -> 15, drop 13 mantissa bits
    const uint32_t rem = a & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (h & 1)))
        ++h;                                  // a carry into the exponent (up to inf) is correct
    return sign | static_cast<uint16_t>(h);
}

// bf16 bits -> float (exact: bf16 is the top half of a float).
inline float bf16ToFloat(uint16_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b) << 16); }

// float -> bf16 bits, round to nearest even; NaN is forced quiet (ggml_compute_fp32_to_bf16).
inline uint16_t floatToBf16(float f)
{
    const uint32_t x = std::bit_cast<uint32_t>(f);
    if ((x & 0x7fffffff) > 0x7f800000)
        return static_cast<uint16_t>((x >> 16) | 64);
    return static_cast<uint16_t>((x + (0x7fff + ((x >> 16) & 1))) >> 16);
}

}  // namespace tiefsee::quant
