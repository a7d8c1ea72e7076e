// A synthetic but working byte-level BPE ("gpt2") tokenizer for generated models:
// the 256 GPT-2 byte symbols, merges that build 2- and 3-symbol tokens (so BPE has
// real work to do), and the R1 / ChatML special tokens with their token types, ids
// and chat template. Sized to exactly nVocab tokens.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tiefsee::mkmodel {

// GGUF tokenizer.ggml.token_type values.
enum TokenType : int32_t { kTokenNormal = 1, kTokenControl = 3, kTokenUserDefined = 4 };

struct SynthVocab {
    std::string pre;                   // tokenizer.ggml.pre
    std::vector<std::string> tokens;   // exactly nVocab entries
    std::vector<int32_t> types;        // TokenType per token
    std::vector<std::string> merges;   // "left right" in GPT-2 symbol space, rank order
    uint32_t bos = 0, eos = 0, pad = 0;
    bool addBos = true;
    std::string chatTemplate;          // tokenizer.chat_template (Jinja)
};

// arch "qwen2": R1 Qwen specials, pre "deepseek-r1-qwen"; "llama": R1 Llama specials,
// pre "llama-bpe"; "qwen3": ChatML specials, pre "qwen2", add_bos false.
SynthVocab synthesizeVocab(const std::string& arch, uint32_t nVocab);

// The 256 GPT-2 byte-to-unicode symbols (UTF-8), in vocabulary order: printable
// bytes first ('!'..'~', '¡'..'¬', '®'..'ÿ'), then the rest mapped to U+0100...
std::vector<std::string> gpt2ByteSymbols();

}  // namespace tiefsee::mkmodel
