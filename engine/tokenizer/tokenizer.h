// Tokenizer: text <-> token ids, built from a GGUF file's `tokenizer.ggml.*` metadata.
//
// Two models, chosen by `tokenizer.ggml.model`:
//   "gpt2"  byte-level BPE (R1-Distill-Qwen, R1-Distill-Llama, Qwen3); the pre-tokenizer
//           (the regex that cuts text into words before merging) is picked by
//           `tokenizer.ggml.pre`: "qwen2"/"deepseek-r1-qwen" or "llama-bpe"/"llama3".
//   "llama" SentencePiece (Llama-2 style, e.g. stories260K): score-based merging with
//           <0xXX> byte fallback and the leading-space rule.
// The ids match llama.cpp's llama_tokenize / llama_detokenize exactly (tested against
// ../shared/testdata/vocab/*.jsonl). The Tokenizer is immutable after fromGguf() and
// owns copies of everything it needs (the GgufFile may be closed); all const methods
// are safe to call from several threads at once.
#pragma once

#include "core/result.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee {

namespace gguf {
class GgufFile;
}

// GGUF `tokenizer.ggml.token_type` values.
enum class TokenType : uint8_t {
    Undefined = 0,
    Normal = 1,
    Unknown = 2,
    Control = 3,      // <｜User｜>, BOS/EOS...: matched in text only with parseSpecial
    UserDefined = 4,  // <think>, </think>: always matched in text
    Unused = 5,       // [PAD...] fillers: decode to nothing
    Byte = 6,         // SentencePiece <0xXX>
};

namespace tokenizer_detail {
struct Vocab;  // defined in tokenizer/vocab.h
}

class Tokenizer {
public:
    // Reads the tokenizer from `file`. Malformed or unsupported metadata (missing arrays,
    // wrong element types, ids out of range, merges naming unknown tokens) is an Error.
    static Result<std::unique_ptr<Tokenizer>> fromGguf(const gguf::GgufFile& file);
    ~Tokenizer();
    Tokenizer(const Tokenizer&) = delete;
    Tokenizer& operator=(const Tokenizer&) = delete;

    // Text (any bytes; invalid UTF-8 becomes U+FFFD like llama.cpp) -> ids.
    // addSpecial: add BOS (and EOS) per tokenizer.ggml.add_bos_token / add_eos_token
    // (llama.cpp's add_special). parseSpecial: match CONTROL tokens written in the text;
    // USER_DEFINED tokens are matched either way.
    std::vector<int32_t> encode(std::string_view text, bool addSpecial, bool parseSpecial) const;
    // Whole-sequence detokenize (llama_detokenize with remove_special=false,
    // unparse_special=showSpecial): SentencePiece drops the first token's leading space,
    // llama-bpe applies clean_up_tokenization_spaces. Out-of-range ids produce nothing.
    std::string decode(std::span<const int32_t> ids, bool showSpecial = true) const;

    std::string_view tokenText(int32_t id) const;                // raw vocab string ("" if out of range)
    std::string tokenPiece(int32_t id, bool showSpecial) const;  // the bytes this token produces
    int32_t vocabSize() const;
    TokenType tokenType(int32_t id) const;  // Undefined if out of range
    int32_t bos() const;  // -1 if none
    int32_t eos() const;  // -1 if none
    // Tokens that end a reply: eos, eot, <|im_end|>, <|eot_id|>, <|endoftext|>, FIM pad/rep/sep...
    // (llama.cpp's EOG set), sorted ascending.
    std::vector<int32_t> endOfGenerationTokens() const;
    bool isEndOfGeneration(int32_t id) const;
    std::optional<int32_t> findToken(std::string_view text) const;  // exact vocab string lookup
    bool isControl(int32_t id) const;
    bool addBos() const;
    bool addEos() const;
    std::string_view modelName() const;    // "gpt2" or "llama"
    std::string_view preTokenizer() const; // tokenizer.ggml.pre as read ("" for SentencePiece)

private:
    Tokenizer();
    std::unique_ptr<tokenizer_detail::Vocab> m_vocab;
};

// Streaming detokenizer: feed ids one at a time, get complete UTF-8 text only. Bytes of an
// unfinished multi-byte character are held back until it completes; bytes that can never
// form a valid character come out as U+FFFD, so every returned string is valid UTF-8.
// The output is the concatenation of tokenPiece() (no SentencePiece first-space strip and
// no clean-up pass, like llama.cpp's streaming). Not thread-safe; one per stream.
class StreamDecoder {
public:
    explicit StreamDecoder(const Tokenizer& tokenizer, bool showSpecial = true);
    std::string push(int32_t id);
    // Emits what is still held (an unfinished character becomes U+FFFD) and resets.
    std::string flush();
    // Feeds raw bytes (used by push; exposed for tests of the UTF-8 hold-back logic).
    std::string pushBytes(std::string_view bytes);

private:
    const Tokenizer& m_tokenizer;
    bool m_showSpecial;
    std::string m_pending;  // leading bytes of an unfinished character (at most 3)
};

}  // namespace tiefsee
