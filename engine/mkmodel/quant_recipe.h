// Which ggml type each tensor gets for a llama.cpp file type ("Q4_K_M", ...),
// following llama.cpp's llama_tensor_get_type() for these architectures: output
// (or tied token_embd) in Q6_K, more bits for attn_v / ffn_down on some layers in
// the _M mixes, 1-D tensors in F32.
#pragma once

#include "quant/ggml_type.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::mkmodel {

struct FileType {
    std::string_view name;  // "Q4_K_M"
    int32_t id;             // llama_ftype, written as general.file_type
    GgmlType base;          // the type most matrices get
};

// Parses F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K_M, Q4_K_M, Q5_K_M, Q6_K
// (case-insensitive); nullopt otherwise.
std::optional<FileType> parseFileType(std::string_view name);
std::vector<std::string_view> fileTypeNames();

// Where a tensor sits, for the recipe.
struct TensorRole {
    std::string_view kind;  // "token_embd", "output", "attn_q", "attn_v", "ffn_down", ... ("norm"/"bias" for 1-D)
    int layer = -1;         // block index, -1 outside blocks
    int nLayer = 1;
    uint32_t nGqa = 1;      // n_head / n_head_kv
    bool tiedOutput = false;
    bool is70B = false;     // llama.cpp gives attn_v more bits on 70B models
    uint32_t nDims = 2;
    uint64_t rowLength = 0; // ne[0]
};

GgmlType tensorType(const FileType& ft, const TensorRole& role);

}  // namespace tiefsee::mkmodel
