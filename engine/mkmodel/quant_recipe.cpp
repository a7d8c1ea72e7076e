#include "mkmodel/quant_recipe.h"

#include <cctype>

namespace tiefsee::mkmodel {
namespace {

constexpr FileType kFileTypes[] = {
    {"F32", 0, GgmlType::F32},     {"F16", 1, GgmlType::F16},       {"BF16", 32, GgmlType::BF16},
    {"Q8_0", 7, GgmlType::Q8_0},   {"Q4_0", 2, GgmlType::Q4_0},     {"Q4_1", 3, GgmlType::Q4_1},
    {"Q5_0", 8, GgmlType::Q5_0},   {"Q5_1", 9, GgmlType::Q5_1},     {"Q2_K", 10, GgmlType::Q2_K},
    {"Q3_K_M", 12, GgmlType::Q3_K}, {"Q4_K_M", 15, GgmlType::Q4_K}, {"Q5_K_M", 17, GgmlType::Q5_K},
    {"Q6_K", 18, GgmlType::Q6_K},
};

// llama.cpp's use_more_bits: the first and last eighth of the layers, and every
// third layer in between.
bool useMoreBits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }

bool isKQuant(GgmlType t)
{
    return t == GgmlType::Q2_K || t == GgmlType::Q3_K || t == GgmlType::Q4_K || t == GgmlType::Q5_K || t == GgmlType::Q6_K;
}

bool isFloat(GgmlType t) { return t == GgmlType::F32 || t == GgmlType::F16 || t == GgmlType::BF16; }

}  // namespace

std::optional<FileType> parseFileType(std::string_view name)
{
    for (const FileType& f : kFileTypes) {
        if (f.name.size() != name.size())
            continue;
        bool same = true;
        for (size_t i = 0; i < name.size() && same; ++i)
            same = std::toupper(static_cast<unsigned char>(name[i])) == f.name[i];
        if (same)
            return f;
    }
    return std::nullopt;
}

std::vector<std::string_view> fileTypeNames()
{
    std::vector<std::string_view> out;
    for (const FileType& f : kFileTypes)
        out.push_back(f.name);
    return out;
}

GgmlType tensorType(const FileType& ft, const TensorRole& r)
{
    if (r.nDims < 2)
        return GgmlType::F32;
    GgmlType t = ft.base;
    if (isFloat(t))
        return t;
    const std::string_view name = ft.name;
    const bool isOutput = r.kind == "output" || (r.kind == "token_embd" && r.tiedOutput);
    if (isOutput) {
        if (t != GgmlType::Q8_0)
            t = GgmlType::Q6_K;
    } else if (r.kind == "attn_v") {
        if (name == "Q2_K")
            t = r.nGqa >= 4 ? GgmlType::Q4_K : GgmlType::Q3_K;
        else if (name == "Q3_K_M")
            t = r.layer < 2 ? GgmlType::Q5_K : GgmlType::Q4_K;
        else if ((name == "Q4_K_M" || name == "Q5_K_M") && useMoreBits(r.layer, r.nLayer))
            t = GgmlType::Q6_K;
        if (r.is70B && (t == GgmlType::Q3_K || t == GgmlType::Q4_K))
            t = GgmlType::Q5_K;
    } else if (r.kind == "ffn_down") {
        if (name == "Q2_K")
            t = GgmlType::Q3_K;
        else if (name == "Q3_K_M")
            t = r.layer < r.nLayer / 16 ? GgmlType::Q5_K : GgmlType::Q4_K;
        else if ((name == "Q4_K_M" || name == "Q5_K_M") && useMoreBits(r.layer, r.nLayer))
            t = GgmlType::Q6_K;
    } else if (r.kind == "attn_output") {
        if (name == "Q2_K")
            t = GgmlType::Q3_K;
        else if (name == "Q3_K_M")
            t = GgmlType::Q4_K;
    }
    // Rows that are not whole K-quant super-blocks fall back like llama.cpp does
    // (it uses IQ4_NL for the 2/3-bit types; Tiefsee has no IQ formats, so Q4_0).
    if (isKQuant(t) && r.rowLength % 256 != 0) {
        switch (t) {
        case GgmlType::Q2_K: case GgmlType::Q3_K: t = GgmlType::Q4_0; break;
        case GgmlType::Q4_K: t = GgmlType::Q5_0; break;
        case GgmlType::Q5_K: t = GgmlType::Q5_1; break;
        default: t = GgmlType::Q8_0; break;
        }
    }
    return t;
}

}  // namespace tiefsee::mkmodel
