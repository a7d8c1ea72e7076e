// mkmodel: writes a complete, loadable GGUF model with seeded random weights in any
// qwen2 / llama / qwen3 shape and any supported file type, with a working tokenizer
// section (synthesized, or copied from a vocab GGUF). Tensor names, shapes, metadata
// keys and quant mixes follow llama.cpp's files, so the result exercises the same
// code paths as a downloaded model. Weight statistics follow testdata/README.md
// (linear N(0, 1/fan_in), norms 1 + N(0, 0.1^2), ...), which keeps logits sane
// (std ~5).
#pragma once

#include "core/result.h"
#include "mkmodel/model_spec.h"

#include <cstdint>
#include <functional>
#include <string>

namespace tiefsee::mkmodel {

struct MkModelOptions {
    ModelSpec spec;
    std::string fileType = "Q4_K_M";  // see fileTypeNames()
    uint64_t seed = 1;
    std::string outPath;
    std::string vocabFrom;            // a GGUF whose tokenizer.* keys are copied ("" = synthesize)
    unsigned threads = 0;             // 0 = all hardware threads
};

struct MkModelReport {
    uint64_t bytes = 0;     // file size
    uint64_t nParams = 0;   // elements over all tensors
    size_t nTensors = 0;
    uint32_t nVocab = 0;
};

// Writes the model to options.outPath (via "<out>.part", renamed when complete, so no
// half-written file is left at the target). `progress` gets one line per tensor.
Result<MkModelReport> makeModel(const MkModelOptions& options,
                                const std::function<void(const std::string&)>& progress = {});

}  // namespace tiefsee::mkmodel
