// Tensor element types as numbered by ggml/GGUF (ggml.h `enum ggml_type`), with
// their block geometry. Only geometry lives here; dequantization is in dequant.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tiefsee {

enum class GgmlType : uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21,
    IQ2_S = 22, IQ4_XS = 23, I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28,
    IQ1_M = 29, BF16 = 30, TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39,
};

// Geometry of one type: a row of n elements takes n / blockSize * blockBytes bytes.
struct GgmlTypeTraits {
    GgmlType type;
    std::string_view name;   // as ggml prints it: "Q4_K", "BF16", ...
    uint32_t blockSize;      // elements per block (1 for plain floats/ints)
    uint32_t blockBytes;     // bytes per block
    bool dequantizable;      // Tiefsee has a CPU dequantizer (and shaders) for it
};

// Traits for a raw type id from a file; nullopt for ids ggml never defined.
std::optional<GgmlTypeTraits> ggmlTypeTraits(uint32_t id);
inline std::optional<GgmlTypeTraits> ggmlTypeTraits(GgmlType t) { return ggmlTypeTraits(static_cast<uint32_t>(t)); }

// "Q4_K" for a known id, "type 77" otherwise.
std::string ggmlTypeName(uint32_t id);
inline std::string ggmlTypeName(GgmlType t) { return ggmlTypeName(static_cast<uint32_t>(t)); }

// Parses a type name ("q4_k", "F16", case-insensitive); nullopt if unknown.
std::optional<GgmlType> ggmlTypeFromName(std::string_view name);

}  // namespace tiefsee
